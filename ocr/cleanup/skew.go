package cleanup

import (
	"math"
)

// point is a weighted position on a text line, used to find the lines'
// direction.
type point struct{ x, y, w float32 }

// basePoints are where text lines run: the bottom centre of each
// character-sized component (most sit on the baseline), and points every
// few pixels along horizontal rules (underlines, table rules: the
// straightest lines on a page). Coordinates are moved into the page's
// upright frame by turn (which maps analysis coordinates to it).
func (l *labelling) basePoints(textH float64, turn func(x, y float32) (float32, float32)) []point {
	maxH := float32(max(4*textH, 8))
	minH := float32(max(textH/3, 2))
	pts := make([]point, 0, len(l.comps))
	for i := range l.comps {
		c := &l.comps[i]
		// The box in the upright frame.
		x0, y0 := turn(float32(c.x0), float32(c.y0))
		x1, y1 := turn(float32(c.x1-1), float32(c.y1-1))
		x0, x1 = min(x0, x1), max(x0, x1)
		y0, y1 = min(y0, y1), max(y0, y1)
		w, h := x1-x0+1, y1-y0+1
		switch {
		case h >= minH && h <= maxH && w <= 4*maxH:
			pts = append(pts, point{x: (x0 + x1) / 2, y: y1, w: 1})
		case h < minH && w >= 4*float32(textH):
			// A rule: one point per text height along it.
			step := float32(max(textH, 2))
			for x := x0; x <= x1; x += step {
				pts = append(pts, point{x: x, y: (y0 + y1) / 2, w: 1})
			}
		}
	}
	return pts
}

// sharpness is how sharply the points' projection along direction deg
// (degrees counter-clockwise, as text lines turned that way run) peaks:
// the sum of squared bin counts (Baird 1987). Points are spread over two
// neighbouring bins in proportion, so the score varies smoothly with the
// angle. bins is scratch space.
func sharpness(pts []point, deg float64, bins []float32) float64 {
	clear(bins)
	t := float32(math.Tan(deg * math.Pi / 180))
	// A line turned counter-clockwise by deg rises to the right: y + x·tan
	// is the same all along it.
	off := float32(len(bins)) / 2
	n := len(bins) - 1
	for _, p := range pts {
		v := p.y + p.x*t + off
		i := int(v)
		if i < 0 || i >= n {
			continue
		}
		f := v - float32(i)
		bins[i] += p.w * (1 - f)
		bins[i+1] += p.w * f
	}
	s := 0.0
	for _, b := range bins {
		s += float64(b) * float64(b)
	}
	return s
}

// findSkew finds the angle (degrees, counter-clockwise) within ±maxDeg at
// which the points line up best, to about 0.05°, and the sharpness there.
// w and h bound the points' coordinates.
func findSkew(pts []point, w, h int, maxDeg float64) (deg, score float64) {
	if len(pts) == 0 {
		return 0, 0
	}
	// Bins must hold y + x·tan for any angle searched, centred.
	bins := make([]float32, 2*(h+int(float64(w)*math.Tan(maxDeg*math.Pi/180)))+4)
	best, bestS := 0.0, -1.0
	// Coarse: a line of text stays in its bin over a fraction of a degree
	// at analysis resolution; 0.4° steps cannot step over the peak.
	coarse := pts
	if len(pts) > 60000 {
		coarse = make([]point, 0, len(pts)/2+1)
		for i := 0; i < len(pts); i += 2 {
			coarse = append(coarse, pts[i])
		}
	}
	for a := -maxDeg; a <= maxDeg+1e-9; a += 0.4 {
		if s := sharpness(coarse, a, bins); s > bestS {
			best, bestS = a, s
		}
	}
	// Fine, around the best coarse angle.
	lo, step := best-0.5, 0.05
	scores := make([]float64, 21)
	bi := 0
	for i := range scores {
		scores[i] = sharpness(pts, lo+float64(i)*step, bins)
		if scores[i] > scores[bi] {
			bi = i
		}
	}
	deg, score = lo+float64(bi)*step, scores[bi]
	// A parabola through the best and its neighbours places the peak
	// between the steps.
	if bi > 0 && bi < len(scores)-1 {
		a, b, c := scores[bi-1], scores[bi], scores[bi+1]
		if d := a - 2*b + c; d < 0 {
			deg += step * 0.5 * (a - c) / d
		}
	}
	return deg, score
}
