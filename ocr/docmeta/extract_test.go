package docmeta

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var decisionIssuer = []string{"ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"}

// decision is a clean quyết định header; cases damage copies of it.
func decision() header {
	return header{
		issuer:  decisionIssuer,
		number:  "Số: 15/2024/QĐ-UBND",
		date:    "Quảng Ninh, ngày 31 tháng 5 năm 2024",
		title:   "QUYẾT ĐỊNH",
		subject: []string{"Ban hành Quy định quản lý, vận hành hệ thống", "chiếu sáng công cộng trên địa bàn tỉnh Quảng Ninh"},
		body:    someBody,
	}
}

var decisionWant = Metadata{
	Issuer:   "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH",
	Number:   "15/2024/QĐ-UBND",
	Date:     "2024-05-31",
	Place:    "Quảng Ninh",
	Type:     "quyết định",
	TypeCode: "QĐ",
	Subject:  "Ban hành Quy định quản lý, vận hành hệ thống chiếu sáng công cộng trên địa bàn tỉnh Quảng Ninh",
	Document: true,
}

// letter is a clean công văn header.
func letter() header {
	return header{
		issuer: []string{"UBND TỈNH QUẢNG NINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"},
		number: "Số: 1275/SGDĐT-KHTC",
		vv:     []string{"V/v chuẩn bị cơ sở vật chất, thiết bị", "dạy học cho năm học 2024 - 2025"},
		date:   "Quảng Ninh, ngày 06 tháng 8 năm 2024",
		body:   letterBody,
	}
}

var letterWant = Metadata{
	Issuer:   "UBND TỈNH QUẢNG NINH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO",
	Number:   "1275/SGDĐT-KHTC",
	Date:     "2024-08-06",
	Place:    "Quảng Ninh",
	Type:     "công văn",
	Subject:  "chuẩn bị cơ sở vật chất, thiết bị dạy học cho năm học 2024 - 2025",
	Document: true,
}

// with returns a copy of want changed by f.
func with(want Metadata, f func(*Metadata)) Metadata {
	f(&want)
	return want
}

func TestExtract(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		header func() header
		want   Metadata
	}{
		{"CleanDecision", decision, decisionWant},
		{"CleanLetter", letter, letterWant},
		{
			"NoDiacritics",
			func() header {
				h := decision()
				h.issuer = []string{"UY BAN NHAN DAN", "TINH QUANG NINH"}
				h.number = "So: 15/2024/QD-UBND"
				h.motto1, h.motto2 = "CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc"
				h.date = "Quang Ninh, ngay 31 thang 5 nam 2024"
				h.title = "QUYET DINH"
				h.subject = []string{"Ve viec phe duyet Ke hoach bao ve moi", "truong Vinh Ha Long giai doan 2023 - 2025"}
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Issuer = "UY BAN NHAN DAN\nTINH QUANG NINH"
				m.Number = "15/2024/QD-UBND" // Đ/D as read
				m.Subject = "phe duyet Ke hoach bao ve moi truong Vinh Ha Long giai doan 2023 - 2025"
			}),
		},
		{
			"WrongDiacritics",
			func() header {
				h := decision()
				h.date = "Quảng Ninh, ngảy 31 thăng 5 nấm 2024"
				h.title = "QUYÊT ĐINH"
				h.subject = []string{"Vê viêc ban hành Quy định quản lý, vận hành hệ thống", "chiếu sáng công cộng trên địa bàn tỉnh Quảng Ninh"}
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Subject = "ban hành Quy định quản lý, vận hành hệ thống chiếu sáng công cộng trên địa bàn tỉnh Quảng Ninh"
			}),
		},
		{
			"LabelS6",
			func() header { h := decision(); h.number = "S6: 15/2024/QĐ-UBND"; return h },
			decisionWant,
		},
		{
			"LabelSoCircumflex",
			func() header { h := decision(); h.number = "Sô: 15/2024/QĐ-UBND"; return h },
			decisionWant,
		},
		{
			"LabelCapitals",
			func() header { h := decision(); h.number = "SỐ: 15/2024/QĐ-UBND"; return h },
			decisionWant,
		},
		{
			"LabelJoinedToNumber",
			func() header { h := decision(); h.number = "Số:15/2024/QĐ-UBND"; return h },
			decisionWant,
		},
		{
			"NumberSplitAtSlashAndDash",
			func() header { h := decision(); h.number = "Số: 15 / 2024/QĐ - UBND"; return h },
			decisionWant,
		},
		{
			"NumberSplitInsideNotation",
			func() header { h := decision(); h.number = "Số: 15/2024/QĐ-UB ND"; return h },
			decisionWant,
		},
		{
			"NumberWithEthAndDigitMisread",
			func() header { h := decision(); h.number = "Số: I5/2024/QÐ–UBND"; return h },
			decisionWant,
		},
		{
			"ItalicSevenReadZ7",
			func() header {
				h := decision()
				h.date = "Tiên Yên, ngày 03 tháng Z7 năm 2023"
				h.number = "Số: 245/QĐ-UBND"
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Number, m.Date, m.Place = "245/QĐ-UBND", "2023-07-03", "Tiên Yên"
			}),
		},
		{
			"UnpaddedDayPaddedMonth",
			func() header { h := decision(); h.date = "Quảng Ninh, ngay 5 thang 03 nam 2024"; return h },
			with(decisionWant, func(m *Metadata) { m.Date = "2024-03-05" }),
		},
		{
			"DateWordsRunTogether",
			func() header { h := decision(); h.date = "Quảng Ninh, ngày05 tháng3 năm2024"; return h },
			with(decisionWant, func(m *Metadata) { m.Date = "2024-03-05" }),
		},
		{
			"DateWithoutNgay",
			func() header { h := decision(); h.date = "Quảng Ninh, 05 tháng 3 năm 2024"; return h },
			with(decisionWant, func(m *Metadata) { m.Date = "2024-03-05" }),
		},
		{
			"MergedWords",
			func() header {
				h := decision()
				h.issuer = []string{"UBND TỈNH QUẢNGNINH", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"}
				h.number = "Số: 1563/KH-SKHĐT"
				h.title = "KẾHOẠCH"
				h.subject = []string{"Tổ chức Hội nghị xúc tiến đầu tư"}
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Issuer = "UBND TỈNH QUẢNG NINH\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ"
				m.Number, m.Type, m.TypeCode = "1563/KH-SKHĐT", "kế hoạch", "KH"
				m.Subject = "Tổ chức Hội nghị xúc tiến đầu tư"
			}),
		},
		{
			"ThreeLineIssuer",
			func() header {
				h := decision()
				h.issuer = []string{"UBND TỈNH QUẢNG NINH", "SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN"}
				h.number = "Số: 98/TTr-SNNPTNT"
				h.title = "TỜ TRÌNH"
				h.subject = []string{"Về việc đề nghị phê duyệt dự toán kinh phí"}
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Issuer = "UBND TỈNH QUẢNG NINH\nSỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN"
				m.Number, m.Type, m.TypeCode = "98/TTr-SNNPTNT", "tờ trình", "TTr"
				m.Subject = "đề nghị phê duyệt dự toán kinh phí"
			}),
		},
		{
			"LetterVvCapital",
			func() header {
				h := letter()
				h.vv[0] = "V/V chuẩn bị cơ sở vật chất, thiết bị"
				return h
			},
			letterWant,
		},
		{
			"LetterVvDot",
			func() header {
				h := letter()
				h.vv[0] = "V.v chuẩn bị cơ sở vật chất, thiết bị"
				return h
			},
			letterWant,
		},
		{
			"LetterVvColon",
			func() header {
				h := letter()
				h.vv[0] = "V/v: chuẩn bị cơ sở vật chất, thiết bị"
				return h
			},
			letterWant,
		},
		{
			"LetterVvMerged",
			func() header {
				h := letter()
				h.vv[0] = "V/vchuẩn bị cơ sở vật chất, thiết bị"
				return h
			},
			letterWant,
		},
		{
			"LetterVvLost",
			func() header { h := letter(); h.vv[0] = "chuẩn bị cơ sở vật chất, thiết bị"; return h },
			letterWant,
		},
		{
			"LetterUrgent",
			func() header { h := letter(); h.mark = "KHẨN"; return h },
			with(letterWant, func(m *Metadata) { m.Urgency = "KHẨN" }),
		},
		{
			"LetterFlashUrgentNoDiacritics",
			func() header { h := letter(); h.mark = "HOA TOC"; return h },
			with(letterWant, func(m *Metadata) { m.Urgency = "HỎA TỐC" }),
		},
		{
			"LetterSecret",
			func() header { h := letter(); h.mark = "MẬT"; return h },
			with(letterWant, func(m *Metadata) { m.Secrecy, m.Flags = "MẬT", []string{FlagClassified} }),
		},
		{
			"TopSecret",
			func() header { h := letter(); h.mark = "TUYỆT MẬT"; return h },
			with(letterWant, func(m *Metadata) {
				m.Secrecy, m.Flags = "TUYỆT MẬT", []string{FlagClassified, FlagTopSecret}
			}),
		},
		{
			"TopSecretDamaged",
			func() header { h := letter(); h.mark = "TUYÊT MÂT"; return h },
			with(letterWant, func(m *Metadata) {
				m.Secrecy, m.Flags = "TUYỆT MẬT", []string{FlagClassified, FlagTopSecret}
			}),
		},
		{
			"TypeFromNumberTitleLost",
			func() header {
				h := decision()
				h.number = "Số: 12/CT-UBND"
				h.title = ""
				h.subject = nil
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Number, m.Type, m.TypeCode, m.Subject = "12/CT-UBND", "chỉ thị", "CT", ""
				m.Review, m.Reasons = []string{"subject"}, map[string]string{"subject": ReasonMissing}
			}),
		},
		{
			"TitleAndNumberDisagree",
			func() header { h := decision(); h.number = "Số: 15/2024/TB-UBND"; return h },
			with(decisionWant, func(m *Metadata) {
				m.Number, m.Flags = "15/2024/TB-UBND", []string{FlagTypeMismatch}
				m.Review, m.Reasons = []string{"type"}, map[string]string{"type": ReasonConflict}
			}),
		},
		{
			"DamagedTitleLosesToNumber",
			func() header {
				h := decision()
				h.number = "Số: 15/2024/QĐ-UBND"
				h.title = "QUY ĐINH" // quy định, or quyết định with its ẾT lost
				return h
			},
			decisionWant,
		},
		{
			"YearMismatch",
			func() header { h := decision(); h.number = "Số: 15/2023/QĐ-UBND"; return h },
			with(decisionWant, func(m *Metadata) {
				m.Number, m.Flags = "15/2023/QĐ-UBND", []string{FlagYearMismatch}
				m.Review, m.Reasons = []string{"number", "date"}, map[string]string{"number": ReasonConflict, "date": ReasonConflict}
			}),
		},
		{
			"DateInFuture",
			func() header {
				h := decision()
				h.number = "Số: 15/QĐ-UBND"
				h.date = "Quảng Ninh, ngày 31 tháng 5 năm 2099"
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Number, m.Date, m.Flags = "15/QĐ-UBND", "2099-05-31", []string{FlagDateInFuture}
				m.Review, m.Reasons = []string{"date"}, map[string]string{"date": ReasonConflict}
			}),
		},
		{
			"ContractReadWithoutStroke",
			func() header {
				h := decision()
				h.number = "Số: 05/2024/HD-UBND"
				h.title = "HỢP ĐỒNG"
				h.subject = []string{"Về việc thuê dịch vụ vệ sinh môi trường"}
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Number, m.Type, m.TypeCode = "05/2024/HD-UBND", "hợp đồng", "HĐ"
				m.Subject = "thuê dịch vụ vệ sinh môi trường"
			}),
		},
		{
			"OlderNumberForm",
			func() header {
				h := decision()
				h.number = "Số: 15-CT/TU"
				h.title = "CHỈ THỊ"
				h.subject = []string{"Về tăng cường công tác phòng, chống thiên tai"}
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Number, m.Type, m.TypeCode = "15-CT/TU", "chỉ thị", "CT"
				m.Subject = "Về tăng cường công tác phòng, chống thiên tai"
			}),
		},
		{
			"MottoLost",
			func() header { h := decision(); h.noMotto = true; return h },
			decisionWant,
		},
		{
			"LongParentBodyName",
			func() header {
				h := decision()
				h.issuer = []string{"ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"}
				return h
			},
			with(decisionWant, func(m *Metadata) {
				m.Issuer = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH\nSỞ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH"
			}),
		},
	}
	for _, tt := range tests {
		for _, v := range []struct {
			name  string
			merge bool
			skew  float64
		}{{"Columns", false, 0}, {"MergedRows", true, 0}, {"Skewed", false, 1.5}, {"MergedRowsSkewedBack", true, -1.2}} {
			t.Run(tt.name+"/"+v.name, func(t *testing.T) {
				t.Parallel()
				got := Extract(pageOf(tt.header().lines(), v.merge, v.skew))
				checkConfidence(t, got)
				got.Confidence = Confidence{}
				// Where the fields were read and what else was used are
				// tested on their own (TestBoxes, TestEvidence).
				got.Boxes, got.Evidence, got.Notation = nil, nil, ""
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Extract() mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// checkConfidence checks that every confidence is in 0..1, and is 0
// exactly for the fields not found.
func checkConfidence(t *testing.T, m Metadata) {
	t.Helper()
	fields := map[string]struct {
		value string
		conf  float64
	}{
		"issuer": {m.Issuer, m.Confidence.Issuer}, "number": {m.Number, m.Confidence.Number},
		"date": {m.Date, m.Confidence.Date}, "place": {m.Place, m.Confidence.Place},
		"type": {m.Type, m.Confidence.Type}, "subject": {m.Subject, m.Confidence.Subject},
		"secrecy": {m.Secrecy, m.Confidence.Secrecy}, "urgency": {m.Urgency, m.Confidence.Urgency},
	}
	for name, f := range fields {
		if f.conf < 0 || f.conf > 1 {
			t.Errorf("confidence of %s = %v, want 0..1", name, f.conf)
		}
		if (f.value == "") != (f.conf == 0) {
			t.Errorf("%s = %q with confidence %v: want 0 exactly when empty", name, f.value, f.conf)
		}
	}
	if c := m.Confidence.Document; c < 0 || c > 1 {
		t.Errorf("document confidence = %v, want 0..1", c)
	}
}

// Damage lowers confidence: the same page read worse is less sure.
func TestExtractConfidenceFollowsDamage(t *testing.T) {
	t.Parallel()
	clean := Extract(pageOf(decision().lines(), false, 0))
	tests := []struct {
		name   string
		damage func(*header)
		field  func(Confidence) float64
	}{
		{"NumberSplit", func(h *header) { h.number = "Số: 15 / 2024/QĐ - UBND" }, func(c Confidence) float64 { return c.Number }},
		{"NumberWithoutLabel", func(h *header) { h.number = "15/2024/QĐ-UBND" }, func(c Confidence) float64 { return c.Number }},
		{"DateZ7", func(h *header) { h.date = "Quảng Ninh, ngày 31 tháng Z5 năm 2024" }, func(c Confidence) float64 { return c.Date }},
		{"DateKeywordMisread", func(h *header) { h.date = "Quảng Ninh, ngày 31 thág 5 năm 2024" }, func(c Confidence) float64 { return c.Date }},
		{"PlaceUnknown", func(h *header) { h.date = "Quang Ninb, ngày 31 tháng 5 năm 2024" }, func(c Confidence) float64 { return c.Place }},
		{"TypeFromNumberOnly", func(h *header) { h.title = "" }, func(c Confidence) float64 { return c.Type }},
		{"MottoLost", func(h *header) { h.noMotto = true }, func(c Confidence) float64 { return c.Document }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := decision()
			tt.damage(&h)
			got := Extract(pageOf(h.lines(), false, 0))
			if c, want := tt.field(got.Confidence), tt.field(clean.Confidence); c <= 0 || c >= want {
				t.Errorf("confidence %v, want above 0 and below the clean page's %v", c, want)
			}
		})
	}
}

// Pages that are not administrative documents get nothing.
func TestExtractNotADocument(t *testing.T) {
	t.Parallel()
	prose := []string{
		"Những buổi sáng cuối thu, mặt vịnh Bái Tử Long phẳng lặng như một tấm",
		"gương khổng lồ. Từ bến Cái Rồng nhìn ra, hàng trăm hòn đảo đá vôi nhấp nhô, lúc",
		"ẩn lúc hiện trong làn sương mỏng. Ngày 05 tháng 3 năm 2025, ông Sáu kể rằng",
		"số 12/2020 của tạp chí đã in bài này. Quyết định của ông là ở lại làng chài.",
	}
	tests := []struct {
		name  string
		lines []pline
	}{
		{"Empty", nil},
		{"Prose", header{title: "CHƯƠNG HAI", noMotto: true, body: prose}.lines()},
		{
			"Table",
			[]pline{
				{text: "Bảng 3. Diện tích rừng trồng mới phân theo địa phương", x: titleCentre, y: 248, centred: true},
				{text: "TT Địa phương 2023 2024 2025 Ước 2026", x: 398, y: 535},
				{text: "1 Hạ Long 412,5 398,0 405,2 410,0", x: 423, y: 631},
				{text: "2 Cẩm Phả 356,8 371,4 362,9 380,0", x: 423, y: 722},
			},
		},
		{
			// A date line alone is not a document.
			"DateLineOnly",
			header{date: "Quảng Ninh, ngày 05 tháng 3 năm 2025", noMotto: true, body: prose}.lines(),
		},
		{
			// A title-like word alone is not a document either.
			"TitleOnly",
			header{title: "THÔNG BÁO", noMotto: true, body: prose}.lines(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Extract(pageOf(tt.lines, false, 0))
			if got.Confidence.Document >= 0.4 {
				t.Errorf("document confidence = %v, want below 0.4", got.Confidence.Document)
			}
			got.Confidence.Document = 0
			if !reflect.ValueOf(got).IsZero() {
				t.Errorf("Extract() = %+v, want nothing", got)
			}
		})
	}
	if got := Extract(nil); !reflect.ValueOf(got).IsZero() {
		t.Errorf("Extract(nil) = %+v, want nothing", got)
	}
}
