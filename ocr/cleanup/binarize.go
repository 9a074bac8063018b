package cleanup

import (
	"image"
)

// histogram counts the grey values of g inside r.
func histogram(g *image.Gray, r image.Rectangle) *[256]int {
	var h [256]int
	r = r.Intersect(g.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for _, v := range g.Pix[y*g.Stride+r.Min.X : y*g.Stride+r.Max.X] {
			h[v]++
		}
	}
	return &h
}

// otsu is the threshold that best separates the histogram into two classes
// (Otsu 1979): values below it are one class.
func otsu(h *[256]int) int {
	total, sum := 0, 0.0
	for v, n := range h {
		total += n
		sum += float64(v * n)
	}
	best, bestVar := 128, -1.0
	wb, sb := 0, 0.0
	for t := range 256 {
		wb += h[t]
		if wb == 0 {
			continue
		}
		wf := total - wb
		if wf == 0 {
			break
		}
		sb += float64(t * h[t])
		mb, mf := sb/float64(wb), (sum-sb)/float64(wf)
		v := float64(wb) * float64(wf) * (mb - mf) * (mb - mf)
		if v > bestVar {
			best, bestVar = t+1, v
		}
	}
	return best
}

// percentile is the smallest value v with at least p (0..1) of the counted
// pixels at or below v, counting only values below limit.
func percentile(h *[256]int, p float64, limit int) int {
	total := 0
	for v := range limit {
		total += h[v]
	}
	if total == 0 {
		return limit
	}
	need, n := int(p*float64(total)), 0
	for v := range limit {
		n += h[v]
		if n > need {
			return v
		}
	}
	return limit - 1
}

// sauvola binarises g (Sauvola and Pietikäinen 2000): a pixel is ink when
// it is darker than m·(1 + k·(s/128 − 1)), m and s being the mean and
// standard deviation over a win×win window around it. The window sums
// slide over the image (column sums updated row by row, then a running
// sum along the row), which costs the same per pixel as integral images
// without their two 64-bit full-size tables. Ink is 0, paper 255.
func sauvola(g *image.Gray, win int, k float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	r := win / 2
	dst := image.NewGray(g.Rect)
	colS := make([]uint32, w)
	colQ := make([]uint32, w)
	addRow := func(y int, sign int) {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		if sign > 0 {
			for x, v := range row {
				colS[x] += uint32(v)
				colQ[x] += uint32(v) * uint32(v)
			}
		} else {
			for x, v := range row {
				colS[x] -= uint32(v)
				colQ[x] -= uint32(v) * uint32(v)
			}
		}
	}
	for y := 0; y < min(r, h); y++ {
		addRow(y, 1)
	}
	kk := float32(k)
	for y := range h {
		if y+r < h {
			addRow(y+r, 1)
		}
		if y-r-1 >= 0 {
			addRow(y-r-1, -1)
		}
		rows := uint32(min(h-1, y+r) - max(0, y-r) + 1)
		var s, q uint64
		for x := 0; x < min(r, w); x++ {
			s += uint64(colS[x])
			q += uint64(colQ[x])
		}
		in := g.Pix[y*g.Stride : y*g.Stride+w]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for x, v := range in {
			if x+r < w {
				s += uint64(colS[x+r])
				q += uint64(colQ[x+r])
			}
			if x-r-1 >= 0 {
				s -= uint64(colS[x-r-1])
				q -= uint64(colQ[x-r-1])
			}
			n := float32(rows * uint32(min(w-1, x+r)-max(0, x-r)+1))
			m := float32(s) / n
			fv := float32(v)
			// The threshold is below the mean (s < 128 for 8-bit data), so
			// anything at or above the mean is paper.
			if fv >= m {
				out[x] = 255
				continue
			}
			variance := float32(q)/n - m*m
			// Ink iff v < m(1-k) + m·k·sd/128, i.e. sd > (v - m(1-k))·128/(m·k).
			lhs := (fv - m*(1-kk)) * 128 / (m * kk)
			if lhs < 0 || lhs*lhs < variance {
				out[x] = 0
			} else {
				out[x] = 255
			}
		}
	}
	return dst
}

// threshold maps g to ink (0) below t and paper (255) from t up, in place.
func threshold(g *image.Gray, t int) {
	var lut [256]uint8
	for v := range lut {
		if v >= t {
			lut[v] = 255
		}
	}
	for y := range g.Rect.Dy() {
		row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
		for x, v := range row {
			row[x] = lut[v]
		}
	}
}
