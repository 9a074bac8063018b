package ocr

import (
	"image"
	"slices"
	"strings"
	"unicode"
)

// FixColumns repairs a common reading-order error: side-by-side text
// columns that the engine read row by row as one line. Vietnamese
// administrative documents put the issuing body on the left and the
// national motto on the right of the header, and the recipients on the
// left and the signature on the right at the bottom (Decree 30/2020);
// Tesseract joins "ỦY BAN NHÂN DÂN" and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
// into one line.
//
// The engine may also put the columns in blocks of their own but read
// them interleaved, row by row ("ỦY BAN NHÂN DÂN", "CỘNG HÒA ...", "Số:",
// "Độc lập ..."); two lines a few lines apart that sit side by side on one
// row start a run just as a split line does.
//
// A line is split where a gap between two words is much wider than the
// line's word spacing (at least twice the line height and 3% of the page
// width). A run of consecutive lines split at a common gutter, with the
// lines next to them that lie wholly on one side of it, is read as two
// columns: the left parts top to bottom, then the right parts. Lines that
// cross the gutter (body text, centred titles) end a run. Only runs in the
// header (the top quarter of the page) and the closing block (at the end
// of the page) are reordered, and not when they look like a table (rows of
// figures): elsewhere side-by-side text is a table or a form, which reads
// row by row. Callers apply it to pages in the Decree 30 layout
// (Vietnamese administrative documents), see LooksVietnamese.
//
// It returns how many runs it reordered. Word boxes are unchanged.
func FixColumns(p *Page) int {
	type flat struct {
		line     Line
		blk, par int
	}
	var lines []flat
	for bi, b := range p.Blocks {
		for pi, par := range b.Paragraphs {
			for _, ln := range par.Lines {
				lines = append(lines, flat{ln, bi, pi})
			}
		}
	}
	type run struct {
		start, end    int // lines[start:end]
		left, right   []Line
		gutterLo, gHi int
	}
	var runs []run
	for i := 0; i < len(lines); {
		l, r, lo, hi, ok := splitLine(lines[i].line, p.Width, nil)
		pair := -1
		if !ok {
			ls := make([]Line, 0, 4)
			for j := i + 1; j < len(lines) && j <= i+4; j++ {
				ls = append(ls, lines[j].line)
			}
			var k int
			if k, lo, hi, ok = besideLine(lines[i].line, ls, p.Width); ok {
				pair = i + 1 + k
			}
		}
		if !ok {
			i++
			continue
		}
		cur := run{start: i, end: i + 1, left: []Line{l}, right: []Line{r}, gutterLo: lo, gHi: hi}
		if pair >= 0 {
			cur.end, cur.left, cur.right = i, nil, nil
		}
		// span is the box of the run's lines so far, lines[cur.start:end]:
		// a line joins the run only if it is near it (with interleaved
		// columns the last line read need not be the lowest).
		span := func(end int) image.Rectangle {
			var r image.Rectangle
			for _, f := range lines[cur.start:end] {
				r = r.Union(f.line.BBox)
			}
			return r
		}
		// take adds line j to the run if it fits the gutter: split at a
		// wide gap over the gutter, or wholly on one side.
		take := func(j int, front bool, near image.Rectangle) bool {
			ln := lines[j].line
			h := max(lineHeight(ln), lineHeight(lines[i].line))
			dy := ln.BBox.Min.Y - near.Max.Y
			if front {
				dy = near.Min.Y - ln.BBox.Max.Y
			}
			if dy > 3*h {
				return false // too far: not the same header
			}
			var addL, addR *Line
			if l2, r2, ok := splitCentred(ln, cur.left, cur.right, max(2*h, p.Width/25)); ok {
				// Header columns are centred (Decree 30): a line whose two
				// halves sit on the two columns' centres is split there even
				// when its gap is narrow (a long parent body name).
				addL, addR = &l2, &r2
			} else if l2, r2, lo2, hi2, ok := splitLine(ln, p.Width, &[2]int{cur.gutterLo, cur.gHi}); ok &&
				// A right half that starts inside the left column (or a
				// left half reaching into the right one) is cut at a wide
				// word space of one column's line, not at the gutter.
				(len(cur.left) == 0 || hi2 >= colBox(cur.left).Max.X) &&
				(len(cur.right) == 0 || lo2 <= colBox(cur.right).Min.X) {
				nlo, nhi := max(cur.gutterLo, lo2), min(cur.gHi, hi2)
				if nhi-nlo < h/3 {
					return false // a different gutter
				}
				cur.gutterLo, cur.gHi = nlo, nhi
				addL, addR = &l2, &r2
			} else if solid := solidBox(ln); solid.Max.X <= cur.gHi-h/2 {
				// Ends before the right column starts (it may reach into
				// the gutter: a wider subject line under the number).
				addL = &ln
			} else if solid.Min.X >= cur.gHi-h/2 {
				addR = &ln
			} else {
				return false // crosses the gutter: body text or a centred title
			}
			if front {
				if addL != nil {
					cur.left = append([]Line{*addL}, cur.left...)
				}
				if addR != nil {
					cur.right = append([]Line{*addR}, cur.right...)
				}
			} else {
				if addL != nil {
					cur.left = append(cur.left, *addL)
				}
				if addR != nil {
					cur.right = append(cur.right, *addR)
				}
			}
			return true
		}
		if pair >= 0 {
			// The engine put the two columns in blocks of their own but
			// read them interleaved (issuing body, national title, "Số:",
			// motto): lines i..pair must all sit on one side or the other.
			for j := i; j <= pair; j++ {
				if !take(j, false, span(max(cur.end, i+1))) {
					break
				}
				cur.end = j + 1
			}
			if cur.end <= pair {
				i++
				continue
			}
		}
		prevEnd := 0
		if len(runs) > 0 {
			prevEnd = runs[len(runs)-1].end
		}
		for j := i - 1; j >= prevEnd && take(j, true, span(cur.end)); j-- {
			cur.start = j
		}
		for j := cur.end; j < len(lines) && take(j, false, span(cur.end)); j++ {
			cur.end = j + 1
		}
		// Only the header (top quarter of the page) and the closing block
		// (nothing but a line or two after it) have side-by-side columns;
		// elsewhere two columns are a table or a form, read row by row.
		top := lines[cur.start].line.BBox.Min.Y
		header := p.Height > 0 && top < p.Height/4
		closing := len(lines)-cur.end <= 2
		if (header || closing) && !isTable(cur.left, cur.right) {
			runs = append(runs, cur)
		}
		i = cur.end
	}
	if len(runs) == 0 {
		return 0
	}
	// Rebuild the blocks: lines outside runs keep their block and
	// paragraph grouping; each run becomes a left and a right block.
	var out []Block
	var curBlk *Block
	lastBlk, lastPar := -1, -1
	add := func(f flat) {
		if curBlk == nil || f.blk != lastBlk {
			out = append(out, Block{})
			curBlk = &out[len(out)-1]
			lastBlk, lastPar = f.blk, -1
		}
		if f.par != lastPar {
			curBlk.Paragraphs = append(curBlk.Paragraphs, Paragraph{Lang: p.Blocks[f.blk].Paragraphs[f.par].Lang})
			lastPar = f.par
		}
		par := &curBlk.Paragraphs[len(curBlk.Paragraphs)-1]
		par.Lines = append(par.Lines, f.line)
	}
	ri := 0
	for i := 0; i < len(lines); {
		if ri < len(runs) && runs[ri].start == i {
			lang := p.Blocks[lines[i].blk].Paragraphs[lines[i].par].Lang
			for _, col := range [][]Line{runs[ri].left, runs[ri].right} {
				if len(col) > 0 {
					out = append(out, Block{Paragraphs: []Paragraph{{Lang: lang, Lines: col}}})
				}
			}
			curBlk, lastBlk = nil, -1
			i = runs[ri].end
			ri++
			continue
		}
		add(lines[i])
		i++
	}
	setBoxes(out)
	p.Blocks = out
	return len(runs)
}

// setBoxes sets each paragraph's box to the union of its lines' and each
// block's to the union of its paragraphs', after lines were moved.
func setBoxes(blocks []Block) {
	for bi := range blocks {
		b := &blocks[bi]
		b.BBox = image.Rectangle{}
		for pi := range b.Paragraphs {
			par := &b.Paragraphs[pi]
			par.BBox = image.Rectangle{}
			for _, ln := range par.Lines {
				par.BBox = par.BBox.Union(ln.BBox)
			}
			b.BBox = b.BBox.Union(par.BBox)
		}
	}
}

// splitCentred splits ln at the word gap that puts its two halves on the
// centres of the left and right columns (within tol pixels), if one does.
func splitCentred(ln Line, left, right []Line, tol int) (l, r Line, ok bool) {
	centre := func(ls []Line) int {
		sum := 0
		for _, x := range ls {
			sum += (x.BBox.Min.X + x.BBox.Max.X) / 2
		}
		return sum / len(ls)
	}
	if len(ln.Words) < 2 || len(left) == 0 || len(right) == 0 {
		return l, r, false
	}
	cl, cr := centre(left), centre(right)
	ws := slices.Clone(ln.Words)
	slices.SortStableFunc(ws, func(a, b Word) int { return a.BBox.Min.X - b.BBox.Min.X })
	h := lineHeight(ln)
	gaps := make([]int, len(ws)-1)
	for i := range gaps {
		gaps[i] = ws[i+1].BBox.Min.X - ws[i].BBox.Max.X
	}
	sorted := slices.Clone(gaps)
	slices.Sort(sorted)
	med := max(sorted[len(sorted)/2], 1)
	for i := 0; i+1 < len(ws); i++ {
		if g := gaps[i]; g < h/2 || (len(gaps) > 1 && g < 2*med) {
			continue // an ordinary word space: body text is not split
		}
		lm := (ws[0].BBox.Min.X + ws[i].BBox.Max.X) / 2
		rm := (ws[i+1].BBox.Min.X + ws[len(ws)-1].BBox.Max.X) / 2
		if abs(lm-cl) <= tol && abs(rm-cr) <= tol {
			return newLine(ln, slices.Clone(ws[:i+1])), newLine(ln, slices.Clone(ws[i+1:])), true
		}
	}
	return l, r, false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// colBox is the box of a column's lines without their specks (solidBox).
func colBox(col []Line) image.Rectangle {
	var r image.Rectangle
	for _, ln := range col {
		r = r.Union(solidBox(ln))
	}
	return r
}

// besideLine finds, among the lines that follow ln, the first one that
// sits beside it on the same row, across a gap wide enough for a column
// gutter (1.5 line heights and 3% of the page, as in splitLine), and
// returns its index in next and the gap [lo, hi) in pixels. Both lines
// must carry letters: a page number or a speck beside a title is not a
// column.
func besideLine(ln Line, next []Line, pageWidth int) (k, lo, hi int, ok bool) {
	lettered := func(l Line) bool {
		for _, w := range l.Words {
			if !isJunk(w) && strings.IndexFunc(w.Text, unicode.IsLetter) >= 0 {
				return true
			}
		}
		return false
	}
	if !lettered(ln) {
		return 0, 0, 0, false
	}
	a := solidBox(ln)
	for k, o := range next {
		b := solidBox(o)
		overlap := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
		if 2*overlap < min(a.Dy(), b.Dy()) || !lettered(o) {
			continue
		}
		l, r := a, b
		if b.Min.X < a.Min.X {
			l, r = b, a
		}
		h := max(lineHeight(ln), lineHeight(o))
		if g := r.Min.X - l.Max.X; 2*g >= 3*h && g >= pageWidth*3/100 {
			return k, l.Max.X, r.Min.X, true
		}
	}
	return 0, 0, 0, false
}

// isTable reports whether two columns look like the columns of a table
// (names and figures), which read row by row, rather than side-by-side
// text: most rows have a part that is mostly numbers, or a side has more
// lines than a header or signature block ever does.
func isTable(left, right []Line) bool {
	if len(left) > 12 || len(right) > 12 {
		return true
	}
	numeric := func(ws []Word) bool {
		n := 0
		for _, w := range ws {
			if strings.IndexFunc(w.Text, unicode.IsDigit) >= 0 && strings.IndexFunc(w.Text, unicode.IsLetter) < 0 {
				n++
			}
		}
		return len(ws) > 0 && 2*n >= len(ws)
	}
	rows, num := 0, 0
	for _, col := range [][]Line{left, right} {
		for _, ln := range col {
			rows++
			if numeric(ln.Words) {
				num++
			}
		}
	}
	return rows > 0 && 4*num >= rows
}

// splitLine splits a line at its one column gap, if it has exactly one,
// and returns the two halves and the gap [lo, hi) in pixels. A column gap
// is wider than the line height and three times the line's other word
// gaps (justified body lines have wide spaces, but all of them are wide).
// With no known gutter the gap must also be at least 1.5 line heights and
// 3% of the page wide; with one, it must overlap the gutter.
func splitLine(ln Line, pageWidth int, gutter *[2]int) (left, right Line, lo, hi int, ok bool) {
	// Specks read as marks ("‹", "-" with a low confidence) inside a
	// gutter must not hide it: gaps are measured without them.
	var ws, junk []Word
	for _, w := range ln.Words {
		if isJunk(w) {
			junk = append(junk, w)
		} else {
			ws = append(ws, w)
		}
	}
	if len(ws) < 2 {
		return left, right, 0, 0, false
	}
	slices.SortStableFunc(ws, func(a, b Word) int { return a.BBox.Min.X - b.BBox.Min.X })
	h := lineHeight(ln)
	gaps := make([]int, len(ws)-1)
	for i := range gaps {
		gaps[i] = ws[i+1].BBox.Min.X - ws[i].BBox.Max.X
	}
	at := -1
	for i, g := range gaps {
		if g < h {
			continue
		}
		others := slices.Delete(slices.Clone(gaps), i, i+1)
		if len(others) > 0 {
			slices.Sort(others)
			if g < 3*max(others[len(others)/2], 1) {
				continue
			}
		}
		if gutter == nil && (2*g < 3*h || g < pageWidth*3/100) {
			continue
		}
		if gutter != nil && min(gutter[1], ws[i+1].BBox.Min.X)-max(gutter[0], ws[i].BBox.Max.X) < h/3 {
			continue
		}
		if at >= 0 {
			return left, right, 0, 0, false // two column gaps: a table row
		}
		at = i
	}
	if at < 0 {
		return left, right, 0, 0, false
	}
	lw, rw := slices.Clone(ws[:at+1]), slices.Clone(ws[at+1:])
	mid := (ws[at].BBox.Max.X + ws[at+1].BBox.Min.X) / 2
	for _, j := range junk {
		if (j.BBox.Min.X+j.BBox.Max.X)/2 < mid {
			lw = append(lw, j)
		} else {
			rw = append(rw, j)
		}
	}
	left, right = newLine(ln, lw), newLine(ln, rw)
	return left, right, ws[at].BBox.Max.X, ws[at+1].BBox.Min.X, true
}

// isJunk reports a word that is most likely a speck read as a mark: one
// or two characters, no letter or digit, low confidence.
func isJunk(w Word) bool {
	return len([]rune(w.Text)) <= 2 && w.Conf < 60 &&
		strings.IndexFunc(w.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0
}

// solidBox is the box of a line's words without specks read as marks
// (isJunk): a speck beside a column's line must not make the line seem to
// cross the gutter.
func solidBox(ln Line) image.Rectangle {
	var r image.Rectangle
	for _, w := range ln.Words {
		if !isJunk(w) {
			r = r.Union(w.BBox)
		}
	}
	if r.Empty() {
		return ln.BBox
	}
	return r
}

// newLine makes a line of words (sorted by x) with ln's baseline.
func newLine(ln Line, ws []Word) Line {
	slices.SortStableFunc(ws, func(a, b Word) int { return a.BBox.Min.X - b.BBox.Min.X })
	out := Line{Baseline: ln.Baseline, XSize: ln.XSize, Words: ws}
	for _, w := range ws {
		out.BBox = out.BBox.Union(w.BBox)
	}
	return out
}

func lineHeight(ln Line) int {
	if ln.XSize > 0 {
		return int(ln.XSize)
	}
	if ln.BBox.Empty() {
		var r image.Rectangle
		for _, w := range ln.Words {
			r = r.Union(w.BBox)
		}
		return max(r.Dy(), 1)
	}
	return max(ln.BBox.Dy(), 1)
}
