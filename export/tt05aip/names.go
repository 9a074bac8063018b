package tt05aip

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// MaxOrder is the largest order number of a document in a record: the
// document code gives the order seven digits.
const MaxOrder = 9_999_999

// CheckCode reports whether a record code (or an arcFileCode, a fonds
// code) can name files: letters (Vietnamese ones too), digits, '.', '-'
// and '_' only, at least one letter or digit, not starting or ending with
// '.', at most 100 characters. So a code can never hold a path separator,
// a control character or "..".
func CheckCode(code string) error {
	if why := codeProblem(code); why != "" {
		return fmt.Errorf("%w: code %q %s", ErrInvalid, code, why)
	}
	return nil
}

func codeProblem(code string) string {
	switch {
	case code == "":
		return "is empty"
	case !utf8.ValidString(code):
		return "is not valid UTF-8"
	case utf8.RuneCountInString(code) > 100:
		return "is longer than 100 characters"
	case code[0] == '.' || code[len(code)-1] == '.':
		return "starts or ends with '.'"
	}
	alnum := false
	prevDot := false
	for _, r := range code {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum = true
		case r == '.':
			if prevDot {
				return "has two '.' in a row"
			}
		case r == '-' || r == '_':
		default:
			return fmt.Sprintf("has %q, which a file name must not have (letters, digits, '.', '-' and '_' only)", r)
		}
		prevDot = r == '.'
	}
	if !alnum {
		return "has no letter or digit"
	}
	return ""
}

// DocID is a document's identifier in its record: the record code, a dot
// and the order number, "H49.64.33.2001.160.1". Its file in the package is
// DocID + ".pdf" and its metadata EAD_DOC_ + DocID + ".xml".
func DocID(recordCode string, order int) string {
	return recordCode + "." + strconv.Itoa(order)
}

// DocFileName is a document's file name, "<record code>.<order>.pdf":
// "H49.64.33.2001.160.1.pdf".
func DocFileName(recordCode string, order int) string { return DocID(recordCode, order) + ".pdf" }

// RecordFileName is the file name of a record digitised as one PDF, not
// split into documents: the record code alone, "H49.64.33.2001.160.pdf".
// The exporter writes split records only; this is the name for the other
// case.
func RecordFileName(recordCode string) string { return recordCode + ".pdf" }

// DocCode is a document's archival code: the record code and the order
// number in seven digits, "H49.64.33.2001.160.0000001".
func DocCode(recordCode string, order int) string {
	return fmt.Sprintf("%s.%07d", recordCode, order)
}

// eadDocName is the name of a document's metadata file.
func eadDocName(docID string) string { return "EAD_DOC_" + docID + ".xml" }
