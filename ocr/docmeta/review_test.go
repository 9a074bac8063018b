package docmeta

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadNumberLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		number   string // num.text
		notation string
		seqText  string
		clean    bool
	}{
		{"Typed", "Số: 15/2024/QĐ-UBND", "15/2024/QĐ-UBND", "2024/QĐ-UBND", "15", true},
		{"LabelJoined", "Số:15/QĐ-UBND", "15/QĐ-UBND", "QĐ-UBND", "15", true},
		{"SplitAtSlash", "Số: 15 / 2024/QĐ - UBND", "15/2024/QĐ-UBND", "2024/QĐ-UBND", "15", true},
		{"BlankFilledIn", "Số: 660 /TB-UBND", "660/TB-UBND", "TB-UBND", "660", true},
		// A handwritten 660 OCR read with a symbol: the symbol is not
		// dropped into "60" as a clean reading.
		{"SymbolInHandwriting", "Số: 6§0 /TB-UBND", "60/TB-UBND", "TB-UBND", "6§0", false},
		{"Unreadable", "Số: # /CT-UBND", "", "CT-UBND", "#", false},
		{"RuleBeforeSlash", "Số: 239 _/TIr-UBND", "239/TIr-UBND", "TIr-UBND", "239 _", true},
		{"LeftBlank", "Số: /TB-UBND", "", "TB-UBND", "", false},
		{"OlderForm", "Số: 15-CT/TU", "15-CT/TU", "CT/TU", "15", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ws := words(tt.in)
			rest, ok := cutSo(ws[0].text)
			if !ok {
				t.Fatalf("no label in %q", tt.in)
			}
			nl, ok := readNumberLine(rest, ws, 0, 40)
			if !ok {
				t.Fatalf("readNumberLine(%q) found nothing", tt.in)
			}
			got := []any{nl.num.text, nl.num.notationText(), nl.seqText, nl.seqClean}
			want := []any{tt.number, tt.notation, tt.seqText, tt.clean}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("readNumberLine(%q) text, notation, seqText, clean (-want +got):\n%s", tt.in, diff)
			}
			if nl.seqZone.Empty() || nl.noteBox.Empty() || nl.seqZone.Max.X > nl.noteBox.Min.X {
				t.Errorf("readNumberLine(%q): zone %v, notation %v: the number proper is not before the notation", tt.in, nl.seqZone, nl.noteBox)
			}
		})
	}
	for _, in := range []string{"Số: Quảng Ninh", "Số: 57/2025", "Số:"} {
		ws := words(in)
		rest, _ := cutSo(ws[0].text)
		if nl, ok := readNumberLine(rest, ws, 0, 40); ok {
			t.Errorf("readNumberLine(%q) = %+v, want nothing", in, nl.num)
		}
	}
}

func TestReadDateLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in     string
		iso, printed string
		dayClean     bool
		dayIn        bool
	}{
		{"Printed", "Quảng Ngãi, ngày 20 tháng 12 năm 2024", "2024-12-20", "2024-12", true, false},
		// Handwritten days as Tesseract read them on real scans.
		{"DayRunIntoKeyword", "Quảng Ngãi, ngày®0 tháng 12 năm 2024", "", "2024-12", false, true},
		{"DayAsSymbols", "Quảng Ngãi, ngày 3⁄| tháng 12 năm 2024", "", "2024-12", false, false},
		{"DayWithSpeck", "Quảng Ngãi, ngày @3 tháng 0I năm 2025", "2025-01-03", "2025-01", false, false},
		{"NoSuchDay", "Quảng Ngãi, ngày 80 tháng 3 năm 2018", "", "2018-03", false, false},
		{"LeftBlank", "Quảng Ninh, ngày tháng năm 2025", "", "2025", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, ok := readDateLine(words(tt.in))
			if !ok {
				t.Fatalf("readDateLine(%q) found no place-date line", tt.in)
			}
			got := []any{d.iso, d.printedPart(), d.dayClean, d.dayIn}
			want := []any{tt.iso, tt.printed, tt.dayClean, tt.dayIn}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("readDateLine(%q) iso, printed, dayClean, dayIn (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestRepairCode(t *testing.T) {
	t.Parallel()
	tr, _ := TypeByName("tờ trình")
	tb, _ := TypeByName("thông báo")
	n, _ := parseNumber("239/TIr-UBND")
	got, ok := repairCode(n, tr)
	if !ok || got.text != "239/TTr-UBND" || got.code != "TTr" {
		t.Errorf("repairCode(239/TIr-UBND, tờ trình) = %q %q, %v; want 239/TTr-UBND", got.text, got.code, ok)
	}
	for _, tc := range []struct {
		num string
		ty  DocType
	}{{"239/TIr-UBND", tb}, {"05/UBND-TNMT", tr}, {"239/TTrr-UBND", tr}} {
		n, _ := parseNumber(tc.num)
		if got, ok := repairCode(n, tc.ty); ok {
			t.Errorf("repairCode(%s, %s) = %q, want no repair", tc.num, tc.ty.Name, got.text)
		}
	}
}

func TestCheckSourceName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, number, want string
	}{
		{"660TBUB.pdf", "660/TB-UBND", ResultAgrees},
		{"239 TTr.signed_20250219_095936.pdf", "239/TTr-UBND", ResultAgrees},
		{"23BC.pdf", "23/BC-UBND", ResultAgrees},
		{"2352 ( 07-CT-UBND).pdf", "7/CT-UBND", ResultAgrees},
		{"23BC.pdf", "22/BC-UBND", ResultConflicts},
		{"scan_0001.pdf", "22/BC-UBND", ""},
		{"660TBUB.pdf", "660/QĐ-UBND", ""},
		{"", "660/TB-UBND", ""},
	}
	for _, tt := range tests {
		n, ok := parseNumber(tt.number)
		if !ok {
			t.Fatalf("parseNumber(%q)", tt.number)
		}
		if got, _ := checkSourceName(tt.name, n); got != tt.want {
			t.Errorf("checkSourceName(%q, %s) = %q, want %q", tt.name, tt.number, got, tt.want)
		}
	}
}

func TestShortDate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"21.3.18": "2018-03-21", "21/03/2018": "2018-03-21", "31.4.18": "", "2352": ""} {
		if got := shortDate(in); got != want {
			t.Errorf("shortDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// evidencePage is a document's first page with extra lines.
func evidencePage(h header, extra ...pline) Metadata {
	return Read(pageOf(append(h.lines(), extra...), false, 0), Input{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
}

func TestSignature(t *testing.T) {
	t.Parallel()
	sig := func(s string, conf float64) pline {
		return pline{text: "Thời gian ký: " + s, x: 1900, y: 60, conf: conf}
	}
	tests := []struct {
		name     string
		line     pline
		signed   string
		result   string
		inReview bool
	}{
		{"SameDay", sig("31/05/2024 16:32:29", 95), "2024-05-31T16:32:29", ResultAgrees, false},
		{"Later", sig("03/06/2024 08:00:00", 95), "2024-06-03T08:00:00", ResultConsistent, false},
		{"Earlier", sig("30/05/2024 08:00:00", 95), "2024-05-30T08:00:00", ResultConflicts, true},
		{"GazetteStamp", pline{text: "ttcbth@quangngai.gov.vn 31.05.2024 16:52:38 +07:00", x: 1300, y: 60, conf: 92}, "2024-05-31T16:52:38", ResultAgrees, false},
		// Small print misread: not used.
		{"PoorlyRead", sig("30/05/2024 08:00:00", 60), "", "", false},
		{"Split", sig("30/05/2 024 08:00:00", 95), "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := evidencePage(decision(), tt.line)
			if m.SignedAt != tt.signed {
				t.Errorf("SignedAt = %q, want %q", m.SignedAt, tt.signed)
			}
			var got string
			for _, e := range m.Evidence {
				if e.Kind == EvidenceSignature {
					got = e.Result
				}
			}
			if got != tt.result || slices.Contains(m.Review, "date") != tt.inReview || m.Date != "2024-05-31" {
				t.Errorf("date %q, signature evidence %q, review %v; want 2024-05-31, %q, date in review %v", m.Date, got, m.Review, tt.result, tt.inReview)
			}
		})
	}
}

// receivedStamp is a "CV ĐẾN" stamp laid over the left of the subject.
func receivedStamp(num, date string) []pline {
	return []pline{
		{text: "TRUNG TÂM CÔNG BÁO", x: 60, y: 740},
		{text: "CV Số: " + num, x: 60, y: 800, conf: 60},
		{text: "ĐẾN Ngày: " + date, x: 60, y: 860, conf: 60},
		{text: "Chuyển:", x: 200, y: 920},
	}
}

func TestReceivedStamp(t *testing.T) {
	t.Parallel()
	t.Run("EntriesRead", func(t *testing.T) {
		t.Parallel()
		m := evidencePage(decision(), receivedStamp("2352", "21.3.18")...)
		if m.ReceivedNumber != "2352" || m.ReceivedDate != "2018-03-21" {
			t.Errorf("received %q %q, want 2352 2018-03-21", m.ReceivedNumber, m.ReceivedDate)
		}
		if m.Number != decisionWant.Number || m.Date != decisionWant.Date || len(m.Review) != 0 {
			t.Errorf("number %q, date %q, review %v: the stamp changed the header", m.Number, m.Date, m.Review)
		}
	})
	t.Run("EntriesHandwritten", func(t *testing.T) {
		t.Parallel()
		m := evidencePage(decision(), receivedStamp("2.3S2", ":4/ÂL.")...)
		if m.ReceivedNumber != "" || m.ReceivedDate != "" {
			t.Errorf("received %q %q, want nothing guessed", m.ReceivedNumber, m.ReceivedDate)
		}
		want := map[string]string{"received_number": ReasonHandwritten, "received_date": ReasonHandwritten}
		if diff := cmp.Diff(want, m.Reasons); diff != "" {
			t.Errorf("reasons (-want +got):\n%s", diff)
		}
		if _, ok := m.Boxes["received_number"]; !ok {
			t.Error("no box for received_number")
		}
	})
	t.Run("NeverTheDocumentsNumber", func(t *testing.T) {
		t.Parallel()
		h := decision()
		h.number = "S#: ####"
		m := evidencePage(h, receivedStamp("2352", "21.3.18")...)
		if m.Number != "" || m.Reasons["number"] != ReasonMissing {
			t.Errorf("number %q (%s), want none: 2352 is the stamp's", m.Number, m.Reasons["number"])
		}
	})
}

func TestCopy(t *testing.T) {
	t.Parallel()
	t.Run("CertificationStamp", func(t *testing.T) {
		t.Parallel()
		m := evidencePage(decision(),
			pline{text: "SAO Y BẢN CHÍNH", x: 1760, y: 2900, centred: true},
			pline{text: "Số: 125/SY-VP", x: 1760, y: 2960, centred: true},
			pline{text: "Hạ Long, ngày 02 tháng 6 năm 2024", x: 1760, y: 3020, centred: true},
		)
		want := &Copy{Kind: "sao y", Mark: "SAO Y BẢN CHÍNH", Number: "125/SY-VP", Date: "2024-06-02"}
		if m.Copy == nil {
			t.Fatal("no copy found")
		}
		got := *m.Copy
		got.Box = Box{}
		if diff := cmp.Diff(*want, got); diff != "" {
			t.Errorf("copy (-want +got):\n%s", diff)
		}
		if m.Number != decisionWant.Number || m.Date != decisionWant.Date || m.Type != decisionWant.Type {
			t.Errorf("header %q %q %q: the copy's mark changed the original's", m.Number, m.Date, m.Type)
		}
	})
	t.Run("CopyNumberInHeader", func(t *testing.T) {
		t.Parallel()
		h := decision()
		m := evidencePage(h, pline{text: "Số: 05/SY-VP", x: leftCentre, y: 150, centred: true})
		if m.Copy == nil || m.Copy.Number != "05/SY-VP" || m.Number != decisionWant.Number {
			t.Errorf("copy %+v, number %q; want the copy's 05/SY-VP apart from %s", m.Copy, m.Number, decisionWant.Number)
		}
	})
	t.Run("NotACopy", func(t *testing.T) {
		t.Parallel()
		if m := evidencePage(decision()); m.Copy != nil {
			t.Errorf("copy %+v on a page with no copy's mark", m.Copy)
		}
	})
}

func TestReviewWithoutPixels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		h       func() header
		number  string
		reasons map[string]string
		printed map[string]string
	}{
		{"Typed", decision, decisionWant.Number, nil, nil},
		{
			"BlankFilledInReadWell",
			func() header { h := decision(); h.number = "Số: 15 /QĐ-UBND"; return h },
			"15/QĐ-UBND", nil, nil,
		},
		{
			"BlankFilledInWithSymbols",
			func() header { h := decision(); h.number = "Số: 1§5 /QĐ-UBND"; return h },
			"", map[string]string{"number": ReasonLowConfidence}, map[string]string{"number": "/QĐ-UBND"},
		},
		{
			"BlankLeft",
			func() header { h := decision(); h.number = "Số: /QĐ-UBND"; return h },
			"", map[string]string{"number": ReasonMissing}, map[string]string{"number": "/QĐ-UBND"},
		},
		{
			"DayLeftBlank",
			func() header { h := decision(); h.date = "Quảng Ninh, ngày tháng 5 năm 2024"; return h },
			decisionWant.Number, map[string]string{"date": ReasonMissing}, map[string]string{"date": "2024-05"},
		},
		{
			// Under QUYẾT ĐỊNH the notation starts with QĐ; "XY" is no
			// type's code and not one letter from QĐ: one is misread.
			"NotationNamesNoType",
			func() header { h := decision(); h.number = "Số: 15/2024/XY-UBND"; return h },
			"15/2024/XY-UBND", map[string]string{"number": ReasonConflict}, nil,
		},
		{
			// A công văn whose number is unreadable is still a công văn.
			"LetterNumberUnreadable",
			func() header { h := letter(); h.number = "Số: ####"; return h },
			"", map[string]string{"number": ReasonLowConfidence}, nil,
		},
		{
			"NoNumber",
			func() header { h := decision(); h.number = ""; return h },
			"", map[string]string{"number": ReasonMissing}, nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := evidencePage(tt.h())
			if m.Type == "" {
				t.Errorf("no type")
			}
			if m.Number != tt.number {
				t.Errorf("number %q, want %q", m.Number, tt.number)
			}
			if diff := cmp.Diff(tt.reasons, m.Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.printed, m.Printed); diff != "" {
				t.Errorf("printed (-want +got):\n%s", diff)
			}
			for f := range m.Reasons {
				if !slices.Contains(m.Review, f) {
					t.Errorf("reason for %s, which is not in review %v", f, m.Review)
				}
			}
		})
	}
}

func TestCorrected(t *testing.T) {
	t.Parallel()
	prev := Metadata{
		Issuer: "ỦY BAN NHÂN DÂN", Number: "", Notation: "TB-UBND", Date: "", Place: "Quảng Ngãi", Type: "thông báo",
		Subject: "Kết luận", Document: true,
		Confidence: Confidence{Issuer: 0.97, Place: 0.73, Type: 0.95, Subject: 0.9},
		Review:     []string{"number", "date", "received_number"},
		Reasons:    map[string]string{"number": ReasonHandwritten, "date": ReasonHandwritten, "received_number": ReasonHandwritten},
		Printed:    map[string]string{"number": "/TB-UBND", "date": "2024-12"},
		Boxes:      map[string]Box{"number": {1, 2, 3, 4}},
		SignedAt:   "2025-01-17T09:17:04",
	}
	next := prev
	next.Review, next.Reasons, next.Printed, next.Boxes, next.SignedAt, next.Confidence = nil, nil, nil, nil, "", Confidence{}
	next.Number = "660/TB-UBND" // keyed
	got, fields, err := Corrected(prev, next, []string{"received_number"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"number", "received_number"}, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"date"}, got.Review); diff != "" {
		t.Errorf("review (-want +got):\n%s", diff)
	}
	if got.Reasons["date"] != ReasonHandwritten || got.Printed["date"] != "2024-12" || len(got.Reasons) != 1 || len(got.Printed) != 1 {
		t.Errorf("reasons %v, printed %v: only the date's stay", got.Reasons, got.Printed)
	}
	if got.Boxes["number"] != (Box{1, 2, 3, 4}) || got.SignedAt != prev.SignedAt || got.Notation != "TB-UBND" {
		t.Errorf("boxes %v, signed %q, notation %q: not carried over", got.Boxes, got.SignedAt, got.Notation)
	}
	if got.Confidence.Number != 1 || got.Confidence.Issuer != 0.97 {
		t.Errorf("confidences %+v: 1 for the keyed number, the others kept", got.Confidence)
	}
	// Confirming the date as it is (empty: the person will key it later)
	// clears it too; an unknown field is refused.
	got2, _, _ := Corrected(got, got, []string{"date"})
	if len(got2.Review) != 0 {
		t.Errorf("review %v after confirming the date", got2.Review)
	}
	if _, _, err := Corrected(prev, next, []string{"colour"}); !errors.Is(err, ErrUnknownField) {
		t.Errorf("confirming an unknown field: %v, want ErrUnknownField", err)
	}
}

func TestFirstPage(t *testing.T) {
	t.Parallel()
	if ok, score := FirstPage(pageOf(decision().lines(), false, 0)); !ok || score < 0.8 {
		t.Errorf("FirstPage(a decision's first page) = %v, %v", ok, score)
	}
	body := header{noMotto: true, body: someBody}
	if ok, score := FirstPage(pageOf(body.lines(), false, 0)); ok || score > 0.3 {
		t.Errorf("FirstPage(body text) = %v, %v", ok, score)
	}
}
