package mixed

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/leptonica"
)

// Output formats.
const (
	FormatPNG8   = "png8"
	FormatPNG16  = "png16"
	FormatJPEG   = "jpeg"
	FormatTIFF   = "tiff"    // LZW or Deflate, grey or RGB
	FormatTIFFG4 = "tiff-g4" // bilevel, CCITT Group 4
)

func drawFormat(r *rand.Rand) (string, int) {
	switch x := r.Float64(); {
	case x < 0.30:
		return FormatPNG8, 0
	case x < 0.40:
		return FormatPNG16, 0
	case x < 0.65:
		return FormatJPEG, between(r, 70, 95)
	case x < 0.82:
		return FormatTIFF, r.IntN(2)
	default:
		return FormatTIFFG4, 0
	}
}

func extOf(format string) string {
	switch format {
	case FormatJPEG:
		return ".jpg"
	case FormatTIFF, FormatTIFFG4:
		return ".tif"
	}
	return ".png"
}

// writeImage writes img to path in format with its resolution. param is
// the JPEG quality, or for TIFF 0 for LZW and 1 for Deflate.
func writeImage(path string, img image.Image, format string, param, dpi int) error {
	switch format {
	case FormatPNG8, FormatPNG16:
		if format == FormatPNG16 {
			img = to16(img)
		}
		b, err := ocr.EncodePNG(img, dpi, false)
		if err != nil {
			return err
		}
		return os.WriteFile(path, b, 0o644)
	case FormatJPEG:
		b, err := ocr.EncodeJPEG(img, dpi, param)
		if err != nil {
			return err
		}
		return os.WriteFile(path, b, 0o644)
	case FormatTIFF:
		c := leptonica.LZW
		if param == 1 {
			c = leptonica.ZIP
		}
		return leptonica.WriteTIFF(path, []leptonica.Page{{Image: img, Compression: c, DPI: dpi}})
	case FormatTIFFG4:
		return leptonica.WriteTIFF(path, []leptonica.Page{{Image: bilevel(img), Compression: leptonica.G4, DPI: dpi}})
	}
	return fmt.Errorf("unknown format %q", format)
}

// to16 widens an 8-bit image to 16 bits per sample (what a scanner's
// 16-bit mode writes).
func to16(img image.Image) image.Image {
	b := img.Bounds()
	if g, ok := img.(*image.Gray); ok {
		out := image.NewGray16(b)
		for i, v := range g.Pix {
			out.Pix[2*i], out.Pix[2*i+1] = v, v // v*257, big-endian
		}
		return out
	}
	out := image.NewRGBA64(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(x, y, color.RGBA64Model.Convert(img.At(x, y)))
		}
	}
	return out
}

// bilevel thresholds a page as a scanner in black-and-white mode does: at
// the Otsu level, kept between 70 and 180 so that a page of plain paper
// stays white.
func bilevel(img image.Image) *image.Gray {
	g := toGray(img)
	t := min(max(otsu(g), 70), 180)
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		if v > t {
			out.Pix[i] = 255
		}
	}
	return out
}
