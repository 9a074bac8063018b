package tt05aip

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Code is one value of a code table: the two-digit code written into the
// package and its name as the circular gives it.
type Code struct {
	Code string
	Name string
}

// Table is the code table of one field.
type Table struct {
	// Field is the field's name in the package: "typeName", "language".
	Field string
	// Codes in the circular's order.
	Codes []Code
	// aliases are other spellings a reader or an archivist may use for a
	// code, compared folded like the names ("vie" and "vi" for 01).
	aliases map[string]string
}

// The code tables of Thông tư 05/2025/TT-BNV as the issue lists them
// (from the public summaries of its annexes; docs/archive-package.md).
// This is the one place they are held.
var tables = []Table{
	{Field: FieldTypeName, Codes: []Code{
		{"01", "Nghị quyết"}, {"02", "Quyết định"}, {"03", "Chỉ thị"}, {"04", "Quy chế"},
		{"05", "Quy định"}, {"06", "Thông cáo"}, {"07", "Thông báo"}, {"08", "Hướng dẫn"},
		{"09", "Chương trình"}, {"10", "Kế hoạch"}, {"11", "Phương án"}, {"12", "Đề án"},
		{"13", "Dự án"}, {"14", "Báo cáo"}, {"15", "Tờ trình"}, {"16", "Giấy ủy quyền"},
		{"17", "Phiếu gửi"}, {"18", "Phiếu chuyển"}, {"19", "Phiếu báo"}, {"20", "Biên bản"},
		{"21", "Hợp đồng"}, {"22", "Công văn"}, {"23", "Công điện"}, {"24", "Bản ghi nhớ"},
		{"25", "Bản thỏa thuận"}, {"26", "Giấy mời"}, {"27", "Giấy giới thiệu"}, {"28", "Giấy nghỉ phép"},
		{"29", "Thư công"}, {"30", "Bản đồ"}, {"31", "Bản vẽ kỹ thuật"}, {"32", "Khác"},
	}},
	{Field: FieldLanguage, Codes: []Code{
		{"01", "Tiếng Việt"}, {"02", "Tiếng Anh"}, {"03", "Tiếng Pháp"}, {"04", "Tiếng Nga"},
		{"05", "Tiếng Trung"}, {"06", "Việt – Anh"}, {"07", "Việt – Nga"}, {"08", "Việt – Pháp"},
		{"09", "Hán Nôm"}, {"10", "Việt – Trung"}, {"11", "Khác"},
	}, aliases: map[string]string{
		// ISO 639-1 and -2 codes (Tesseract's names are the -2 ones) and
		// the names without "Tiếng".
		"vi": "01", "vie": "01", "viet": "01", "tieng viet nam": "01",
		"en": "02", "eng": "02", "anh": "02",
		"fr": "03", "fra": "03", "fre": "03", "phap": "03",
		"ru": "04", "rus": "04", "nga": "04",
		"zh": "05", "zho": "05", "chi": "05", "chi_sim": "05", "chi_tra": "05", "trung": "05", "tieng hoa": "05",
		"viet anh": "06", "viet nga": "07", "viet phap": "08", "viet trung": "10",
		"han nom": "09",
	}},
	{Field: FieldMaintenance, Codes: []Code{
		{"01", "Vĩnh viễn"}, {"02", "70 năm"}, {"03", "50 năm"}, {"04", "30 năm"},
		{"05", "20 năm"}, {"06", "10 năm"}, {"07", "Khác"},
	}, aliases: map[string]string{"70": "02", "50": "03", "30": "04", "20": "05", "10": "06"}},
	{Field: FieldMode, Codes: []Code{
		{"01", "Công khai"}, {"02", "Sử dụng có điều kiện"}, {"03", "Mật"},
	}, aliases: map[string]string{"co dieu kien": "02"}},
	{Field: FieldConfidenceLevel, Codes: []Code{
		{"01", "Gốc điện tử"}, {"02", "Số hóa"}, {"03", "Hỗn hợp"},
	}},
	{Field: FieldFormat, Codes: []Code{
		{"01", "Tốt"}, {"02", "Bình thường"}, {"03", "Hỏng"},
	}},
}

// Tables returns the code tables: typeName (01–32), language (01–11),
// maintenance (01–07), mode (01–03), confidenceLevel (01–03) and format,
// the physical state (01–03).
func Tables() []Table {
	out := make([]Table, len(tables))
	for i, t := range tables {
		out[i] = Table{Field: t.Field, Codes: slices.Clone(t.Codes)}
	}
	return out
}

// TableOf returns the code table of a field, if it has one.
func TableOf(field string) (Table, bool) {
	for _, t := range tables {
		if t.Field == field {
			return t, true
		}
	}
	return Table{}, false
}

// Lookup maps what an archivist typed or the farm read to the code: a
// code ("02", or "2"), or a name compared without case, diacritics,
// punctuation and extra spaces ("quyết định", "QUYET DINH", "Công văn",
// "số hoá" as well as "số hóa"). It reports false for anything else:
// nothing is guessed.
func (t Table) Lookup(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(t.Codes) && len(s) <= 2 {
		return t.Codes[n-1].Code, true
	}
	k := fold(s)
	for _, c := range t.Codes {
		if fold(c.Name) == k {
			return c.Code, true
		}
	}
	if c, ok := t.aliases[k]; ok {
		return c, true
	}
	return "", false
}

// Name returns the name of a code ("02" → "Quyết định"), or "" for a code
// the table does not have.
func (t Table) Name(code string) string {
	for _, c := range t.Codes {
		if c.Code == code {
			return c.Name
		}
	}
	return ""
}

// Has reports whether code is one of the table's codes, exactly.
func (t Table) Has(code string) bool { return t.Name(code) != "" }

// TypeCode maps a document type as ocr/docmeta reads it ("quyết định",
// "công văn") to its typeName code ("02", "22").
func TypeCode(docType string) (string, bool) {
	t, _ := TableOf(FieldTypeName)
	return t.Lookup(docType)
}

// fold is the comparison form of a name: lower case, without diacritics
// (đ → d), letters and digits only, words separated by one space:
// "Việt – Anh" → "viet anh", "SỐ HOÁ" → "so hoa".
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case r == '_':
			// kept: Tesseract's "chi_sim"
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
