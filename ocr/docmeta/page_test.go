package docmeta

import (
	"image"
	"math"
	"slices"
	"strings"

	"github.com/sohoa/sohoa/ocr"
)

// Synthetic pages: A4 at 300 dpi, laid out as Decree 30 prints a header.
const (
	pageW, pageH = 2480, 3508
	charW        = 28 // px per character of header text
	bodyCharW    = 22 // px per character of body text
	spaceW       = 14 // px between words
	textH        = 50 // px per line of text
	leftCentre   = 750
	rightCentre  = 1760
	titleCentre  = 1330
	bodyLeft     = 356
	bodyRight    = 2302
)

// pline is one printed line as OCR read it (damage is in the text):
// its words at a position. x is the left edge; with centred set it is
// the centre.
type pline struct {
	text    string
	x, y    int
	centred bool
	justify bool    // body text: narrower, words spread to end at bodyRight
	conf    float64 // the words' confidence, 0..100; 0 means 91
}

// header is the content of a synthetic first page. Empty fields are not
// printed. motto1 and motto2 default to the national title and motto.
type header struct {
	issuer         []string
	number         string // the whole line: "Số: 15/2024/QĐ-UBND"
	vv             []string
	mark           string
	motto1, motto2 string
	noMotto        bool
	date           string
	title          string
	subject        []string
	body           []string
}

// lines lays the header out: the left column centred at leftCentre, the
// right at rightCentre, the title block centred below, then body text.
func (h header) lines() []pline {
	var ls []pline
	m1, m2 := h.motto1, h.motto2
	if m1 == "" {
		m1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	}
	if m2 == "" {
		m2 = "Độc lập - Tự do - Hạnh phúc"
	}
	y := 240
	for _, s := range h.issuer {
		ls = append(ls, pline{text: s, x: leftCentre, y: y, centred: true})
		y += 62
	}
	if !h.noMotto {
		ls = append(ls, pline{text: m1, x: rightCentre, y: 240, centred: true},
			pline{text: m2, x: rightCentre, y: 302, centred: true})
	}
	numY := max(y, 364) + 66
	if h.number != "" {
		ls = append(ls, pline{text: h.number, x: leftCentre, y: numY, centred: true})
	}
	if h.date != "" {
		ls = append(ls, pline{text: h.date, x: rightCentre, y: numY, centred: true})
	}
	y = numY + textH + 10
	for _, s := range h.vv {
		ls = append(ls, pline{text: s, x: leftCentre, y: y, centred: true})
		y += 58
	}
	if h.mark != "" {
		y += 30
		ls = append(ls, pline{text: h.mark, x: leftCentre, y: y, centred: true})
		y += 58
	}
	y = max(y, numY+textH) + 80
	if h.title != "" {
		ls = append(ls, pline{text: h.title, x: titleCentre, y: y, centred: true})
		y += 70
	}
	for _, s := range h.subject {
		ls = append(ls, pline{text: s, x: titleCentre, y: y, centred: true})
		y += 62
	}
	y += 100
	for _, s := range h.body {
		ls = append(ls, pline{text: s, x: 475, y: y, justify: true})
		y += 67
	}
	return ls
}

// words lays a line's words out left to right.
func (l pline) words() []ocr.Word {
	fs := strings.Fields(l.text)
	cw := charW
	if l.justify {
		cw = bodyCharW
	}
	width := -spaceW
	for _, f := range fs {
		width += len([]rune(f))*cw + spaceW
	}
	x, gap := l.x, spaceW
	if l.centred {
		x = l.x - width/2
	}
	if l.justify && len(fs) > 1 {
		gap = spaceW + (bodyRight-l.x-width)/(len(fs)-1)
	}
	conf := l.conf
	if conf == 0 {
		conf = 91
	}
	var ws []ocr.Word
	for _, f := range fs {
		w := len([]rune(f)) * cw
		ws = append(ws, ocr.Word{Text: f, BBox: image.Rect(x, l.y, x+w, l.y+textH), Conf: conf})
		x += w + gap
	}
	return ws
}

// pageOf builds the OCR result of a page. With merge, lines on the same
// row become one ocr.Line, as Tesseract reads a two-column header row
// across both columns; without, each printed line is its own ocr.Line in
// the order given (left column first, as ocr.FixColumns leaves it).
// skew rotates every box by that many degrees counter-clockwise about
// the page centre and sets the baselines' slope.
func pageOf(lines []pline, merge bool, skew float64) *ocr.Page {
	p := &ocr.Page{Width: pageW, Height: pageH, DPI: 300}
	var ocrLines []ocr.Line
	for _, l := range lines {
		ln := ocr.Line{Words: l.words(), XSize: textH}
		if merge && len(ocrLines) > 0 {
			for i := range ocrLines {
				if ocrLines[i].Words[0].BBox.Min.Y == l.y {
					ocrLines[i].Words = append(ocrLines[i].Words, ln.Words...)
					slices.SortFunc(ocrLines[i].Words, func(a, b ocr.Word) int { return a.BBox.Min.X - b.BBox.Min.X })
					ln.Words = nil
					break
				}
			}
		}
		if ln.Words != nil {
			ocrLines = append(ocrLines, ln)
		}
	}
	if merge {
		slices.SortStableFunc(ocrLines, func(a, b ocr.Line) int { return a.Words[0].BBox.Min.Y - b.Words[0].BBox.Min.Y })
	}
	a := skew * math.Pi / 180
	slope := -math.Tan(a) // counter-clockwise: the right end is higher
	for i := range ocrLines {
		ln := &ocrLines[i]
		for j := range ln.Words {
			ln.Words[j].BBox = rotate(ln.Words[j].BBox, a)
			ln.BBox = ln.BBox.Union(ln.Words[j].BBox)
		}
		ln.Baseline = [2]float64{slope, 0}
	}
	p.Blocks = []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: ocrLines}}}}
	return p
}

// rotate moves a box's centre as rotating the page by a (radians,
// counter-clockwise) moves it; the box keeps its size, as OCR boxes do.
func rotate(r image.Rectangle, a float64) image.Rectangle {
	if a == 0 {
		return r
	}
	cx, cy := float64(pageW)/2, float64(pageH)/2
	x, y := float64(r.Min.X+r.Max.X)/2-cx, float64(r.Min.Y+r.Max.Y)/2-cy
	nx := x*math.Cos(a) + y*math.Sin(a)
	ny := -x*math.Sin(a) + y*math.Cos(a)
	d := image.Pt(int(math.Round(nx+cx-float64(r.Min.X+r.Max.X)/2)), int(math.Round(ny+cy-float64(r.Min.Y+r.Max.Y)/2)))
	return r.Add(d)
}

// someBody is body text: wide justified lines, as after a title block.
var someBody = []string{
	"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa",
	"đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa",
	"Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;",
	"Theo đề nghị của Giám đốc Sở Xây dựng tại Tờ trình số 215/TTr-SXD ngày 10",
}

// letterBody is the body of a công văn.
var letterBody = []string{
	"Kính gửi: Các sở, ban, ngành thuộc tỉnh; Ủy ban nhân dân các huyện, thị xã, thành phố",
	"Thực hiện Kế hoạch số 208/KH-UBND ngày 19 tháng 7 năm 2024 của Ủy ban nhân dân",
	"tỉnh về chuẩn bị các điều kiện cho năm học mới, Sở Giáo dục và Đào tạo đề nghị các",
}
