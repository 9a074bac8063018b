package docmeta

import (
	"image"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr"
)

func TestParseNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in                  string
		text, seq, year, notation string
		code                      string
		repaired, wantOK          bool
	}{
		{"Normative", "57/2025/NQ-HĐND", "57/2025/NQ-HĐND", "57", "2025", "NQ-HĐND", "NQ", false, true},
		{"Administrative", "1234/QĐ-UBND", "1234/QĐ-UBND", "1234", "", "QĐ-UBND", "QĐ", false, true},
		{"Letter", "05/UBND-TNMT", "05/UBND-TNMT", "05", "", "UBND-TNMT", "UBND", false, true},
		{"MinistryLetter", "05/BNV-VP", "05/BNV-VP", "05", "", "BNV-VP", "BNV", false, true},
		{"SpacesFromOCR", "57 / 2025/NQ - HĐND", "57/2025/NQ-HĐND", "57", "2025", "NQ-HĐND", "NQ", false, true},
		{"DWithoutStrokeKept", "57/2025/NQ-HDND", "57/2025/NQ-HDND", "57", "2025", "NQ-HDND", "NQ", false, true},
		{"EthForĐ", "15/2024/QÐ-UBND", "15/2024/QĐ-UBND", "15", "2024", "QĐ-UBND", "QĐ", true, true},
		{"LetterIForOne", "I563/KH-SVHTTDL", "1563/KH-SVHTTDL", "1563", "", "KH-SVHTTDL", "KH", true, true},
		{"LetterOInYear", "15/2O24/QĐ-UBND", "15/2024/QĐ-UBND", "15", "2024", "QĐ-UBND", "QĐ", true, true},
		{"EnDash", "15/2024/QĐ–UBND", "15/2024/QĐ-UBND", "15", "2024", "QĐ-UBND", "QĐ", true, true},
		{"SpeckAsForeignLetter", "18/ÑNQ-HĐND", "18/NQ-HĐND", "18", "", "NQ-HĐND", "NQ", true, true},
		{"SlashLost", "I8NQ-HĐND", "18/NQ-HĐND", "18", "", "NQ-HĐND", "NQ", true, true},
		{"SlashLostBeforeBC", "15BC-UBND", "15/BC-UBND", "15", "", "BC-UBND", "BC", true, true},
		{"SlashLostLetterNotRepaired", "05UBND-TNMT", "", "", "", "", "", false, false},
		{"TrailingDot", "98/TTr-SNNPTNT.", "98/TTr-SNNPTNT", "98", "", "TTr-SNNPTNT", "TTr", false, true},
		{"OlderForm", "15-CT/TU", "15-CT/TU", "15", "", "CT/TU", "CT", false, true},
		{"PartyLetter", "14514-CV/VPTW", "14514-CV/VPTW", "14514", "", "CV/VPTW", "CV", false, true},
		{"NoNotation", "57/2025", "", "", "", "", "", false, false},
		{"Words", "Quảng Ninh", "", "", "", "", "", false, false},
		{"Empty", "", "", "", "", "", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseNumber(tt.in)
			if ok != tt.wantOK {
				t.Fatalf("parseNumber(%q) ok = %v, want %v", tt.in, ok, tt.wantOK)
			}
			want := number{text: tt.text, seq: tt.seq, year: tt.year, notation: tt.notation, code: tt.code, repaired: tt.repaired}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(number{})); diff != "" {
				t.Errorf("parseNumber(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestCutSo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tok, rest string
		ok        bool
	}{
		{"Số:", "", true},
		{"SỐ:", "", true},
		{"So:", "", true},
		{"S6:", "", true},
		{"Sô:", "", true},
		{"Số", "", true},
		{"Số:15/QĐ-UBND", "15/QĐ-UBND", true},
		{"Sở", "", false}, // a department
		{"SỞ", "", false},
		{"song", "", false},
		{"Sao", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.tok, func(t *testing.T) {
			t.Parallel()
			rest, ok := cutSo(tt.tok)
			if rest != tt.rest || ok != tt.ok {
				t.Errorf("cutSo(%q) = %q, %v; want %q, %v", tt.tok, rest, ok, tt.rest, tt.ok)
			}
		})
	}
}

func words(s string) []word {
	var ws []word
	x := 0
	for _, f := range strings.Fields(s) {
		ws = append(ws, word{text: f, box: image.Rect(x, 0, x+10*len(f), 40), conf: 0.9})
		x += 10*len(f) + 10
	}
	return ws
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, iso, place string
		clean                bool // read without any repair or deviation
	}{
		{"Clean", "Quảng Ninh, ngày 05 tháng 3 năm 2025", "2025-03-05", "Quảng Ninh", true},
		{"PaddedJanuary", "Hà Nội, ngày 05 tháng 01 năm 2020", "2020-01-05", "Hà Nội", true},
		{"NoDiacritics", "Quang Ninh, ngay 5 thang 3 nam 2025", "2025-03-05", "Quảng Ninh", false},
		{"UnpaddedFebruary", "Hạ Long, ngày 20 tháng 2 năm 2024", "2024-02-20", "Hạ Long", false},
		{"PaddedMarch", "Hạ Long, ngày 20 tháng 03 năm 2024", "2024-03-20", "Hạ Long", false},
		{"ItalicSeven", "Tiên Yên, ngày 03 tháng Z7 năm 2023", "2023-07-03", "Tiên Yên", false},
		{"LoneZ", "Tiên Yên, ngày 03 tháng Z năm 2023", "2023-07-03", "Tiên Yên", false},
		{"OForZero", "Vân Đồn, ngày O8 tháng 12 năm 2O22", "2022-12-08", "Vân Đồn", false},
		{"KeywordMisread", "Vân Đồn, ngav 08 thang 12 nam 2022", "2022-12-08", "Vân Đồn", false},
		{"RunTogether", "Vân Đồn, ngày08 tháng12 năm2022", "2022-12-08", "Vân Đồn", true},
		{"TrailingDot", "Cẩm Phả, ngày 17 tháng 12 năm 2021.", "2021-12-17", "Cẩm Phả", true},
		{"UnknownPlaceKept", "Xã Đồng Rui, ngày 17 tháng 12 năm 2021", "2021-12-17", "Xã Đồng Rui", true},
		{"SpeckBeforePlace", "| Hạ Long, ngày 20 tháng 02 năm 2024", "2024-02-20", "Hạ Long", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, ok := parseDate(words(tt.in))
			if !ok {
				t.Fatalf("parseDate(%q) found nothing", tt.in)
			}
			place, _ := placeText(d.place)
			if d.iso != tt.iso || place != tt.place {
				t.Errorf("parseDate(%q) = %q, %q; want %q, %q", tt.in, d.iso, place, tt.iso, tt.place)
			}
			if (d.quality == 1) != tt.clean {
				t.Errorf("parseDate(%q) quality = %v, want 1 only for a clean line", tt.in, d.quality)
			}
		})
	}
	for _, in := range []string{
		"Quảng Ninh, ngày 31 tháng 4 năm 2025", // no 31 April
		"Quảng Ninh, ngày 05 tháng 13 năm 2025",
		"Quảng Ninh, ngày 05 tháng 3 năm 1850",
		"Quảng Ninh, ngày tháng năm 2025", // left blank to fill in by hand
		"quý I năm 2026",
	} {
		if d, ok := parseDate(words(in)); ok {
			t.Errorf("parseDate(%q) = %q, want nothing", in, d.iso)
		}
	}
}

func TestStripLead(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"V/v tăng cường quản lý", "tăng cường quản lý"},
		{"V/V tăng cường quản lý", "tăng cường quản lý"},
		{"V.v tăng cường quản lý", "tăng cường quản lý"},
		{"V.v. tăng cường quản lý", "tăng cường quản lý"},
		{"V/v: tăng cường quản lý", "tăng cường quản lý"},
		{"Vv tăng cường quản lý", "tăng cường quản lý"},
		{"V\\v tăng cường quản lý", "tăng cường quản lý"},
		{"V/vtăng cường quản lý", "tăng cường quản lý"},
		{"Về việc thông qua danh mục", "thông qua danh mục"},
		{"Về việc: thông qua danh mục", "thông qua danh mục"},
		{"Ve viec thong qua danh muc", "thong qua danh muc"},
		{"Vê viêc thông qua danh mục", "thông qua danh mục"},
		{"'Về việc hạn chế lưu thông", "hạn chế lưu thông"},
		{"Về tăng cường công tác", "Về tăng cường công tác"}, // "Về" alone is part of the subject
		{"Vận hành hệ thống", "Vận hành hệ thống"},
		{"Ban hành Quy định", "Ban hành Quy định"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got, _ := stripLead(tt.in); got != tt.want {
				t.Errorf("stripLead(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitMerged(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"QUẢNGNINH", "QUẢNG NINH"},
		{"PHỐHẠLONG", "PHỐ HẠ LONG"},
		{"QUẢNG", "QUẢNG"},
		{"UBND", "UBND"},
		{"SGDĐT", "SGDĐT"},
		{"HĐND", "HĐND"},
		{"Quảngninh", "Quảngninh"}, // not capitals: not an issuer word
		{"NHÂNDÂN,", "NHÂN DÂN,"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := splitMerged(tt.in); got != tt.want {
				t.Errorf("splitMerged(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMatchTitle(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"QUYẾT ĐỊNH", "quyết định"},
		{"QUYET DINH", "quyết định"},
		{"QUYẾT ĐỊNH:", "quyết định"},
		{"QUY ĐỊNH", "quy định"},
		{"KẾHOẠCH", "kế hoạch"},
		{"TỜ TRÌNH", "tờ trình"},
		{"TO TRINH", "tờ trình"},
		{"GIẤY MỜI", "giấy mời"},
		{"BẢN THỎA THUẬN", "bản thỏa thuận"},
		{"BẢN THOẢ THUẬN", "bản thỏa thuận"},
		{"CHƯƠNG TRÌNH", "chương trình"},
		{"CHƯƠNG HAI", ""},
		{"ỦY BAN NHÂN DÂN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := ""
			if ms := matchTitle(tt.in, 0.75); len(ms) > 0 {
				got = ms[0].t.Name
			}
			if got != tt.want {
				t.Errorf("matchTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTypes(t *testing.T) {
	t.Parallel()
	codes := map[string]bool{}
	for _, ty := range Types() {
		if ty.Name != strings.ToLower(ty.Name) {
			t.Errorf("type %q is not lower case", ty.Name)
		}
		if ty.Code != "" && codes[ty.Code] {
			t.Errorf("code %q twice", ty.Code)
		}
		codes[ty.Code] = true
	}
	if len(Types()) != 28 {
		t.Errorf("%d types, want Appendix III's 27 and công văn", len(Types()))
	}
	ts, exact := typesByCode("HD")
	if len(ts) != 2 || ts[0].Name != "hướng dẫn" || ts[1].Name != "hợp đồng" || !exact {
		t.Errorf(`typesByCode("HD") = %v, %v; want hướng dẫn exactly, then hợp đồng`, ts, exact)
	}
	if ts, exact := typesByCode("QD"); len(ts) != 1 || ts[0].Code != "QĐ" || exact {
		t.Errorf(`typesByCode("QD") = %v, %v; want QĐ, not exact`, ts, exact)
	}
	if ts, _ := typesByCode("UBND"); len(ts) != 0 {
		t.Errorf(`typesByCode("UBND") = %v, want none (a công văn's notation)`, ts)
	}
	if ty, ok := TypeByName("Quyet dinh"); !ok || ty.Code != "QĐ" {
		t.Errorf(`TypeByName("Quyet dinh") = %v, %v`, ty, ok)
	}
}

func TestIssuingBody(t *testing.T) {
	t.Parallel()
	tests := []struct{ issuer, parent, body string }{
		{"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH", "", "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH"},
		{"UBND TỈNH QUẢNG NINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND TỈNH QUẢNG NINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"},
		{"UBND TỈNH QUẢNG NINH\nSỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN", "UBND TỈNH QUẢNG NINH", "SỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN"},
		{"ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH\nSỞ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "SỞ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH"},
		{"UBND TỈNH QUẢNG NINH\nBAN QUẢN LÝ VỊNH HẠ LONG", "UBND TỈNH QUẢNG NINH", "BAN QUẢN LÝ VỊNH HẠ LONG"},
		{"BỘ NỘI VỤ", "", "BỘ NỘI VỤ"},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.issuer, "\n", "/"), func(t *testing.T) {
			t.Parallel()
			parent, body := IssuingBody(tt.issuer)
			if parent != tt.parent || body != tt.body {
				t.Errorf("IssuingBody() = %q, %q; want %q, %q", parent, body, tt.parent, tt.body)
			}
		})
	}
}

func TestNationalRecord(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    Metadata
		want NationalRecord
	}{
		{
			"Normative",
			Metadata{
				Issuer: "HỘI ĐỒNG NHÂN DÂN\nTỈNH QUẢNG NINH", Number: "57/2025/NQ-HĐND", Date: "2025-03-05",
				Type: "nghị quyết", TypeCode: "NQ", Subject: "Quy định chính sách", Document: true,
			},
			NationalRecord{
				TypeName: "Nghị quyết", TypeCode: "NQ", CodeNumber: "57", CodeNotation: "2025/NQ-HĐND",
				IssuedDate: "2025-03-05", OrganName: "HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NINH",
				Subject: "Quy định chính sách", NumberOfPage: 3, Language: "vi",
			},
		},
		{
			"Letter",
			Metadata{
				Issuer: "UBND TỈNH QUẢNG NINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO", Number: "1275/SGDĐT-KHTC", Date: "2024-08-06",
				Type: "công văn", Subject: "chuẩn bị cơ sở vật chất", Document: true,
			},
			NationalRecord{
				TypeName: "Công văn", CodeNumber: "1275", CodeNotation: "SGDĐT-KHTC",
				IssuedDate: "2024-08-06", OrganName: "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
				Subject: "chuẩn bị cơ sở vật chất", NumberOfPage: 3, Language: "vi",
			},
		},
		{
			"OlderForm",
			Metadata{Number: "15-CT/TU", Type: "chỉ thị", TypeCode: "CT", Document: true},
			NationalRecord{TypeName: "Chỉ thị", TypeCode: "CT", CodeNumber: "15", CodeNotation: "CT/TU", NumberOfPage: 3, Language: "vi"},
		},
		{
			"NotADocument",
			Metadata{Confidence: Confidence{Document: 0.2}},
			NationalRecord{NumberOfPage: 3, Language: "vi"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.m.NationalRecord(3, "vi")); diff != "" {
				t.Errorf("NationalRecord() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVRow(t *testing.T) {
	t.Parallel()
	m := decisionWant
	m.Flags = []string{FlagClassified, FlagTopSecret}
	m.Confidence = Confidence{Number: 0.861, Document: 1}
	m.Review = []string{"number", "date"}
	m.Reasons = map[string]string{"date": ReasonHandwritten, "number": ReasonHandwritten}
	m.Printed = map[string]string{"date": "2024-05"}
	m.ReceivedNumber, m.Copy = "2352", &Copy{Kind: "sao y", Number: "05/SY-VP"}
	row := m.CSVRow(2, "vi")
	header := CSVHeader()
	if len(row) != len(header) {
		t.Fatalf("%d cells for %d columns", len(row), len(header))
	}
	got := map[string]string{}
	for i, h := range header {
		if _, dup := got[h]; dup {
			t.Errorf("column %q twice", h)
		}
		got[h] = row[i]
	}
	want := map[string]string{
		"document": "true", "number": "15/2024/QĐ-UBND", "type_code": "QĐ",
		"flags": "classified;top-secret", "conf_number": "0.86", "conf_document": "1.00",
		"national_codeNumber": "15", "national_codeNotation": "2024/QĐ-UBND",
		"national_typeName": "Quyết định", "national_numberOfPage": "2", "national_language": "vi",
		"issuer": "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH",
		"review": "number;date", "reasons": "number:handwritten;date:handwritten", "printed": "date:2024-05",
		"received_number": "2352", "copy_kind": "sao y", "copy_number": "05/SY-VP", "copy_date": "",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("column %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestAddStamps(t *testing.T) {
	t.Parallel()
	line := func(text string) *ocr.Page {
		var ws []ocr.Word
		for i, f := range strings.Fields(text) {
			ws = append(ws, ocr.Word{Text: f, BBox: image.Rect(100*i, 0, 100*i+80, 50), Conf: 88})
		}
		return &ocr.Page{Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{Words: ws}}}}}}}
	}
	tests := []struct {
		name, text       string
		secrecy, urgency string
		flags            []string
	}{
		{"Secret", "MẬT", "MẬT", "", []string{FlagClassified}},
		{"FramedTopSecret", "| TUYỆT MẬT ]", "TUYỆT MẬT", "", []string{FlagClassified, FlagTopSecret}},
		{"UrgentWithoutDiacritics", "KHAN", "", "KHẨN", nil},
		{"Both", "TỐI MẬT THƯỢNG KHẨN", "TỐI MẬT", "THƯỢNG KHẨN", []string{FlagClassified}},
		{"Garbage", "SỐ ãaãẽãẽãẽ.ẽ..", "", "", nil},
		{"LowerCaseWord", "mặt", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := letterWant
			m.AddStamps(line(tt.text))
			if m.Secrecy != tt.secrecy || m.Urgency != tt.urgency || !cmp.Equal(m.Flags, tt.flags) {
				t.Errorf("AddStamps(%q) = %q, %q, %v; want %q, %q, %v", tt.text, m.Secrecy, m.Urgency, m.Flags, tt.secrecy, tt.urgency, tt.flags)
			}
			if (m.Secrecy != "") != (m.Confidence.Secrecy > 0) || (m.Urgency != "") != (m.Confidence.Urgency > 0) {
				t.Errorf("confidences %+v do not follow the marks", m.Confidence)
			}
		})
	}
	var nondoc Metadata
	nondoc.AddStamps(line("TUYỆT MẬT"))
	if nondoc.Secrecy != "" {
		t.Errorf("AddStamps on a non-document set %q", nondoc.Secrecy)
	}
}

func TestStampRegion(t *testing.T) {
	t.Parallel()
	h := letter()
	p := pageOf(h.lines(), true, 0)
	got, ok := StampRegion(p)
	if !ok {
		t.Fatal("StampRegion() found no region")
	}
	// Under the V/v lines, in the left column, above the body.
	if got.Min.Y < 560 || got.Max.Y > 900 || got.Min.X > 450 || got.Max.X > 1400 || got.Dy() < textH {
		t.Errorf("StampRegion() = %v, want the left column under the subject", got)
	}
	if _, ok := StampRegion(pageOf(header{title: "CHƯƠNG HAI", noMotto: true, body: someBody}.lines(), false, 0)); ok {
		t.Error("StampRegion() of a non-document found a region")
	}
}
