package main

import (
	"image"
	"math"
)

// alphaMask is ink coverage, 0 (paper) to 255 (full ink), as the page is
// typeset; paper and ink tones are applied later.
type alphaMask struct{ *image.Alpha }

func newAlphaMask(w, h int) *alphaMask {
	return &alphaMask{image.NewAlpha(image.Rect(0, 0, w, h))}
}

// over composites a glyph coverage mask at dr (mask origin mp) over the ink.
func (a *alphaMask) over(dr image.Rectangle, mask image.Image, mp image.Point) {
	r := dr.Intersect(a.Rect)
	m, isAlpha := mask.(*image.Alpha)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			mx, my := mp.X+x-dr.Min.X, mp.Y+y-dr.Min.Y
			var c uint32
			if isAlpha {
				c = uint32(m.AlphaAt(mx, my).A)
			} else {
				_, _, _, aa := mask.At(mx, my).RGBA()
				c = aa >> 8
			}
			if c == 0 {
				continue
			}
			i := a.PixOffset(x, y)
			o := uint32(a.Pix[i])
			a.Pix[i] = uint8(c + o - (c*o+127)/255)
		}
	}
}

// fillRect fills the rectangle [x0,x1)×[y0,y1) with full ink, with
// fractional edges anti-aliased.
func (a *alphaMask) fillRect(x0, y0, x1, y1 float64) {
	b := a.Rect
	for y := max(int(math.Floor(y0)), b.Min.Y); y < min(int(math.Ceil(y1)), b.Max.Y); y++ {
		cy := overlap(float64(y), y0, y1)
		for x := max(int(math.Floor(x0)), b.Min.X); x < min(int(math.Ceil(x1)), b.Max.X); x++ {
			c := uint32(math.Round(255 * cy * overlap(float64(x), x0, x1)))
			i := a.PixOffset(x, y)
			o := uint32(a.Pix[i])
			a.Pix[i] = uint8(c + o - (c*o+127)/255)
		}
	}
}

// overlap is the length of [p, p+1) ∩ [lo, hi).
func overlap(p, lo, hi float64) float64 {
	return max(0, min(p+1, hi)-max(p, lo))
}
