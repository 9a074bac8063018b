package cleanup

import (
	"image"
	"slices"
)

// run is a horizontal run of ink pixels [x0, x1) on row y.
type run struct {
	y, x0, x1 int32
	comp      int32 // index into the components, after labelling
}

// component is an 8-connected set of ink pixels.
type component struct {
	x0, y0, x1, y1 int32 // bounding box, max exclusive
	area           int32
}

func (c *component) w() int32 { return c.x1 - c.x0 }
func (c *component) h() int32 { return c.y1 - c.y0 }

// labelling is the ink of an image split into connected components.
type labelling struct {
	runs  []run
	comps []component
}

// label finds the 8-connected components of the pixels of g darker than
// thr inside r (coordinates stay those of g). It works on runs, which is
// fast on pages (mostly paper) and needs no label image.
func label(g *image.Gray, r image.Rectangle, thr uint8) *labelling {
	r = r.Intersect(g.Rect)
	runs := make([]run, 0, 1024)
	var parent []int32
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int32) {
		a, b = find(a), find(b)
		if a < b {
			parent[b] = a
		} else if b < a {
			parent[a] = b
		}
	}
	prevStart, prevEnd := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := g.Pix[y*g.Stride:] // images here have their origin at (0, 0)
		start := len(runs)
		k := prevStart // first run above that may touch the next run here
		for x := r.Min.X; x < r.Max.X; {
			if row[x] >= thr {
				x++
				continue
			}
			x0 := x
			for x < r.Max.X && row[x] < thr {
				x++
			}
			id := int32(len(runs))
			runs = append(runs, run{y: int32(y), x0: int32(x0), x1: int32(x)})
			parent = append(parent, id)
			// Join the runs of the row above that touch this one
			// (8-connected: they may meet at a corner).
			for k < prevEnd && runs[k].x1 < int32(x0) {
				k++
			}
			for j := k; j < prevEnd && runs[j].x0 <= int32(x); j++ {
				union(int32(j), id)
			}
		}
		prevStart, prevEnd = start, len(runs)
	}
	l := &labelling{runs: runs}
	index := make([]int32, len(runs))
	for i := range runs {
		root := find(int32(i))
		if int32(i) == root {
			index[i] = int32(len(l.comps))
			rr := runs[i]
			l.comps = append(l.comps, component{x0: rr.x0, y0: rr.y, x1: rr.x1, y1: rr.y + 1})
		}
		ci := index[root]
		runs[i].comp = ci
		c := &l.comps[ci]
		rr := runs[i]
		c.x0, c.x1 = min(c.x0, rr.x0), max(c.x1, rr.x1)
		c.y0, c.y1 = min(c.y0, rr.y), max(c.y1, rr.y+1)
		c.area += rr.x1 - rr.x0
	}
	return l
}

// characterLike says whether c could be a character: not a speck (at
// least minH tall), not a rule, a frame or a picture, and solid (a
// character covers a fair share of its box; a ring of noise does not).
// sideways measures its height across the page.
func (c *component) characterLike(minH int32, sideways bool) bool {
	w, h := c.w(), c.h()
	if sideways {
		w, h = h, w
	}
	return h >= minH && w <= 4*h && h <= 4*w && h <= 200 && c.area*8 >= w*h
}

// characters counts the components that could be characters at least
// minH tall.
func (l *labelling) characters(minH int32) int {
	n := 0
	for i := range l.comps {
		if l.comps[i].characterLike(minH, false) {
			n++
		}
	}
	return n
}

// textHeight is the median height of the components that look like
// characters (not specks, rules, pictures or page borders), and how many
// there are. sideways measures widths instead (for a page on its side).
func (l *labelling) textHeight(sideways bool) (float64, int) {
	hs := make([]int32, 0, len(l.comps))
	for i := range l.comps {
		c := &l.comps[i]
		if !c.characterLike(4, sideways) {
			continue
		}
		if sideways {
			hs = append(hs, c.w())
		} else {
			hs = append(hs, c.h())
		}
	}
	if len(hs) == 0 {
		return 0, 0
	}
	slices.Sort(hs)
	// Diacritics and punctuation are small; the median of the upper half
	// (letters with and without ascenders) is steadier than the plain median.
	upper := hs[len(hs)/4:]
	return float64(upper[len(upper)/2]), len(hs)
}
