package source_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/sohoa/sohoa/internal/sourcetest"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/ocr/source/leptonica"
	"github.com/sohoa/sohoa/ocr/source/poppler"
)

// opener is the farm's: Leptonica for TIFF and JPEG 2000, Poppler for PDF.
func opener(t testing.TB, lim source.Limits) *source.Opener {
	t.Helper()
	pdf, err := poppler.New(poppler.Config{})
	if err != nil {
		t.Fatal(err) // poppler-utils is a runtime dependency (deploy/setup-debian.sh)
	}
	return &source.Opener{Limits: lim, Backends: []source.Backend{leptonica.Backend{}, pdf}}
}

// readAll opens path and reads every page's header, then decodes it, as
// the split and cleanup stages do; it stops at the first error.
func readAll(t testing.TB, o *source.Opener, path string) ([]image.Image, []source.PageInfo, error) {
	t.Helper()
	ctx := context.Background()
	doc, err := o.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	defer doc.Close()
	var imgs []image.Image
	var infos []source.PageInfo
	for i := range doc.NumPages() {
		info, err := doc.Info(i)
		if err != nil {
			return nil, nil, err
		}
		if err := o.Limits.CheckPixels(info.Width, info.Height); err != nil {
			return nil, nil, err
		}
		img, dinfo, err := doc.Decode(ctx, i)
		if err != nil {
			return nil, nil, err
		}
		if got := img.Bounds().Size(); got != image.Pt(info.Width, info.Height) {
			t.Errorf("page %d: Info says %dx%d, Decode gave %v", i+1, info.Width, info.Height, got)
		}
		imgs, infos = append(imgs, img), append(infos, dinfo)
	}
	return imgs, infos, nil
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		head []byte
		want source.Kind
	}{
		{"PNG", []byte("\x89PNG\r\n\x1a\n...."), source.KindPNG},
		{"JPEG", []byte{0xff, 0xd8, 0xff, 0xe0}, source.KindJPEG},
		{"TIFFLittle", []byte("II*\x00\x08\x00\x00\x00"), source.KindTIFF},
		{"TIFFBig", []byte("MM\x00*\x00\x00\x00\x08"), source.KindTIFF},
		{"BigTIFF", []byte("II+\x00\x08\x00\x00\x00"), source.KindTIFF},
		{"JP2", []byte("\x00\x00\x00\x0cjP  \r\n\x87\n\x00\x00\x00\x14ftypjp2 "), source.KindJP2},
		{"J2K", []byte{0xff, 0x4f, 0xff, 0x51, 0, 0x29}, source.KindJP2},
		{"PDF", []byte("%PDF-1.7\n"), source.KindPDF},
		{"PDFAfterJunk", append(bytes.Repeat([]byte("x"), 1000), "%PDF-1.4"...), source.KindPDF},
		{"PDFTooFar", append(bytes.Repeat([]byte("x"), 1025), "%PDF-1.4"...), source.KindUnknown},
		{"GIF", []byte("GIF89a"), source.KindGIF},
		{"BMP", append([]byte("BM\x00\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00"), make([]byte, 10)...), source.KindBMP},
		{"TextStartingBM", []byte("BMW owners' manual, chapter 1............"), source.KindUnknown},
		{"WebP", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), source.KindWebP},
		{"PGM", []byte("P5\n4 2\n255\n"), source.KindPNM},
		{"TextStartingP5", []byte("P5x is not a header"), source.KindUnknown},
		{"Zip", []byte("PK\x03\x04"), source.KindZIP},
		{"Text", []byte("hello"), source.KindUnknown},
		{"Empty", nil, source.KindUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := source.Sniff(tt.head); got != tt.want {
				t.Errorf("want %q, got %q", tt.want, got)
			}
		})
	}
}

// cmykBlocks is a 16x16 page of four 8x8 blocks: red, green, blue, grey,
// as ink (C, M, Y, K).
var cmykBlocks = [4][4]uint8{{0, 255, 255, 0}, {255, 0, 255, 0}, {255, 255, 0, 0}, {0, 0, 0, 128}}
var cmykWant = [4]color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {127, 127, 127, 255}}

func TestFormats(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	threeTIFF := filepath.Join(dir, "three.tif")
	if err := leptonica.WriteTIFF(threeTIFF, []leptonica.Page{
		{Image: sourcetest.Gray(120, 80), Compression: leptonica.G4, DPI: 300},
		{Image: sourcetest.Gray(60, 90), Compression: leptonica.LZW, DPI: 300},
		{Image: sourcetest.RGB(64, 64), Compression: leptonica.JPEG, DPI: 200},
	}); err != nil {
		t.Fatal(err)
	}
	jp2 := filepath.Join(dir, "page.jp2")
	if err := leptonica.WriteJP2(jp2, sourcetest.Gray(50, 40), 0, 100); err != nil {
		t.Fatal(err)
	}
	scan := sourcetest.EncodeJPEG(t, sourcetest.Gray(160, 200))
	colourScan := sourcetest.EncodeJPEG(t, sourcetest.RGB(120, 90))
	pdf := file("two.pdf", sourcetest.PDF(
		sourcetest.PDFPage{JPEG: scan, Width: 160, Height: 200, Gray: true, DPI: 200},
		sourcetest.PDFPage{JPEG: colourScan, Width: 120, Height: 90, DPI: 150},
		sourcetest.PDFPage{Width: 144, Height: 72, Text: "Cong hoa"},
	))

	g16 := image.NewGray16(image.Rect(0, 0, 5, 3))
	g16.SetGray16(2, 1, color.Gray16{0x1234})
	alpha := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	alpha.SetNRGBA(1, 1, color.NRGBA{0, 0, 0, 0})       // transparent: white
	alpha.SetNRGBA(2, 2, color.NRGBA{0, 0, 255, 128})   // half blue on white
	alpha.SetNRGBA(3, 3, color.NRGBA{200, 10, 10, 255}) // opaque red
	pal := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.NRGBA{0, 0, 0, 0}, color.RGBA{10, 200, 10, 255}})
	pal.SetColorIndex(1, 2, 1)

	cmyk := func(opt sourcetest.JPEGOptions, stored func(ink [4]uint8) [4]uint8) []byte {
		return sourcetest.BlockJPEG(16, 16, 4, func(bx, by, c int) uint8 { return stored(cmykBlocks[by*2+bx])[c] }, opt)
	}
	plain := func(ink [4]uint8) [4]uint8 { return ink }
	inverted := func(ink [4]uint8) [4]uint8 { return [4]uint8{255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]} }
	ycck := func(ink [4]uint8) [4]uint8 {
		// Adobe YCCK: the YCbCr decodes to (C, M, Y) as ink; K is inverted.
		y, cb, cr := color.RGBToYCbCr(ink[0], ink[1], ink[2])
		return [4]uint8{y, cb, cr, 255 - ink[3]}
	}
	cmykCheck := func(t *testing.T, imgs []image.Image) {
		for k, want := range cmykWant {
			x, y := (k%2)*8+4, (k/2)*8+4
			if got := imgs[0].At(x, y); !sourcetest.Near(got, want, 3) {
				t.Errorf("block %d: want %v, got %v", k, want, got)
			}
		}
	}

	tests := []struct {
		name  string
		path  string
		sizes []image.Point
		dpi   []int
		color string
		check func(t *testing.T, imgs []image.Image)
	}{
		{name: "ThreePageTIFF", path: threeTIFF, sizes: []image.Point{{120, 80}, {60, 90}, {64, 64}}, dpi: []int{300, 300, 200}},
		{name: "TwoScansAndATextPagePDF", path: pdf, sizes: []image.Point{{160, 200}, {120, 90}, {600, 300}}, dpi: []int{200, 150, 300},
			check: func(t *testing.T, imgs []image.Image) {
				if !sourcetest.Near(imgs[0].At(10, 10), sourcetest.Gray(160, 200).At(10, 10), 6) {
					t.Errorf("page 1 pixel: want %v, got %v", sourcetest.Gray(160, 200).At(10, 10), imgs[0].At(10, 10))
				}
			}},
		{name: "JPEG2000", path: jp2, sizes: []image.Point{{50, 40}}, color: "gray", check: func(t *testing.T, imgs []image.Image) {
			if got, want := imgs[0].At(7, 3), sourcetest.Gray(50, 40).At(7, 3); got != want {
				t.Errorf("want %v, got %v", want, got)
			}
		}},
		{name: "PNG16", path: file("g16.png", encodePNG(t, g16)), sizes: []image.Point{{5, 3}}, check: func(t *testing.T, imgs []image.Image) {
			if got := imgs[0].(*image.Gray16).Gray16At(2, 1).Y; got != 0x1234 {
				t.Errorf("want 0x1234, got %#x", got)
			}
		}},
		{name: "PNGAlphaOnWhite", path: file("alpha.png", encodePNG(t, alpha)), sizes: []image.Point{{4, 4}}, check: func(t *testing.T, imgs []image.Image) {
			for _, c := range []struct {
				x, y int
				want color.Color
			}{{1, 1, color.White}, {2, 2, color.RGBA{127, 127, 255, 255}}, {3, 3, color.RGBA{200, 10, 10, 255}}} {
				if got := imgs[0].At(c.x, c.y); !sourcetest.Near(got, c.want, 1) {
					t.Errorf("(%d,%d): want %v, got %v", c.x, c.y, c.want, got)
				}
			}
		}},
		{name: "PNGPalette", path: file("pal.png", encodePNG(t, pal)), sizes: []image.Point{{4, 4}}, color: "palette", check: func(t *testing.T, imgs []image.Image) {
			if got := imgs[0].At(0, 0); !sourcetest.Near(got, color.White, 0) {
				t.Errorf("transparent index: want white, got %v", got)
			}
			if got := imgs[0].At(1, 2); !sourcetest.Near(got, color.RGBA{10, 200, 10, 255}, 0) {
				t.Errorf("want green, got %v", got)
			}
		}},
		{name: "CMYKJPEG", path: file("cmyk.jpg", cmyk(sourcetest.JPEGOptions{}, plain)), sizes: []image.Point{{16, 16}}, color: "cmyk", check: cmykCheck},
		{name: "AdobeInvertedCMYKJPEG", path: file("adobe.jpg", cmyk(sourcetest.JPEGOptions{Adobe: true}, inverted)), sizes: []image.Point{{16, 16}}, color: "cmyk", check: cmykCheck},
		{name: "YCCKJPEG", path: file("ycck.jpg", cmyk(sourcetest.JPEGOptions{Adobe: true, Transform: 2}, ycck)), sizes: []image.Point{{16, 16}}, color: "cmyk", check: cmykCheck},
		{name: "JFIFResolution", path: file("dpi.jpg", sourcetest.BlockJPEG(8, 8, 1, func(int, int, int) uint8 { return 9 }, sourcetest.JPEGOptions{DPI: 400})),
			sizes: []image.Point{{8, 8}}, dpi: []int{400}, color: "gray"},
		{name: "EXIFRotatedColourJPEG", path: file("rot.jpg", sourcetest.WithEXIF(sourcetest.EncodeJPEG(t, quadrants()), 6)),
			sizes: []image.Point{{32, 48}}, check: func(t *testing.T, imgs []image.Image) {
				// Rotated 90° clockwise: red top-left is now top-right,
				// blue bottom-left top-left, green bottom-right.
				for _, c := range []struct {
					x, y int
					want color.RGBA
				}{{28, 4, color.RGBA{255, 0, 0, 255}}, {4, 4, color.RGBA{0, 0, 255, 255}}, {28, 44, color.RGBA{0, 255, 0, 255}}} {
					if got := imgs[0].At(c.x, c.y); !sourcetest.Near(got, c.want, 30) {
						t.Errorf("(%d,%d): want %v, got %v", c.x, c.y, c.want, got)
					}
				}
			}},
	}
	o := opener(t, source.Limits{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			imgs, infos, err := readAll(t, o, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(imgs) != len(tt.sizes) {
				t.Fatalf("want %d pages, got %d", len(tt.sizes), len(imgs))
			}
			for i, want := range tt.sizes {
				if got := imgs[i].Bounds().Size(); got != want {
					t.Errorf("page %d: want %v, got %v", i+1, want, got)
				}
				if tt.dpi != nil && infos[i].DPI != tt.dpi[i] {
					t.Errorf("page %d: want %d dpi, got %d", i+1, tt.dpi[i], infos[i].DPI)
				}
			}
			if tt.color != "" && infos[0].Color != tt.color {
				t.Errorf("Color: want %q, got %q", tt.color, infos[0].Color)
			}
			if tt.check != nil {
				tt.check(t, imgs)
			}
		})
	}
}

// TestGoTIFF reads every page of a TIFF without the Leptonica backend.
func TestGoTIFF(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "pages.tif")
	pages := []leptonica.Page{
		{Image: sourcetest.Gray(70, 40), Compression: leptonica.G4, DPI: 400},
		{Image: sourcetest.Gray(30, 50), Compression: leptonica.LZW},
		{Image: sourcetest.RGB(20, 20), Compression: leptonica.ZIP},
		{Image: sourcetest.Gray(20, 20), Compression: leptonica.JPEG},
	}
	if err := leptonica.WriteTIFF(path, pages); err != nil {
		t.Fatal(err)
	}
	doc, err := (&source.Opener{}).Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if doc.NumPages() != 4 {
		t.Fatalf("want 4 pages, got %d", doc.NumPages())
	}
	for i, p := range pages[:3] {
		img, info, err := doc.Decode(context.Background(), i)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		if got, want := img.Bounds().Size(), p.Image.Bounds().Size(); got != want {
			t.Errorf("page %d: want %v, got %v", i+1, want, got)
		}
		if i == 0 && info.DPI != 400 {
			t.Errorf("page 1: want 400 dpi, got %d", info.DPI)
		}
		if i == 1 && img.At(5, 7) != p.Image.At(5, 7) {
			t.Errorf("page 2: want %v, got %v", p.Image.At(5, 7), img.At(5, 7))
		}
	}
	_, _, err = doc.Decode(context.Background(), 3)
	if !errors.Is(err, source.ErrUnsupported) || !strings.Contains(err.Error(), "TIFF page 4 of 4 cannot be read") {
		t.Errorf("JPEG-in-TIFF without Leptonica: got %v", err)
	}
}

// quadrants is 48x32: red, green / blue, white.
func quadrants() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for y := range 32 {
		for x := range 48 {
			c := [4]color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255}}[(y/16)*2+x/24]
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// TestEXIFOrientation checks all eight orientations on a grey JPEG of six
// flat blocks (3 across, 2 down), pixel for pixel.
func TestEXIFOrientation(t *testing.T) {
	t.Parallel()
	value := func(bx, by, _ int) uint8 { return uint8(20 + 40*(by*3+bx)) }
	// want(o) maps an upright pixel to the stored block it comes from.
	for o := 1; o <= 8; o++ {
		t.Run(string(rune('0'+o)), func(t *testing.T) {
			t.Parallel()
			path := sourcetest.Write(t, "o.jpg", sourcetest.BlockJPEG(24, 16, 1, value, sourcetest.JPEGOptions{Orientation: o}))
			imgs, _, err := readAll(t, opener(t, source.Limits{}), path)
			if err != nil {
				t.Fatal(err)
			}
			img := imgs[0]
			w, h := 24, 16
			if o >= 5 {
				w, h = 16, 24
			}
			if got := img.Bounds().Size(); got != image.Pt(w, h) {
				t.Fatalf("want %dx%d, got %v", w, h, got)
			}
			for y := range h {
				for x := range w {
					var sx, sy int
					switch o {
					case 1:
						sx, sy = x, y
					case 2:
						sx, sy = 23-x, y
					case 3:
						sx, sy = 23-x, 15-y
					case 4:
						sx, sy = x, 15-y
					case 5:
						sx, sy = y, x
					case 6:
						sx, sy = y, 15-x
					case 7:
						sx, sy = 23-y, 15-x
					case 8:
						sx, sy = 23-y, x
					}
					want := color.Gray{value(sx/8, sy/8, 0)}
					if got := img.At(x, y); !sourcetest.Near(got, want, 1) {
						t.Fatalf("(%d,%d): want %v (stored %d,%d), got %v", x, y, want, sx, sy, got)
					}
				}
			}
		})
	}
}

// pngHeaderBomb is a valid PNG signature and IHDR claiming w x h, with a
// few bytes of image data.
func pngHeaderBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	chunk("IHDR", append(ihdr, 8, 0, 0, 0, 0))
	chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1})
	chunk("IEND", nil)
	return b.Bytes()
}

// TestHeaderBombDoesNotAllocate is not parallel: it reads the process's
// allocation counter, which parallel tests would disturb.
func TestHeaderBombDoesNotAllocate(t *testing.T) {
	o := opener(t, source.Limits{})
	dir := t.TempDir()
	jp2 := filepath.Join(dir, "bomb.jp2")
	if err := leptonica.WriteJP2(jp2, sourcetest.Gray(64, 64), 0, 100); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(jp2)
	if err != nil {
		t.Fatal(err)
	}
	// Make both the header box and the codestream claim 100000x100000.
	if i := bytes.Index(b, []byte("ihdr")); i > 0 {
		binary.BigEndian.PutUint32(b[i+4:], 100000)
		binary.BigEndian.PutUint32(b[i+8:], 100000)
	}
	if i := bytes.Index(b, []byte{0xff, 0x4f, 0xff, 0x51}); i > 0 {
		binary.BigEndian.PutUint32(b[i+8:], 100000)
		binary.BigEndian.PutUint32(b[i+12:], 100000)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"bomb.png", pngHeaderBomb(100000, 100000)},
		{"bomb.tif", sourcetest.TIFF(sourcetest.RawPage{Width: 100000, Height: 100000, Bits: 8, Samples: 3, Photometric: 2, Data: []byte{1}})},
		{"bomb.jp2", b},
		{"bomb.jpg", sourcetest.BlockJPEG(65000, 65000, 3, func(int, int, int) uint8 { return 0 }, sourcetest.JPEGOptions{})[:700]},
	} {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		var rbefore, rafter syscall.Rusage
		runtime.GC()
		runtime.ReadMemStats(&before)
		syscall.Getrusage(syscall.RUSAGE_SELF, &rbefore)
		_, _, err := readAll(t, o, path)
		// The cleanup stage calls Decode without Info: it must refuse too.
		if doc, oerr := o.Open(context.Background(), path); oerr == nil {
			if _, _, derr := doc.Decode(context.Background(), 0); !errors.Is(derr, source.ErrLimit) {
				t.Errorf("%s: Decode without Info: want the pixel limit, got %v", f.name, derr)
			}
		}
		runtime.ReadMemStats(&after)
		syscall.Getrusage(syscall.RUSAGE_SELF, &rafter)
		if !errors.Is(err, source.ErrLimit) || !strings.Contains(err.Error(), "exceeds the 200-megapixel limit") {
			t.Errorf("%s: want the pixel limit, got %v", f.name, err)
		}
		// Go's heap, and the process's peak RSS for C (Leptonica) memory.
		if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
			t.Errorf("%s: allocated %d MB", f.name, n>>20)
		}
		if n := rafter.Maxrss - rbefore.Maxrss; n > 64<<10 {
			t.Errorf("%s: peak RSS grew by %d MB", f.name, n>>10)
		}
	}
}

func TestHostileFiles(t *testing.T) {
	t.Parallel()
	good := encodePNG(t, sourcetest.Gray(300, 300))
	goodJPEG := sourcetest.EncodeJPEG(t, sourcetest.Gray(300, 300))
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	random[0] = 0 // not a known magic
	plainPDF := sourcetest.PDF(sourcetest.PDFPage{JPEG: goodJPEG, Width: 300, Height: 300, Gray: true, DPI: 300})
	encrypted := encrypt(t, plainPDF)
	tests := []struct {
		name     string
		file     string
		data     []byte
		lim      source.Limits
		sentinel error
		want     string
	}{
		{"EncryptedPDF", "secret.pdf", encrypted, source.Limits{}, source.ErrCorrupt,
			"encrypted PDF: the file is password protected; remove the password and upload it again"},
		{"DamagedPDF", "broken.pdf", []byte("%PDF-1.4\n1 0 obj garbage\n"), source.Limits{}, source.ErrCorrupt, "damaged PDF"},
		{"TruncatedPDF", "cut.pdf", plainPDF[:len(plainPDF)/3], source.Limits{}, source.ErrCorrupt, "damaged PDF"},
		{"PDFOverPageLimit", "long.pdf", sourcetest.PDF(sourcetest.PDFPage{Width: 100, Height: 100}, sourcetest.PDFPage{Width: 100, Height: 100},
			sourcetest.PDFPage{Width: 100, Height: 100}), source.Limits{MaxPages: 2}, source.ErrLimit, "the file has 3 pages, over the 2-page limit per file"},
		{"PDFPageOverPixelLimit", "huge.pdf", sourcetest.PDF(sourcetest.PDFPage{Width: 14400, Height: 14400, Text: "x"}), source.Limits{},
			source.ErrLimit, "image 60000x60000 exceeds the 200-megapixel limit"},
		{"EmptyFile", "empty.tif", nil, source.Limits{}, source.ErrCorrupt, "empty file: the upload has no content (0 bytes)"},
		{"TruncatedPNG", "cut.png", good[:len(good)/2], source.Limits{}, source.ErrCorrupt,
			"truncated PNG: the image data ends early"},
		{"TruncatedJPEG", "cut.jpg", goodJPEG[:len(goodJPEG)/2], source.Limits{}, source.ErrCorrupt, "truncated JPEG: the image data ends early"},
		{"TextNamedTIF", "notes.tif", []byte("Biên bản họp ngày 12/3\nNội dung ...\n"), source.Limits{}, source.ErrUnsupported, "not an image: text/plain"},
		{"RandomBytesNamedJPG", "photo.jpg", random, source.Limits{}, source.ErrUnsupported, "not an image: application/octet-stream"},
		{"DjVu", "book.tif", []byte("AT&TFORM\x00\x00\x00\x00DJVM"), source.Limits{}, source.ErrUnsupported, "not an image: DjVu document"},
		{"PNGHeaderBomb", "bomb.png", pngHeaderBomb(100000, 100000), source.Limits{}, source.ErrLimit,
			"image 100000x100000 exceeds the 200-megapixel limit"},
		{"TIFFHugePageCount", "many.tif", sourcetest.ManyPagesTIFF(6000), source.Limits{}, source.ErrLimit,
			"the TIFF has more than 5000 pages, the limit per file"},
		{"FileOverByteLimit", "big.png", good, source.Limits{MaxFileBytes: 100}, source.ErrLimit, "over the 100-byte limit per file"},
		{"ZipAsSource", "pages.zip", sourcetest.Zip(t, sourcetest.ZipFile{Name: "a.png", Data: good}), source.Limits{}, source.ErrUnsupported, "a zip archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := readAll(t, opener(t, tt.lim), sourcetest.Write(t, tt.file, tt.data))
			if !errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want %v containing %q, got %v", tt.sentinel, tt.want, err)
			}
			t.Log(err)
		})
	}
}

// encrypt makes a PDF that needs a password, with qpdf.
func encrypt(t *testing.T, pdf []byte) []byte {
	t.Helper()
	qpdf, err := exec.LookPath("qpdf")
	if err != nil {
		t.Fatal("qpdf is needed to make an encrypted PDF (deploy/setup-debian.sh installs it)")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(qpdf, "--encrypt", "user-pw", "owner-pw", "256", "--", in, out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v: %s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
