package ocr

import (
	"image"
	"slices"
	"sort"
	"strings"
)

// Grid is a ruled table on the page: the y of each horizontal rule from
// top to bottom and the x of each vertical rule from left to right, in the
// page's pixels. Cell (r, c) lies between Rows[r], Rows[r+1] and Cols[c],
// Cols[c+1].
type Grid struct {
	Rows []int `json:"rows"`
	Cols []int `json:"cols"`
}

// ReadTables puts the words of each ruled table in reading order: one
// line per table row, its cells left to right, each cell's words in the
// order the engine read them (a cell's text may wrap over several printed
// lines). The engine reads a table line by line across the page, so a
// header cell that wraps ("Kế hoạch / năm" beside "Ước thực / hiện 6 /
// tháng") comes out interleaved with its neighbours. Bars read from the
// rules ("|", "_") at a word's ends are removed, and words that are only
// such marks dropped. A table becomes a block of its own where its first
// word was; lines outside tables are unchanged. A row line has no
// baseline (its words may sit on several), so renderers place each word
// by its own box.
//
// It returns how many tables it reordered.
func ReadTables(p *Page, grids []Grid) int {
	n := 0
	for _, g := range grids {
		if len(g.Rows) < 2 || len(g.Cols) < 2 || !sort.IntsAreSorted(g.Rows) || !sort.IntsAreSorted(g.Cols) {
			continue
		}
		if readTable(p, g) {
			n++
		}
	}
	return n
}

// ruleMarks are what an engine reads a table rule as.
const ruleMarks = "|_¦—–[]"

// trimRuleMarks removes from a table word the marks an engine reads a
// rule as, at an end of the word that touches a vertical rule; a word of
// marks alone that touches a rule, vertical or horizontal, becomes "". A
// "|" in the middle of a cell (a misread "1", say) is left alone.
func trimRuleMarks(w Word, g Grid) string {
	tol := max(4, w.BBox.Dy()/2)
	nearCol := func(x int) bool {
		for _, c := range g.Cols {
			if x-c <= tol && c-x <= tol {
				return true
			}
		}
		return false
	}
	onRow := func() bool {
		for _, r := range g.Rows {
			if r >= w.BBox.Min.Y-tol/2 && r <= w.BBox.Max.Y+tol/2 {
				return true
			}
		}
		return false
	}
	text := w.Text
	if strings.Trim(text, ruleMarks) == "" {
		if nearCol(w.BBox.Min.X) || nearCol(w.BBox.Max.X) || onRow() {
			return ""
		}
		return text
	}
	if nearCol(w.BBox.Min.X) {
		text = strings.TrimLeft(text, ruleMarks)
	}
	if nearCol(w.BBox.Max.X) {
		text = strings.TrimRight(text, ruleMarks)
	}
	return text
}

func readTable(p *Page, g Grid) bool {
	box := image.Rect(g.Cols[0], g.Rows[0], g.Cols[len(g.Cols)-1], g.Rows[len(g.Rows)-1])
	cellOf := func(w Word) (r, c int, ok bool) {
		cx, cy := (w.BBox.Min.X+w.BBox.Max.X)/2, (w.BBox.Min.Y+w.BBox.Max.Y)/2
		if !image.Pt(cx, cy).In(box) {
			return 0, 0, false
		}
		r = sort.SearchInts(g.Rows, cy+1) - 1
		c = sort.SearchInts(g.Cols, cx+1) - 1
		return min(r, len(g.Rows)-2), min(c, len(g.Cols)-2), true
	}
	cells := make([][][]Word, len(g.Rows)-1)
	for r := range cells {
		cells[r] = make([][]Word, len(g.Cols)-1)
	}
	found := false
	var out []Block
	at := -1 // where the table's block goes in out
	for _, blk := range p.Blocks {
		nb := Block{}
		for _, par := range blk.Paragraphs {
			np := Paragraph{Lang: par.Lang}
			for _, ln := range par.Lines {
				var keep []Word
				hit := false
				for _, w := range ln.Words {
					r, c, ok := cellOf(w)
					if !ok {
						keep = append(keep, w)
						continue
					}
					hit, found = true, true
					if w.Text = trimRuleMarks(w, g); w.Text == "" {
						continue // a rule read as a mark
					}
					cells[r][c] = append(cells[r][c], w)
				}
				if hit && at < 0 {
					// The table goes where its first word was: close what
					// came before it.
					if len(np.Lines) > 0 {
						nb.Paragraphs = append(nb.Paragraphs, np)
						np = Paragraph{Lang: par.Lang}
					}
					if len(nb.Paragraphs) > 0 {
						out = append(out, nb)
						nb = Block{}
					}
					at = len(out)
				}
				if len(keep) == 0 {
					continue
				}
				if hit {
					ln = newLine(ln, keep)
				}
				np.Lines = append(np.Lines, ln)
			}
			if len(np.Lines) > 0 {
				nb.Paragraphs = append(nb.Paragraphs, np)
			}
		}
		if len(nb.Paragraphs) > 0 {
			out = append(out, nb)
		}
	}
	if !found {
		return false
	}
	table := Paragraph{}
	if len(p.Blocks) > 0 && len(p.Blocks[0].Paragraphs) > 0 {
		table.Lang = p.Blocks[0].Paragraphs[0].Lang
	}
	for r := range cells {
		var row Line
		for c := range cells[r] {
			for _, w := range cells[r][c] {
				row.Words = append(row.Words, w)
				row.BBox = row.BBox.Union(w.BBox)
			}
		}
		if len(row.Words) > 0 {
			table.Lines = append(table.Lines, row)
		}
	}
	if len(table.Lines) > 0 {
		out = slices.Insert(out, at, Block{Paragraphs: []Paragraph{table}})
	}
	setBoxes(out)
	p.Blocks = out
	return true
}
