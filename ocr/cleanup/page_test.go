package cleanup

import (
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// fontPath is the face test pages are set in. It is in the Debian package
// fonts-dejavu-core (a dependency of most desktop installs, and of the
// project's set-up script).
const fontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

var (
	fontOnce sync.Once
	fontData *opentype.Font
	fontErr  error
)

// testFont loads the test face; without it the tests fail, naming the
// package to install.
func testFont(t testing.TB) *opentype.Font {
	t.Helper()
	fontOnce.Do(func() {
		b, err := os.ReadFile(fontPath)
		if err != nil {
			fontErr = err
			return
		}
		fontData, fontErr = opentype.Parse(b)
	})
	if fontErr != nil {
		t.Fatalf("test pages are set in %s: %v (on Debian: apt-get install fonts-dejavu-core)", fontPath, fontErr)
	}
	return fontData
}

// bodyText is what test pages say (Vietnamese, with its diacritics).
var bodyText = []string{
	"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
	"Theo đề nghị của Giám đốc Sở Xây dựng tại Tờ trình số 215/TTr-SXD,",
	"Điều 1. Ban hành kèm theo Quyết định này Quy định quản lý, vận hành",
	"hệ thống chiếu sáng công cộng trên địa bàn tỉnh Quảng Ninh. Các sở,",
	"ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố có trách",
	"nhiệm phối hợp thực hiện; báo cáo kết quả về Sở Xây dựng trước ngày",
	"Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành.",
}

// pageKey identifies a cached test page.
type pageKey struct {
	dpi   int
	pt    float64
	lines int // 0: as many as fit
}

var pages sync.Map // pageKey -> *image.Gray

// textPage is an A4 page at dpi with body text at pt points, black on
// white, 1 inch margins, lines lines of text (0: as many as fit). The
// page is shared between tests: never write to it (use clone).
func textPage(t testing.TB, dpi int, pt float64, lines int) *image.Gray {
	t.Helper()
	k := pageKey{dpi, pt, lines}
	if p, ok := pages.Load(k); ok {
		return p.(*image.Gray)
	}
	w, h := int(8.27*float64(dpi)), int(11.69*float64(dpi))
	p := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(p, p.Rect, image.White, image.Point{}, draw.Src)
	drawText(t, p, dpi, pt, dpi, dpi, h-dpi, lines)
	pages.Store(k, p)
	return p
}

// drawText sets body text at pt points into g from (x, top) down to
// bottom, at most lines lines (0: no limit).
func drawText(t testing.TB, g *image.Gray, dpi int, pt float64, x, top, bottom, lines int) {
	t.Helper()
	face, err := opentype.NewFace(testFont(t), &opentype.FaceOptions{Size: pt, DPI: float64(dpi), Hinting: font.HintingNone})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	d := font.Drawer{Dst: g, Src: image.Black, Face: face}
	lead := int(math.Round(pt * 1.5 * float64(dpi) / 72))
	for i, y := 0, top+lead; y < bottom && (lines == 0 || i < lines); i, y = i+1, y+lead {
		d.Dot = fixed.P(x, y)
		d.DrawString(bodyText[i%len(bodyText)])
	}
}

// clone copies g.
func clone(g *image.Gray) *image.Gray {
	c := image.NewGray(g.Rect)
	copy(c.Pix, g.Pix)
	return c
}

// rotated turns g by deg degrees counter-clockwise about its centre,
// keeping its size, white where nothing was.
func rotated(g *image.Gray, deg float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	cx, cy := float64(w-1)/2, float64(h-1)/2
	// Output pixel -> source: undo the turn.
	m := translate(-cx, -cy).then(rotation(-deg)).then(translate(cx, cy))
	return warp(g, w, h, m, 255)
}

// turnedCW turns g by a quarter turn clockwise k times, exactly.
func turnedCW(g *image.Gray, k int) *image.Gray {
	out := g
	for range k % 4 {
		w, h := out.Rect.Dx(), out.Rect.Dy()
		n := image.NewGray(image.Rect(0, 0, h, w))
		for y := range h {
			for x := range w {
				n.Pix[x*n.Stride+(h-1-y)] = out.Pix[y*out.Stride+x]
			}
		}
		out = n
	}
	return out
}

// degrade applies scan damage in place: paper tone times light (a
// gradient from 1 at the top left to dim at the bottom right), and
// Gaussian noise of deviation sigma.
func degrade(g *image.Gray, paper, dim, sigma float64, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := range h {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range row {
			t := (float64(x)/float64(w) + float64(y)/float64(h)) / 2
			light := 1 - (1-dim)*t
			ink := 1 - float64(v)/255
			p := paper * light
			f := p - (p-20)*ink + rng.NormFloat64()*sigma
			row[x] = uint8(min(max(math.Round(f), 0), 255))
		}
	}
}
