package ocr_test

import (
	"image"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/ocr"
)

// line lays words out left to right from x at row y: each word is 20 px
// per character wide, words 20 px apart; a "|" item jumps to the x given.
func line(y int, items ...any) ocr.Line {
	var ln ocr.Line
	x := 0
	for _, it := range items {
		switch v := it.(type) {
		case int:
			x = v
		case string:
			for _, w := range strings.Fields(v) {
				wd := ocr.Word{Text: w, BBox: image.Rect(x, y, x+20*len([]rune(w)), y+50), Conf: 95}
				ln.Words = append(ln.Words, wd)
				ln.BBox = ln.BBox.Union(wd.BBox)
				if ln.BBox.Min == (image.Point{}) {
					ln.BBox = wd.BBox
				}
				x += 20*len([]rune(w)) + 20
			}
		}
	}
	return ln
}

func page(lines ...ocr.Line) *ocr.Page {
	return &ocr.Page{Width: 2480, Height: 3508, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: lines}}}}}
}

func TestFixColumns(t *testing.T) {
	t.Parallel()
	body := "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và các văn bản"
	for _, tc := range []struct {
		name string
		page *ocr.Page
		runs int
		want string
		// speck adds a speck read as a mark at x on line speck[0] (after
		// placeholders are dropped), when speck[1] > 0.
		speck [2]int
	}{
		{
			name: "HeaderReadLeftThenRight",
			page: page(
				line(200, 500, "ỦY BAN NHÂN DÂN", 1200, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
				line(270, 500, "TỈNH QUẢNG NINH", 1400, "Độc lập - Tự do - Hạnh phúc"),
				line(400, 520, "Số: 2145/QĐ-UBND", 1300, "Quảng Ninh, ngày 14 tháng 7 năm 2023"),
				line(480, 520, "V/v tăng cường quản lý"),
				line(600, 1100, "QUYẾT ĐỊNH"),
				line(700, 300, body),
			),
			runs: 1,
			want: "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH\nSố: 2145/QĐ-UBND\nV/v tăng cường quản lý\n\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nQuảng Ninh, ngày 14 tháng 7 năm 2023\n\n" +
				"QUYẾT ĐỊNH\n" + body + "\n",
		},
		{
			// A long parent body name leaves a narrow gap: the line is split
			// where its halves sit on the columns' centres.
			name: "NarrowGapSplitAtColumnCentres",
			page: page(
				line(200, 300, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", 1260, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
				line(270, 500, "SỞ VĂN HÓA", 1400, "Độc lập - Tự do - Hạnh phúc"),
				line(340, 480, "Số: 15/KH-SVH", 1300, "Quảng Ninh, ngày 10 tháng 9 năm 2025"),
			),
			runs: 1,
			want: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH\nSỞ VĂN HÓA\nSố: 15/KH-SVH\n\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nQuảng Ninh, ngày 10 tháng 9 năm 2025\n",
		},
		{
			name: "ClosingBlockWithSpeckInTheGutter",
			page: page(
				line(2400, 300, body),
				line(2600, 300, "Nơi nhận:", 1500, "KT. CHỦ TỊCH"),
				ocr.Line{},
				line(2660, 300, "- Như Điều 3;", 1500, "PHÓ CHỦ TỊCH"),
				line(2720, 300, "- Lưu: VT."),
				line(3000, 1500, "Đinh Quang Hải"),
			),
			runs:  1,
			want:  body + "\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐinh Quang Hải\n",
			speck: [2]int{2, 1000},
		},
		{
			// A speck far right of a recipients line, under the signature
			// column, does not make the line cross the gutter.
			name: "ClosingBlockWithSpeckBesideALeftLine",
			page: page(
				line(2400, 300, body),
				line(2600, 300, "Nơi nhận:", 1500, "KT. CHỦ TỊCH"),
				line(2660, 300, "- Như Điều 3;", 1500, "PHÓ CHỦ TỊCH"),
				line(2720, 300, "- CT, các PCT UBND tỉnh;"),
				line(2780, 300, "- V0, V1, V3;"),
				line(2840, 300, "- Lưu: VT."),
				line(3000, 1500, "Đinh Quang Hải"),
			),
			runs:  1,
			want:  body + "\nNơi nhận:\n- Như Điều 3;\n- CT, các PCT UBND tỉnh;\n- V0, V1, V3;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐinh Quang Hải\n",
			speck: [2]int{3, 1820},
		},
		{
			// The engine kept the columns apart but read them row by row:
			// the issuing body, the national title beside it, "Số:", then
			// the motto and date (seen on a Noto Serif báo cáo).
			name: "HeaderBlocksReadInterleaved",
			page: page(
				line(240, 500, "ỦY BAN NHÂN DÂN"),
				line(311, 530, "HUYỆN TIÊN YÊN"),
				line(240, 1229, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
				line(446, 550, "Số: 245/BC-UBND"),
				line(316, 1311, "Độc lập - Tự do - Hạnh phúc"),
				line(440, 1250, "Tiên Yên, ngày 03 tháng 7 năm 2023"),
				line(600, 1100, "BÁO CÁO"),
				line(700, 300, body),
			),
			runs: 1,
			want: "ỦY BAN NHÂN DÂN\nHUYỆN TIÊN YÊN\nSố: 245/BC-UBND\n\n" +
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTiên Yên, ngày 03 tháng 7 năm 2023\n\n" +
				"BÁO CÁO\n" + body + "\n",
		},
		{
			// Side-by-side lines in the body are a table or a form.
			name: "SideBySideLinesInTheBodyAreLeftAlone",
			page: page(
				line(200, 300, body),
				line(1500, 300, "Mục tiêu chung"),
				line(1500, 1400, "Nâng cao chất lượng"),
				line(1700, 300, body), line(1770, 300, body), line(1840, 300, body),
			),
			runs: 0,
			want: body + "\nMục tiêu chung\nNâng cao chất lượng\n" + body + "\n" + body + "\n" + body + "\n",
		},
		{
			// A page number beside the title is not a second column.
			name: "PageNumberBesideATitle",
			page: page(
				line(200, 900, "QUYẾT ĐỊNH"),
				line(200, 2200, "2"),
				line(300, 300, body),
			),
			runs: 0,
			want: "QUYẾT ĐỊNH\n2\n" + body + "\n",
		},
		{
			// A wide word space in a recipients line falls inside the
			// still-wide gutter ("Nơi nhận:" is short): it is not the
			// gutter, since "thành phố;" starts inside the left column
			// (seen on ke-hoach-noise.png).
			name: "WideWordSpaceInALeftLine",
			page: page(
				line(2100, 356, body),
				line(2175, 356, "đồng, nguồn xã hội hóa 1,65 tỷ đồng."),
				line(2276, 354, "Nơi nhận:", 1566, "KT. CHỦ TỊCH"),
				line(2340, 356, "- TT Thành ủy, TT HĐND;", 1551, "PHÓ CHỦ TỊCH"),
				line(2393, 356, "- CT, các PCT UBND", 800, "thành phố;"),
				line(2447, 356, "- Phòng Văn hóa và Thông tin;"),
				line(2501, 356, "- Lưu: VT, VHTT."),
				line(2655, 1586, "Lê Hoàng Duy"),
			),
			runs: 1,
			want: body + "\nđồng, nguồn xã hội hóa 1,65 tỷ đồng.\nNơi nhận:\n- TT Thành ủy, TT HĐND;\n- CT, các PCT UBND thành phố;\n" +
				"- Phòng Văn hóa và Thông tin;\n- Lưu: VT, VHTT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Hoàng Duy\n",
		},
		{
			name: "BodyLinesAreNeverSplit",
			page: page(line(1200, 300, body), line(1270, 300, "Theo", 600, "đề", 900, "nghị", 1200, "của", 1500, "Sở", 1800, "Tài", 2100, "nguyên")),
			runs: 0,
			want: body + "\nTheo đề nghị của Sở Tài nguyên\n",
		},
		{
			name: "TableRowsAreNotColumns",
			page: page(
				line(300, 300, "Hạ Long", 1300, "412,5 398,0 405,2"),
				line(370, 300, "Cẩm Phả", 1300, "356,8 371,4 362,9"),
				line(440, 300, "Uông Bí", 1300, "298,1 305,6 311,0"),
			),
			runs: 0,
			want: "Hạ Long 412,5 398,0 405,2\nCẩm Phả 356,8 371,4 362,9\nUông Bí 298,1 305,6 311,0\n",
		},
		{
			name: "MiddleOfThePageIsLeftAlone",
			page: page(
				line(200, 300, body),
				line(1500, 300, "Mục tiêu chung", 1400, "Nâng cao chất lượng"),
				line(1570, 300, "Mục tiêu cụ thể", 1400, "Giảm tỷ lệ hộ nghèo"),
				line(1700, 300, body), line(1770, 300, body), line(1840, 300, body),
			),
			runs: 0,
			want: body + "\nMục tiêu chung Nâng cao chất lượng\nMục tiêu cụ thể Giảm tỷ lệ hộ nghèo\n" + body + "\n" + body + "\n" + body + "\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Drop empty lines used as placeholders and add a speck.
			var ls []ocr.Line
			for _, ln := range tc.page.Blocks[0].Paragraphs[0].Lines {
				if len(ln.Words) > 0 {
					ls = append(ls, ln)
				}
			}
			if i, x := tc.speck[0], tc.speck[1]; x > 0 {
				y := ls[i].BBox.Min.Y
				sp := ocr.Word{Text: "‹", BBox: image.Rect(x, y, x+10, y+40), Conf: 20}
				ls[i].Words = append(ls[i].Words, sp)
				ls[i].BBox = ls[i].BBox.Union(sp.BBox)
			}
			tc.page.Blocks[0].Paragraphs[0].Lines = ls
			words := len(tc.page.Words())
			if got := ocr.FixColumns(tc.page); got != tc.runs {
				t.Errorf("FixColumns = %d runs, want %d", got, tc.runs)
			}
			// Compare the reading order (paragraph breaks may differ; the
			// speck stays in the text where it was read).
			norm := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "‹", "")), " ") }
			if got := tc.page.Text(); norm(got) != norm(tc.want) {
				t.Errorf("text:\n%s\nwant:\n%s", got, tc.want)
			}
			if got := len(tc.page.Words()); got != words {
				t.Errorf("%d words after, %d before: words lost or duplicated", got, words)
			}
		})
	}
}

func TestLooksVietnamese(t *testing.T) {
	t.Parallel()
	vi := page(line(100, 100, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 của Quốc hội"))
	en := page(line(100, 100, "The quick brown fox jumps over the lazy dog while the cat sleeps near a warm fire"))
	if !ocr.LooksVietnamese(vi) {
		t.Error("Vietnamese text not recognised")
	}
	if ocr.LooksVietnamese(en) {
		t.Error("English text taken for Vietnamese")
	}
}
