package cleanup

import (
	"image"
	"slices"
	"testing"
)

// ruledPage draws a white 2480x3508 page with a table of the given rule
// positions (rules 3 px thick), text-like marks in its cells, a short
// underline under a title and a boxed mark (one cell: not a table).
func ruledPage(rows, cols []int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 2480, 3508))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	rect := func(x0, y0, x1, y1 int) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				g.Pix[y*g.Stride+x] = 20
			}
		}
	}
	for _, y := range rows {
		rect(cols[0]-1, y-1, cols[len(cols)-1]+2, y+2)
	}
	for _, x := range cols {
		rect(x-1, rows[0]-1, x+2, rows[len(rows)-1]+2)
	}
	// "Letters": 18x28 blocks with gaps, in every cell.
	for r := 0; r+1 < len(rows); r++ {
		for c := 0; c+1 < len(cols); c++ {
			for x := cols[c] + 20; x+18 < cols[c+1]-20 && x < cols[c]+200; x += 26 {
				rect(x, rows[r]+30, x+18, rows[r]+58)
			}
		}
	}
	rect(900, 600, 1580, 603)   // underline under a title
	rect(1000, 300, 1300, 303)  // a boxed mark: two rules...
	rect(1000, 380, 1300, 383)  // ...
	rect(1000, 300, 1003, 383)  // ...and two sides
	rect(1297, 300, 1300, 383)  // (a 1x1 box)
	rect(300, 3000, 2200, 3003) // a long rule alone
	return g
}

func TestFindTables(t *testing.T) {
	t.Parallel()
	rows := []int{1400, 1520, 1610, 1700}
	cols := []int{355, 560, 1300, 1600, 1950, 2300}
	g := ruledPage(rows, cols)
	got := findTables(g, 28)
	if len(got) != 1 {
		t.Fatalf("found %d tables %v, want 1", len(got), got)
	}
	near := func(a, b []int) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if abs(a[i]-b[i]) > 2 {
				return false
			}
		}
		return true
	}
	if !near(got[0].Rows, rows) || !near(got[0].Cols, cols) {
		t.Errorf("table rows %v cols %v, want %v %v", got[0].Rows, got[0].Cols, rows, cols)
	}

	// Without the table: nothing (the underline, the boxed mark and the
	// lone rule are not tables).
	plain := ruledPage([]int{100, 101, 102}, []int{100, 101, 102}) // a dot, too small to be rules
	if got := findTables(plain, 28); len(got) != 0 {
		t.Errorf("page without a table: %v", got)
	}

	// Erasing whitens the rules and leaves the cells' marks.
	eraseRules(g, got, 4)
	if v := g.GrayAt(cols[2], rows[1]+50).Y; v != 255 {
		t.Errorf("vertical rule still there: %d", v)
	}
	if v := g.GrayAt(800, rows[2]).Y; v != 255 {
		t.Errorf("horizontal rule still there: %d", v)
	}
	if v := g.GrayAt(cols[1]+25, rows[0]+40).Y; v != 20 {
		t.Errorf("a cell's mark was erased: %d", v)
	}
	if got := findTables(g, 28); len(got) != 0 {
		t.Errorf("tables after erasing: %v", got)
	}
}

func TestMergeRulesDropsSolidAreas(t *testing.T) {
	t.Parallel()
	var rs []rule
	for y := 10; y < 13; y++ { // a 3 px rule
		rs = append(rs, rule{0, y, 500, y})
	}
	for y := 100; y < 140; y++ { // a 40 px dark band: not a rule
		rs = append(rs, rule{0, y, 500, y})
	}
	got := mergeRules(rs, true, 9)
	if want := []rule{{0, 10, 500, 12}}; !slices.Equal(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
}
