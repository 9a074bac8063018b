package tt05aip

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/unicode"
)

// excelCSV is a record list as Excel saves "CSV UTF-8" where the list
// separator is ';': a byte order mark, CRLF line ends, quoted cells with
// the separator or line breaks inside, Vietnamese headers, a row number
// column and a blank row.
const excelCSV = "\ufeffSTT;Mã hồ sơ lưu trữ;Mã hồ sơ;Tiêu đề hồ sơ;Thời hạn bảo quản;Chế độ sử dụng;Mã hồ sơ giấy;Thời gian bắt đầu;Ghi chú;Tệp\r\n" +
	"1;LTLS.H49.64.33.2001.160;H49.64.33.2001.160;Tập tờ khai đăng ký kết hôn phường Hà Tu năm 2001;Vĩnh viễn;Công khai;LTLS.K2.G14.H160;05/01/2001;\"Người lập: Trần Văn B;\r\nhộp 14\";\"hop14/hs160_*.tif\"\r\n" +
	";;;;;;;;;\r\n" +
	"2;LTLS.H49.64.33.2001.161;;\"Hồ sơ \"\"Đất đai\"\" năm 2001\";70 năm;03;LTLS.K2.G14.H161;2001;;\"ca-lam.pdf#1-12; ca-lam.pdf#15\"\r\n" +
	"3;LTLS.H49.64.33.2001.162;;Hồ sơ giải phóng mặt bằng;01;02;LTLS.K2.G14.H162;;;ca-lam.pdf#13-14,16-20\r\n"

func TestParseRecordListExcel(t *testing.T) {
	t.Parallel()
	l, err := ParseRecordList(strings.NewReader(excelCSV))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"STT"}, l.Ignored); diff != "" {
		t.Errorf("ignored columns (-want +got):\n%s", diff)
	}
	want := []ListRow{
		{Line: 2, Record: Record{ArcFileCode: "LTLS.H49.64.33.2001.160", FileCode: "H49.64.33.2001.160",
			Title: "Tập tờ khai đăng ký kết hôn phường Hà Tu năm 2001", Maintenance: "01", Mode: "01",
			PaperFileCode: "LTLS.K2.G14.H160", StartDate: "05/01/2001", Description: "Người lập: Trần Văn B;\nhộp 14"},
			Sources: []SourceRef{{Pattern: "hop14/hs160_*.tif"}}},
		{Line: 5, Record: Record{ArcFileCode: "LTLS.H49.64.33.2001.161", Title: `Hồ sơ "Đất đai" năm 2001`,
			Maintenance: "02", Mode: "03", PaperFileCode: "LTLS.K2.G14.H161", StartDate: "2001"},
			Sources: []SourceRef{{Pattern: "ca-lam.pdf", Pages: []PageRange{{1, 12}}}, {Pattern: "ca-lam.pdf", Pages: []PageRange{{15, 15}}}}},
		{Line: 6, Record: Record{ArcFileCode: "LTLS.H49.64.33.2001.162", Title: "Hồ sơ giải phóng mặt bằng",
			Maintenance: "01", Mode: "02", PaperFileCode: "LTLS.K2.G14.H162"},
			Sources: []SourceRef{{Pattern: "ca-lam.pdf", Pages: []PageRange{{13, 14}, {16, 20}}}}},
	}
	if diff := cmp.Diff(want, l.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}

	a, err := l.Assign([]string{"hop14/hs160_10.tif", "hop14/hs160_2.tif", "hop14/hs160_1.tif", "ca-lam.pdf", "bia.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]Part{}
	for _, r := range a.Records {
		got[r.Record.ArcFileCode] = r.Parts
	}
	wantParts := map[string][]Part{
		"LTLS.H49.64.33.2001.160": {{Source: "hop14/hs160_1.tif"}, {Source: "hop14/hs160_2.tif"}, {Source: "hop14/hs160_10.tif"}},
		"LTLS.H49.64.33.2001.161": {{Source: "ca-lam.pdf", Pages: []PageRange{{1, 12}}}, {Source: "ca-lam.pdf", Pages: []PageRange{{15, 15}}}},
		"LTLS.H49.64.33.2001.162": {{Source: "ca-lam.pdf", Pages: []PageRange{{13, 14}, {16, 20}}}},
	}
	if diff := cmp.Diff(wantParts, got); diff != "" {
		t.Errorf("assignment (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"bia.jpg"}, a.Unassigned); diff != "" {
		t.Errorf("unassigned (-want +got):\n%s", diff)
	}
	pages, err := wantParts["LTLS.H49.64.33.2001.162"][0].PageNumbers(20)
	if diff := cmp.Diff([]int{13, 14, 16, 17, 18, 19, 20}, pages); diff != "" || err != nil {
		t.Errorf("PageNumbers (-want +got):\n%s %v", diff, err)
	}
	if _, err := wantParts["LTLS.H49.64.33.2001.162"][0].PageNumbers(18); err == nil || !strings.Contains(err.Error(), "ca-lam.pdf has 18 pages; the record list names pages 16-20") {
		t.Errorf("PageNumbers past the end: %v", err)
	}
}

// TestParseRecordListForms: the same list as plain UTF-8 with commas and
// English keys, and as UTF-16 with tabs (Excel's "Unicode text").
func TestParseRecordListForms(t *testing.T) {
	t.Parallel()
	plain := "arcFileCode,title,maintenance,mode,paperFileCode,sources\n" +
		"LT.H49.1,Hồ sơ một,01,01,P.1,a/*.png\n"
	tabbed := strings.ReplaceAll(strings.ReplaceAll(plain, ",", "\t"), "\n", "\r\n")
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(tabbed)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{"UTF8": plain, "UTF16Tabs": utf16, "NFD": "arcFileCode,title,maintenance,mode,paperFileCode,sources\nLT.H49.1,Ho\u0302\u0300 so\u031b mo\u0302\u0323t,01,01,P.1,a/*.png\n"} {
		l, err := ParseRecordList(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(l.Rows) != 1 || l.Rows[0].Record.Title != "Hồ sơ một" || l.Rows[0].Sources[0].Pattern != "a/*.png" {
			t.Errorf("%s: %+v", name, l.Rows)
		}
	}
}

func TestRecordListDates(t *testing.T) {
	t.Parallel()
	in := "Mã hồ sơ lưu trữ,Tiêu đề hồ sơ,THBQ,Chế độ sử dụng,Mã hồ sơ giấy,Thời gian tài liệu,Tệp\n" +
		"A.1,T,01,01,P,2001,a.pdf\n" +
		"A.2,T,01,01,P,05/01/2001 - 30/12/2002,b.pdf\n" +
		"A.3,T,01,01,P,2001–2003,c.pdf\n" +
		"A.4,T,01,01,P,2001-2004,d.pdf\n" +
		"A.5,T,01,01,P,05-01-2001,e.pdf\n"
	l, err := ParseRecordList(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, r := range l.Rows {
		got = append(got, [2]string{r.Record.StartDate, r.Record.EndDate})
	}
	want := [][2]string{{"2001", "2001"}, {"05/01/2001", "30/12/2002"}, {"2001", "2003"}, {"2001", "2004"}, {"05/01/2001", "05/01/2001"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dates (-want +got):\n%s", diff)
	}
	_, err = ParseRecordList(strings.NewReader("arcFileCode,title,maintenance,mode,paperFileCode,sources,Niên đại\nA.1,T,01,01,P,a.pdf,2003 - 2001\nA.2,T,01,01,P,a.pdf,31/02/2001\n"))
	for _, w := range []string{`record list line 2: endDate: "2001" is before startDate 2003`, `record list line 3: dates: "31/02/2001" has startDate "31/02/2001", which is not a date (February has no day 31)`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("err = %v, want %q", err, w)
		}
	}
	_, err = ParseRecordList(strings.NewReader("arcFileCode,title,maintenance,mode,paperFileCode,sources,dates,startDate\n"))
	if err == nil || !strings.Contains(err.Error(), "has both a dates column (column 7) and startDate or endDate columns") {
		t.Errorf("err = %v", err)
	}
}

func TestParseRecordListErrors(t *testing.T) {
	t.Parallel()
	const head = "arcFileCode,title,maintenance,mode,paperFileCode,sources\n"
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"Empty", "", []string{"record list: is empty"}},
		{"HeaderOnly", head, []string{"record list: has a header but no records"}},
		{"NoSources", "arcFileCode,title\nA.1,T\n", []string{"record list line 1: has no sources column"}},
		{"NoCode", "title,sources\nT,a.pdf\n", []string{"has no arcFileCode column"}},
		{"TwoTitles", "arcFileCode,title,Tiêu đề hồ sơ,sources\n", []string{`record list line 1: title: "Tiêu đề hồ sơ" is a second column for title (column 2 is the first)`}},
		{"Windows1258", "arcFileCode,title,sources\nA.1,Ti\xeau \xf0\xea,a.pdf\n", []string{"record list line 2: is not UTF-8 text", `save it again as "CSV UTF-8`}},
		{"BadQuote", head + "A.1,\"T,01,01,P,a.pdf\n", []string{"is not well-formed CSV"}},
		{"Fields", head +
			"A.1,Hồ sơ,vĩnh cửu,01,P,a.pdf\n" +
			"A.2,,01,01,,b.pdf\n" +
			"A/3,T,01,01,P,\n" +
			"A.1,T,01,01,P,c.pdf#3-1\n",
			[]string{
				`record list line 2: maintenance: "vĩnh cửu" is not a code of maintenance`,
				"record list line 3: title: is required (Tiêu đề hồ sơ)",
				"record list line 3: paperFileCode: is required",
				`record list line 4: arcFileCode: "A/3" has '/'`,
				"record list line 4: sources: is empty",
				`record list line 5: sources: "c.pdf#3-1" has page range "3-1": pages count from 1 and a range runs forwards`,
				`record list line 5: arcFileCode: "A.1" is the record of line 2 already`,
			}},
		{"ExtraCell", head + "A.1,T,01,01,P,a.pdf,surprise\n", []string{`record list line 2: "surprise" is in column 7, which has no header`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseRecordList(strings.NewReader(tt.in))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%s\ndoes not say %q", err, w)
				}
			}
		})
	}
}

func TestAssignErrors(t *testing.T) {
	t.Parallel()
	l, err := ParseRecordList(strings.NewReader("arcFileCode,title,maintenance,mode,paperFileCode,sources\n" +
		"A.1,T,01,01,P,scan.pdf#1-10\n" +
		"A.2,T,01,01,P,scan.pdf#10-20\n" +
		"A.3,T,01,01,P,HS3/*.TIF\n" +
		"A.4,T,01,01,P,bia.jpg\n" +
		"A.5,T,01,01,P,other/bia.jpg\n" +
		"A.6,T,01,01,P,d.pdf#1-4;d.pdf#4\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Assign([]string{"scan.pdf", "hs3/p1.tif", "x/bia.jpg", "d.pdf"})
	for _, w := range []string{
		`record list line 3: sources: "scan.pdf" takes pages 10 of scan.pdf, which line 2 takes already`,
		`record list line 6: sources: "other/bia.jpg" matches no file of the batch`,
		`record list line 7: sources: "d.pdf" takes pages 4 of d.pdf, which line 7 takes already`,
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Assign: %v\nwant %q", err, w)
		}
	}
	// Case is ignored and a pattern without '/' matches the base name.
	if err != nil && (strings.Contains(err.Error(), "HS3") || strings.Contains(err.Error(), "line 5")) {
		t.Errorf("Assign: %v", err)
	}
}

func TestNaturalCompare(t *testing.T) {
	t.Parallel()
	names := []string{"scan10.tif", "scan2.tif", "scan1.tif", "scan02b.tif", "a.tif", "scan1a.tif"}
	want := []string{"a.tif", "scan1.tif", "scan1a.tif", "scan2.tif", "scan02b.tif", "scan10.tif"}
	slices.SortFunc(names, naturalCompare)
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}
