// Package docmeta reads the header of a Vietnamese administrative
// document (Decree 30/2020/NĐ-CP layout) from the OCR result of its first
// page into catalogue metadata: the issuing body, the number and
// notation, the date and place, the document type, the subject (trích
// yếu), and the secrecy and urgency marks, each with a confidence. It
// also maps the result onto the national archive standard's document
// fields and the CSV export.
//
// Extract works from word positions, not line order: it finds the
// national motto and the "Số:" and place-date lines, takes the left and
// right header columns from them, and the centred title block below.
// It is tolerant of the usual OCR damage (lost diacritics, "S6:" for
// "Số:", numbers split at their slashes, "Z7" for an italic 7) and
// invents nothing: a page that is not an administrative document gets
// empty fields and Document false.
//
// Tesseract leaves framed stamps (MẬT, KHẨN) out of a whole-page
// reading; StampRegion and Metadata.AddStamps read them from a second
// recognition of the region where they are printed. See docs/metadata.md.
package docmeta

// Metadata is what a document's first page says about the document.
// Text fields are empty when not found; see docs/metadata.md.
type Metadata struct {
	// Issuer is the issuing body as printed at the top left, its parent
	// body first if it has one, one printed line per line joined by
	// "\n": "UBND TỈNH QUẢNG NINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO".
	Issuer string `json:"issuer"`
	// Number is the full number and notation ("số và ký hiệu") as
	// printed after "Số:": "57/2025/NQ-HĐND", "1234/QĐ-UBND",
	// "05/UBND-TNMT". OCR splits are joined and digits misread as
	// letters repaired; Đ and D are kept as read.
	Number string `json:"number"`
	// Date is the date of the place-date line, ISO 8601: "2025-03-05".
	Date string `json:"date"`
	// Place is the place name of the place-date line: "Quảng Ninh".
	Place string `json:"place"`
	// Type is the document type in lower case, one of Types()' names:
	// "quyết định", "nghị quyết", "công văn" for an official letter.
	Type string `json:"type"`
	// TypeCode is the type's abbreviation (Decree 30, Appendix III):
	// "QĐ", "NQ". Empty for a công văn, which has none.
	TypeCode string `json:"type_code"`
	// Subject is the trích yếu, its printed lines joined by a space,
	// without its leading "V/v" or "Về việc": "Ban hành Quy định ...".
	Subject string `json:"subject"`
	// Secrecy is the secrecy mark: "MẬT", "TỐI MẬT" or "TUYỆT MẬT".
	Secrecy string `json:"secrecy"`
	// Urgency is the urgency mark: "KHẨN", "THƯỢNG KHẨN" or "HỎA TỐC".
	Urgency string `json:"urgency"`
	// Document reports whether the page is the first page of an
	// administrative document. When false every other field is empty.
	Document bool `json:"document"`
	// Confidence says how sure each field is, 0..1.
	Confidence Confidence `json:"confidence"`
	// Flags call for attention: FlagTopSecret, FlagClassified,
	// FlagTypeMismatch, FlagYearMismatch, FlagDateInFuture. Sorted.
	Flags []string `json:"flags,omitempty"`
}

// Confidence holds a confidence in 0..1 per field: the OCR confidence of
// the field's words combined with how well the field followed its rule
// and agreed with the other fields (see docs/metadata.md). A field not
// found has 0. Document is how strongly the page looks like an
// administrative document, whatever the decision.
type Confidence struct {
	Issuer   float64 `json:"issuer"`
	Number   float64 `json:"number"`
	Date     float64 `json:"date"`
	Place    float64 `json:"place"`
	Type     float64 `json:"type"`
	Subject  float64 `json:"subject"`
	Secrecy  float64 `json:"secrecy"`
	Urgency  float64 `json:"urgency"`
	Document float64 `json:"document"`
}

// Flags.
const (
	// FlagTopSecret marks a page stamped TUYỆT MẬT (top secret). Records
	// of that grade are normally not digitised at all: stop, do not
	// publish or export the page, and ask the archive before going on.
	FlagTopSecret = "top-secret"
	// FlagClassified marks a page with any secrecy mark (MẬT, TỐI MẬT,
	// TUYỆT MẬT): its access is restricted.
	FlagClassified = "classified"
	// FlagTypeMismatch: the type line and the abbreviation in the number
	// name different types; Type is the one believed, check it.
	FlagTypeMismatch = "type-mismatch"
	// FlagYearMismatch: the year in a normative document's number is
	// not the year of its date; one of them is probably misread.
	FlagYearMismatch = "year-mismatch"
	// FlagDateInFuture: the date is after today, so a digit of it is
	// misread (Tesseract reads a 2 as a 3 now and then). Date keeps
	// what was read; check it.
	FlagDateInFuture = "date-in-future"
)

// Secrecy marks (Law on Protection of State Secrets 2018: mật, tối mật,
// tuyệt mật) and urgency marks (Decree 30/2020: khẩn, thượng khẩn, hỏa
// tốc), most specific first.
var (
	secrecyMarks = []string{"TUYỆT MẬT", "TỐI MẬT", "MẬT"}
	urgencyMarks = []string{"THƯỢNG KHẨN", "HỎA TỐC", "KHẨN"}
)

// Normative reports whether the number is that of a normative legal
// document (văn bản quy phạm pháp luật), which carries its year:
// "57/2025/NQ-HĐND"; an administrative document's has none.
func (m Metadata) Normative() bool {
	n, ok := parseNumber(m.Number)
	return ok && n.year != ""
}
