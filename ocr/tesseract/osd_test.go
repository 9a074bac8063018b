package tesseract

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"os"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/sohoa/sohoa/ocr"
)

// testFontPath is the face the test page is set in (Debian package
// fonts-dejavu-core).
const testFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

var (
	pageOnce sync.Once
	page     *image.Gray
	pageErr  error
)

// testPage is half an A4 page of Vietnamese text at 150 dpi, upright.
func testPage(t *testing.T) *image.Gray {
	t.Helper()
	pageOnce.Do(func() {
		b, err := os.ReadFile(testFontPath)
		if err != nil {
			pageErr = err
			return
		}
		f, err := opentype.Parse(b)
		if err != nil {
			pageErr = err
			return
		}
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 12, DPI: 150, Hinting: font.HintingNone})
		if err != nil {
			pageErr = err
			return
		}
		defer face.Close()
		page = image.NewGray(image.Rect(0, 0, 1240, 880))
		draw.Draw(page, page.Rect, image.White, image.Point{}, draw.Src)
		d := font.Drawer{Dst: page, Src: image.Black, Face: face}
		lines := []string{
			"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
			"Theo đề nghị của Giám đốc Sở Xây dựng tại Tờ trình số 215/TTr-SXD,",
			"Điều 1. Ban hành kèm theo Quyết định này Quy định quản lý, vận hành",
			"hệ thống chiếu sáng công cộng trên địa bàn tỉnh Quảng Ninh. Các sở,",
			"ban, ngành và Ủy ban nhân dân các huyện, thị xã, thành phố có trách",
		}
		for i, y := 0, 150; y < 800; i, y = i+1, y+38 {
			d.Dot = fixed.P(120, y)
			d.DrawString(lines[i%len(lines)])
		}
	})
	if pageErr != nil {
		t.Fatalf("the test page is set in %s: %v (on Debian: apt-get install fonts-dejavu-core)", testFontPath, pageErr)
	}
	return page
}

// turnedCW turns g clockwise by k quarter turns.
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

func encode(t *testing.T, g *image.Gray) []byte {
	t.Helper()
	b, err := ocr.EncodePNG(g, 150, true)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newOSD(t *testing.T) *OSD {
	t.Helper()
	o, err := NewOSD(OSDConfig{})
	if err != nil {
		t.Fatalf("tesseract osd: %v (on Debian: apt-get install tesseract-ocr-osd)", err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// Degrees is how far the page is turned clockwise: turning the image back
// by that much makes it upright.
func TestOSDDetectsTurns(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		turn int
	}{
		{"Upright", 0},
		{"QuarterClockwise", 90},
		{"UpsideDown", 180},
		{"QuarterCounterClockwise", 270},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := newOSD(t)
			got, err := o.DetectOrientation(context.Background(), encode(t, turnedCW(testPage(t), tc.turn/90)))
			if err != nil {
				t.Fatal(err)
			}
			if got.Degrees != tc.turn || got.Confidence < 1 {
				t.Errorf("detected %d° (confidence %.1f, script %q), want %d°", got.Degrees, got.Confidence, got.Script, tc.turn)
			}
			if got.Script == "" {
				t.Error("no script")
			}
		})
	}
}

func TestOSDTooLittleText(t *testing.T) {
	t.Parallel()
	o := newOSD(t)
	blank := image.NewGray(image.Rect(0, 0, 600, 800))
	draw.Draw(blank, blank.Rect, image.White, image.Point{}, draw.Src)
	got, err := o.DetectOrientation(context.Background(), encode(t, blank))
	if err != nil || got != (ocr.Orientation{}) {
		t.Errorf("blank page: %+v, %v; want nothing, no error", got, err)
	}
}

func TestOSDErrors(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		img  []byte
		is   error
	}{
		{"Empty", context.Background(), nil, nil},
		{"NotAnImage", context.Background(), []byte("not an image at all"), nil},
		{"Cancelled", cancelled, []byte("whatever"), context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := newOSD(t).DetectOrientation(tc.ctx, tc.img)
			if err == nil || tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want an error (%v)", err, tc.is)
			}
		})
	}
	o, err := NewOSD(OSDConfig{})
	if err != nil {
		t.Fatal(err)
	}
	o.Close()
	if _, err := o.DetectOrientation(context.Background(), []byte("x")); err == nil {
		t.Error("a closed OSD detected")
	}
	if _, err := NewOSD(OSDConfig{TessdataPrefix: t.TempDir()}); !errors.Is(err, ocr.ErrNoEngine) {
		t.Errorf("without osd.traineddata: %v, want ErrNoEngine", err)
	}
}

// An OSDPool serves goroutines at once.
func TestOSDPoolConcurrent(t *testing.T) {
	t.Parallel()
	p, err := NewOSDPool(OSDConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b := encode(t, turnedCW(testPage(t), 2))
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			got, err := p.DetectOrientation(context.Background(), b)
			if err == nil && got.Degrees != 180 {
				err = errors.New("wrong orientation")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	p.Close()
	if _, err := p.DetectOrientation(context.Background(), b); err == nil {
		t.Error("a closed pool detected")
	}
}
