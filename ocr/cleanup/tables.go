package cleanup

import (
	"image"
	"slices"

	"github.com/sohoa/sohoa/ocr"
)

// eraseRules whitens the rules of tables in g: every pixel within half
// of a rule's centre line, along the table.
func eraseRules(g *image.Gray, tables []ocr.Grid, half int) {
	b := g.Rect
	for _, t := range tables {
		x0, x1 := t.Cols[0]-half, t.Cols[len(t.Cols)-1]+half
		y0, y1 := t.Rows[0]-half, t.Rows[len(t.Rows)-1]+half
		for _, y := range t.Rows {
			fill(g, image.Rect(x0, y-half, x1+1, y+half+1).Intersect(b))
		}
		for _, x := range t.Cols {
			fill(g, image.Rect(x-half, y0, x+half+1, y1+1).Intersect(b))
		}
	}
}

func fill(g *image.Gray, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := g.Pix[g.PixOffset(r.Min.X, y):g.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = 255
		}
	}
}

// rule is a straight dark run: horizontal (y0..y1 thick, from x0 to x1)
// or vertical (x0..x1 thick, from y0 to y1).
type rule struct{ x0, y0, x1, y1 int }

// findTables finds ruled tables: at least three horizontal rules (two
// rows) that span the same width, crossed by at least three vertical rules
// (two columns) that run from the top rule to the bottom one. textH is the
// typical character height: rules are long next to it (a letter's stem
// or an underline under a title is not), and thin.
func findTables(g *image.Gray, textH float64) []ocr.Grid {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 8 || h < 8 || textH <= 0 {
		return nil
	}
	minH := max(w/8, int(8*textH))  // a horizontal rule's length
	minV := max(h/40, int(3*textH)) // a vertical rule's length
	maxThick := max(3, int(textH/3))
	const ink = 128

	// Horizontal runs first: most pages have no three long rules, and
	// then the columns are never scanned.
	var hs, vs []rule
	for y := range h {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		start := -1
		for x := 0; x <= w; x++ {
			if x < w && row[x] < ink {
				if start < 0 {
					start = x
				}
			} else if start >= 0 {
				if x-start >= minH {
					hs = append(hs, rule{start, y, x - 1, y})
				}
				start = -1
			}
		}
	}
	hs = mergeRules(hs, true, maxThick)
	if len(hs) < 3 {
		return nil
	}
	// Vertical runs, row by row (cache friendly): where each column's
	// current run started.
	vstart := make([]int, w)
	for x := range vstart {
		vstart[x] = -1
	}
	for y := 0; y <= h; y++ {
		for x := range w {
			if y < h && g.Pix[y*g.Stride+x] < ink {
				if vstart[x] < 0 {
					vstart[x] = y
				}
			} else if vstart[x] >= 0 {
				if y-vstart[x] >= minV {
					vs = append(vs, rule{x, vstart[x], x, y - 1})
				}
				vstart[x] = -1
			}
		}
	}
	vs = mergeRules(vs, false, maxThick)
	if len(vs) < 3 {
		return nil
	}

	// Group horizontal rules of one table: about the same left and right
	// ends, one under the other.
	tol := max(4, int(textH/2))
	var tables []ocr.Grid
	used := make([]bool, len(hs))
	for i := range hs {
		if used[i] {
			continue
		}
		group := []rule{hs[i]}
		used[i] = true
		for j := i + 1; j < len(hs); j++ {
			if !used[j] && abs(hs[j].x0-hs[i].x0) <= tol && abs(hs[j].x1-hs[i].x1) <= tol {
				group = append(group, hs[j])
				used[j] = true
			}
		}
		if len(group) < 3 {
			continue
		}
		top, bottom := group[0], group[len(group)-1]
		var cols []int
		for _, v := range vs {
			cx := (v.x0 + v.x1) / 2
			if cx >= top.x0-tol && cx <= top.x1+tol && v.y0 <= top.y1+tol && v.y1 >= bottom.y0-tol {
				cols = append(cols, cx)
			}
		}
		if len(cols) < 3 {
			continue
		}
		t := ocr.Grid{Cols: cols}
		for _, r := range group {
			t.Rows = append(t.Rows, (r.y0+r.y1)/2)
		}
		tables = append(tables, t)
	}
	return tables
}

// mergeRules joins the one-pixel runs of a thick rule (neighbouring rows
// of a horizontal rule, columns of a vertical one) into one rule, sorted
// top to bottom (horizontal) or left to right (vertical); rules thicker
// than maxThick are solid areas, not rules, and are dropped.
func mergeRules(rs []rule, horizontal bool, maxThick int) []rule {
	across := func(r rule) int { // position across the rule
		if horizontal {
			return r.y0
		}
		return r.x0
	}
	along := func(r rule) (int, int) {
		if horizontal {
			return r.x0, r.x1
		}
		return r.y0, r.y1
	}
	slices.SortFunc(rs, func(a, b rule) int {
		if d := across(a) - across(b); d != 0 {
			return d
		}
		a0, _ := along(a)
		b0, _ := along(b)
		return a0 - b0
	})
	var out []rule
	taken := make([]bool, len(rs))
	for i, r := range rs {
		if taken[i] {
			continue
		}
		cur, last := r, across(r)
		lo, hi := along(r)
		for j := i + 1; j < len(rs) && across(rs[j]) <= last+1; j++ {
			if taken[j] {
				continue
			}
			l2, h2 := along(rs[j])
			if across(rs[j]) == last+1 && min(hi, h2)-max(lo, l2) > (hi-lo)/2 {
				taken[j] = true
				last = across(rs[j])
				lo, hi = min(lo, l2), max(hi, h2)
			}
		}
		if last-across(r)+1 > maxThick {
			continue
		}
		if horizontal {
			cur = rule{lo, r.y0, hi, last}
		} else {
			cur = rule{r.x0, lo, last, hi}
		}
		out = append(out, cur)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
