package tt05aip

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ocr/docmeta"
)

// Document is a document's metadata: the 19 fields of its EAD_DOC file,
// by the circular's names, as the package writes them (codes, DD/MM/YYYY
// dates, decimal numbers). NewDocument fills it from the record and the
// document's header; an archivist's corrections go over it with Set.
type Document struct {
	ArcFileCode     string `json:"arcFileCode"`
	Mode            string `json:"mode"`
	Language        string `json:"language"`
	Keyword         string `json:"keyword,omitempty"`
	NumberOfPage    string `json:"numberOfPage"`
	Format          string `json:"format,omitempty"`
	InforSign       string `json:"inforSign,omitempty"`
	ConfidenceLevel string `json:"confidenceLevel,omitempty"`
	Description     string `json:"description,omitempty"`
	DocCode         string `json:"docCode"`
	DocOrdinal      string `json:"docOrdinal"`
	TypeName        string `json:"typeName"`
	CodeNumber      string `json:"codeNumber,omitempty"`
	CodeNotation    string `json:"codeNotation,omitempty"`
	IssuedDate      string `json:"issuedDate"`
	OrganName       string `json:"organName"`
	Subject         string `json:"subject"`
	Autograph       string `json:"autograph,omitempty"`
	Process         string `json:"process,omitempty"`
}

func (d *Document) field(name string) *string {
	switch name {
	case FieldArcFileCode:
		return &d.ArcFileCode
	case FieldMode:
		return &d.Mode
	case FieldLanguage:
		return &d.Language
	case FieldKeyword:
		return &d.Keyword
	case FieldNumberOfPage:
		return &d.NumberOfPage
	case FieldFormat:
		return &d.Format
	case FieldInforSign:
		return &d.InforSign
	case FieldConfidenceLevel:
		return &d.ConfidenceLevel
	case FieldDescription:
		return &d.Description
	case FieldDocCode:
		return &d.DocCode
	case FieldDocOrdinal:
		return &d.DocOrdinal
	case FieldTypeName:
		return &d.TypeName
	case FieldCodeNumber:
		return &d.CodeNumber
	case FieldCodeNotation:
		return &d.CodeNotation
	case FieldIssuedDate:
		return &d.IssuedDate
	case FieldOrganName:
		return &d.OrganName
	case FieldSubject:
		return &d.Subject
	case FieldAutograph:
		return &d.Autograph
	case FieldProcess:
		return &d.Process
	}
	return nil
}

// Get returns a field by its name ("" for an unknown name).
func (d Document) Get(name string) string {
	if p := d.field(name); p != nil {
		return *p
	}
	return ""
}

// Set sets a field by its name (case ignored), normalising the value as
// Record.Set does: "quyết định" becomes typeName 02, "2025-03-05" becomes
// 05/03/2025. An empty value clears the field.
func (d *Document) Set(key, value string) error {
	for _, s := range documentSpecs {
		if strings.EqualFold(s.name, strings.TrimSpace(key)) {
			v, why := normalize(s, norm.NFC.String(value))
			if why != "" {
				return (errs{{Field: s.name, Value: v, Reason: why}}).err()
			}
			*d.field(s.name) = v
			return nil
		}
	}
	return (errs{{Field: key, Reason: "is not a document field; the keys are " + strings.Join(DocumentFields(), ", ")}}).err()
}

// NewDocument derives a document's fields from its record and what its
// first page's header says (docmeta.Extract, or the archivist's corrected
// metadata), for the document with that order number in the record and
// that many pages:
//
//   - arcFileCode, language from the record; docCode and docOrdinal from
//     the record code and the order; numberOfPage is pages;
//   - mode from the record, but 03 (secret) when the header carries a
//     secrecy mark (MẬT, TỐI MẬT, TUYỆT MẬT) and the record's is not 03:
//     a classified page is never published for want of a field;
//   - confidenceLevel 02 (digitised), since the farm made the document
//     from scans;
//   - typeName, codeNumber, codeNotation, issuedDate, organName, subject
//     from the header (docmeta.Metadata.NationalRecord), mapped onto the
//     code table and DD/MM/YYYY.
//
// Fields the header does not give stay empty; nothing is invented.
// Keyword, format, inforSign, description, autograph and process are
// left for the archivist. The record must have a valid code.
func NewDocument(rec Record, order, pages int, md docmeta.Metadata) (Document, error) {
	code, err := rec.Code()
	if err != nil {
		return Document{}, err
	}
	if order < 1 || order > MaxOrder {
		return Document{}, fmt.Errorf("%w: document order %d is not between 1 and %d", ErrInvalid, order, MaxOrder)
	}
	d := Document{
		ArcFileCode:     rec.ArcFileCode,
		Mode:            rec.Mode,
		Language:        rec.Language,
		DocCode:         DocCode(code, order),
		DocOrdinal:      strconv.Itoa(order),
		ConfidenceLevel: "02",
	}
	if pages > 0 {
		d.NumberOfPage = strconv.Itoa(pages)
	}
	if md.Secrecy != "" && d.Mode != "03" {
		d.Mode = "03"
	}
	if !md.Document {
		return d, nil
	}
	nr := md.NationalRecord(pages, "")
	if c, ok := TypeCode(md.Type); ok {
		d.TypeName = c
	}
	d.CodeNumber, d.CodeNotation = nr.CodeNumber, nr.CodeNotation
	if nr.IssuedDate != "" {
		if s, err := FormatDate(nr.IssuedDate); err == nil {
			d.IssuedDate = s
		}
	}
	d.OrganName = nr.OrganName
	d.Subject = nr.Subject
	return d, nil
}

// Validate checks a document ready for the package, as document order
// doc of its record (errors say "document 2: issuedDate ..."): the
// required fields (arcFileCode, mode, language, numberOfPage, docCode,
// docOrdinal, typeName, issuedDate, organName, subject) are present and
// every value is valid.
func (d Document) Validate(doc int) error {
	var es errs
	for _, s := range documentSpecs {
		v := *d.field(s.name)
		if v == "" {
			if s.need != needNo {
				es.add(doc, s.name, "", "is required (%s)", s.vi)
			}
			continue
		}
		if nv, why := normalize(s, v); why != "" {
			es.add(doc, s.name, v, "%s", why)
		} else if nv != v {
			es.add(doc, s.name, v, "is not in the package's form (%q); set it with Set", nv)
		}
	}
	slices.SortStableFunc(es, func(a, b FieldError) int {
		return fieldIndex(documentSpecs, a.Field) - fieldIndex(documentSpecs, b.Field)
	})
	return es.err()
}
