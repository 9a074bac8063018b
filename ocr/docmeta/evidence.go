package docmeta

import (
	"fmt"
	"image"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// stamp is a stamp or mark on the page that is not part of the header:
// a received stamp or a copy's mark. Its text is kept out of the header
// (a received stamp's "Số: 2352" is not the document's number).
type stamp struct {
	kind string          // "received", "copy"
	box  image.Rectangle // deskewed coordinates
	// What was read in it.
	number, date string
	markText     string
	copyKind     string
}

// inStamp reports whether most of a rectangle lies in a stamp.
func (r *reader) inStamp(b image.Rectangle) bool {
	for _, s := range r.stamps {
		in := b.Intersect(s.box)
		if !in.Empty() && 2*in.Dx()*in.Dy() > b.Dx()*b.Dy() {
			return true
		}
	}
	return false
}

// pageWords are all the page's words, in line order.
func (r *reader) pageWords() []word {
	var ws []word
	for _, ln := range r.l.lines {
		ws = append(ws, ln.words...)
	}
	return ws
}

// findReceived finds a received stamp ("CV ĐẾN" / "CÔNG VĂN ĐẾN", with
// "Số:", "Ngày:" and "Chuyển:" entries written in): the word ĐẾN in
// capitals, with one of the entries' labels near it. The stamp's frame,
// when the page's pixels are there, gives its extent; else a window
// around the anchor the size of the usual stamp.
func (r *reader) findReceived() {
	xh := r.l.xh
	ws := r.pageWords()
	for i, w := range ws {
		if key(w.text) != "den" || capsRatio(w.text) < 0.6 {
			continue
		}
		near := image.Rect(w.box.Min.X-3*xh, w.box.Min.Y-4*xh, w.box.Min.X+12*xh, w.box.Max.Y+2*xh)
		labels := 0
		for j, v := range ws {
			if j == i || !centre(v.box).In(near) {
				continue
			}
			k := key(v.text)
			switch {
			case k == "chuyen", strings.HasPrefix(k, "chuyen") && len(k) <= 8:
				labels++
			case k == "cv", k == "congvan":
				labels++
			case strings.HasSuffix(v.text, ":") || strings.Contains(v.text, ":"):
				if ok, _ := dateKeyword(strings.Split(v.text, ":")[0], "ngay"); ok {
					labels++
				} else if _, so := cutSo(v.text); so {
					labels++
				}
			}
		}
		if labels == 0 {
			continue
		}
		box := r.frameAround(w.box, near)
		st := stamp{kind: "received", box: box}
		st.number, st.date = r.receivedEntries(ws, box)
		r.stamps = append(r.stamps, st)
		return
	}
}

// frameAround is the box of the frame drawn around anchor (the largest
// ink blob whose box encloses it, at least two lines high), searched
// within near; near itself when there are no pixels or no frame.
func (r *reader) frameAround(anchor, near image.Rectangle) image.Rectangle {
	if r.px == nil {
		return near
	}
	xh := r.l.xh
	c := centre(anchor)
	best := image.Rectangle{}
	for _, b := range r.px.blobs(r.l.unstraighten(near.Inset(-xh)), xh*xh/4) {
		bb := r.l.straighten(b.box)
		if !c.In(bb) || bb.Dy() < 2*xh || bb.Dx() < 2*xh {
			continue
		}
		if bb.Dx()*bb.Dy() > best.Dx()*best.Dy() {
			best = bb
		}
	}
	if best.Empty() {
		return near
	}
	// The outer frame may be open on a side the blob search cut: join the
	// frames that touch the best one (a stamp drawn as two boxes).
	for _, b := range r.px.blobs(r.l.unstraighten(best.Inset(-xh)), xh*xh/4) {
		bb := r.l.straighten(b.box)
		if bb.Dy() >= 2*xh && bb.Overlaps(best.Inset(-xh/4)) && bb.Dy() <= 3*best.Dy() {
			best = best.Union(bb)
		}
	}
	return best
}

// receivedEntries reads the registry number and date written into a
// received stamp: digits after its "Số" label, a date after its "Ngày"
// label. Only entries OCR read as plain digits are kept; handwriting read
// as symbols is left for a person.
func (r *reader) receivedEntries(ws []word, box image.Rectangle) (num, date string) {
	var in []word
	for _, w := range ws {
		if centre(w.box).In(box) {
			in = append(in, w)
		}
	}
	for i, w := range in {
		head, tail, _ := strings.Cut(w.text, ":")
		next := strings.TrimSpace(tail)
		if next == "" && i+1 < len(in) {
			next = in[i+1].text
		}
		if _, so := cutSo(head + ":"); so && num == "" {
			if d, clean := plainDigits(strings.Trim(next, ".…")); clean && len(d) <= 6 {
				num = d
			}
		}
		if ok, _ := dateKeyword(head, "ngay"); ok && date == "" {
			date = shortDate(strings.Trim(next, ".…"))
		}
	}
	return num, date
}

// shortDateRe is a date as written into a stamp: 21.3.18, 21/3/2018.
var shortDateRe = regexp.MustCompile(`^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$`)

// shortDate reads "21.3.18" or "21/03/2018" as ISO 8601, or "".
func shortDate(s string) string {
	m := shortDateRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	if len(m[3]) == 2 {
		y += 2000
		if y > time.Now().Year() {
			y -= 100
		}
	}
	return validDate(y, mo, d)
}

func validDate(y, m, d int) string {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return ""
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return ""
	}
	return t.Format(time.DateOnly)
}

// signRe is a signing time as signature boxes print it: "20/12/2024
// 16:32:29", "20.12.2024 16:52:38 +07:00".
var signRe = regexp.MustCompile(`(\d{1,2})[/.](\d{1,2})[/.](\d{4}) (\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?`)

// findSigned finds the digital-signature times printed on the page (the
// signer's box, "Thời gian ký: 20/12/2024 16:32:29", and the gazette's
// or the sender's, "20.12.2024 16:52:38 +07:00") and keeps the earliest
// that was read cleanly: a date and a time on one line that says it is a
// signature (ký, a time zone, an e-mail address), its date word read with
// a confidence of 0.85 or more. Small print is often misread ("21
// 05.2015" for 21.03.2018), and such a reading does not match.
func (r *reader) findSigned() {
	for _, ln := range r.l.lines {
		text := ln.text()
		low := strings.ToLower(text)
		if !(strings.Contains(low, "ký") || strings.Contains(text, "+07") || strings.Contains(text, "@")) {
			continue
		}
		for _, m := range signRe.FindAllStringSubmatchIndex(text, -1) {
			g := func(i int) int { v, _ := strconv.Atoi(text[m[2*i]:m[2*i+1]]); return v }
			day := validDate(g(3), g(2), g(1))
			if day == "" || g(4) > 23 || g(5) > 59 {
				continue
			}
			if w, ok := wordAt(ln.words, text, m[0]); !ok || w.conf < 0.85 {
				continue
			}
			sec := 0
			if m[12] >= 0 {
				sec = g(6)
			}
			at := fmt.Sprintf("%sT%02d:%02d:%02d", day, g(4), g(5), sec)
			if r.signedAt == "" || at < r.signedAt {
				r.signedAt = at
			}
		}
	}
}

// wordAt is the word of ws (joined by single spaces into text) that byte
// offset off of text falls in.
func wordAt(ws []word, text string, off int) (word, bool) {
	pos := 0
	for _, w := range ws {
		end := pos + len(w.text)
		if off >= pos && off < end {
			return w, true
		}
		pos = end + 1
	}
	return word{}, false
}

// sourceNumber is a number and type code a source file's name carries,
// when archivists name scans by number: "660TBUB.pdf" (660, TB),
// "239 TTr.pdf", "23BC.pdf", "2352 ( 07-CT-UBND).pdf" (07, CT).
type sourceNumber struct {
	seq, code string
}

// sourceRe is digits then letters: the number proper and the start of a
// notation, in a file name.
var sourceRe = regexp.MustCompile(`(\d{1,5})\s*[-_/ ]?\s*(\pL{2,})`)

// sourceNumbers reads the candidates from a source file's name.
func sourceNumbers(name string) []sourceNumber {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	var out []sourceNumber
	for _, m := range sourceRe.FindAllStringSubmatch(base, -1) {
		out = append(out, sourceNumber{seq: m[1], code: m[2]})
	}
	return out
}

// checkSourceName compares the number read with the source file's name:
// it agrees when the name carries the same number proper with the same
// type code (or the start of it: "TBUB" for TB-UBND); it conflicts when
// the name carries the same code with another number. A name that says
// nothing of the number is no evidence.
func checkSourceName(name string, n number) (result string, ok bool) {
	if name == "" || n.notation == "" {
		return "", false
	}
	code := key(n.code)
	for _, c := range sourceNumbers(name) {
		ck := key(c.code)
		if !strings.HasPrefix(ck, code) && !strings.HasPrefix(code, ck) {
			continue
		}
		if n.seq == "" {
			return "", false
		}
		a, _ := strconv.Atoi(c.seq)
		b, _ := strconv.Atoi(n.seq)
		if a == b {
			return ResultAgrees, true
		}
		result = ResultConflicts
	}
	return result, result != ""
}

// copyMarks are the marks of a copy, as keys, and the copy's kind
// (Decree 30/2020, Article 25 and Appendix III: bản sao y SY, bản trích
// sao TrS, bản sao lục SL; a certification stamp says "SAO Y BẢN
// CHÍNH").
var copyMarks = []struct{ key, kind string }{
	{key("SAO Y BẢN CHÍNH"), "sao y"},
	{key("SAO Y BẢN SAO"), "sao y"},
	{key("BẢN SAO Y"), "sao y"},
	{key("SAO Y"), "sao y"},
	{key("SAO LỤC"), "sao lục"},
	{key("TRÍCH SAO"), "trích sao"},
	{key("BẢN SAO"), "bản sao"},
}

// copyCodes are the abbreviations of copies in numbers: "05/SY-VP".
var copyCodes = map[string]string{"SY": "sao y", "SL": "sao lục", "TrS": "trích sao", "TS": "trích sao"}

// findCopy finds a copy's mark: a short line in capitals that says SAO Y,
// SAO LỤC, TRÍCH SAO or BẢN SAO (or SAO Y BẢN CHÍNH). The lines just under
// it that carry the copy's number or date (the copy's own "Số:
// 05/SY-VP", "Ngày ... tháng ... năm") belong to it.
func (r *reader) findCopy() {
	xh := r.l.xh
	var pieces []seg
	for _, ln := range r.l.lines {
		pieces = append(pieces, r.l.splitGaps(ln)...)
	}
	for i, s := range pieces {
		ws := clean(s.words)
		if len(ws) == 0 || len(ws) > 6 {
			continue
		}
		c := newSeg(ws, s.h)
		text := c.text()
		if capsRatio(text) < 0.6 {
			continue
		}
		k := key(text)
		kind := ""
		for _, m := range copyMarks {
			if k == m.key || len(m.key) >= 8 && similarity(k, m.key) >= 0.8 {
				kind = m.kind
				break
			}
		}
		if kind == "" {
			continue
		}
		st := stamp{kind: "copy", box: c.box, markText: text, copyKind: kind}
		// The copy's own number and date, under the mark.
		bottom := c.box.Max.Y
		for _, t := range pieces[i+1:] {
			if t.box.Min.Y > bottom+2*xh || t.box.Min.Y > c.box.Max.Y+5*xh {
				break
			}
			if t.box.Max.X < c.box.Min.X-4*xh || t.box.Min.X > c.box.Max.X+4*xh {
				continue
			}
			tws := t.words
			took := false
			if len(tws) > 0 {
				if rest, so := cutSo(tws[0].text); so {
					if n, _, _, ok := readNumber(rest, tws, 0, xh); ok && st.number == "" {
						st.number, took = n.text, true
					}
				}
			}
			if d, ok := readDateLine(tws); ok && st.date == "" {
				st.date, took = d.iso, true
			}
			if !took {
				for _, w := range tws {
					if kw := key(w.text); kw == "chungthuc" || kw == "quyenso" || strings.HasPrefix(kw, "ngay") {
						took = true
					}
				}
			}
			if took {
				st.box = st.box.Union(t.box)
				bottom = t.box.Max.Y
			}
		}
		r.stamps = append(r.stamps, st)
		return
	}
}

// isCopyNumber reports a number whose notation is a copy's: "05/SY-VP".
func isCopyNumber(n number) bool {
	_, ok := copyCodes[n.code]
	return ok
}

// dropStampWords takes the words of stamps out of the header's pieces,
// so that a stamp laid over the subject or the body (a received stamp
// often is) neither hides nor pollutes what is under it.
func (r *reader) dropStampWords() {
	if len(r.stamps) == 0 {
		return
	}
	var out []seg
	for _, s := range r.segs {
		var ws []word
		for _, w := range s.words {
			if !r.inStamp(w.box) {
				ws = append(ws, w)
			}
		}
		switch {
		case len(ws) == len(s.words):
			out = append(out, s)
		case len(ws) > 0:
			out = append(out, r.l.splitGaps(newSeg(ws, s.h))...)
		}
	}
	r.segs = out
	r.sortSegs()
}
