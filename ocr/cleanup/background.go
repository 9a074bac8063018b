package cleanup

import (
	"image"
	"math"
)

// background estimates the paper's brightness over a: the brightest pixel
// of each k×k block, then a grey closing (maximum, then minimum, over
// (2r+1)² blocks) that fills in anything darker and smaller than that,
// then smoothed. Each pixel of the result stands for a k×k block of a.
// Text, specks and thin stain rims are darker than the paper around them
// and vanish from it; uneven light, grey or yellowed paper and broad
// stains stay, and dividing by it removes them.
//
// Dark areas larger than the closing (photographs, seals, black bars)
// would count as dim paper and be divided away. Light falls off and
// stains darken gradually, a photograph's edge is a step: paper is what
// can be reached from the brightest blocks without ever darkening by more
// than bgStep percent from one block to the next, and the blocks it cannot
// reach get the paper level around them, filled in from their edge.
func background(a *image.Gray, k, r int) *image.Gray {
	b := maxPool(a, k)
	b = minMax(b, r, true)
	b = minMax(b, r, false)
	fillNonPaper(b)
	boxBlur(b, 1)
	boxBlur(b, 1)
	return b
}

// bgStep is the most paper darkens from one background block to the next
// (a block is 1.4 mm; light falling off across a page changes by 1% or
// so, a stain's edge by 5%).
const bgStep = 10

// fillNonPaper finds the paper blocks of b (see background) and gives the
// others the mean of their paper neighbours, working inwards, in place.
func fillNonPaper(b *image.Gray) {
	w, h := b.Rect.Dx(), b.Rect.Dy()
	n := len(b.Pix)
	h0 := histogram(b, b.Rect)
	seed := uint8(percentile(h0, 0.9, 256))
	paper := make([]bool, n)
	queue := make([]int32, 0, n)
	for i, v := range b.Pix {
		if v >= seed {
			paper[i] = true
			queue = append(queue, int32(i))
		}
	}
	near := func(i int, f func(j int)) {
		x, y := i%w, i/w
		if x > 0 {
			f(i - 1)
		}
		if x < w-1 {
			f(i + 1)
		}
		if y > 0 {
			f(i - w)
		}
		if y < h-1 {
			f(i + w)
		}
	}
	for q := 0; q < len(queue); q++ {
		i := int(queue[q])
		near(i, func(j int) {
			if !paper[j] && int(b.Pix[j])*100 >= int(b.Pix[i])*(100-bgStep) {
				paper[j] = true
				queue = append(queue, int32(j))
			}
		})
	}
	if len(queue) == n {
		return
	}
	// Fill the rest from the paper inwards, a ring at a time.
	var todo, done []int
	for i := range n {
		if !paper[i] {
			todo = append(todo, i)
		}
	}
	for len(todo) > 0 {
		rest := todo[:0]
		done = done[:0]
		for _, i := range todo {
			sum, k := 0, 0
			near(i, func(j int) {
				if paper[j] {
					sum += int(b.Pix[j])
					k++
				}
			})
			if k == 0 {
				rest = append(rest, i)
				continue
			}
			b.Pix[i] = uint8(sum / k)
			done = append(done, i)
		}
		for _, i := range done {
			paper[i] = true
		}
		todo = rest
	}
}

// minMax is a separable maximum (max true) or minimum filter of radius r.
func minMax(src *image.Gray, r int, max_ bool) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	tmp := image.NewGray(src.Rect)
	pick := func(a, b uint8) uint8 {
		if (a > b) == max_ {
			return a
		}
		return b
	}
	for y := range h {
		in, out := src.Pix[y*src.Stride:y*src.Stride+w], tmp.Pix[y*tmp.Stride:]
		for x := range w {
			v := in[x]
			for i := max(0, x-r); i <= min(w-1, x+r); i++ {
				v = pick(v, in[i])
			}
			out[x] = v
		}
	}
	dst := image.NewGray(src.Rect)
	for y := range h {
		out := dst.Pix[y*dst.Stride:]
		for x := range w {
			v := tmp.Pix[y*tmp.Stride+x]
			for i := max(0, y-r); i <= min(h-1, y+r); i++ {
				v = pick(v, tmp.Pix[i*tmp.Stride+x])
			}
			out[x] = v
		}
	}
	return dst
}

// boxBlur smooths g in place with a (2r+1)² box, clamping at the edges.
func boxBlur(g *image.Gray, r int) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	line := make([]uint8, max(w, h))
	for y := range h {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		copy(line, row)
		for x := range w {
			s, n := 0, 0
			for i := max(0, x-r); i <= min(w-1, x+r); i++ {
				s += int(line[i])
				n++
			}
			row[x] = uint8((s + n/2) / n)
		}
	}
	for x := range w {
		for y := range h {
			line[y] = g.Pix[y*g.Stride+x]
		}
		for y := range h {
			s, n := 0, 0
			for i := max(0, y-r); i <= min(h-1, y+r); i++ {
				s += int(line[i])
				n++
			}
			g.Pix[y*g.Stride+x] = uint8((s + n/2) / n)
		}
	}
}

// flattener divides a page by its background and maps the result through
// a tone curve, at any resolution.
type flattener struct {
	bg *image.Gray
	// scale is how many pixels of the image being flattened one
	// background pixel covers.
	scale float64
	tone  *[256]uint8
	// mask, if set, marks pixels (at maskScale image pixels per mask
	// pixel) that are scanner border and become white.
	mask      *image.Gray
	maskScale int
	// hist, if set, counts the values written.
	hist *[256]int
}

// flatten writes the flattened pixels of r of src into dst, whose origin
// stands for r.Min (dst may be src itself when r.Min is (0, 0)).
func (f *flattener) flatten(dst, src *image.Gray, r image.Rectangle) {
	bw, bh := f.bg.Rect.Dx(), f.bg.Rect.Dy()
	// Per column: the two background columns and the weight (0..256) of
	// the right one.
	x0s := make([]int32, r.Dx())
	wxs := make([]int32, r.Dx())
	for i := range x0s {
		bx := (float64(r.Min.X+i)+0.5)/f.scale - 0.5
		bx = min(max(bx, 0), float64(bw-1))
		x0 := min(int(bx), bw-2)
		if bw == 1 {
			x0 = 0
		}
		x0s[i], wxs[i] = int32(x0), int32(math.Round((bx-float64(x0))*256))
	}
	// Reciprocal of the background (8.8 fixed point: 255*256/bg),
	// interpolated between two background rows for each image row.
	inv := make([]int32, bw+1)
	recip := func(v uint8) float64 { return 255 * 256 / float64(max(v, 16)) }
	for y := r.Min.Y; y < r.Max.Y; y++ {
		by := (float64(y)+0.5)/f.scale - 0.5
		by = min(max(by, 0), float64(bh-1))
		y0 := min(int(by), max(bh-2, 0))
		wy := by - float64(y0)
		r0 := f.bg.Pix[y0*f.bg.Stride:]
		r1 := r0
		if bh > 1 {
			r1 = f.bg.Pix[(y0+1)*f.bg.Stride:]
		}
		for x := range bw {
			inv[x] = int32(recip(r0[x])*(1-wy) + recip(r1[x])*wy)
		}
		inv[bw] = inv[bw-1]
		in := src.Pix[y*src.Stride+r.Min.X : y*src.Stride+r.Max.X]
		out := dst.Pix[(y-r.Min.Y)*dst.Stride:]
		for i, v := range in {
			x0, wx := x0s[i], wxs[i]
			q := (inv[x0]*(256-wx) + inv[x0+1]*wx) >> 8
			out[i] = f.tone[min((int32(v)*q)>>8, 255)]
		}
		if f.mask != nil {
			my := y / f.maskScale
			if my < f.mask.Rect.Dy() {
				mrow := f.mask.Pix[my*f.mask.Stride:]
				for i := range in {
					if mrow[(r.Min.X+i)/f.maskScale] != 0 {
						out[i] = 255
					}
				}
			}
		}
		if f.hist != nil {
			for _, v := range out[:len(in)] {
				f.hist[v]++
			}
		}
	}
}

// toneCurve maps the flattened ink level lo to black and everything from
// hi up to white (paper; bleed-through, stain rims and the lightest
// anti-aliasing go with it), linearly in between.
func toneCurve(lo, hi int) *[256]uint8 {
	var t [256]uint8
	for v := range t {
		switch {
		case v <= lo:
			t[v] = 0
		case v >= hi:
			t[v] = 255
		default:
			t[v] = uint8((255*(v-lo) + (hi-lo)/2) / (hi - lo))
		}
	}
	return &t
}

// identityTone leaves flattened values as they are.
var identityTone = func() *[256]uint8 {
	var t [256]uint8
	for v := range t {
		t[v] = uint8(v)
	}
	return &t
}()
