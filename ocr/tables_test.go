package ocr_test

import (
	"strings"
	"testing"

	"github.com/sohoa/sohoa/ocr"
)

func TestReadTables(t *testing.T) {
	t.Parallel()
	body := "Một số chỉ tiêu chủ yếu như sau:"
	grid := ocr.Grid{Rows: []int{1000, 1200, 1300}, Cols: []int{300, 400, 900, 1300}}
	// As the engine reads it: across the page, the wrapped header cell
	// "Kế hoạch / năm" interleaved with the one-line cells beside it, a
	// rule read as "|" before "Thu" and as a word of its own; a "|" in
	// the middle of a cell is not a rule and stays.
	p := &ocr.Page{Width: 2480, Height: 3508, Blocks: []ocr.Block{
		{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{line(800, 300, body)}}}},
		{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{
			line(1030, 920, "Kế hoạch"),
			line(1080, 320, "TT", 420, "Chỉ tiêu", 920, "năm"),
			line(1230, 320, "1", 385, "|Thu ngân", 640, "|", 700, "sách", 880, "|", 920, "312,0"),
		}}}},
		{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{line(1400, 300, "2. Về văn hóa - xã hội")}}}},
	}}
	before := len(p.Words())
	if n := ocr.ReadTables(p, []ocr.Grid{grid}); n != 1 {
		t.Fatalf("ReadTables = %d, want 1", n)
	}
	want := body + "\n\nTT Chỉ tiêu Kế hoạch năm\n1 Thu ngân | sách 312,0\n\n2. Về văn hóa - xã hội\n"
	if got := p.Text(); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	if got := len(p.Words()); got != before-1 {
		t.Errorf("%d words, want %d (only the rule read as | dropped)", got, before-1)
	}
	for _, b := range p.Blocks {
		for _, par := range b.Paragraphs {
			for _, ln := range par.Lines {
				for _, w := range ln.Words {
					if !w.BBox.In(ln.BBox) || !ln.BBox.In(b.BBox) {
						t.Errorf("word %q box %v outside its line %v or block %v", w.Text, w.BBox, ln.BBox, b.BBox)
					}
				}
			}
		}
	}

	// A grid with no words in it changes nothing.
	q := page(line(200, 300, body))
	if n := ocr.ReadTables(q, []ocr.Grid{grid}); n != 0 || strings.TrimSpace(q.Text()) != body {
		t.Errorf("empty grid: %d tables, text %q", n, q.Text())
	}
}
