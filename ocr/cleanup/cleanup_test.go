package cleanup

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr"
)

func TestCleanFindsSkew(t *testing.T) {
	t.Parallel()
	for _, deg := range []float64{0.5, -0.5, 3, -3, 8, -8, 14, -14} {
		t.Run(fmtDeg(deg), func(t *testing.T) {
			t.Parallel()
			page := rotated(textPage(t, 300, 12, 0), deg)
			res, err := Clean(context.Background(), page, 300, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Report.Skew; math.Abs(got-deg) > 0.1 {
				t.Errorf("skew %.2f°, want %.2f° ± 0.1", got, deg)
			}
			// The straightened page reads as straight.
			again, err := Clean(context.Background(), res.Image, 300, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if again.Report.Skew != 0 {
				t.Errorf("straightened page still skewed by %.2f°", again.Report.Skew)
			}
		})
	}
}

// fmtDeg names an angle for a subtest: Plus3, Minus0_5.
func fmtDeg(d float64) string {
	s := strings.ReplaceAll(strconv.FormatFloat(math.Abs(d), 'f', -1, 64), ".", "_")
	if d < 0 {
		return "Minus" + s
	}
	return "Plus" + s
}

// A straight page, or one skewed by less than the threshold, comes back
// byte for byte (a clean page needs nothing else either).
func TestCleanLeavesStraightPageAlone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		deg  float64
	}{
		{"Straight", 0},
		{"TenthClockwise", -0.1},
		{"TenthCounterClockwise", 0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			page := textPage(t, 300, 12, 0)
			if tc.deg != 0 {
				page = rotated(page, tc.deg)
			}
			res, err := Clean(context.Background(), page, 300, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Report.Skew != 0 {
				t.Errorf("skew %v corrected, want none", res.Report.Skew)
			}
			if !bytes.Equal(res.Image.Pix, page.Pix) || res.Image.Rect != page.Rect {
				t.Error("the page came back changed")
			}
			if res.OCRImage != nil {
				t.Error("OCRImage set for the default profile")
			}
		})
	}
}

// The caller's image is never written to.
func TestCleanDoesNotWriteInput(t *testing.T) {
	t.Parallel()
	page := clone(textPage(t, 300, 12, 0))
	degrade(page, 200, 0.6, 4, 1)
	before := clone(page)
	if _, err := Clean(context.Background(), page, 300, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Pix, page.Pix) {
		t.Error("Clean changed its input")
	}
}

// onCanvas places g on a dark scanner lid at (left, top), with right and
// bottom more pixels of lid, and a shadow of width shadow along the
// sheet's edges.
func onCanvas(g *image.Gray, left, top, right, bottom, shadow int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	c := image.NewGray(image.Rect(0, 0, w+left+right, h+top+bottom))
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range c.Pix {
		c.Pix[i] = uint8(25 + rng.IntN(25))
	}
	for y := range h {
		for x := range w {
			v := float64(g.Pix[y*g.Stride+x])
			if d := min(x, y, w-1-x, h-1-y); d < shadow {
				v *= 0.7 + 0.3*float64(d)/float64(shadow)
			}
			c.Pix[(y+top)*c.Stride+x+left] = uint8(v)
		}
	}
	return c
}

func TestCleanCropsBorder(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                     string
		left, top, right, bottom int
		shadow, tolerance        int
	}{
		{"Sharp", 60, 80, 44, 52, 0, 4},
		{"Shadowed", 52, 71, 28, 41, 14, 20},
		{"LeftOnly", 120, 0, 0, 0, 0, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			page := textPage(t, 300, 12, 0)
			scan := onCanvas(page, tc.left, tc.top, tc.right, tc.bottom, tc.shadow)
			res, err := Clean(context.Background(), scan, 300, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Report.Crop == nil {
				t.Fatal("no crop")
			}
			want := [4]int{tc.left, tc.top, tc.left + page.Rect.Dx(), tc.top + page.Rect.Dy()}
			got := *res.Report.Crop
			for i := range got {
				// Inside the sheet, and not far inside.
				inside := got[i] >= want[i]
				if i >= 2 {
					inside = got[i] <= want[i]
				}
				if !inside || abs(got[i]-want[i]) > tc.tolerance {
					t.Errorf("crop %v, want %v within %d px inside", got, want, tc.tolerance)
					break
				}
			}
			if n := edgeDark(res.Image, 150); n > 0.001 {
				t.Errorf("%.4f of the page's margins is still lid-dark", n)
			}
		})
	}
}

// A sheet lying askew on the glass leaves dark wedges inside the crop;
// they become paper.
func TestCleanWhitensWedges(t *testing.T) {
	t.Parallel()
	page := rotated(textPage(t, 300, 12, 0), 2)
	// Lid around and in the corners the turn left white.
	scan := onCanvas(page, 40, 40, 40, 40, 0)
	for y := range page.Rect.Dy() {
		for x := range page.Rect.Dx() {
			// warp fills with 255 exactly and text never is: the corners.
			if inCorner(page, x, y) {
				scan.Pix[(y+40)*scan.Stride+x+40] = 30
			}
		}
	}
	res, err := Clean(context.Background(), scan, 300, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := edgeDark(res.Image, 150); n > 0.001 {
		t.Errorf("%.4f of the page's margins is still lid-dark", n)
	}
	if math.Abs(res.Report.Skew-2) > 0.1 {
		t.Errorf("skew %.2f, want 2", res.Report.Skew)
	}
}

// inCorner says whether (x, y) lies in a corner that rotated() filled.
func inCorner(g *image.Gray, x, y int) bool {
	w, h := float64(g.Rect.Dx()-1), float64(g.Rect.Dy()-1)
	cx, cy := w/2, h/2
	// Undo the 2° turn: outside the original rectangle means filled.
	m := rotation(-2)
	sx, sy := m.apply(float64(x)-cx, float64(y)-cy)
	return sx+cx < -1 || sy+cy < -1 || sx+cx > w+1 || sy+cy > h+1
}

// edgeDark is the share of dark pixels in the band pixels wide along the
// edges of g (a test page's margins are an inch wide).
func edgeDark(g *image.Gray, band int) float64 {
	n, all := 0, 0
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := range h {
		for x := range w {
			if x >= band && y >= band && x < w-band && y < h-band {
				continue
			}
			all++
			if g.Pix[y*g.Stride+x] < 100 {
				n++
			}
		}
	}
	return float64(n) / float64(all)
}

func TestCleanBlankPages(t *testing.T) {
	t.Parallel()
	const dpi = 200
	blankPage := func() *image.Gray {
		g := image.NewGray(image.Rect(0, 0, int(8.27*dpi), int(11.69*dpi)))
		draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
		return g
	}
	for _, tc := range []struct {
		name  string
		page  func(t *testing.T) *image.Gray
		blank bool
	}{
		{"WhitePaper", func(*testing.T) *image.Gray { return blankPage() }, true},
		{"GreyNoisyPaper", func(*testing.T) *image.Gray {
			g := blankPage()
			degrade(g, 220, 0.7, 8, 2)
			return g
		}, true},
		{"Specks", func(*testing.T) *image.Gray {
			g := blankPage()
			specks(g, 3000, 3, 3)
			return g
		}, true},
		{"Stains", func(*testing.T) *image.Gray {
			g := blankPage()
			ring(g, 600, 700, 250, 12, 0.6)
			ring(g, 900, 1600, 180, 40, 0.5)
			return g
		}, true},
		{"ScannerBorder", func(*testing.T) *image.Gray { return onCanvas(blankPage(), 50, 60, 30, 40, 10) }, true},
		{"Text", func(t *testing.T) *image.Gray { return textPage(t, dpi, 12, 0) }, false},
		{"OneLine", func(t *testing.T) *image.Gray { return textPage(t, dpi, 12, 1) }, false},
		{"NoisyText", func(t *testing.T) *image.Gray {
			g := clone(textPage(t, dpi, 12, 0))
			degrade(g, 220, 0.7, 8, 2)
			specks(g, 3000, 3, 3)
			return g
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Clean(context.Background(), tc.page(t), dpi, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Report.Blank != tc.blank {
				t.Errorf("blank = %v, want %v (%+v)", res.Report.Blank, tc.blank, res.Report.Steps)
			}
		})
	}
}

// specks scatters n dark squares up to size pixels across.
func specks(g *image.Gray, n, size int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 3))
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for range n {
		x, y, s := rng.IntN(w-size), rng.IntN(h-size), 1+rng.IntN(size)
		for dy := range s {
			for dx := range s {
				g.Pix[(y+dy)*g.Stride+x+dx] = 30
			}
		}
	}
}

// ring darkens a coffee ring of radius r and rim width rim by strength.
func ring(g *image.Gray, cx, cy, r, rim, strength float64) {
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			d := (math.Hypot(float64(x)-cx, float64(y)-cy) - r) / rim
			k := strength * math.Exp(-d*d)
			i := y*g.Stride + x
			g.Pix[i] = uint8(float64(g.Pix[i]) * (1 - k))
		}
	}
}

// Uneven light and grey paper are divided out: the paper comes out white
// all over, the ink stays black.
func TestCleanFlattensIllumination(t *testing.T) {
	t.Parallel()
	page := textPage(t, 300, 12, 0)
	lit := clone(page)
	degrade(lit, 215, 0.45, 0, 0) // the far corner gets under half the light
	res, err := Clean(context.Background(), lit, 300, Options{})
	if err != nil {
		t.Fatal(err)
	}
	paperIn, paperOut := stats(), stats()
	inkOut := stats()
	for i, v := range page.Pix {
		switch {
		case v == 255 && nearPaper(page, i):
			paperIn.add(lit.Pix[i])
			paperOut.add(res.Image.Pix[i])
		case v < 40:
			inkOut.add(res.Image.Pix[i])
		}
	}
	if paperIn.max-paperIn.min < 100 {
		t.Fatalf("the test gradient is too weak: paper %d..%d", paperIn.min, paperIn.max)
	}
	if paperOut.min < 245 {
		t.Errorf("paper after cleanup %d..%d, want at least 245 everywhere (before: %d..%d)", paperOut.min, paperOut.max, paperIn.min, paperIn.max)
	}
	if m := inkOut.mean(); m > 40 {
		t.Errorf("ink after cleanup has mean %.0f, want dark", m)
	}
}

// nearPaper says whether the pixel at i has paper all around (3 px).
func nearPaper(g *image.Gray, i int) bool {
	x, y := i%g.Stride, i/g.Stride
	for dy := -3; dy <= 3; dy++ {
		for dx := -3; dx <= 3; dx++ {
			xx, yy := x+dx, y+dy
			if xx < 0 || yy < 0 || xx >= g.Rect.Dx() || yy >= g.Rect.Dy() || g.Pix[yy*g.Stride+xx] != 255 {
				return false
			}
		}
	}
	return true
}

type stat struct {
	min, max uint8
	sum, n   int
}

func stats() *stat { return &stat{min: 255} }
func (s *stat) add(v uint8) {
	s.min, s.max = min(s.min, v), max(s.max, v)
	s.sum += int(v)
	s.n++
}
func (s *stat) mean() float64 { return float64(s.sum) / float64(max(s.n, 1)) }

func TestSauvola(t *testing.T) {
	t.Parallel()
	// Paper lit from 90 on the left to 250 on the right, with squares of
	// ink 60% darker than the paper around them every 40 px.
	const w, h = 400, 200
	g := image.NewGray(image.Rect(0, 0, w, h))
	paper := func(x int) int { return 90 + 160*x/(w-1) }
	ink := func(x, y int) bool { return x%40 >= 15 && x%40 < 25 && y%40 >= 15 && y%40 < 25 }
	for y := range h {
		for x := range w {
			v := paper(x)
			if ink(x, y) {
				v = v * 4 / 10
			}
			g.Pix[y*g.Stride+x] = uint8(v)
		}
	}
	flat := image.NewGray(image.Rect(0, 0, 100, 100))
	draw.Draw(flat, flat.Rect, image.NewUniform(color.Gray{Y: 200}), image.Point{}, draw.Src)
	for _, tc := range []struct {
		name string
		g    *image.Gray
		want func(x, y int) bool
	}{
		{"SquaresOnGradient", g, ink},
		{"FlatPaper", flat, func(int, int) bool { return false }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := sauvola(tc.g, 31, 0.34)
			wrong := 0
			for y := range tc.g.Rect.Dy() {
				for x := range tc.g.Rect.Dx() {
					v := b.Pix[y*b.Stride+x]
					if v != 0 && v != 255 {
						t.Fatalf("(%d, %d) = %d, want black or white", x, y, v)
					}
					if (v == 0) != tc.want(x, y) {
						wrong++
					}
				}
			}
			if wrong != 0 {
				t.Errorf("%d pixels on the wrong side", wrong)
			}
		})
	}
}

// The measured text height follows the type size (and so the resolution
// guessed from it).
func TestTextHeight(t *testing.T) {
	t.Parallel()
	measure := func(pt float64) float64 {
		res, err := Clean(context.Background(), textPage(t, 300, pt, 0), 300, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Report.TextHeight
	}
	ref := measure(12)
	// A character is about half an em tall (x-height to cap height,
	// diacritics apart): 12 pt at 300 dpi is a 50 px em.
	if ref < 20 || ref > 35 {
		t.Errorf("text height of 12 pt at 300 dpi is %v px, want 20..35", ref)
	}
	// (Below 10 pt at 300 dpi it reads high: at the 150 dpi the page is
	// analysed at, diacritics run into their letters.)
	for _, pt := range []float64{10, 16} {
		got := measure(pt)
		if want := ref * pt / 12; math.Abs(got-want) > 0.12*want+1 {
			t.Errorf("text height of %v pt: %v px, want %.0f ± 12%%", pt, got, want)
		}
	}
}

func TestResolution(t *testing.T) {
	t.Parallel()
	c := &cleaner{opt: Options{}.withDefaults()}
	for _, tc := range []struct {
		name      string
		dpi, w, h int
		textPx    float64
		nText     int
		wantSrc   int
		wantGuess bool
		wantScale float64
		wantOut   int
	}{
		{"A4At300", 300, 2480, 3508, 30, 2000, 300, false, 1, 300},
		{"A4At150", 150, 1240, 1754, 15, 2000, 150, false, 1, 150},
		{"A4At100IsUpsampled", 100, 827, 1169, 10, 2000, 100, false, 3, 300},
		{"A4At600IsDownsampled", 600, 4960, 7016, 60, 2000, 600, false, 0.5, 300},
		{"ClaimsScreen96ButIs235", 96, 2000, 2589, 21, 2000, 228, true, 1, 228},
		{"Claims72ButIs140", 72, 1200, 1461, 9, 2000, 129, true, 1, 129},
		{"NoneWithTinyText", 0, 827, 1169, 7, 2000, 103, true, 16.0 / 7, 235},
		{"NoneWithoutText", 0, 2480, 3508, 0, 3, 300, true, 1, 300},
		{"NoneWithNormalText", 0, 2480, 3508, 27, 2000, 309, true, 1, 309},
		{"NoneHalfSheet", 0, 1240, 1754, 27, 2000, 300, true, 1, 300},
		{"SmallPageAt96IsTrusted", 96, 794, 1123, 9, 500, 96, false, 300.0 / 96, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src, guess, scale, out := c.resolution(tc.dpi, tc.w, tc.h, tc.textPx, tc.nText)
			got := []any{src, guess, math.Round(scale*1000) / 1000, out}
			want := []any{tc.wantSrc, tc.wantGuess, math.Round(tc.wantScale*1000) / 1000, tc.wantOut}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("resolution (-want +got):\n%s", diff)
			}
		})
	}
}

// A page whose file claims 72 dpi (a common placeholder) is read at the
// resolution its text says, and the report says so.
func TestCleanGuessesWrongDPI(t *testing.T) {
	t.Parallel()
	res, err := Clean(context.Background(), textPage(t, 300, 13, 0), 72, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	if !r.SourceDPIGuess || r.RecordedDPI != 72 {
		t.Errorf("source_dpi_guessed %v, recorded_dpi %d; want true, 72", r.SourceDPIGuess, r.RecordedDPI)
	}
	if r.SourceDPI < 220 || r.SourceDPI > 400 {
		t.Errorf("guessed %d dpi for a 300 dpi page", r.SourceDPI)
	}
	if r.Scale != 1 || res.DPI != r.SourceDPI {
		t.Errorf("scale %v, dpi %d: a page with text of a normal size is left at its size", r.Scale, res.DPI)
	}
}

func TestCleanUpsamplesLowResolution(t *testing.T) {
	t.Parallel()
	page := textPage(t, 100, 12, 0)
	res, err := Clean(context.Background(), page, 100, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.DPI != 300 || res.Report.Scale != 3 {
		t.Errorf("dpi %d scale %v, want 300 and 3", res.DPI, res.Report.Scale)
	}
	if got, want := res.Image.Rect.Size(), page.Rect.Size().Mul(3); got != want {
		t.Errorf("size %v, want %v", got, want)
	}
}

// fakeDetector is an ocr.OrientationDetector made of a function.
type fakeDetector struct {
	detect func(img []byte) (ocr.Orientation, error)
	calls  int
}

func (f *fakeDetector) DetectOrientation(ctx context.Context, img []byte) (ocr.Orientation, error) {
	f.calls++
	if _, _, err := image.DecodeConfig(bytes.NewReader(img)); err != nil {
		return ocr.Orientation{}, err
	}
	return f.detect(img)
}

// The page's own text tells its orientation (no detector involved).
func TestGuessOrientation(t *testing.T) {
	t.Parallel()
	for _, turn := range []int{0, 90, 180, 270} {
		t.Run(fmtDeg(float64(turn)), func(t *testing.T) {
			t.Parallel()
			a := shrink(turnedCW(textPage(t, 300, 12, 0), turn/90), 2)
			l := label(a, a.Rect, 128)
			th, _ := l.textHeight(false)
			g := l.guessOrientation(a.Rect, th, 15)
			if g.deg != turn {
				t.Errorf("guessed %d°, want %d° (%+v)", g.deg, turn, g)
			}
			if g.updown < sureUpDown || g.lines < uprightLines {
				t.Errorf("not sure: %+v", g)
			}
		})
	}
}

func TestDecideTurn(t *testing.T) {
	t.Parallel()
	sure := func(deg int) orientation { return orientation{deg: deg, lines: 3, updown: 1.5} }
	unsure := func(deg int) orientation { return orientation{deg: deg, lines: 1.1, updown: 1.05} }
	osd := func(deg int, conf float64) ocr.Orientation { return ocr.Orientation{Degrees: deg, Confidence: conf} }
	for _, tc := range []struct {
		name string
		text orientation
		osd  ocr.Orientation
		want int
	}{
		{"Agree", sure(90), osd(90, 1.5), 90},
		{"AgreeUnsureText", unsure(180), osd(180, 1.5), 180},
		{"AgreeButDetectorGuesses", unsure(180), osd(180, 0.5), 0},
		{"UpDownDisputedTextSure", sure(180), osd(0, 3), 180},
		{"UpDownDisputedDetectorSure", unsure(0), osd(180, 6), 180},
		{"UpDownDisputedNeitherSure", unsure(0), osd(180, 2.5), 0},
		{"SidewaysDisputedDetectorSure", orientation{deg: 0, lines: 1.2, updown: 1.1}, osd(90, 6), 90},
		{"SidewaysDisputedTextLinesClear", orientation{deg: 0, lines: 2.5, updown: 1.1}, osd(90, 6), 0},
		{"SidewaysDisputedDetectorUnsure", sure(90), osd(0, 0.5), 90},
		{"NeitherSure", unsure(270), osd(90, 2), 0},
		{"DetectorSaysNonsense", sure(0), osd(45, 9), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := decideTurn(tc.text, tc.osd, 4); got != tc.want {
				t.Errorf("decideTurn(%+v, %+v) = %d, want %d", tc.text, tc.osd, got, tc.want)
			}
		})
	}
}

// A page turned by a quarter turn is turned back exactly, and an upright
// page whose text is clear is not even shown to the detector.
func TestCleanOrientation(t *testing.T) {
	t.Parallel()
	upright := textPage(t, 200, 12, 0)
	want, err := Clean(context.Background(), upright, 200, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		turn      int
		says      ocr.Orientation
		wantTurn  int
		wantCalls int
	}{
		{"UprightSkipsDetector", 0, ocr.Orientation{Degrees: 180, Confidence: 9}, 0, 0},
		{"Quarter", 90, ocr.Orientation{Degrees: 90, Confidence: 6}, 90, 1},
		{"Half", 180, ocr.Orientation{Degrees: 180, Confidence: 6}, 180, 1},
		{"ThreeQuarters", 270, ocr.Orientation{Degrees: 270, Confidence: 6}, 270, 1},
		{"DetectorWrongAndUnsure", 180, ocr.Orientation{Degrees: 0, Confidence: 1.5}, 180, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			det := &fakeDetector{detect: func([]byte) (ocr.Orientation, error) { return tc.says, nil }}
			res, err := Clean(context.Background(), turnedCW(upright, tc.turn/90), 200, Options{Orientation: det})
			if err != nil {
				t.Fatal(err)
			}
			if res.Report.Rotation != tc.wantTurn || det.calls != tc.wantCalls {
				t.Errorf("rotation %d with %d detector calls, want %d with %d", res.Report.Rotation, det.calls, tc.wantTurn, tc.wantCalls)
			}
			if tc.wantTurn == tc.turn && !bytes.Equal(res.Image.Pix, want.Image.Pix) {
				t.Error("the page turned back differs from the upright page cleaned")
			}
		})
	}
}

func TestCleanOrientationError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	det := &fakeDetector{detect: func([]byte) (ocr.Orientation, error) { return ocr.Orientation{}, boom }}
	_, err := Clean(context.Background(), turnedCW(textPage(t, 200, 12, 0), 1), 200, Options{Orientation: det})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the detector's", err)
	}
}

func TestDespeckle(t *testing.T) {
	t.Parallel()
	g := image.NewGray(image.Rect(0, 0, 300, 100))
	draw.Draw(g, g.Rect, image.White, image.Point{}, draw.Src)
	fill := func(x0, y0, x1, y1 int) {
		draw.Draw(g, image.Rect(x0, y0, x1, y1), image.Black, image.Point{}, draw.Src)
	}
	fill(20, 30, 40, 60)   // a letter, 20×30
	fill(28, 64, 31, 67)   // a dot below it, 3×3
	fill(44, 56, 47, 60)   // a full stop beside it, 3×4
	fill(150, 50, 153, 53) // a speck on its own, 3×3
	fill(250, 10, 252, 12) // a tiny speck, 2×2
	fill(41, 20, 43, 22)   // a tiny speck touching nothing, next to the letter
	n := despeckle(g, 2, 4, 18)
	if n != 3 {
		t.Errorf("removed %d specks, want 3", n)
	}
	for _, p := range []struct {
		x, y int
		ink  bool
	}{
		{30, 45, true}, {29, 65, true}, {45, 58, true},
		{151, 51, false}, {250, 10, false}, {42, 21, false},
	} {
		if got := g.GrayAt(p.x, p.y).Y == 0; got != p.ink {
			t.Errorf("(%d, %d) ink = %v, want %v", p.x, p.y, got, p.ink)
		}
	}
}

func TestCleanProfiles(t *testing.T) {
	t.Parallel()
	page := clone(textPage(t, 200, 12, 0))
	degrade(page, 210, 0.6, 6, 5)
	for _, tc := range []struct {
		profile   Profile
		binarized bool
	}{
		{"", false},
		{ProfileDefault, false},
		{ProfileAlternate, true},
	} {
		t.Run(string(tc.profile)+"Profile", func(t *testing.T) {
			t.Parallel()
			res, err := Clean(context.Background(), page, 200, Options{Profile: tc.profile})
			if err != nil {
				t.Fatal(err)
			}
			if res.Report.Binarized != tc.binarized || (res.OCRImage != nil) != tc.binarized {
				t.Fatalf("binarized %v, OCRImage set %v; want %v", res.Report.Binarized, res.OCRImage != nil, tc.binarized)
			}
			if tc.binarized {
				if slices.ContainsFunc(res.OCRImage.Pix, func(v uint8) bool { return v != 0 && v != 255 }) {
					t.Error("OCR image is not black and white")
				}
				if res.OCRImage.Rect != res.Image.Rect {
					t.Errorf("OCR image %v, image %v", res.OCRImage.Rect, res.Image.Rect)
				}
			}
		})
	}
}

func TestCleanHonoursContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Clean(ctx, textPage(t, 200, 12, 0), 200, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// Odd inputs do not crash it.
func TestCleanOddImages(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 9))
	for _, tc := range []struct {
		name string
		w, h int
		fill func(i int) uint8
	}{
		{"Tiny", 8, 8, func(int) uint8 { return 255 }},
		{"Thin", 2000, 9, func(i int) uint8 { return uint8(i % 256) }},
		{"Tall", 9, 3000, func(i int) uint8 { return uint8(rng.IntN(256)) }},
		{"Black", 600, 800, func(int) uint8 { return 0 }},
		{"Noise", 600, 800, func(int) uint8 { return uint8(rng.IntN(256)) }},
		{"Stripes", 600, 800, func(i int) uint8 { return uint8(255 * (i / 600 % 2)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := image.NewGray(image.Rect(0, 0, tc.w, tc.h))
			for i := range g.Pix {
				g.Pix[i] = tc.fill(i)
			}
			for _, dpi := range []int{0, 72, 300} {
				if _, err := Clean(context.Background(), g, dpi, Options{Orientation: &fakeDetector{detect: func([]byte) (ocr.Orientation, error) {
					return ocr.Orientation{Degrees: 90, Confidence: 9}, nil
				}}}); err != nil {
					t.Errorf("%d dpi: %v", dpi, err)
				}
			}
		})
	}
	if _, err := Clean(context.Background(), image.NewGray(image.Rect(0, 0, 3, 3)), 300, Options{}); err == nil {
		t.Error("a 3×3 image cleaned without error")
	}
}

func TestGray(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	r := image.Rect(3, 5, 40, 30)
	rgba := image.NewRGBA(r)
	nrgba := image.NewNRGBA(r)
	gray16 := image.NewGray16(r)
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	pal := image.NewPaletted(r, color.Palette{color.Black, color.White, color.RGBA{200, 100, 50, 255}, color.NRGBA{0, 0, 255, 128}})
	cmyk := image.NewCMYK(r)
	gray := image.NewGray(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
			rgba.Set(x, y, c)
			nrgba.Set(x, y, c)
			gray16.Set(x, y, c)
			gray.Set(x, y, c)
			pal.SetColorIndex(x, y, uint8(rng.IntN(4)))
			cmyk.Set(x, y, c)
		}
	}
	for i := range ycc.Y {
		ycc.Y[i] = uint8(rng.IntN(256))
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = uint8(rng.IntN(256)), uint8(rng.IntN(256))
	}
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"RGBA", rgba}, {"NRGBA", nrgba}, {"Gray16", gray16}, {"YCbCr", ycc},
		{"Paletted", pal}, {"CMYK", cmyk}, {"GrayWithOffset", gray},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Gray(tc.img)
			if got.Rect != image.Rect(0, 0, r.Dx(), r.Dy()) {
				t.Fatalf("bounds %v", got.Rect)
			}
			for y := range r.Dy() {
				for x := range r.Dx() {
					want := grayOf(tc.img.At(r.Min.X+x, r.Min.Y+y))
					if _, ok := tc.img.(*image.YCbCr); ok {
						want = tc.img.(*image.YCbCr).YCbCrAt(r.Min.X+x, r.Min.Y+y).Y
					}
					// Fast paths round differently from 16-bit colour maths.
					if d := int(got.Pix[y*got.Stride+x]) - int(want); d < -2 || d > 2 {
						t.Fatalf("(%d, %d) = %d, want %d", x, y, got.Pix[y*got.Stride+x], want)
					}
				}
			}
		})
	}
	g := image.NewGray(image.Rect(0, 0, 4, 4))
	if Gray(g) != g {
		t.Error("a Gray image at the origin was copied")
	}
}

// warp with a quarter turn moves pixels exactly, the way the turn says.
func TestWarpQuarterTurns(t *testing.T) {
	t.Parallel()
	src := image.NewGray(image.Rect(0, 0, 7, 4))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 9)
	}
	for _, k := range []int{1, 2, 3} {
		t.Run(fmtDeg(float64(90*k)), func(t *testing.T) {
			t.Parallel()
			turned := turnedCW(src, k) // what a page turned k quarters clockwise looks like
			w, h := src.Rect.Dx(), src.Rect.Dy()
			// Turning it back: output (upright) pixel -> turned pixel.
			back := warp(turned, w, h, quarterTurn(90*k, w, h), 0)
			if !bytes.Equal(back.Pix, src.Pix) {
				t.Errorf("turned back:\n%v\nwant\n%v", back.Pix, src.Pix)
			}
		})
	}
}

func TestReportJSON(t *testing.T) {
	t.Parallel()
	crop := [4]int{1, 2, 3, 4}
	b, err := json.Marshal(Report{SourceDPI: 300, Scale: 1, Rotation: 90, Skew: 1.5, Crop: &crop, Blank: true, Steps: []Step{{Name: "skew", Seconds: 0.01}}})
	if err != nil {
		t.Fatal(err)
	}
	// The names docs/store-layout.md documents.
	for _, k := range []string{`"source_dpi":300`, `"scale":1`, `"rotation":90`, `"skew":1.5`, `"crop":[1,2,3,4]`, `"blank":true`, `"steps":[{"name":"skew","seconds":0.01}]`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("%s lacks %s", b, k)
		}
	}
}

func BenchmarkClean(b *testing.B) {
	// An A4 page at 300 dpi on grey, unevenly lit, noisy paper, skewed by
	// 2°: every step has work to do.
	page := clone(rotated(textPage(b, 300, 12, 0), 2))
	degrade(page, 215, 0.6, 6, 4)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Clean(context.Background(), page, 300, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A photograph (or a seal, or a black bar) is far larger than the
// background estimate's reach; it stays dark instead of being divided
// out as if it were shaded paper.
func TestCleanKeepsLargeDarkAreas(t *testing.T) {
	t.Parallel()
	page := clone(textPage(t, 300, 12, 0))
	photo := image.Rect(700, 1200, 1700, 1900)
	rng := rand.New(rand.NewPCG(3, 4))
	for y := photo.Min.Y; y < photo.Max.Y; y++ {
		for x := photo.Min.X; x < photo.Max.X; x++ {
			page.Pix[y*page.Stride+x] = uint8(30 + 40*(x-photo.Min.X)/photo.Dx() + rng.IntN(10))
		}
	}
	res, err := Clean(context.Background(), page, 300, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in, out := stats(), stats()
	for y := photo.Min.Y + 20; y < photo.Max.Y-20; y++ {
		for x := photo.Min.X + 20; x < photo.Max.X-20; x++ {
			in.add(page.Pix[y*page.Stride+x])
			out.add(res.Image.Pix[y*res.Image.Stride+x])
		}
	}
	if out.mean() > in.mean()*1.5+10 {
		t.Errorf("photo mean %.0f after cleanup, %.0f before: washed out", out.mean(), in.mean())
	}
}

// turnRect maps a box found on the input to the page turned upright.
func TestTurnRect(t *testing.T) {
	t.Parallel()
	upright := image.NewGray(image.Rect(0, 0, 60, 40))
	mark := image.Rect(5, 7, 23, 12)
	draw.Draw(upright, mark, image.White, image.Point{}, draw.Src)
	for _, k := range []int{0, 1, 2, 3} {
		t.Run(fmtDeg(float64(90*k)), func(t *testing.T) {
			t.Parallel()
			in := turnedCW(upright, k)
			var found image.Rectangle
			for y := range in.Rect.Dy() {
				for x := range in.Rect.Dx() {
					if in.Pix[y*in.Stride+x] != 0 {
						found = found.Union(image.Rect(x, y, x+1, y+1))
					}
				}
			}
			if got := turnRect(found, 90*k, in.Rect.Dx(), in.Rect.Dy()); got != mark {
				t.Errorf("turnRect(%v) = %v, want %v", found, got, mark)
			}
		})
	}
}
