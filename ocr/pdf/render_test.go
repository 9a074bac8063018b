package pdf

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/sohoa/sohoa/ocr"
)

// Test pages are drawn here with a real font, so every word's box and the
// text are known exactly: the OCR result a perfect engine would give.

const testFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

var loadTestFont = sync.OnceValues(func() (*opentype.Font, error) {
	b, err := os.ReadFile(testFontPath)
	if err != nil {
		return nil, err
	}
	return opentype.Parse(b)
})

func testFont(t testing.TB) *opentype.Font {
	t.Helper()
	f, err := loadTestFont()
	if err != nil {
		t.Fatalf("test font %s (Debian package fonts-dejavu-core): %v", testFontPath, err)
	}
	return f
}

// pageSpec describes a test page: paragraphs of lines at a font size.
type pageSpec struct {
	name          string
	width, height int // pixels
	dpi           int
	paragraphs    []paragraphSpec
	// baselines gives the OCR lines their baseline (as Tesseract does);
	// without, the writer falls back to its descent estimate.
	baselines bool
	paper     uint8 // background grey level
}

type paragraphSpec struct {
	size   float64 // points
	indent int     // pixels
	lines  []string
}

type testPage struct {
	spec pageSpec
	img  *image.Gray
	ocr  *ocr.Page
	// baseline of each OCR line, in pixels, in reading order.
	lineBaselines []int
}

// testPages returns the standard test document: a greyscale page with
// baselines, a page to binarise without, and a blank page.
func testPages() []pageSpec {
	a5 := func(s pageSpec) pageSpec {
		s.width, s.height, s.dpi = 1748, 2480, 300
		return s
	}
	return []pageSpec{
		a5(pageSpec{
			name:      "Grey",
			baselines: true,
			paper:     0xf2,
			paragraphs: []paragraphSpec{
				{size: 11, lines: []string{"ỦY BAN NHÂN DÂN", "HUYỆN QUẢNG XƯƠNG"}},
				{size: 11, indent: 450, lines: []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"}},
				{size: 14, indent: 550, lines: []string{"QUYẾT ĐỊNH"}},
				{size: 12, indent: 100, lines: []string{"Về việc phê duyệt kế hoạch sử dụng đất năm 2025"}},
				{size: 11, lines: []string{
					"Căn cứ Luật Tổ chức chính quyền địa phương",
					"ngày 19 tháng 6 năm 2015;",
					"Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
					"Xét đề nghị của Trưởng phòng Tài nguyên và Môi trường,",
				}},
				{size: 11, lines: []string{
					"Điều 1. Phê duyệt kế hoạch sử dụng đất năm 2025 của huyện",
					"với các chỉ tiêu chủ yếu: đất nông nghiệp 14.322,5 ha;",
					"đất phi nông nghiệp 5.127,8 ha; đất chưa sử dụng 96,4 ha.",
				}},
				{size: 11, lines: []string{"Điều 2. Quyết định này có hiệu lực kể từ ngày ký."}},
			},
		}),
		a5(pageSpec{
			name:  "Bitonal",
			paper: 0xff,
			paragraphs: []paragraphSpec{
				{size: 11, lines: []string{
					"Những người dân ở xã Quảng Lĩnh đã đóng góp ý kiến",
					"về dự thảo quy hoạch; Ủy ban ghi nhận và tổng hợp.",
					"Nguyễn Thị Hường, Trần Văn Đức, Lê Thị Ngọc Ánh,",
					"Phạm Quốc Việt, Đặng Thị Thủy, Huỳnh Bửu Lộc.",
				}},
				{size: 11, lines: []string{
					"Kỹ thuật, lữ hành, mặt bằng, mẫu giáo, mỗi người,",
					"sự việc, chằng chịt, ngoằn ngoèo, khuỷu tay, tuyệt vời.",
					"Số: 57/QĐ-UBND ngày 28 tháng 11 năm 2025.",
				}},
			},
		}),
		a5(pageSpec{name: "Blank", paper: 0xf6}),
	}
}

// renderTestPage draws spec and builds its OCR page: one block per
// paragraph, word boxes from the glyphs' bounds.
func renderTestPage(t testing.TB, spec pageSpec) testPage {
	t.Helper()
	f := testFont(t)
	img := image.NewGray(image.Rect(0, 0, spec.width, spec.height))
	draw.Draw(img, img.Rect, image.NewUniform(color.Gray{spec.paper}), image.Point{}, draw.Src)
	page := &ocr.Page{Width: spec.width, Height: spec.height, DPI: spec.dpi, Langs: "vie"}
	tp := testPage{spec: spec, img: img, ocr: page}

	const margin = 150
	px := func(pt float64) float64 { return pt * float64(spec.dpi) / 72 }
	y := float64(margin)
	for _, par := range spec.paragraphs {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: par.size, DPI: float64(spec.dpi), Hinting: font.HintingNone})
		if err != nil {
			t.Fatal(err)
		}
		d := font.Drawer{Dst: img, Src: image.Black, Face: face}
		spaceAdv := d.MeasureString(" ")
		lineHeight := px(par.size * 1.5)
		var p ocr.Paragraph
		for _, text := range par.lines {
			y += lineHeight
			baseline := int(math.Round(y))
			x := fixed.I(margin + par.indent)
			var ln ocr.Line
			for _, word := range strings.Fields(text) {
				bounds, adv := font.BoundString(face, word)
				box := image.Rect(
					(x + bounds.Min.X).Floor(), baseline+bounds.Min.Y.Floor(),
					(x + bounds.Max.X).Ceil(), baseline+bounds.Max.Y.Ceil())
				d.Dot = fixed.Point26_6{X: x, Y: fixed.I(baseline)}
				d.DrawString(word)
				ln.Words = append(ln.Words, ocr.Word{Text: word, BBox: box, Conf: 95})
				ln.BBox = ln.BBox.Union(box)
				x += adv + spaceAdv
			}
			if ln.BBox.Max.X > spec.width-margin/2 || ln.BBox.Max.Y > spec.height-margin/2 {
				t.Fatalf("%s: line %q does not fit the page (box %v)", spec.name, text, ln.BBox)
			}
			if spec.baselines {
				ln.Baseline = [2]float64{0, float64(baseline - ln.BBox.Max.Y)}
			}
			ln.XSize = px(par.size)
			tp.lineBaselines = append(tp.lineBaselines, baseline)
			p.Lines = append(p.Lines, ln)
			p.BBox = p.BBox.Union(ln.BBox)
		}
		y += lineHeight / 2
		face.Close()
		p.Lang = "vie"
		page.Blocks = append(page.Blocks, ocr.Block{BBox: p.BBox, Paragraphs: []ocr.Paragraph{p}})
	}
	return tp
}

// binarize thresholds g at mid-grey: black 0, white 255.
func binarize(g *image.Gray) *image.Gray {
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		if v >= 0x80 {
			out.Pix[i] = 0xff
		}
	}
	return out
}

// benchPageSpec is a full A4 page at 300 dpi, 42 lines of 11-point text.
func benchPageSpec() pageSpec {
	body := testPages()[0].paragraphs[4].lines
	var lines []string
	for len(lines) < 42 {
		lines = append(lines, body...)
	}
	return pageSpec{
		name: "A4", width: 2480, height: 3508, dpi: 300, baselines: true, paper: 0xf2,
		paragraphs: []paragraphSpec{{size: 11, lines: lines[:42]}},
	}
}

func renderBenchPage(b testing.TB) *image.Gray {
	return renderTestPage(b, benchPageSpec()).img
}
