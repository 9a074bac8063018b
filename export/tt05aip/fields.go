package tt05aip

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Field names, as the package's XML elements spell them.
const (
	FieldArcFileCode        = "arcFileCode"
	FieldTitle              = "title"
	FieldMaintenance        = "maintenance"
	FieldMode               = "mode"
	FieldLanguage           = "language"
	FieldStartDate          = "startDate"
	FieldEndDate            = "endDate"
	FieldKeyword            = "keyword"
	FieldTotalDoc           = "totalDoc"
	FieldNumberOfPaper      = "numberOfPaper"
	FieldNumberOfPage       = "numberOfPage"
	FieldFormat             = "format"
	FieldInforSign          = "inforSign"
	FieldConfidenceLevel    = "confidenceLevel"
	FieldPaperFileCode      = "paperFileCode"
	FieldRiskRecovery       = "riskRecovery"
	FieldRiskRecoveryStatus = "riskRecoveryStatus"
	FieldDescription        = "description"

	FieldDocCode      = "docCode"
	FieldDocOrdinal   = "docOrdinal"
	FieldTypeName     = "typeName"
	FieldCodeNumber   = "codeNumber"
	FieldCodeNotation = "codeNotation"
	FieldIssuedDate   = "issuedDate"
	FieldOrganName    = "organName"
	FieldSubject      = "subject"
	FieldAutograph    = "autograph"
	FieldProcess      = "process"

	// FieldFileCode and FieldFondsCode are not written into EAD.xml: they
	// are sohoa's own keys for what the package needs besides the 18
	// fields. fileCode is the record code (mã hồ sơ) that names the
	// files; fondsCode is the fonds code (mã phông) that goes into the
	// package identifier.
	FieldFileCode  = "fileCode"
	FieldFondsCode = "fondsCode"
)

// kind is what a field's value must look like.
type kind int

const (
	kindText   kind = iota
	kindCode        // a code of the field's table
	kindDate        // DD/MM/YYYY; a record's start and end may be MM/YYYY or YYYY
	kindNumber      // a whole number, decimal digits
	kindBool        // "1" or "0"
)

// need says when a field must have a value.
type need int

const (
	// needNo: optional ("nếu có" in the circular), or a value the farm
	// cannot know and the circular's summaries leave unclear.
	needNo need = iota
	// needGiven: the archivist must give it before anything is queued;
	// the farm cannot read it from the pages.
	needGiven
	// needExport: required in the package; the farm fills it in when it
	// is not given (from the pages, the documents or a fact of the
	// digitisation), so it is checked only when the package is written.
	needExport
)

// spec describes one field.
type spec struct {
	name string
	vi   string // the circular's Vietnamese name, as summarised
	kind kind
	max  int // maximum length in characters (the circular's tables)
	need need
	// labels are other column headers a record list may use for the
	// field, compared folded ("Tiêu đề hồ sơ", "Thời hạn bảo quản").
	labels []string
}

// recordSpecs are the 18 fields of AIP_hoso's EAD.xml in the circular's
// order, then sohoa's two extra keys.
var recordSpecs = []spec{
	{FieldArcFileCode, "Mã hồ sơ lưu trữ", kindText, 100, needGiven, []string{"Mã lưu trữ hồ sơ"}},
	{FieldTitle, "Tiêu đề hồ sơ", kindText, 1000, needGiven, []string{"Tiêu đề"}},
	{FieldMaintenance, "Thời hạn lưu trữ", kindCode, 100, needGiven, []string{"Thời hạn bảo quản", "THBQ"}},
	{FieldMode, "Chế độ sử dụng", kindCode, 30, needGiven, nil},
	{FieldLanguage, "Ngôn ngữ", kindCode, 100, needExport, nil},
	{FieldStartDate, "Thời gian bắt đầu", kindDate, 10, needExport, []string{"Ngày bắt đầu"}},
	{FieldEndDate, "Thời gian kết thúc", kindDate, 10, needExport, []string{"Ngày kết thúc"}},
	{FieldKeyword, "Từ khóa", kindText, 100, needNo, nil},
	{FieldTotalDoc, "Tổng số tài liệu trong hồ sơ", kindNumber, 10, needExport, []string{"Tổng số tài liệu", "Tổng số văn bản"}},
	{FieldNumberOfPaper, "Số lượng tờ", kindNumber, 10, needNo, []string{"Số tờ"}},
	{FieldNumberOfPage, "Số lượng trang", kindNumber, 10, needExport, []string{"Số trang"}},
	{FieldFormat, "Tình trạng vật lý", kindCode, 50, needNo, nil},
	{FieldInforSign, "Ký hiệu thông tin", kindText, 30, needNo, nil},
	{FieldConfidenceLevel, "Mức độ tin cậy", kindCode, 40, needExport, nil},
	{FieldPaperFileCode, "Mã hồ sơ gốc giấy", kindText, 100, needGiven, []string{"Mã hồ sơ giấy"}},
	{FieldRiskRecovery, "Chế độ dự phòng", kindBool, 1, needNo, nil},
	{FieldRiskRecoveryStatus, "Tình trạng dự phòng", kindText, 2, needNo, nil},
	{FieldDescription, "Ghi chú", kindText, 2000, needNo, nil},
	{FieldFileCode, "Mã hồ sơ", kindText, 100, needNo, nil},
	{FieldFondsCode, "Mã phông", kindText, 50, needNo, []string{"Phông số"}},
}

// documentSpecs are the 19 fields of an EAD_DOC file in the circular's
// order.
var documentSpecs = []spec{
	{FieldArcFileCode, "Mã hồ sơ lưu trữ", kindText, 100, needExport, nil},
	{FieldMode, "Chế độ sử dụng", kindCode, 20, needExport, nil},
	{FieldLanguage, "Ngôn ngữ", kindCode, 100, needExport, nil},
	{FieldKeyword, "Từ khóa", kindText, 100, needNo, nil},
	{FieldNumberOfPage, "Số lượng trang", kindNumber, 4, needExport, nil},
	{FieldFormat, "Tình trạng vật lý", kindCode, 50, needNo, nil},
	{FieldInforSign, "Ký hiệu thông tin", kindText, 30, needNo, nil},
	{FieldConfidenceLevel, "Mức độ tin cậy", kindCode, 30, needNo, nil},
	{FieldDescription, "Ghi chú", kindText, 500, needNo, nil},
	{FieldDocCode, "Mã lưu trữ của tài liệu", kindText, 100, needExport, nil},
	{FieldDocOrdinal, "Số thứ tự tài liệu", kindNumber, 7, needExport, nil},
	{FieldTypeName, "Tên loại tài liệu", kindCode, 10, needExport, nil},
	{FieldCodeNumber, "Số của tài liệu", kindText, 11, needNo, nil},
	{FieldCodeNotation, "Ký hiệu của tài liệu", kindText, 30, needNo, nil},
	{FieldIssuedDate, "Ngày tháng năm tài liệu", kindDate, 10, needExport, nil},
	{FieldOrganName, "Cơ quan, tổ chức, cá nhân ban hành", kindText, 200, needExport, nil},
	{FieldSubject, "Trích yếu nội dung", kindText, 500, needExport, nil},
	{FieldAutograph, "Bút tích", kindText, 2000, needNo, nil},
	{FieldProcess, "Quy trình xử lý", kindBool, 1, needNo, nil},
}

// RecordFields returns the names of the 18 record fields of EAD.xml in
// the circular's order.
func RecordFields() []string { return names(recordSpecs[:18]) }

// DocumentFields returns the names of the 19 document fields of an
// EAD_DOC file in the circular's order.
func DocumentFields() []string { return names(documentSpecs) }

func names(ss []spec) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.name
	}
	return out
}

func specOf(ss []spec, name string) (spec, bool) {
	for _, s := range ss {
		if s.name == name {
			return s, true
		}
	}
	return spec{}, false
}

// ErrInvalid is wrapped by a *ValidationError: metadata that cannot go
// into a package as it is.
var ErrInvalid = errors.New("invalid archive metadata")

// FieldError is one problem with one field.
type FieldError struct {
	// Doc is the document's order number in the record (1, 2, ...), or 0
	// for the record's own fields.
	Doc int
	// Field is the field's name: "maintenance".
	Field string
	// Value is the value given, "" when missing.
	Value string
	// Reason says what is wrong, as a phrase: "is required".
	Reason string
}

func (e FieldError) Error() string {
	where := e.Field
	if e.Doc > 0 {
		where = fmt.Sprintf("document %d: %s", e.Doc, e.Field)
	}
	if e.Value == "" {
		return where + ": " + e.Reason
	}
	return fmt.Sprintf("%s: %q %s", where, e.Value, e.Reason)
}

// ValidationError lists every problem found, in field order.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Error()
	}
	return "archive metadata: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// errs collects FieldErrors.
type errs []FieldError

func (es *errs) add(doc int, field, value, reason string, args ...any) {
	*es = append(*es, FieldError{Doc: doc, Field: field, Value: value, Reason: fmt.Sprintf(reason, args...)})
}

func (es errs) err() error {
	if len(es) == 0 {
		return nil
	}
	return &ValidationError{Errors: es}
}

// normalize turns a value given for a field into the form the package
// writes: names of codes into codes, dates into DD/MM/YYYY, spaces
// trimmed. It returns the reason a value cannot be used.
func normalize(s spec, value string) (string, string) {
	v := strings.Join(strings.Fields(value), " ")
	if s.kind == kindText {
		// Line breaks are kept in free text (a description may have
		// them), only the ends are trimmed.
		v = strings.TrimSpace(value)
	}
	if v == "" {
		return "", ""
	}
	if !utf8.ValidString(v) {
		return v, "is not valid UTF-8 text"
	}
	switch s.kind {
	case kindCode:
		t, _ := TableOf(s.name)
		c, ok := t.Lookup(v)
		if !ok {
			return v, "is not a code of " + s.name + " (" + codeList(t) + ")"
		}
		v = c
	case kindDate:
		partial := s.name == FieldStartDate || s.name == FieldEndDate
		forms := "DD/MM/YYYY"
		if partial {
			forms = "DD/MM/YYYY, MM/YYYY or YYYY"
		}
		d, err := ParseDate(v)
		var de *dateError
		switch {
		case errors.As(err, &de) && de.why != "":
			return v, "is not a date (" + de.why + ")"
		case err != nil:
			return v, "is not a date: write " + forms
		case !d.Full() && !partial:
			return v, "is not a full date: write DD/MM/YYYY"
		}
		v = d.String()
	case kindNumber:
		for _, r := range v {
			if r < '0' || r > '9' {
				return v, "is not a whole number"
			}
		}
		v = strings.TrimLeft(v, "0")
		if v == "" {
			v = "0"
		}
	case kindBool:
		switch strings.ToLower(fold(v)) {
		case "1", "co", "true", "yes":
			v = "1"
		case "0", "khong", "false", "no":
			v = "0"
		default:
			return v, "is not 1 (có) or 0 (không)"
		}
	}
	if s.max > 0 && utf8.RuneCountInString(v) > s.max {
		return v, fmt.Sprintf("is longer than the %d characters the circular allows", s.max)
	}
	return v, ""
}

func codeList(t Table) string {
	if len(t.Codes) > 12 {
		return fmt.Sprintf("01 %s … %s %s", t.Codes[0].Name, t.Codes[len(t.Codes)-1].Code, t.Codes[len(t.Codes)-1].Name)
	}
	parts := make([]string, len(t.Codes))
	for i, c := range t.Codes {
		parts[i] = c.Code + " " + c.Name
	}
	return strings.Join(parts, ", ")
}
