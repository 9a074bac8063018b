// Package docmetatest makes pages for the tests of the header reader and
// of what is built on it (the farm, the API, the console): a printed
// sample page of samples/documents with its number proper and its day
// rewritten as a hand writes them into the blanks of a header.
package docmetatest

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/docmeta"
)

// Ink colours a hand may use.
var (
	FeltPen   = color.Gray{Y: 20}
	BlueBiro  = color.RGBA{R: 30, G: 50, B: 170, A: 255}
	whiteGrey = color.Gray{Y: 255}
)

// Handwrite rewrites, in img, the number proper and the day of the page
// whose OCR result is page (docmeta.FindParts) as a felt pen writes them:
// the printed digits taken away and drawn again 1.45 times as tall, about
// their middle (so that they reach over and under the line), with a pen
// three pixels wider, in ink. It returns an error when the page has no
// number or no day to rewrite.
func Handwrite(img draw.Image, page *ocr.Page, ink color.Color) error {
	parts := docmeta.FindParts(page)
	if parts.Number.Empty() || parts.Day.Empty() {
		return fmt.Errorf("the page has no number proper or no day to rewrite (%+v)", parts)
	}
	// Only the digits: the parts' ends may reach over the notation's slash
	// and the keywords' edges.
	xh := parts.Number.Dy() / 4
	num, day := parts.Number, parts.Day
	num.Max.X -= xh
	day.Min.X += xh
	day.Max.X -= xh
	for _, z := range []image.Rectangle{num, day} {
		rewrite(img, z, ink)
	}
	return nil
}

func rewrite(img draw.Image, zone image.Rectangle, ink color.Color) {
	zone = zone.Intersect(img.Bounds())
	mask := make([][]bool, zone.Dy())
	for y := zone.Min.Y; y < zone.Max.Y; y++ {
		mask[y-zone.Min.Y] = make([]bool, zone.Dx())
		for x := zone.Min.X; x < zone.Max.X; x++ {
			if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128 {
				mask[y-zone.Min.Y][x-zone.Min.X] = true
			}
			img.Set(x, y, whiteGrey)
		}
	}
	cy := float64(zone.Dy()) / 2
	const scale = 1.45
	for y := zone.Min.Y - zone.Dy()/2; y < zone.Max.Y+zone.Dy()/2; y++ {
		for x := zone.Min.X; x < zone.Max.X; x++ {
			sy := int(cy + (float64(y-zone.Min.Y)-cy)/scale)
			sx := x - zone.Min.X
			on := false
			for dx := -1; dx <= 1 && !on; dx++ {
				for dy := -1; dy <= 1 && !on; dy++ {
					yy, xx := sy+dy, sx+dx
					on = yy >= 0 && yy < len(mask) && xx >= 0 && xx < len(mask[0]) && mask[yy][xx]
				}
			}
			if on && (image.Point{x, y}).In(img.Bounds()) {
				img.Set(x, y, ink)
			}
		}
	}
}

// HandwrittenSample is samples/documents/<name>.png with its number proper
// and its day written by hand in ink (Handwrite, from the sample's hOCR in
// ocr/docmeta/testdata), as a 300 dpi PNG: grey for a grey ink, RGB
// otherwise. root is the repository's root (a test passes "../.." or
// "../../..").
func HandwrittenSample(root, name string, ink color.Color) ([]byte, error) {
	f, err := os.Open(filepath.Join(root, "samples", "documents", name+".png"))
	if err != nil {
		return nil, err
	}
	src, err := png.Decode(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	h, err := os.Open(filepath.Join(root, "ocr", "docmeta", "testdata", name+".hocr"))
	if err != nil {
		return nil, err
	}
	page, err := ocr.ParseHOCR(h)
	h.Close()
	if err != nil {
		return nil, err
	}
	var img draw.Image = image.NewGray(src.Bounds())
	if _, grey := ink.(color.Gray); !grey {
		img = image.NewRGBA(src.Bounds())
	}
	draw.Draw(img, img.Bounds(), src, src.Bounds().Min, draw.Src)
	if err := Handwrite(img, page, ink); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ocr.EncodePNG(img, 300, true)
}
