package docmeta

import (
	"image"
	"image/color"
	"math"
	"slices"
)

// pixels gives the header reader the page's pixels: the grey image the
// OCR coordinates refer to, and its colour version when there is one.
type pixels struct {
	gray  image.Image
	color image.Image // nil for a grey original
}

// lum is the grey level at (x, y), 0 (black) to 255; white outside the
// image.
func (p *pixels) lum(x, y int) uint8 {
	if !(image.Point{x, y}.In(p.gray.Bounds())) {
		return 255
	}
	switch g := p.gray.(type) {
	case *image.Gray:
		return g.Pix[g.PixOffset(x, y)]
	case *image.RGBA:
		i := g.PixOffset(x, y)
		return grey(g.Pix[i], g.Pix[i+1], g.Pix[i+2])
	case *image.YCbCr:
		return g.Y[g.YOffset(x, y)]
	}
	return color.GrayModel.Convert(p.gray.At(x, y)).(color.Gray).Y
}

// rgb is the colour at (x, y), and false when there is no colour version
// or (x, y) is outside it.
func (p *pixels) rgb(x, y int) (r, g, b uint8, ok bool) {
	if p.color == nil || !(image.Point{x, y}.In(p.color.Bounds())) {
		return 0, 0, 0, false
	}
	switch c := p.color.(type) {
	case *image.YCbCr:
		yi, ci := c.YOffset(x, y), c.COffset(x, y)
		r, g, b = color.YCbCrToRGB(c.Y[yi], c.Cb[ci], c.Cr[ci])
		return r, g, b, true
	case *image.RGBA:
		i := c.PixOffset(x, y)
		return c.Pix[i], c.Pix[i+1], c.Pix[i+2], true
	}
	R, G, B, _ := p.color.At(x, y).RGBA()
	return uint8(R >> 8), uint8(G >> 8), uint8(B >> 8), true
}

func grey(r, g, b uint8) uint8 {
	return uint8((299*int(r) + 587*int(g) + 114*int(b) + 500) / 1000)
}

// blob is a connected piece of ink: a glyph, part of one, or several
// touching ones.
type blob struct {
	box image.Rectangle
	n   int // ink pixels
	// stroke is the median, over the blob's pixels, of the shorter of the
	// horizontal and vertical ink runs through the pixel: the pen's
	// width.
	stroke float64
	// cb, cr are the mean chroma of its pixels (YCbCr, 0 = grey; blue ink
	// has cb > 0, red cr > 0), when there is a colour version.
	cb, cr   float64
	hasColor bool
}

// inkMask binarises the rectangle r of the page at Otsu's threshold of
// its grey levels (kept between 60 and 200, so that a nearly blank or
// nearly black rectangle does not make noise ink). It returns one bool per
// pixel, row by row, and the rectangle actually covered.
func (p *pixels) inkMask(r image.Rectangle) ([]bool, image.Rectangle) {
	r = r.Intersect(p.gray.Bounds())
	if r.Empty() {
		return nil, r
	}
	var hist [256]int
	lums := make([]uint8, r.Dx()*r.Dy())
	i := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := p.lum(x, y)
			lums[i] = v
			hist[v]++
			i++
		}
	}
	t := min(200, max(60, otsu(hist[:], len(lums))))
	mask := make([]bool, len(lums))
	for i, v := range lums {
		mask[i] = int(v) < t
	}
	return mask, r
}

// otsu is the threshold that best separates a histogram's two classes.
func otsu(hist []int, total int) int {
	sum := 0.0
	for i, h := range hist {
		sum += float64(i * h)
	}
	var sumB, wB float64
	best, bestVar := 128, -1.0
	for t, h := range hist {
		wB += float64(h)
		if wB == 0 {
			continue
		}
		wF := float64(total) - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * h)
		mB, mF := sumB/wB, (sum-sumB)/wF
		if v := wB * wF * (mB - mF) * (mB - mF); v > bestVar {
			best, bestVar = t+1, v
		}
	}
	return best
}

// blobs finds the ink blobs in the rectangle r of the page (8-connected),
// leaving out specks smaller than minPixels.
func (p *pixels) blobs(r image.Rectangle, minPixels int) []blob {
	mask, r := p.inkMask(r)
	if len(mask) == 0 {
		return nil
	}
	w, h := r.Dx(), r.Dy()
	// The pen width at each pixel: the shorter of its runs.
	run := make([]int32, len(mask))
	for y := range h {
		row := y * w
		for x := 0; x < w; {
			if !mask[row+x] {
				x++
				continue
			}
			e := x
			for e < w && mask[row+e] {
				e++
			}
			for k := x; k < e; k++ {
				run[row+k] = int32(e - x)
			}
			x = e
		}
	}
	for x := range w {
		for y := 0; y < h; {
			if !mask[y*w+x] {
				y++
				continue
			}
			e := y
			for e < h && mask[e*w+x] {
				e++
			}
			for k := y; k < e; k++ {
				run[k*w+x] = min(run[k*w+x], int32(e-y))
			}
			y = e
		}
	}
	label := make([]int32, len(mask))
	var out []blob
	var stack []int
	var runs []int32
	for start := range mask {
		if !mask[start] || label[start] != 0 {
			continue
		}
		id := int32(len(out) + 1)
		label[start] = id
		stack = append(stack[:0], start)
		runs = runs[:0]
		var bx image.Rectangle
		var cb, cr float64
		colored := 0
		n := 0
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%w, i/w
			n++
			runs = append(runs, run[i])
			px, py := r.Min.X+x, r.Min.Y+y
			bx = bx.Union(image.Rect(px, py, px+1, py+1))
			if R, G, B, ok := p.rgb(px, py); ok {
				_, u, v := color.RGBToYCbCr(R, G, B)
				cb += float64(u) - 128
				cr += float64(v) - 128
				colored++
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					j := ny*w + nx
					if mask[j] && label[j] == 0 {
						label[j] = id
						stack = append(stack, j)
					}
				}
			}
		}
		if n < minPixels {
			out = append(out, blob{}) // keep ids dense; dropped below
			continue
		}
		b := blob{box: bx, n: n, stroke: middleMean(runs)}
		if colored > 0 {
			b.cb, b.cr, b.hasColor = cb/float64(colored), cr/float64(colored), true
		}
		out = append(out, b)
	}
	return slices.DeleteFunc(out, func(b blob) bool { return b.n == 0 })
}

// chroma is how far from grey a blob's ink is.
func (b blob) chroma() float64 { return math.Hypot(b.cb, b.cr) }

// middleMean is the mean of the middle half of vs (sorted in place): a
// pen width finer than the median's whole pixels, and as robust.
func middleMean(vs []int32) float64 {
	slices.Sort(vs)
	lo, hi := len(vs)/4, len(vs)-len(vs)/4
	if hi <= lo {
		return float64(vs[len(vs)/2])
	}
	sum := 0.0
	for _, v := range vs[lo:hi] {
		sum += float64(v)
	}
	return sum / float64(hi-lo)
}
