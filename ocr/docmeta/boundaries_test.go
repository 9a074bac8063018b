package docmeta

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr"
)

// Synthetic pages of a record, laid out as page_test.go lays out headers.
var (
	decisionHeader = header{
		issuer:  []string{"ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"},
		number:  "Số: 15/2024/QĐ-UBND",
		date:    "Quảng Ninh, ngày 12 tháng 3 năm 2024",
		title:   "QUYẾT ĐỊNH",
		subject: []string{"Ban hành Quy định về công tác văn thư, lưu trữ"},
		body:    someBody,
	}
	letterHeader = header{
		issuer: []string{"UBND TỈNH QUẢNG NINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"},
		number: "Số: 1275/SGDĐT-KHTC",
		date:   "Quảng Ninh, ngày 06 tháng 8 năm 2024",
		vv:     []string{"V/v chuẩn bị cơ sở vật chất"},
		body:   letterBody,
	}
	reportHeader = header{
		issuer:  []string{"UBND TỈNH QUẢNG NINH", "SỞ NỘI VỤ"},
		number:  "Số: 42/BC-SNV",
		date:    "Quảng Ninh, ngày 30 tháng 11 năm 2024",
		title:   "BÁO CÁO",
		subject: []string{"Kết quả số hóa tài liệu năm 2024"},
		body:    someBody,
	}
)

// bodyPage is a continuation page: justified body text from the top.
func bodyPage(lines ...string) []pline {
	var ls []pline
	for i, s := range lines {
		ls = append(ls, pline{text: s, x: 475, y: 300 + 67*i, justify: true})
	}
	return ls
}

// annexPageLines is an annex's first page: PHỤ LỤC, the "kèm theo" line,
// then a table's rows.
func annexPageLines() []pline {
	return []pline{
		{text: "PHỤ LỤC I", x: titleCentre, y: 300, centred: true},
		{text: "DANH MỤC HỒ SƠ SỐ HÓA NĂM 2024", x: titleCentre, y: 370, centred: true},
		{text: "(Kèm theo Báo cáo số 42/BC-SNV ngày 30 tháng 11 năm 2024 của Sở Nội vụ)", x: titleCentre, y: 440, centred: true},
		{text: "1 Hồ sơ đất đai phường Hà Tu năm 2001 160 tờ", x: 475, y: 600, justify: true},
		{text: "2 Hồ sơ giải phóng mặt bằng năm 2002 84 tờ", x: 475, y: 667, justify: true},
	}
}

func reading(lines []pline) PageReading {
	p := pageOf(lines, true, 0)
	return PageReading{Page: p, Meta: Extract(p)}
}

func TestGroupDocuments(t *testing.T) {
	t.Parallel()
	pages := []PageReading{
		reading(decisionHeader.lines()),
		reading(bodyPage(someBody...)),
		reading(bodyPage(letterBody...)),
		reading(letterHeader.lines()),
		reading(bodyPage(someBody...)),
		reading(reportHeader.lines()),
		reading(bodyPage(someBody...)),
		reading(annexPageLines()),
		reading(bodyPage(letterBody...)),
	}
	g := GroupDocuments(pages)
	want := Grouping{
		Documents: []DocSpan{{0, 3, StartHeader}, {3, 5, StartHeader}, {5, 9, StartHeader}},
		Roles: []PageRole{RoleFirst, RoleContinuation, RoleContinuation, RoleFirst, RoleContinuation,
			RoleFirst, RoleContinuation, RoleAnnex, RoleContinuation},
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("grouping (-want +got):\n%s", diff)
	}
	if g.NeedsReview() || g.Pages() != 9 || g.DocumentOf(4) != 1 || g.DocumentOf(9) != -1 {
		t.Errorf("review %v pages %d DocumentOf(4) %d", g.Review, g.Pages(), g.DocumentOf(4))
	}
}

func TestGroupDocumentsReview(t *testing.T) {
	t.Parallel()
	mottoOnly := pageOf([]pline{
		{text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: rightCentre, y: 240, centred: true},
		{text: "Độc lập - Tự do - Hạnh phúc", x: rightCentre, y: 302, centred: true},
		{text: "ĐƠN ĐỀ NGHỊ", x: titleCentre, y: 500, centred: true},
		{text: someBody[0], x: 475, y: 700, justify: true},
	}, true, 0)
	weak := reading(decisionHeader.lines())
	weak.Meta.Confidence.Document = 0.45
	annexWithHeader := reading(annexPageLines())
	annexWithHeader.Meta = Metadata{Document: true, Type: "quyết định", Number: "42/BC-SNV", Confidence: Confidence{Document: 0.5}}
	someEvidence := reading(bodyPage(someBody...))
	someEvidence.Meta.Confidence.Document = 0.35

	pages := []PageReading{
		reading(bodyPage(letterBody...)),            // 0: no header at the start
		{Page: mottoOnly, Meta: Extract(mottoOnly)}, // 1: motto only
		{},   // 2: unread
		weak, // 3: a header on little evidence
		{Page: &ocr.Page{Width: pageW, Height: pageH}}, // 4: blank
		annexWithHeader,               // 5: an annex that reads as a header
		someEvidence,                  // 6: some evidence, no document
		reading(letterHeader.lines()), // 7: a sure header
	}
	g := GroupDocuments(pages)
	wantDocs := []DocSpan{{0, 3, StartRecord}, {3, 7, StartHeader}, {7, 8, StartHeader}}
	if diff := cmp.Diff(wantDocs, g.Documents); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	wantRoles := []PageRole{RoleFirst, RoleContinuation, RoleUnread, RoleFirst, RoleBlank, RoleAnnex, RoleContinuation, RoleFirst}
	if diff := cmp.Diff(wantRoles, g.Roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
	var got []ReviewReason
	var gotPages []int
	for _, r := range g.Review {
		got = append(got, r.Reason)
		gotPages = append(gotPages, r.Page)
		if r.Detail == "" {
			t.Errorf("page %d: review without detail", r.Page)
		}
	}
	want := []ReviewReason{ReviewNoHeaderStart, ReviewMottoOnly, ReviewUnread, ReviewUncertainHeader, ReviewAnnexHeader, ReviewUncertainHeader}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("review reasons (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 1, 2, 3, 5, 6}, gotPages); diff != "" {
		t.Errorf("review pages (-want +got):\n%s", diff)
	}
}

func TestGroupDocumentsEmpty(t *testing.T) {
	t.Parallel()
	if g := GroupDocuments(nil); len(g.Documents) != 0 || g.Pages() != 0 {
		t.Errorf("GroupDocuments(nil) = %+v", g)
	}
}

func TestMergeSplit(t *testing.T) {
	t.Parallel()
	g := Grouping{
		Documents: []DocSpan{{0, 3, StartHeader}, {3, 5, StartHeader}, {5, 9, StartHeader}},
		Roles: []PageRole{RoleFirst, RoleContinuation, RoleContinuation, RoleFirst, RoleContinuation,
			RoleFirst, RoleContinuation, RoleAnnex, RoleContinuation},
		Review: []PageReview{{Page: 4, Reason: ReviewMottoOnly, Detail: "x"}},
	}
	m, err := g.Merge(0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]DocSpan{{0, 5, StartHeader}, {5, 9, StartHeader}}, m.Documents); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
	if m.Roles[3] != RoleContinuation || len(m.Review) != 1 {
		t.Errorf("merged roles %v review %v", m.Roles, m.Review)
	}
	if g.Documents[0].End != 3 || g.Roles[3] != RoleFirst {
		t.Error("Merge changed its receiver")
	}

	s, err := m.Split(4)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]DocSpan{{0, 4, StartHeader}, {4, 5, StartManual}, {5, 9, StartHeader}}, s.Documents); diff != "" {
		t.Errorf("split (-want +got):\n%s", diff)
	}
	if s.Roles[4] != RoleFirst {
		t.Errorf("split roles %v", s.Roles)
	}
	s2, err := s.Split(8)
	if err != nil || s2.Documents[3] != (DocSpan{8, 9, StartManual}) || s2.Documents[2].End != 8 {
		t.Errorf("split at the last page: %+v, %v", s2.Documents, err)
	}

	for name, f := range map[string]func() (Grouping, error){
		"MergeLast":      func() (Grouping, error) { return g.Merge(2) },
		"MergeNegative":  func() (Grouping, error) { return g.Merge(-1) },
		"SplitFirstPage": func() (Grouping, error) { return g.Split(0) },
		"SplitAtStart":   func() (Grouping, error) { return g.Split(3) },
		"SplitPastEnd":   func() (Grouping, error) { return g.Split(9) },
	} {
		if _, err := f(); !errors.Is(err, ErrBoundary) {
			t.Errorf("%s: err = %v, want ErrBoundary", name, err)
		}
	}

	// The starts rebuild the grouping.
	r, err := GroupingFromStarts(9, s.Starts(), g)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.Documents, r.Documents); diff != "" {
		t.Errorf("from starts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(s.Roles, r.Roles); diff != "" {
		t.Errorf("roles from starts (-want +got):\n%s", diff)
	}
	for _, bad := range [][]int{nil, {1, 3}, {0, 3, 3}, {0, 9}, {0, 5, 2}} {
		if _, err := GroupingFromStarts(9, bad, g); !errors.Is(err, ErrBoundary) {
			t.Errorf("GroupingFromStarts(%v) = %v, want ErrBoundary", bad, err)
		}
	}
}
