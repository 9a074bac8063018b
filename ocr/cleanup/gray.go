package cleanup

import (
	"image"
	"image/color"
)

// Gray converts any image to 8-bit greyscale with its origin at (0, 0).
// Colour uses Rec. 601 luma; transparent areas become white (paper). An
// *image.Gray whose origin is (0, 0) is returned as is (not copied).
func Gray(img image.Image) *image.Gray {
	b := img.Bounds()
	if g, ok := img.(*image.Gray); ok && b.Min == (image.Point{}) {
		return g
	}
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	w, h := b.Dx(), b.Dy()
	switch src := img.(type) {
	case *image.Gray:
		for y := range h {
			copy(out.Pix[y*out.Stride:y*out.Stride+w], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		// Y is the luma already (JPEG's full-range BT.601).
		for y := range h {
			copy(out.Pix[y*out.Stride:y*out.Stride+w], src.Y[src.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		for y := range h {
			row := out.Pix[y*out.Stride : y*out.Stride+w]
			s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range row {
				p := s[4*x : 4*x+4 : 4*x+4]
				// Premultiplied: composite over white by adding the missing coverage.
				wt := 255 - uint32(p[3])
				row[x] = luma8(uint32(p[0])+wt, uint32(p[1])+wt, uint32(p[2])+wt)
			}
		}
	case *image.NRGBA:
		for y := range h {
			row := out.Pix[y*out.Stride : y*out.Stride+w]
			s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range row {
				p := s[4*x : 4*x+4 : 4*x+4]
				a := uint32(p[3])
				if a == 255 {
					row[x] = luma8(uint32(p[0]), uint32(p[1]), uint32(p[2]))
					continue
				}
				wt := 255 * (255 - a)
				row[x] = luma8((uint32(p[0])*a+wt)/255, (uint32(p[1])*a+wt)/255, (uint32(p[2])*a+wt)/255)
			}
		}
	case *image.Gray16:
		for y := range h {
			row := out.Pix[y*out.Stride : y*out.Stride+w]
			s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range row {
				row[x] = s[2*x] // high byte
			}
		}
	case *image.Paletted:
		var lut [256]uint8
		for i, c := range src.Palette {
			lut[i] = grayOf(c)
		}
		for y := range h {
			row := out.Pix[y*out.Stride : y*out.Stride+w]
			s := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range row {
				row[x] = lut[s[x]]
			}
		}
	default:
		for y := range h {
			row := out.Pix[y*out.Stride:]
			for x := range w {
				row[x] = grayOf(img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
	}
	return out
}

// luma8 is Rec. 601 luma of 8-bit components (sums above 255 from
// compositing are clamped).
func luma8(r, g, b uint32) uint8 {
	return uint8(min((19595*r+38470*g+7471*b+1<<15)>>16, 255))
}

// grayOf is the luma of any colour composited over white.
func grayOf(c color.Color) uint8 {
	r, g, b, a := c.RGBA()
	w := 0xffff - a
	r, g, b = r+w, g+w, b+w
	return uint8(min((19595*r+38470*g+7471*b+1<<15)>>24, 255))
}
