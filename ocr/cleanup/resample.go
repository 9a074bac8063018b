package cleanup

import (
	"image"
	"math"
)

// shrink averages f×f blocks (a box filter, what a scanner at 1/f the
// resolution would see). Partial blocks at the right and bottom edges are
// averaged over the pixels they have.
func shrink(src *image.Gray, f int) *image.Gray {
	if f <= 1 {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	ow, oh := (w+f-1)/f, (h+f-1)/f
	dst := image.NewGray(image.Rect(0, 0, ow, oh))
	if f == 2 && w%2 == 0 && h%2 == 0 {
		for oy := range oh {
			r0 := src.Pix[2*oy*src.Stride : 2*oy*src.Stride+w]
			r1 := src.Pix[(2*oy+1)*src.Stride : (2*oy+1)*src.Stride+w]
			out := dst.Pix[oy*dst.Stride : oy*dst.Stride+ow]
			for ox := range out {
				s := uint32(r0[2*ox]) + uint32(r0[2*ox+1]) + uint32(r1[2*ox]) + uint32(r1[2*ox+1])
				out[ox] = uint8((s + 2) >> 2)
			}
		}
		return dst
	}
	acc := make([]uint32, ow)
	for oy := range oh {
		clear(acc)
		y0, y1 := oy*f, min(oy*f+f, h)
		for y := y0; y < y1; y++ {
			row := src.Pix[y*src.Stride : y*src.Stride+w]
			for ox := range ow {
				x0, x1 := ox*f, min(ox*f+f, w)
				s := uint32(0)
				for _, v := range row[x0:x1] {
					s += uint32(v)
				}
				acc[ox] += s
			}
		}
		out := dst.Pix[oy*dst.Stride:]
		for ox := range ow {
			n := uint32((min(ox*f+f, w) - ox*f) * (y1 - y0))
			out[ox] = uint8((acc[ox] + n/2) / n)
		}
	}
	return dst
}

// maxPool keeps the brightest pixel of each f×f block.
func maxPool(src *image.Gray, f int) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	ow, oh := (w+f-1)/f, (h+f-1)/f
	dst := image.NewGray(image.Rect(0, 0, ow, oh))
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+w]
		out := dst.Pix[(y/f)*dst.Stride:]
		for x, v := range row {
			if v > out[x/f] {
				out[x/f] = v
			}
		}
	}
	return dst
}

// affine maps output pixel centres (x, y) to source coordinates:
// (a*x + b*y + c, d*x + e*y + f).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.b*y + m.c, m.d*x + m.e*y + m.f
}

// then is m followed by n: n(m(p)).
func (m affine) then(n affine) affine {
	return affine{
		a: n.a*m.a + n.b*m.d, b: n.a*m.b + n.b*m.e, c: n.a*m.c + n.b*m.f + n.c,
		d: n.d*m.a + n.e*m.d, e: n.d*m.b + n.e*m.e, f: n.d*m.c + n.e*m.f + n.f,
	}
}

func translate(dx, dy float64) affine { return affine{a: 1, c: dx, e: 1, f: dy} }
func scaling(s float64) affine        { return affine{a: s, e: s} }

// rotation turns by deg degrees counter-clockwise as seen on screen (y
// down) about the origin.
func rotation(deg float64) affine {
	s, c := math.Sincos(deg * math.Pi / 180)
	return affine{a: c, b: s, d: -s, e: c}
}

// quarterTurn maps pixel centres of an upright w×h page to the same page
// turned deg (0, 90, 180, 270) degrees clockwise.
func quarterTurn(deg int, w, h int) affine {
	W, H := float64(w-1), float64(h-1)
	switch deg {
	case 90:
		return affine{b: -1, c: H, d: 1}
	case 180:
		return affine{a: -1, c: W, e: -1, f: H}
	case 270:
		return affine{b: 1, d: -1, f: W}
	}
	return affine{a: 1, e: 1}
}

// warp makes a w×h image whose pixel (x, y) is src sampled bilinearly at
// m(x, y); outside src it is fill, blended at the edges.
func warp(src *image.Gray, w, h int, m affine, fill uint8) *image.Gray {
	dst := image.NewGray(image.Rect(0, 0, w, h))
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	const one = 1 << 16
	fa, fd := int64(math.Round(m.a*one)), int64(math.Round(m.d*one))
	F := int32(fill)
	for y := range h {
		sx0, sy0 := m.apply(0, float64(y))
		// Fixed point 16.16, stepping along the row.
		fx, fy := int64(math.Round(sx0*one)), int64(math.Round(sy0*one))
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for x := range out {
			ix, iy := fx>>16, fy>>16
			wx, wy := int32(fx>>8)&0xff, int32(fy>>8)&0xff
			fx += fa
			fy += fd
			if ix >= 0 && iy >= 0 && ix < int64(sw-1) && iy < int64(sh-1) {
				i := int(iy)*src.Stride + int(ix)
				p00, p01 := int32(src.Pix[i]), int32(src.Pix[i+1])
				p10, p11 := int32(src.Pix[i+src.Stride]), int32(src.Pix[i+src.Stride+1])
				top := p00<<8 + (p01-p00)*wx
				bot := p10<<8 + (p11-p10)*wx
				out[x] = uint8((top<<8 + (bot-top)*wy + 1<<15) >> 16)
				continue
			}
			if ix < -1 || iy < -1 || ix >= int64(sw) || iy >= int64(sh) {
				out[x] = fill
				continue
			}
			get := func(x, y int64) int32 {
				if x < 0 || y < 0 || x >= int64(sw) || y >= int64(sh) {
					return F
				}
				return int32(src.Pix[int(y)*src.Stride+int(x)])
			}
			p00, p01 := get(ix, iy), get(ix+1, iy)
			p10, p11 := get(ix, iy+1), get(ix+1, iy+1)
			top := p00<<8 + (p01-p00)*wx
			bot := p10<<8 + (p11-p10)*wx
			out[x] = uint8((top<<8 + (bot-top)*wy + 1<<15) >> 16)
		}
	}
	return dst
}

// crop copies r out of src into a new image with its origin at (0, 0).
func crop(src *image.Gray, r image.Rectangle) *image.Gray {
	dst := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := range r.Dy() {
		copy(dst.Pix[y*dst.Stride:y*dst.Stride+r.Dx()], src.Pix[src.PixOffset(r.Min.X, r.Min.Y+y):])
	}
	return dst
}
