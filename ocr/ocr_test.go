package ocr_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr"
)

func TestEncodePNGKeepsDPI(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 40, 30))
	for _, dpi := range []int{72, 200, 300, 600} {
		b, err := ocr.EncodePNG(img, dpi, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := ocr.PNGDPI(b); got != dpi {
			t.Errorf("PNGDPI = %d, want %d", got, dpi)
		}
		dec, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("the PNG with pHYs does not decode: %v", err)
		}
		if dec.Bounds() != img.Bounds() {
			t.Errorf("decoded bounds %v, want %v", dec.Bounds(), img.Bounds())
		}
	}
}

func TestHOCRRoundTrip(t *testing.T) {
	t.Parallel()
	want := &ocr.Page{
		Width: 1000, Height: 1400, DPI: 300, Langs: "vie+eng",
		Blocks: []ocr.Block{{
			BBox: image.Rect(10, 10, 500, 100),
			Paragraphs: []ocr.Paragraph{{
				BBox: image.Rect(10, 10, 500, 100), Lang: "vie",
				Lines: []ocr.Line{
					{BBox: image.Rect(10, 10, 500, 40), Baseline: [2]float64{0.001, -5}, XSize: 30,
						Words: []ocr.Word{{Text: "ỦY", BBox: image.Rect(10, 10, 60, 40), Conf: 96}, {Text: "BAN", BBox: image.Rect(70, 10, 140, 40), Conf: 91}}},
					{BBox: image.Rect(10, 60, 500, 100),
						Words: []ocr.Word{{Text: "<Số:&\"x\">", BBox: image.Rect(10, 60, 90, 100), Conf: 40}}},
				},
			}},
		}, {
			BBox:       image.Rect(600, 10, 900, 40),
			Paragraphs: []ocr.Paragraph{{BBox: image.Rect(600, 10, 900, 40), Lines: []ocr.Line{{BBox: image.Rect(600, 10, 900, 40), Words: []ocr.Word{{Text: "Độc", BBox: image.Rect(600, 10, 700, 40), Conf: 88}}}}}},
		}},
	}
	var buf bytes.Buffer
	if err := ocr.WriteHOCR(&buf, want, ocr.HOCROptions{Image: "image.png", System: "test"}); err != nil {
		t.Fatal(err)
	}
	got, err := ocr.ParseHOCR(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got.Langs = want.Langs
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hOCR round trip mismatch (-want +got):\n%s", diff)
	}
	wantText := "ỦY BAN\n<Số:&\"x\">\n\nĐộc\n"
	if got.Text() != wantText {
		t.Errorf("Text() = %q, want %q", got.Text(), wantText)
	}
	if c := got.MeanConfidence(); c < 78.7 || c > 78.8 {
		t.Errorf("MeanConfidence = %v, want 78.75", c)
	}
}

// Tesseract's own fragment (single quotes, nested in a page div) parses too.
func TestParseTesseractFragment(t *testing.T) {
	t.Parallel()
	frag := `  <div class='ocr_page' id='page_1' title='image ""; bbox 0 0 2480 3508; ppageno 0; scan_res 300 300'>
   <div class='ocr_carea' id='block_1_1' title="bbox 295 222 1120 322">
    <p class='ocr_par' id='par_1_1' lang='vie' title="bbox 295 222 1120 322">
     <span class='ocr_line' id='line_1_1' title="bbox 295 222 1120 255; baseline 0 -8; x_size 33; x_descenders 8; x_ascenders 8">
      <span class='ocrx_word' id='word_1_1' title='bbox 295 222 420 255; x_wconf 96'>UỶ</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 430 222 520 255; x_wconf 95'>BAN &amp; X</span>
     </span>
     <span class='ocr_caption' id='line_1_2' title="bbox 295 260 500 290; baseline 0 -8; x_size 33">
      <span class='ocrx_word' id='word_1_3' title='bbox 295 260 500 290; x_wconf 70'>NHÂN</span>
     </span>
    </p>
   </div>
  </div>`
	p, err := ocr.ParseHOCR(strings.NewReader(frag))
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 2480 || p.Height != 3508 || p.DPI != 300 {
		t.Errorf("page = %dx%d @%d, want 2480x3508 @300", p.Width, p.Height, p.DPI)
	}
	if got, want := p.Text(), "UỶ BAN & X\nNHÂN\n"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}

func TestEncodeJPEGKeepsDPI(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("identify"); err != nil {
		t.Fatalf("identify (Debian: imagemagick) is required for this test: %v", err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	for _, dpi := range []int{150, 300, 600} {
		b, err := ocr.EncodeJPEG(img, dpi, 85)
		if err != nil {
			t.Fatal(err)
		}
		// An independent reader sees the density and the colour.
		f := filepath.Join(t.TempDir(), "p.jpg")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("identify", "-format", "%w %h %x %y %U %[colorspace]", f).CombinedOutput()
		if err != nil {
			t.Fatalf("identify: %v\n%s", err, out)
		}
		want := fmt.Sprintf("40 30 %d %d PixelsPerInch sRGB", dpi, dpi)
		if string(out) != want {
			t.Errorf("identify says %q, want %q", out, want)
		}
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("Go cannot decode the JPEG with its JFIF segment: %v", err)
		}
	}
}
