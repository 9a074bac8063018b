package main

import (
	"errors"
	"fmt"
	"strings"
)

// doc is one fictional document (or a non-document page) to typeset. Body
// paragraphs are strings with an optional two-character marker:
//
//	""   body paragraph, justified, first-line indent; **bold** and
//	     __italic__ spans inside
//	"i:" italic paragraph (the "Căn cứ ..." bases)
//	"h:" bold paragraph (section headings)
//	"c:" centred bold line(s) ("QUYẾT ĐỊNH:", the authority line)
//	"k:" "Kính gửi:" block, recipients separated by "|"
//	"t:" the next table of Tables
//	"T:" large centred bold title (non-documents)
//	"s:" centred italic line (non-documents)
//	"f:" page footer, centred at the bottom (non-documents)
type doc struct {
	Parent        []string // upper-case regular lines above the issuing body
	Issuer        []string // upper-case bold lines of the issuing body
	Number        string   // as printed after "Số: "
	Place         string
	Date          civilDate
	Type          string // lower-case type name: "quyết định", "công văn"
	Title         string // printed type title; empty for a công văn
	SubjectPrefix string // "Về việc ", "V/v " or ""
	Subject       string // trích yếu without its prefix
	Secrecy       string // "MẬT" or ""
	Urgency       string // "KHẨN", "HỎA TỐC" or ""
	Body          []string
	Tables        []table
	Recipients    []string // "Nơi nhận:" list, each with its "- "
	SignTitle     []string // "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
	Signer        string
	FirstPageOnly bool // body may run past page 1: only page 1 is rendered
}

// isDocument reports whether d is an administrative document (it has a
// header) rather than a page of prose or figures.
func (d *doc) isDocument() bool { return len(d.Issuer) > 0 }

// table is a ruled table spanning the text width.
type table struct {
	Cols  []float64 // relative column widths
	Align string    // one of 'l', 'c', 'r' per column
	Head  int       // leading header rows, set bold and centred
	Rows  [][]string
}

// typeset is how a page is set: font family and sizes.
type typeset struct {
	Family  string
	BodyPt  float64 // body text size, 13–14 pt
	HeadPt  float64 // header column size, 12–13 pt
	Leading float64 // line pitch as a multiple of the font's line height
	RightMM float64 // right margin, 15–20 mm
}

// page geometry at 300 dpi: A4.
const (
	pageDPI = 300
	pageW   = 2480
	pageH   = 3508
)

func px(pt float64) float64 { return pt * pageDPI / 72 }
func mm(v float64) float64  { return v * pageDPI / 25.4 }

// placed is a line of text at a position, for blocks laid out before they
// are drawn (header columns, signature blocks).
type placed struct {
	f    *face
	text string
	x, y float64 // left end of the baseline
}

type rectF struct{ x0, y0, x1, y1 float64 }

// block is laid-out text and rules, drawn and added to the ground truth in
// one go, in its own reading order.
type block struct {
	lines  []placed
	rects  []rectF
	bottom float64 // lowest extent of its lines and rules
}

// layouter typesets one page onto an ink mask and records the ground-truth
// text in reading order.
type layouter struct {
	fc     *faceCache
	ts     typeset
	ink    *alphaMask
	gt     []string
	issuer []string // the issuer lines as printed (parent first)

	left, right, top, bottom float64 // the text area
	y                        float64 // top of the next line
	full                     bool    // the page is full: everything after is dropped
	err                      error
}

// errOverflow reports a document that does not fit on its page.
var errOverflow = errors.New("document does not fit on one page")

// typeset page: its ink, the ground-truth lines in reading order, and
// the issuer lines of the header as printed.
type setPage struct {
	ink    *alphaMask
	gt     []string
	issuer []string
}

// layoutPage typesets d.
func layoutPage(fc *faceCache, ts typeset, d *doc) (setPage, error) {
	l := &layouter{
		fc:     fc,
		ts:     ts,
		ink:    newAlphaMask(pageW, pageH),
		left:   mm(30),
		right:  pageW - mm(ts.RightMM),
		top:    mm(20),
		bottom: pageH - mm(20),
	}
	l.y = l.top
	if d.isDocument() {
		l.header(d)
		if d.Title != "" {
			l.titleBlock(d)
		} else {
			l.y += l.face(regular, ts.BodyPt).height * 0.6
		}
	}
	l.body(d)
	if d.isDocument() && len(d.SignTitle) > 0 {
		l.signature(d)
	}
	if l.err != nil {
		return setPage{}, l.err
	}
	if l.full && !d.FirstPageOnly {
		return setPage{}, fmt.Errorf("%w (last line set: %q)", errOverflow, l.gt[len(l.gt)-1])
	}
	return setPage{l.ink, l.gt, l.issuer}, nil
}

func (l *layouter) face(st style, pt float64) *face { return l.fc.get(st, pt) }

func (l *layouter) width() float64 { return l.right - l.left }

// checked records the first missing-glyph error.
func (l *layouter) checked(f *face, s string) {
	if l.err != nil {
		return
	}
	l.err = f.check(s)
}

func (l *layouter) emit(b block) {
	for _, p := range b.lines {
		l.checked(p.f, p.text)
		p.f.draw(l.ink, p.text, p.x, p.y)
		l.gt = append(l.gt, p.text)
	}
	for _, r := range b.rects {
		l.ink.fillRect(r.x0, r.y0, r.x1, r.y1)
	}
}

// fitLines sets text centred in [x0, x1): on one line, shrinking the size
// by half points down to minPt if need be (as clerks do with long body
// names), or else broken into balanced lines at pt. It returns the lines
// with x set and y relative to the first baseline (0), and the face used.
func (l *layouter) fitLines(text string, st style, pt, minPt, x0, x1 float64) ([]placed, *face) {
	w := x1 - x0
	for s := pt; s >= minPt-1e-9; s -= 0.5 {
		f := l.face(st, s)
		if tw := f.measure(text); tw <= w {
			return []placed{{f, text, x0 + (w-tw)/2, 0}}, f
		}
	}
	f := l.face(st, pt)
	return l.wrapCentred(text, f, x0, x1, 1.0), f
}

// wrapCentred breaks text into balanced lines centred in [x0, x1), with
// baselines from 0 spaced by the face's line height times leading.
func (l *layouter) wrapCentred(text string, f *face, x0, x1, leading float64) []placed {
	words := strings.Fields(text)
	widths := make([]float64, len(words))
	for i, w := range words {
		widths[i] = f.measure(w)
	}
	space := f.measure(" ")
	var out []placed
	for i, s := range balancedBreak(widths, space, x1-x0) {
		t := strings.Join(words[s.start:s.end], " ")
		tw := lineWidth(widths, space, s)
		out = append(out, placed{f, t, x0 + (x1-x0-tw)/2, float64(i) * f.height * leading})
	}
	return out
}

// stack appends lines (relative baselines) to b with the first baseline at
// base, and returns the last baseline.
func (b *block) stack(lines []placed, base float64) float64 {
	last := base
	for _, p := range lines {
		p.y += base
		last = p.y
		b.lines = append(b.lines, p)
		b.bottom = max(b.bottom, p.y+p.f.descent)
	}
	return last
}

// rule adds a horizontal rule of length w centred on cx, at y.
func (b *block) rule(cx, w, y float64) {
	const thick = 2.5
	b.rects = append(b.rects, rectF{cx - w/2, y, cx + w/2, y + thick})
	b.bottom = max(b.bottom, y+thick)
}

// box adds a rectangle outline.
func (b *block) box(x0, y0, x1, y1 float64) {
	const t = 3.0
	b.rects = append(b.rects,
		rectF{x0, y0, x1, y0 + t}, rectF{x0, y1 - t, x1, y1},
		rectF{x0, y0, x0 + t, y1}, rectF{x1 - t, y0, x1, y1})
	b.bottom = max(b.bottom, y1)
}

// header lays out the two header columns of Decree 30/2020/NĐ-CP: issuing
// body, number (and a công văn's subject, urgency/secrecy marks) on the
// left; national title, motto and place-date line on the right.
func (l *layouter) header(d *doc) {
	hp := l.ts.HeadPt
	split := l.left + 0.43*l.width()
	lx0, lx1 := l.left-mm(4), split
	rx0, rx1 := split, l.right+mm(2)
	lc, rc := (lx0+lx1)/2, (rx0+rx1)/2

	var left, right block
	base := l.top + l.face(bold, hp).ascent
	var f *face
	var lines []placed
	var widest float64
	for _, s := range d.Parent {
		lines, f = l.fitLines(s, regular, hp, hp-1.5, lx0, lx1)
		base = left.stack(lines, base) + f.height
		l.issuer = append(l.issuer, texts(lines)...)
	}
	for _, s := range d.Issuer {
		lines, f = l.fitLines(s, bold, hp, hp-1.5, lx0, lx1)
		base = left.stack(lines, base) + f.height
		l.issuer = append(l.issuer, texts(lines)...)
		for _, p := range lines {
			widest = max(widest, p.f.measure(p.text))
		}
	}
	ruleL := base - f.height + f.px*0.42
	left.rule(lc, max(widest*0.4, mm(15)), ruleL)

	base = l.top + l.face(bold, hp).ascent
	lines, f = l.fitLines("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, hp, hp-2, rx0, rx1)
	base = right.stack(lines, base) + f.height
	motto := "Độc lập - Tự do - Hạnh phúc"
	lines, f = l.fitLines(motto, bold, hp+1, hp-1, rx0, rx1)
	last := right.stack(lines, base)
	ruleR := last + f.px*0.38
	right.rule(rc, lines[0].f.measure(motto), ruleR)

	num := l.face(regular, hp)
	row := max(ruleL, ruleR) + num.height*1.35 + num.ascent*0.3
	lines, f = l.fitLines("Số: "+d.Number, regular, hp, hp-1.5, lx0, lx1)
	base = left.stack(lines, row) + f.height
	if d.SubjectPrefix == "V/v " {
		f = l.face(regular, hp-1)
		lines = l.wrapCentred("V/v "+d.Subject, f, lx0+mm(3), lx1-mm(3), 1.0)
		base = left.stack(lines, base) + f.height
	}
	for _, mark := range []string{d.Secrecy, d.Urgency} {
		if mark == "" {
			continue
		}
		f = l.face(bold, hp+1)
		w := f.measure(mark)
		base += f.height * 0.45
		left.stack([]placed{{f, mark, lc - w/2, 0}}, base)
		left.box(lc-w/2-f.px*0.45, base-f.ascent*0.95, lc+w/2+f.px*0.45, base+f.descent+f.px*0.2)
		base += f.height * 1.4
	}
	lines, _ = l.fitLines(dateLine(d.Place, d.Date), italic, hp+1, hp-1, rx0, rx1)
	right.stack(lines, row)

	l.emit(left)
	l.emit(right)
	l.y = max(left.bottom, right.bottom) + l.face(regular, l.ts.BodyPt).height*1.2
}

// titleBlock sets the document type and its subject, centred, with a rule.
func (l *layouter) titleBlock(d *doc) {
	var b block
	f := l.face(bold, l.ts.BodyPt)
	base := l.y + f.ascent
	base = b.stack([]placed{{f, d.Title, l.left + (l.width()-f.measure(d.Title))/2, 0}}, base) + f.height*l.ts.Leading
	if d.Subject != "" {
		lines := l.wrapCentred(d.SubjectPrefix+d.Subject, f, l.left+l.width()*0.08, l.right-l.width()*0.08, l.ts.Leading)
		base = b.stack(lines, base)
		widest := 0.0
		for _, p := range lines {
			widest = max(widest, f.measure(p.text))
		}
		b.rule(l.left+l.width()/2, max(widest*0.35, mm(30)), base+f.px*0.6)
	}
	l.emit(b)
	l.y = b.bottom + f.height*0.6
}

// wseg is a run of one style inside a word.
type wseg struct {
	f    *face
	text string
}

type pword struct {
	segs []wseg
	w    float64
}

func (w pword) text() string {
	var b strings.Builder
	for _, s := range w.segs {
		b.WriteString(s.text)
	}
	return b.String()
}

// words splits a paragraph into words, honouring **bold** and __italic__
// toggles, which may fall anywhere in a word.
func (l *layouter) words(s string, base style, pt float64) []pword {
	st := base
	var out []pword
	var cur pword
	var seg strings.Builder
	flush := func() {
		if seg.Len() > 0 {
			f := l.face(st, pt)
			cur.segs = append(cur.segs, wseg{f, seg.String()})
			cur.w += f.measure(seg.String())
			seg.Reset()
		}
	}
	endWord := func() {
		flush()
		if len(cur.segs) > 0 {
			out = append(out, cur)
		}
		cur = pword{}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "**"):
			flush()
			st ^= bold
			i += 2
		case strings.HasPrefix(s[i:], "__"):
			flush()
			st ^= italic
			i += 2
		case s[i] == ' ':
			endWord()
			i++
		default:
			j := i + 1
			for j < len(s) && s[j]&0xC0 == 0x80 {
				j++
			}
			seg.WriteString(s[i:j])
			i = j
		}
	}
	endWord()
	return out
}

type alignment int

const (
	alignJustify alignment = iota
	alignLeft
	alignCentre
)

// paragraph sets marked-up text in [x0, x1) from l.y on, line by line, and
// stops (marking the page full) at the bottom margin.
func (l *layouter) paragraph(s string, base style, pt, indent float64, al alignment, x0, x1 float64) {
	if l.full || l.err != nil {
		return
	}
	ws := l.words(s, base, pt)
	f := l.face(base, pt)
	widths := make([]float64, len(ws))
	for i, w := range ws {
		widths[i] = w.w
	}
	space := f.measure(" ")
	width := x1 - x0
	var spans []span
	if al == alignCentre {
		spans = balancedBreak(widths, space, width)
	} else {
		spans = breakLines(widths, space, width, indent)
	}
	for i, sp := range spans {
		if l.y+f.ascent+f.descent > l.bottom {
			l.full = true
			return
		}
		baseline := l.y + f.ascent
		lx, lw := x0, width
		if i == 0 && al != alignCentre {
			lx, lw = x0+indent, width-indent
		}
		var xs []float64
		switch al {
		case alignJustify:
			xs = justify(widths, space, lw, sp, i == len(spans)-1)
		default:
			xs = justify(widths, space, lw, sp, true)
			if al == alignCentre {
				lx += (lw - lineWidth(widths, space, sp)) / 2
			}
		}
		var line []string
		for k := sp.start; k < sp.end; k++ {
			x := lx + xs[k-sp.start]
			for _, sg := range ws[k].segs {
				l.checked(sg.f, sg.text)
				sg.f.draw(l.ink, sg.text, x, baseline)
				x += sg.f.measure(sg.text)
			}
			line = append(line, ws[k].text())
		}
		l.gt = append(l.gt, strings.Join(line, " "))
		l.y += f.height * l.ts.Leading
	}
}

// body sets the body paragraphs.
func (l *layouter) body(d *doc) {
	pt := l.ts.BodyPt
	indent := mm(10)
	after := px(6)
	tables := d.Tables
	for _, p := range d.Body {
		if l.full || l.err != nil {
			return
		}
		mark, text := "", p
		if len(p) >= 2 && p[1] == ':' {
			mark, text = p[:2], p[2:]
		}
		switch mark {
		case "":
			l.paragraph(text, regular, pt, indent, alignJustify, l.left, l.right)
			l.y += after
		case "i:":
			l.paragraph(text, italic, pt, indent, alignJustify, l.left, l.right)
			l.y += after
		case "h:":
			l.paragraph(text, bold, pt, indent, alignJustify, l.left, l.right)
			l.y += after
		case "c:":
			l.y += after * 0.5
			l.paragraph(text, bold, pt, 0, alignCentre, l.left, l.right)
			l.y += after
		case "T:":
			l.paragraph(text, bold, pt+3, 0, alignCentre, l.left+mm(10), l.right-mm(10))
			l.y += after * 2
		case "s:":
			l.paragraph(text, italic, pt, 0, alignCentre, l.left, l.right)
			l.y += after * 3
		case "k:":
			l.kinhGui(strings.Split(text, "|"))
		case "t:":
			if len(tables) == 0 {
				l.err = fmt.Errorf("body has more tables than doc.Tables")
				return
			}
			l.table(tables[0])
			tables = tables[1:]
			l.y += after * 2
		case "f:":
			f := l.face(regular, pt-1)
			var b block
			b.stack([]placed{{f, text, l.left + (l.width()-f.measure(text))/2, 0}}, pageH-mm(10))
			if !l.full {
				defer l.emit(b)
			}
		default:
			l.err = fmt.Errorf("unknown paragraph marker %q", mark)
		}
	}
}

// kinhGui sets the "Kính gửi:" block: one recipient centred on one line,
// several as a list aligned after the label.
func (l *layouter) kinhGui(to []string) {
	f := l.face(regular, l.ts.BodyPt)
	l.y += f.height * 0.3
	if len(to) == 1 {
		l.paragraph("Kính gửi: "+to[0], regular, l.ts.BodyPt, 0, alignCentre, l.left, l.right)
		l.y += f.height * 0.5
		return
	}
	label := "Kính gửi: "
	x := l.left + l.width()*0.1
	lw := f.measure(label)
	for i, r := range to {
		if i == 0 {
			if l.y+f.ascent+f.descent > l.bottom {
				l.full = true
				return
			}
			l.checked(f, label)
			f.draw(l.ink, label, x, l.y+f.ascent)
			n := len(l.gt)
			l.paragraph(r, regular, l.ts.BodyPt, 0, alignLeft, x+lw, l.right)
			if len(l.gt) > n {
				l.gt[n] = label + l.gt[n]
			}
			continue
		}
		l.paragraph(r, regular, l.ts.BodyPt, 0, alignLeft, x+lw, l.right)
	}
	l.y += f.height * 0.5
}

// table sets a ruled table, row by row, stopping at the bottom margin.
func (l *layouter) table(t table) {
	if len(t.Align) != len(t.Cols) {
		l.err = fmt.Errorf("table: %d aligns for %d columns", len(t.Align), len(t.Cols))
		return
	}
	pt := l.ts.BodyPt - 1.5
	pad := px(4)
	total := 0.0
	for _, c := range t.Cols {
		total += c
	}
	xs := []float64{l.left}
	for _, c := range t.Cols {
		xs = append(xs, xs[len(xs)-1]+c/total*l.width())
	}
	const rt = 2.5
	top := l.y
	var hlines []float64
	hlines = append(hlines, top)
	for ri, row := range t.Rows {
		if len(row) != len(t.Cols) {
			l.err = fmt.Errorf("table row %d has %d cells for %d columns", ri, len(row), len(t.Cols))
			return
		}
		st := regular
		if ri < t.Head {
			st = bold
		}
		f := l.face(st, pt)
		var cells [][]placed
		n := 1
		for ci, cell := range row {
			x0, x1 := xs[ci]+pad, xs[ci+1]-pad
			var lines []placed
			if ri < t.Head || t.Align[ci] == 'c' {
				lines = l.wrapCentred(cell, f, x0, x1, 1.0)
			} else {
				lines = l.wrapCentred(cell, f, x0, x1, 1.0)
				for k := range lines {
					w := f.measure(lines[k].text)
					if t.Align[ci] == 'r' {
						lines[k].x = x1 - w
					} else {
						lines[k].x = x0
					}
				}
			}
			cells = append(cells, lines)
			n = max(n, len(lines))
		}
		h := float64(n)*f.height + 2*pad
		if l.y+h > l.bottom {
			l.full = true
			break
		}
		var b block
		var texts []string
		for _, lines := range cells {
			// Vertically centre the cell's lines in the row.
			off := (float64(n-len(lines)) * f.height) / 2
			b.stack(lines, l.y+pad+off+f.ascent)
			var parts []string
			for _, p := range lines {
				parts = append(parts, p.text)
			}
			if s := strings.Join(parts, " "); s != "" {
				texts = append(texts, s)
			}
		}
		for _, p := range b.lines {
			l.checked(p.f, p.text)
			p.f.draw(l.ink, p.text, p.x, p.y)
		}
		l.gt = append(l.gt, strings.Join(texts, " "))
		l.y += h
		hlines = append(hlines, l.y)
	}
	for _, y := range hlines {
		l.ink.fillRect(xs[0], y, xs[len(xs)-1]+rt, y+rt)
	}
	bottom := hlines[len(hlines)-1]
	for _, x := range xs {
		l.ink.fillRect(x, top, x+rt, bottom+rt)
	}
	l.y += rt
}

// signature sets the closing: "Nơi nhận:" list on the left, signing title,
// space for the signature and seal, and the signer's name on the right.
func (l *layouter) signature(d *doc) {
	if l.full || l.err != nil {
		return
	}
	split := l.left + 0.45*l.width()
	top := l.y + px(4)

	var left block
	if len(d.Recipients) > 0 {
		f := l.face(bold|italic, 12)
		base := left.stack([]placed{{f, "Nơi nhận:", l.left, 0}}, top+f.ascent)
		g := l.face(regular, 11)
		base += f.height * 0.95
		dash := g.measure("- ")
		for _, r := range d.Recipients {
			// Hanging indent: continuation lines align after the dash.
			words := strings.Fields(r)
			widths := make([]float64, len(words))
			for i, w := range words {
				widths[i] = g.measure(w)
			}
			for i, sp := range breakLines(widths, g.measure(" "), split-l.left-mm(2)+dash, dash) {
				x := l.left
				if i > 0 {
					x += dash
				}
				left.stack([]placed{{g, strings.Join(words[sp.start:sp.end], " "), x, 0}}, base)
				base += g.height
			}
		}
	}

	var right block
	f := l.face(bold, l.ts.BodyPt)
	base := top + f.ascent
	for _, s := range d.SignTitle {
		lines, g := l.fitLines(s, bold, l.ts.BodyPt, l.ts.BodyPt-1.5, split, l.right)
		base = right.stack(lines, base) + g.height
	}
	base += mm(20)
	right.stack([]placed{{f, d.Signer, split + (l.right-split-f.measure(d.Signer))/2, 0}}, base)

	if max(left.bottom, right.bottom) > l.bottom {
		l.full = true
		return
	}
	l.emit(left)
	l.emit(right)
	l.y = max(left.bottom, right.bottom)
}

func texts(lines []placed) []string {
	out := make([]string, len(lines))
	for i, p := range lines {
		out[i] = p.text
	}
	return out
}
