package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
)

// JPEGQuality is the JPEG quality (1..100, image/jpeg's scale) of greyscale
// and colour page images. On the package's benchmark page (a dense 300 dpi
// A4 text page) 80 gives 667 KB against 1089 KB at 95 and 612 KB at 75,
// with a mean error of 0.6 grey levels; the largest errors (about 40 grey
// levels) are ringing at stroke edges.
const JPEGQuality = 80

// pageImage is a page image encoded for an image XObject.
type pageImage struct {
	data          []byte
	width, height int
	// dict is the image dictionary's entries other than Type, Subtype,
	// Width, Height and Length.
	dict string
	kind string // "jpeg" or "ccitt", as pdfimages reports it
}

// encodeImage encodes img for the PDF:
//
//   - a bilevel image (every pixel black or white) as CCITT Group 4, 1 bit
//     per pixel, DeviceGray;
//   - any other greyscale image as an 8-bit greyscale JPEG, DeviceGray;
//   - anything else as a colour JPEG, DeviceRGB, transparent areas made
//     white (PDF/A allows no soft masks).
func encodeImage(img image.Image) (pageImage, error) {
	b := img.Bounds()
	if b.Empty() {
		return pageImage{}, fmt.Errorf("image has no pixels (%v)", b)
	}
	p := pageImage{width: b.Dx(), height: b.Dy()}
	gray, isGray := asGray(img)
	if isGray && bilevel(gray) {
		p.data = encodeG4(gray)
		p.kind = "ccitt"
		p.dict = fmt.Sprintf("/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode "+
			"/DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 false /EndOfBlock true >>", p.width, p.height)
		return p, nil
	}
	var src image.Image = gray
	p.dict = "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode"
	if !isGray {
		src = opaque(img)
		p.dict = "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return pageImage{}, fmt.Errorf("encode jpeg: %w", err)
	}
	p.data = buf.Bytes()
	p.kind = "jpeg"
	return p, nil
}

// jpegImage takes an encoded JPEG as the page image, as it is: grey or
// YCbCr colour (a CMYK JPEG would need a Decode array and is refused).
func jpegImage(b []byte) (pageImage, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return pageImage{}, fmt.Errorf("page JPEG: %w", err)
	}
	p := pageImage{data: b, width: cfg.Width, height: cfg.Height, kind: "jpeg"}
	switch cfg.ColorModel {
	case color.GrayModel:
		p.dict = "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode"
	case color.YCbCrModel, color.RGBAModel:
		p.dict = "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
	default:
		return pageImage{}, fmt.Errorf("page JPEG: colour model %T is not grey or RGB", cfg.ColorModel)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return pageImage{}, fmt.Errorf("page JPEG has no pixels (%dx%d)", cfg.Width, cfg.Height)
	}
	return p, nil
}

// asGray returns img as an 8-bit greyscale image when it is one: an
// *image.Gray as is; a 16-bit grey, or a palette of greys only, converted.
func asGray(img image.Image) (*image.Gray, bool) {
	switch m := img.(type) {
	case *image.Gray:
		return m, true
	case *image.Paletted:
		for _, c := range m.Palette {
			r, g, b, a := c.RGBA()
			if r != g || g != b || a != 0xffff {
				return nil, false
			}
		}
	default:
		if img.ColorModel() != color.Gray16Model {
			return nil, false
		}
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	return g, true
}

// bilevel reports whether every pixel is 0 or 255.
func bilevel(g *image.Gray) bool {
	w := g.Rect.Dx()
	for y := range g.Rect.Dy() {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+w] {
			if v != 0 && v != 0xff {
				return false
			}
		}
	}
	return true
}

// opaque returns img composited over white when it may have transparent
// pixels, else img.
func opaque(img image.Image) image.Image {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return img
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Over)
	return dst
}
