package leptonica_test

import (
	"context"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/internal/sourcetest"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/ocr/source/leptonica"
)

// decodeAll opens path with the backend and decodes every page.
func decodeAll(t *testing.T, b leptonica.Backend, path string, lim source.Limits) ([]image.Image, []source.PageInfo, error) {
	t.Helper()
	doc, err := b.Open(path, lim)
	if err != nil {
		return nil, nil, err
	}
	defer doc.Close()
	var imgs []image.Image
	var infos []source.PageInfo
	for i := range doc.NumPages() {
		if _, err := doc.Info(i); err != nil {
			return nil, nil, err
		}
		img, info, err := doc.Decode(context.Background(), i)
		if err != nil {
			return nil, nil, err
		}
		imgs, infos = append(imgs, img), append(infos, info)
	}
	return imgs, infos, nil
}

func bilevel(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		if (i/3)%4 == 0 {
			g.Pix[i] = 0
		} else {
			g.Pix[i] = 255
		}
	}
	return g
}

func palette(w, h int) *image.Paletted {
	p := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{
		color.RGBA{200, 30, 30, 255}, color.RGBA{20, 20, 220, 255}, color.RGBA{250, 250, 240, 255}})
	for i := range p.Pix {
		p.Pix[i] = uint8(i % 3)
	}
	return p
}

func gray16(w, h int) *image.Gray16 {
	g := image.NewGray16(image.Rect(0, 0, w, h))
	for i := 0; i < len(g.Pix); i += 2 {
		v := uint16(i * 97)
		g.Pix[i], g.Pix[i+1] = uint8(v>>8), uint8(v)
	}
	return g
}

// sameImage compares every pixel within tol (8-bit per channel).
func sameImage(t *testing.T, want, got image.Image, tol int) {
	t.Helper()
	if want.Bounds().Size() != got.Bounds().Size() {
		t.Fatalf("size: want %v, got %v", want.Bounds().Size(), got.Bounds().Size())
	}
	wb, gb := want.Bounds(), got.Bounds()
	bad := 0
	for y := range wb.Dy() {
		for x := range wb.Dx() {
			w, g := want.At(wb.Min.X+x, wb.Min.Y+y), got.At(gb.Min.X+x, gb.Min.Y+y)
			if !sourcetest.Near(w, g, tol) {
				if bad < 3 {
					t.Errorf("pixel (%d,%d): want %v, got %v", x, y, w, g)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d pixels differ", bad)
	}
}

func TestTIFFCompressions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		page     leptonica.Page
		wantType string
		tol      int
		color    string
	}{
		{"G4", leptonica.Page{Image: bilevel(61, 40), Compression: leptonica.G4}, "*image.Gray", 0, "bilevel"},
		{"G3", leptonica.Page{Image: bilevel(61, 40), Compression: leptonica.G3}, "*image.Gray", 0, "bilevel"},
		{"UncompressedBilevel", leptonica.Page{Image: bilevel(61, 40), Bilevel: true}, "*image.Gray", 0, "bilevel"},
		{"LZWGray", leptonica.Page{Image: sourcetest.Gray(61, 40), Compression: leptonica.LZW}, "*image.Gray", 0, "gray"},
		{"ZIPGray", leptonica.Page{Image: sourcetest.Gray(61, 40), Compression: leptonica.ZIP}, "*image.Gray", 0, "gray"},
		{"PackBitsGray", leptonica.Page{Image: sourcetest.Gray(61, 40), Compression: leptonica.PackBits}, "*image.Gray", 0, "gray"},
		{"JPEGGray", leptonica.Page{Image: sourcetest.Gray(64, 40), Compression: leptonica.JPEG}, "*image.Gray", 40, "gray"},
		{"JPEGRGB", leptonica.Page{Image: sourcetest.RGB(64, 40), Compression: leptonica.JPEG}, "*image.RGBA", 40, "rgb"},
		{"LZWRGB", leptonica.Page{Image: sourcetest.RGB(61, 40), Compression: leptonica.LZW}, "*image.RGBA", 0, "rgb"},
		{"ZIPGray16", leptonica.Page{Image: gray16(61, 40), Compression: leptonica.ZIP}, "*image.Gray16", 0, "gray"},
		{"LZWPalette", leptonica.Page{Image: palette(61, 40), Compression: leptonica.LZW}, "*image.Paletted", 0, "palette"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "page.tif")
			tt.page.DPI = 300
			if err := leptonica.WriteTIFF(path, []leptonica.Page{tt.page}); err != nil {
				t.Fatal(err)
			}
			imgs, infos, err := decodeAll(t, leptonica.Backend{}, path, source.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(imgs[0]); got != tt.wantType {
				t.Errorf("type: want %s, got %s", tt.wantType, got)
			}
			if infos[0].DPI != 300 || infos[0].Color != tt.color {
				t.Errorf("info: want 300 dpi %s, got %+v", tt.color, infos[0])
			}
			sameImage(t, tt.page.Image, imgs[0], tt.tol)
		})
	}
}

func typeName(img image.Image) string {
	switch img.(type) {
	case *image.Gray:
		return "*image.Gray"
	case *image.Gray16:
		return "*image.Gray16"
	case *image.RGBA:
		return "*image.RGBA"
	case *image.Paletted:
		return "*image.Paletted"
	}
	return "other"
}

func TestMultiPageTIFF(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "three.tif")
	pages := []leptonica.Page{
		{Image: bilevel(80, 50), Compression: leptonica.G4, DPI: 300},
		{Image: sourcetest.Gray(33, 70), Compression: leptonica.LZW, DPI: 200},
		{Image: sourcetest.RGB(48, 48), Compression: leptonica.JPEG, DPI: 150},
	}
	if err := leptonica.WriteTIFF(path, pages); err != nil {
		t.Fatal(err)
	}
	imgs, infos, err := decodeAll(t, leptonica.Backend{}, path, source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 3 {
		t.Fatalf("want 3 pages, got %d", len(imgs))
	}
	for i, p := range pages {
		if got, want := imgs[i].Bounds().Size(), p.Image.Bounds().Size(); got != want {
			t.Errorf("page %d: want %v, got %v", i+1, want, got)
		}
		if infos[i].DPI != p.DPI {
			t.Errorf("page %d: want %d dpi, got %d", i+1, p.DPI, infos[i].DPI)
		}
	}
}

func TestGrayOption(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rgb.tif")
	rgb := sourcetest.RGB(40, 30)
	if err := leptonica.WriteTIFF(path, []leptonica.Page{{Image: rgb, Compression: leptonica.LZW}}); err != nil {
		t.Fatal(err)
	}
	imgs, infos, err := decodeAll(t, leptonica.Backend{Gray: true}, path, source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	g, ok := imgs[0].(*image.Gray)
	if !ok {
		t.Fatalf("want *image.Gray, got %T", imgs[0])
	}
	if infos[0].Color != "rgb" {
		t.Errorf("Color: want rgb (the source's), got %q", infos[0].Color)
	}
	c := rgb.RGBAAt(5, 7)
	want := (19595*uint32(c.R) + 38470*uint32(c.G) + 7471*uint32(c.B) + 1<<15) >> 16
	if got := g.GrayAt(5, 7).Y; int(got) != int(want) {
		t.Errorf("luma: want %d, got %d", want, got)
	}
}

// TestHandMadeTIFF covers pages Leptonica cannot write: CMYK, min-is-white
// grey, tiles (read by Go's decoder).
func TestHandMadeTIFF(t *testing.T) {
	t.Parallel()
	cmyk := make([]byte, 4*4*2)
	for i := 0; i < len(cmyk); i += 4 {
		cmyk[i], cmyk[i+1], cmyk[i+2], cmyk[i+3] = 0, 255, 255, 0 // red
	}
	minWhite := make([]byte, 8*2)
	for i := range minWhite {
		minWhite[i] = uint8(i * 10) // 0 is white
	}
	tile := make([]byte, 16*16)
	for i := range tile {
		tile[i] = uint8(i)
	}
	tests := []struct {
		name string
		page sourcetest.RawPage
		at   image.Point
		want color.Color
	}{
		{"CMYK", sourcetest.RawPage{Width: 4, Height: 2, Bits: 8, Samples: 4, Photometric: 5, Data: cmyk}, image.Pt(1, 1), color.RGBA{255, 0, 0, 255}},
		{"MinIsWhite", sourcetest.RawPage{Width: 8, Height: 2, Bits: 8, Samples: 1, Photometric: 0, Data: minWhite}, image.Pt(3, 1), color.Gray{255 - 110}},
		{"Tiled", sourcetest.RawPage{Width: 16, Height: 16, Bits: 8, Samples: 1, Photometric: 1, Data: tile, Tile: 16}, image.Pt(3, 2), color.Gray{35}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := sourcetest.Write(t, "page.tif", sourcetest.TIFF(tt.page))
			imgs, _, err := decodeAll(t, leptonica.Backend{}, path, source.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := imgs[0].At(tt.at.X, tt.at.Y); !sourcetest.Near(got, tt.want, 1) {
				t.Errorf("pixel %v: want %v, got %v", tt.at, tt.want, got)
			}
		})
	}
}

func TestJPEG2000(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rgb := sourcetest.RGB(37, 23)
	jp2 := filepath.Join(dir, "page.jp2")
	if err := leptonica.WriteJP2(jp2, rgb, 300, 100); err != nil {
		t.Fatal(err)
	}
	// The raw codestream is the JP2 file's 'jp2c' box.
	b, err := os.ReadFile(jp2)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), "jp2c")
	if i < 0 {
		t.Fatal("no jp2c box")
	}
	j2k := sourcetest.Write(t, "page.j2k", b[i+4:])
	for _, path := range []string{jp2, j2k} {
		imgs, infos, err := decodeAll(t, leptonica.Backend{}, path, source.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(path), err)
		}
		if infos[0].Color != "rgb" {
			t.Errorf("%s: Color %q", filepath.Base(path), infos[0].Color)
		}
		sameImage(t, rgb, imgs[0], 0)
	}
}

func TestPNM(t *testing.T) {
	t.Parallel()
	data := append([]byte("P5\n# a comment\n4 2\n255\n"), 0, 50, 100, 150, 200, 250, 255, 1)
	imgs, _, err := decodeAll(t, leptonica.Backend{}, sourcetest.Write(t, "page.pgm", data), source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := imgs[0].At(1, 1); got != (color.Gray{250}) {
		t.Errorf("want 250, got %v", got)
	}
}

func TestHostileTIFF(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tif")
	if err := leptonica.WriteTIFF(good, []leptonica.Page{
		{Image: sourcetest.Gray(200, 200), Compression: leptonica.None},
		{Image: sourcetest.Gray(200, 200), Compression: leptonica.LZW},
	}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite the middle of the file: the second page's directory.
	damaged := append([]byte(nil), b...)
	for i := len(b) / 2; i < len(b)*3/4; i++ {
		damaged[i] = 0xff
	}
	tests := []struct {
		name     string
		data     []byte
		lim      source.Limits
		sentinel error
		want     string
	}{
		{"HeaderBomb", sourcetest.TIFF(sourcetest.RawPage{Width: 100000, Height: 100000, Bits: 8, Samples: 1, Photometric: 1, Data: []byte{1, 2, 3}}),
			source.Limits{}, source.ErrLimit, "image 100000x100000 exceeds the 200-megapixel limit"},
		{"ManyPages", sourcetest.ManyPagesTIFF(300), source.Limits{MaxPages: 100}, source.ErrLimit, "the TIFF has more than 100 pages"},
		{"ShortData", sourcetest.TIFF(sourcetest.RawPage{Width: 100, Height: 100, Bits: 8, Samples: 1, Photometric: 1, Data: make([]byte, 50)}),
			source.Limits{}, source.ErrCorrupt, "TIFF page 1 of 1 is damaged"},
		{"NotATIFF", []byte("II*\x00\xff\xff\xff\x7f"), source.Limits{}, source.ErrCorrupt, "damaged TIFF"},
		{"DamagedDirectory", damaged, source.Limits{}, source.ErrCorrupt, "damaged TIFF"},
		{"SecondPageShort", sourcetest.TIFF(
			sourcetest.RawPage{Width: 10, Height: 10, Bits: 8, Samples: 1, Photometric: 1, Data: make([]byte, 100)},
			sourcetest.RawPage{Width: 100, Height: 100, Bits: 8, Samples: 1, Photometric: 1, Data: make([]byte, 50)}),
			source.Limits{}, source.ErrCorrupt, "TIFF page 2 of 2 is damaged: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := decodeAll(t, leptonica.Backend{}, sourcetest.Write(t, "x.tif", tt.data), tt.lim)
			if !errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want %v containing %q, got %v", tt.sentinel, tt.want, err)
			}
		})
	}
}
