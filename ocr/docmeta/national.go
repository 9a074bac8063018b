package docmeta

import (
	"strconv"
	"strings"
)

// NationalRecord is a document's entry in the national archive
// standard's document metadata (Thông tư 05/2025/TT-BNV, which replaced
// Thông tư 02/2019/TT-BNV), for the fields a first page can give. The
// JSON names are the standard's field names as publicly summarised;
// docs/metadata.md says which readings could not be checked against the
// circular's text.
type NationalRecord struct {
	// TypeName is the document type with a capital first letter:
	// "Quyết định", "Công văn".
	TypeName string `json:"typeName"`
	// TypeCode is its abbreviation: "QĐ"; empty for a công văn.
	TypeCode string `json:"typeCode"`
	// CodeNumber is the number proper, the part before the first "/":
	// "57" of "57/2025/NQ-HĐND".
	CodeNumber string `json:"codeNumber"`
	// CodeNotation is the rest of the number after the first "/", year
	// included when there is one: "2025/NQ-HĐND", "QĐ-UBND". CodeNumber
	// + "/" + CodeNotation is the number as printed.
	CodeNotation string `json:"codeNotation"`
	// IssuedDate is the date, ISO 8601: "2025-03-05".
	IssuedDate string `json:"issuedDate"`
	// OrganName is the issuing body's name without its parent body, its
	// printed lines joined by a space: "SỞ GIÁO DỤC VÀ ĐÀO TẠO".
	OrganName string `json:"organName"`
	// Subject is the trích yếu as in Metadata.Subject.
	Subject string `json:"subject"`
	// NumberOfPage is the document's page count, which the caller knows.
	NumberOfPage int `json:"numberOfPage"`
	// Language is as the caller gives it (the farm uses "vi").
	Language string `json:"language"`
}

// NationalRecord maps the metadata onto the national standard's
// document fields. pages is the document's page count and lang its
// language, which a first page cannot tell. A page that is not a
// document gives only pages and lang.
func (m Metadata) NationalRecord(pages int, lang string) NationalRecord {
	rec := NationalRecord{NumberOfPage: pages, Language: lang}
	if !m.Document {
		return rec
	}
	rec.TypeName = titleCase(m.Type)
	rec.TypeCode = m.TypeCode
	if n, ok := parseNumber(m.Number); ok {
		// After the number proper and its separator: "2025/NQ-HĐND",
		// or "CT/TW" of the older form 15-CT/TW.
		rec.CodeNumber, rec.CodeNotation = n.seq, n.text[len(n.seq)+1:]
	} else if n, rest, ok := strings.Cut(m.Number, "/"); ok {
		rec.CodeNumber, rec.CodeNotation = n, rest
	} else {
		rec.CodeNumber = m.Number
	}
	rec.IssuedDate = m.Date
	_, body := IssuingBody(m.Issuer)
	rec.OrganName = strings.Join(strings.Split(body, "\n"), " ")
	rec.Subject = m.Subject
	return rec
}

// organHeads are the words (folded, upper case) an issuing body's name
// starts with. A line of the issuer that starts with one after the
// first line starts the issuing body; the lines above it are its parent.
var organHeads = []string{
	"SO", "BAN", "PHONG", "CHI CUC", "CUC", "TONG CUC", "VU", "VAN PHONG",
	"TRUNG TAM", "HOI DONG", "UY BAN", "UBND", "HDND", "TRUONG", "BENH VIEN",
	"CONG TY", "BO", "THANH TRA", "KHO BAC", "CONG AN", "BAO HIEM", "DANG UY",
	"DOAN", "MAT TRAN", "LIEN DOAN", "HOI", "VIEN", "BAO", "DAI", "QUY",
	"TOA AN", "VIEN KIEM SAT", "CHI NHANH", "HAT", "TRAM", "DOI", "BO CHI HUY",
}

// IssuingBody splits an issuer as Extract gives it into the parent body
// and the issuing body: "UBND TỈNH QUẢNG NINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO"
// gives "UBND TỈNH QUẢNG NINH" and "SỞ GIÁO DỤC VÀ ĐÀO TẠO";
// "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH" is one body's name on two lines
// and has no parent. Lines stay joined by "\n".
func IssuingBody(issuer string) (parent, body string) {
	lines := strings.Split(issuer, "\n")
	for i := len(lines) - 1; i >= 1; i-- {
		f := strings.ToUpper(fold(strings.TrimSpace(lines[i])))
		for _, h := range organHeads {
			if f == h || strings.HasPrefix(f, h+" ") {
				return strings.Join(lines[:i], "\n"), strings.Join(lines[i:], "\n")
			}
		}
	}
	return "", issuer
}

// CSVHeader names the columns of CSVRow: the Metadata fields by their
// JSON names, the confidences as conf_<field>, the national standard's
// fields as national_<name>, then the review and the other evidence
// (added later, so at the end: columns only ever get appended). Callers put their own columns
// (batch, document id, file) in front.
func CSVHeader() []string {
	return []string{
		"document", "issuer", "number", "date", "place", "type", "type_code",
		"subject", "secrecy", "urgency", "flags",
		"conf_issuer", "conf_number", "conf_date", "conf_place", "conf_type",
		"conf_subject", "conf_secrecy", "conf_urgency", "conf_document",
		"national_typeName", "national_typeCode", "national_codeNumber",
		"national_codeNotation", "national_issuedDate", "national_organName",
		"national_subject", "national_numberOfPage", "national_language",
		"review", "reasons", "printed", "notation", "received_number", "received_date",
		"signed_at", "copy_kind", "copy_number", "copy_date",
	}
}

// CSVRow is the document's row under CSVHeader. pages and lang are as
// for NationalRecord. Flags and Review are joined by ";", Reasons and
// Printed written "field:value;field:value" in Review's order; the
// issuer keeps its line breaks (encoding/csv quotes the cell).
func (m Metadata) CSVRow(pages int, lang string) []string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	c := m.Confidence
	n := m.NationalRecord(pages, lang)
	var cp Copy
	if m.Copy != nil {
		cp = *m.Copy
	}
	return []string{
		strconv.FormatBool(m.Document), m.Issuer, m.Number, m.Date, m.Place, m.Type, m.TypeCode,
		m.Subject, m.Secrecy, m.Urgency, strings.Join(m.Flags, ";"),
		f(c.Issuer), f(c.Number), f(c.Date), f(c.Place), f(c.Type),
		f(c.Subject), f(c.Secrecy), f(c.Urgency), f(c.Document),
		n.TypeName, n.TypeCode, n.CodeNumber,
		n.CodeNotation, n.IssuedDate, n.OrganName,
		n.Subject, strconv.Itoa(n.NumberOfPage), n.Language,
		strings.Join(m.Review, ";"), pairs(m.Review, m.Reasons), pairs(m.Review, m.Printed), m.Notation,
		m.ReceivedNumber, m.ReceivedDate, m.SignedAt, cp.Kind, cp.Number, cp.Date,
	}
}

// pairs is "field:value" for each field of fields that vals has, joined
// by ";": "number:handwritten;date:handwritten".
func pairs(fields []string, vals map[string]string) string {
	var out []string
	for _, f := range fields {
		if v, ok := vals[f]; ok {
			out = append(out, f+":"+v)
		}
	}
	return strings.Join(out, ";")
}
