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

import "slices"

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

	// Review lists the fields a person must check before the value is
	// trusted, in the order of Fields: a field that was written by hand,
	// read with little confidence, not found although every document
	// has it, or contradicted by other evidence. Empty (absent in JSON)
	// when every field can be trusted. A field not in Review is either
	// right or empty because the document does not have it.
	Review []string `json:"review,omitempty"`
	// Reasons gives, for each field in Review, why it is there: one of
	// ReasonHandwritten, ReasonLowConfidence, ReasonMissing,
	// ReasonConflict.
	Reasons map[string]string `json:"reasons,omitempty"`
	// Printed holds, for a field in Review, the part of it that was
	// printed and read reliably, so that only the rest is keyed: the
	// notation of a number whose digits are handwritten ("/TB-UBND"),
	// the month and year of a date whose day is ("2024-12").
	Printed map[string]string `json:"printed,omitempty"`
	// Boxes are where each field was read (or, for a field in Review that
	// was not read, where it is expected), in pixels of the page image
	// the OCR coordinates refer to (image.png): [x0, y0, x1, y1], x1 and
	// y1 exclusive.
	Boxes map[string]Box `json:"boxes,omitempty"`
	// Handwritten are, for a field in Review with a part written by hand,
	// where the writing is (the number proper, the day, the day and
	// month), in the same pixels as Boxes, a quarter line of margin
	// included: what to crop to key it, or to read it again.
	Handwritten map[string]Box `json:"handwritten,omitempty"`
	// Evidence is what else on the page was used to check the header,
	// and how it came out.
	Evidence []Evidence `json:"evidence,omitempty"`

	// Notation is the number's notation (ký hiệu) as printed after the
	// number proper, its year included when it has one: "TB-UBND",
	// "2025/NQ-HĐND". It is kept when the number proper is handwritten
	// and could not be read.
	Notation string `json:"notation,omitempty"`
	// ReceivedNumber and ReceivedDate are the registry number and date
	// written into a received stamp ("CV ĐẾN, Số: 2352, Ngày: 21.3.18"):
	// the receiving office's, never the document's own. Empty when there
	// is no such stamp or its entries could not be read (then they are in
	// Review when there is a stamp).
	ReceivedNumber string `json:"received_number,omitempty"`
	ReceivedDate   string `json:"received_date,omitempty"`
	// SignedAt is the earliest digital-signature time printed on the page
	// ("Thời gian ký: 20/12/2024 16:32:29"), ISO 8601 without a zone:
	// "2024-12-20T16:32:29". A document is not signed before it is
	// issued, so it bounds Date; it is not Date.
	SignedAt string `json:"signed_at,omitempty"`
	// Copy describes a copy (bản sao) when the page says it is one:
	// the copy's own mark, number and date, kept apart from the original
	// document's header, which the other fields describe.
	Copy *Copy `json:"copy,omitempty"`
}

// Box is a rectangle of the page image: x0, y0, x1, y1 in pixels.
type Box [4]int

// Evidence is one piece of evidence besides the header that was used
// to check a field.
type Evidence struct {
	// Kind: EvidenceSignature, EvidenceReceivedStamp, EvidenceSourceName,
	// EvidenceTypeLine, EvidenceReread.
	Kind string `json:"kind"`
	// Field is the field it bears on: "date", "number", "type".
	Field string `json:"field"`
	// Value is what the evidence says: "2024-12-20T16:32:29", "660TBUB.pdf".
	Value string `json:"value"`
	// Result: ResultAgrees, ResultConflicts, ResultConsistent,
	// ResultSuggests, ResultRepaired, ResultRecorded.
	Result string `json:"result"`
}

// Copy is the mark of a copy of a document (Decree 30/2020, Article 25:
// bản sao y, bản sao lục, bản trích sao), or a certification stamp
// ("SAO Y BẢN CHÍNH").
type Copy struct {
	// Kind is the copy's kind in lower case: "sao y", "sao lục", "trích
	// sao", or "bản sao" when the page only says it is a copy.
	Kind string `json:"kind"`
	// Mark is the mark as read: "SAO Y BẢN CHÍNH", "SAO Y".
	Mark string `json:"mark"`
	// Number and Date are the copy's own number ("05/SY-VP") and date,
	// when they were read.
	Number string `json:"number,omitempty"`
	Date   string `json:"date,omitempty"`
	// Box is where the mark is, in page pixels.
	Box Box `json:"box"`
}

// Reasons a field is in Review.
const (
	// ReasonHandwritten: the field, or part of it, is written by hand
	// (the digits of a number, the day of a date); OCR does not read
	// handwriting reliably.
	ReasonHandwritten = "handwritten"
	// ReasonLowConfidence: the field was read, but with too little
	// confidence to be trusted.
	ReasonLowConfidence = "low_confidence"
	// ReasonMissing: every document of this kind has the field, and it
	// was not found.
	ReasonMissing = "missing"
	// ReasonConflict: the field disagrees with other evidence on the
	// page (the type line, a signature time, the source file's name).
	ReasonConflict = "conflict"
)

// Kinds of Evidence.
const (
	// EvidenceSignature: a digital-signature box's signing time.
	EvidenceSignature = "signature"
	// EvidenceReceivedStamp: a received stamp ("CV ĐẾN").
	EvidenceReceivedStamp = "received_stamp"
	// EvidenceSourceName: the source file's name, when it carries the
	// number ("660TBUB.pdf").
	EvidenceSourceName = "source_name"
	// EvidenceTypeLine: the type line (the title), checked against the
	// number's type code.
	EvidenceTypeLine = "type_line"
	// EvidenceReread: the handwriting of a part read again on its own,
	// as digits (Input.ReadDigits).
	EvidenceReread = "reread"
)

// Results of Evidence.
const (
	ResultAgrees    = "agrees"
	ResultConflicts = "conflicts"
	// ResultRepaired: the evidence corrected what OCR read (a type code
	// "TIr" under a "TỜ TRÌNH" title is "TTr").
	ResultRepaired = "repaired"
	// ResultSuggests: the evidence gave the value, which stays in review
	// (a handwritten number read again on its own).
	ResultSuggests = "suggests"
	// ResultConsistent: the evidence neither confirms nor contradicts the
	// field (a signature after the date).
	ResultConsistent = "consistent"
	// ResultRecorded: the evidence is recorded in fields of its own (a
	// received stamp's number and date).
	ResultRecorded = "recorded"
)

// Fields are the names of the fields Review may list, in its order.
func Fields() []string { return slices.Clone(reviewFields) }

var reviewFields = []string{"issuer", "number", "date", "place", "type", "subject", "received_number", "received_date"}

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
