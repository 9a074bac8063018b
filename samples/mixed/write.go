package mixed

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/source/leptonica"
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
	if _, ok := img.(*image.Gray); ok {
		g := toGray(img)
		out := image.NewGray16(g.Rect)
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

// bilevel thresholds a page as a scanner's black-and-white mode does,
// against the local paper level: a pixel is black when it is darker than
// 72% of the paper around it, so grey paper or uneven light does not turn
// black.
func bilevel(img image.Image) *image.Gray {
	g := toGray(img)
	bg := background(g)
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		if int(v)*100 >= int(bg.Pix[i])*72 {
			out.Pix[i] = 255
		}
	}
	return out
}

// background estimates the paper level under every pixel: the 90th
// percentile of blocks of about 64 px, the largest of each block and its
// neighbours (so a block filled by a stamp or a heading takes the paper
// around it), interpolated bilinearly.
func background(g *image.Gray) *image.Gray {
	const bs = 64
	w, h := g.Rect.Dx(), g.Rect.Dy()
	bw, bh := (w+bs-1)/bs, (h+bs-1)/bs
	level := make([]float64, bw*bh)
	for by := range bh {
		for bx := range bw {
			var hist [256]int
			n := 0
			for y := by * bs; y < min((by+1)*bs, h); y++ {
				for _, v := range g.Pix[y*g.Stride+bx*bs : y*g.Stride+min((bx+1)*bs, w)] {
					hist[v]++
					n++
				}
			}
			k, acc := 255, 0
			for ; k > 0; k-- {
				acc += hist[k]
				if acc*10 >= n {
					break
				}
			}
			level[by*bw+bx] = float64(k)
		}
	}
	spread := make([]float64, len(level))
	for by := range bh {
		for bx := range bw {
			m := 0.0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					x, y := bx+dx, by+dy
					if x >= 0 && y >= 0 && x < bw && y < bh {
						m = max(m, level[y*bw+x])
					}
				}
			}
			spread[by*bw+bx] = m
		}
	}
	out := image.NewGray(g.Rect)
	for y := range h {
		fy := min(max((float64(y)+0.5)/bs-0.5, 0), float64(bh-1))
		y0 := int(fy)
		y1 := min(y0+1, bh-1)
		ty := fy - float64(y0)
		for x := range w {
			fx := min(max((float64(x)+0.5)/bs-0.5, 0), float64(bw-1))
			x0 := int(fx)
			x1 := min(x0+1, bw-1)
			tx := fx - float64(x0)
			v := spread[y0*bw+x0]*(1-tx)*(1-ty) + spread[y0*bw+x1]*tx*(1-ty) + spread[y1*bw+x0]*(1-tx)*ty + spread[y1*bw+x1]*tx*ty
			out.Pix[y*out.Stride+x] = uint8(v)
		}
	}
	return out
}
