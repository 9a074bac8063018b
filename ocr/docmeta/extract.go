package docmeta

import (
	"image"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/sohoa/sohoa/internal/editdist"
	"github.com/sohoa/sohoa/ocr"
)

// The two lines of the national title and motto, as keys.
var (
	mottoTitle = key("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	mottoLine  = key("Độc lập - Tự do - Hạnh phúc")
)

// Extract reads the header of a document's first page from its OCR
// result alone: Read without the page's pixels, so what is handwritten
// cannot be told from print and is judged by OCR confidence only. It
// returns Document false and empty fields for a page that is not the
// first page of an administrative document. It does not change p. Apply
// it to the page as OCR returned it, with or without ocr.FixColumns: it
// finds the columns from word positions. A date after today (time.Now)
// is kept and flagged FlagDateInFuture.
func Extract(p *ocr.Page) Metadata { return Read(p, Input{}) }

// Input is what Read may use besides the OCR result. Every field is
// optional.
type Input struct {
	// Gray is the page image the OCR coordinates refer to (the farm's
	// image.png). With it, handwriting in the number and date is told
	// from print by its shape.
	Gray image.Image
	// Color is the colour version of Gray, pixel for pixel (the farm's
	// color.jpg), for a colour original: with it, blue or red ink is told
	// from black print.
	Color image.Image
	// SourceName is the source file's name. When archivists name scans
	// by number ("660TBUB.pdf") it corroborates, or contradicts, the
	// number read; it never supplies one.
	SourceName string
	// Now is the time a date after which is misread; zero means
	// time.Now().
	Now time.Time
	// ReadDigits, when set, reads again the handwriting of a number
	// proper or a day that Read found handwritten: img is that writing
	// alone, on white, at the page's resolution, and ReadDigits returns
	// the digits it reads ("" when none). Its reading is offered as the
	// field's value, which stays in review. The farm reads it with
	// Tesseract restricted to digits, as one line.
	ReadDigits func(img image.Image) string
}

// Read reads the header of a document's first page (see Extract), using
// the page's pixels and the source's name when in gives them, and lists
// the fields a person must check in Metadata.Review.
func Read(p *ocr.Page, in Input) Metadata {
	if p == nil {
		return Metadata{}
	}
	return newReader(p, in).read()
}

// newReader prepares the reading of page p.
func newReader(p *ocr.Page, in Input) *reader {
	r := &reader{l: newLayout(p), in: in}
	if in.Gray != nil {
		r.px = &pixels{gray: in.Gray, color: in.Color}
	}
	if r.in.Now.IsZero() {
		r.in.Now = time.Now()
	}
	return r
}

// phrase is a run of words found on a line, and how well it matched.
type phrase struct {
	seg seg
	sim float64
}

func (p phrase) found() bool { return p.sim > 0 }

// mark is a secrecy or urgency mark found on the page.
type mark struct {
	text string
	seg  seg
	rule float64
}

type reader struct {
	l      *layout
	in     Input
	px     *pixels // nil without Input.Gray
	stamps []stamp // received stamps and copies' marks, kept out of the header
	// signedAt is the earliest digital-signature time read, or "".
	signedAt string
	// hand are the parts found handwritten, by field.
	hand   map[string]image.Rectangle
	segs   []seg // the header part of the page in column pieces, by top
	gutter int   // x position between the header's two columns

	motto1, motto2 phrase

	numSeg       seg // "Số: ..." and the number
	numWords     []word
	num          number
	numLine      numLine // where the number's parts are
	numLabelWord word
	numFound     bool            // a number, or at least its notation, was read
	numLabel     bool            // the number followed a "Số:" label
	labelAt      int             // top of a "Số:" label whose number did not parse, or -1
	labelBox     image.Rectangle // that label
	labelRest    bool            // OCR read something after it
	copyNum      numLine         // a copy's number ("05/SY-VP"), kept apart
	copyNumBox   image.Rectangle

	dateSeg   seg
	date      dateLine
	dateFound bool

	title        seg
	titleMatches []titleMatch
	titleFound   bool

	subject     []seg
	subjectLead bool // it began with "V/v" or "Về việc"
	vv          bool // it is a công văn's "V/v" subject under the number

	issuer  []seg
	secrecy mark
	urgency mark
}

// read runs the steps in order: each uses what the earlier ones found.
func (r *reader) read() Metadata {
	r.segment()
	r.findMottos()
	r.findGutter()
	r.findReceived()
	r.findCopy()
	r.dropStampWords()
	r.findSigned()
	r.findNumber()
	r.findDate()
	r.findMarks()
	r.findTitle()
	r.findSubject()
	r.findIssuer()
	return r.metadata()
}

// topLimit is the lowest top a line of the header or the title block
// may have: 45% down the page.
func (r *reader) topLimit() int { return r.l.h * 45 / 100 }

// segment cuts the lines at the top of the page into column pieces: at
// the national title and motto (wherever OCR ran them into the issuing
// body's lines) and at wide column gaps.
func (r *reader) segment() {
	for _, ln := range r.l.lines {
		if ln.box.Min.Y > r.topLimit() {
			continue
		}
		pieces := []seg{ln}
		for _, target := range []string{mottoTitle, mottoLine} {
			if ln.box.Min.Y > r.l.h*30/100 {
				break // the national title and motto open the page
			}
			var next []seg
			for _, pc := range pieces {
				i, j, sim := findPhrase(pc.words, target)
				if sim < 0.75 || (i == 0 && j == len(pc.words)) {
					next = append(next, pc)
					continue
				}
				a, rest := pc.splitAt(i)
				m, b := rest.splitAt(j - i)
				for _, s := range []seg{a, m, b} {
					if len(s.words) > 0 {
						next = append(next, s)
					}
				}
			}
			pieces = next
		}
		for _, pc := range pieces {
			r.segs = append(r.segs, r.l.splitGaps(pc)...)
		}
	}
	r.sortSegs()
}

func (r *reader) sortSegs() {
	slices.SortStableFunc(r.segs, func(a, b seg) int {
		if d := a.box.Min.Y - b.box.Min.Y; d != 0 {
			return d
		}
		return a.box.Min.X - b.box.Min.X
	})
}

// findPhrase finds the run of words in ws whose key is most like target.
func findPhrase(ws []word, target string) (i, j int, sim float64) {
	keys := make([]string, len(ws))
	for a, w := range ws {
		keys[a] = key(w.text)
	}
	for a := range ws {
		if keys[a] == "" {
			continue // a run does not start with a dash or a speck
		}
		n := 0
		for b := a; b < len(ws); b++ {
			n += len(keys[b])
			if n > len(target)*3/2 {
				break
			}
			if 4*n < 3*len(target) {
				continue // too short to reach a similarity of 0.75
			}
			k := strings.Join(keys[a:b+1], "")
			if !mayBeSimilar(k, target, 0.75) {
				continue
			}
			if s := similarity(k, target); s > sim {
				i, j, sim = a, b+1, s
			}
		}
	}
	return i, j, sim
}

func (r *reader) findMottos() {
	for _, s := range r.segs {
		if s.box.Min.Y > r.l.h*30/100 {
			break
		}
		k := key(s.text())
		if sim := similarity(k, mottoTitle); sim >= 0.75 && sim > r.motto1.sim {
			r.motto1 = phrase{s, sim}
		}
		if sim := similarity(k, mottoLine); sim >= 0.75 && sim > r.motto2.sim {
			r.motto2 = phrase{s, sim}
		}
	}
}

// findGutter places the boundary between the header columns just left
// of the national title and motto, which open the right column; without
// them, at 45% of the body width (the left column's share in Decree 30).
func (r *reader) findGutter() {
	r.gutter = r.l.bodyMin + (r.l.bodyMax-r.l.bodyMin)*45/100
	x := math.MaxInt
	for _, m := range []phrase{r.motto1, r.motto2} {
		if m.found() {
			x = min(x, m.seg.box.Min.X)
		}
	}
	if x != math.MaxInt && x-r.l.xh/2 > r.l.w*30/100 && x < r.l.w*65/100 {
		r.gutter = x - r.l.xh/2
	}
}

// left and right report a piece that lies in the left or the right
// header column.
func (r *reader) left(s seg) bool {
	return s.centreX() < r.gutter && s.box.Max.X < r.gutter+3*r.l.xh
}

func (r *reader) right(s seg) bool {
	return s.centreX() >= r.gutter && s.box.Min.X > r.gutter-3*r.l.xh
}

// narrow reports a piece that is not a line of body text.
func (r *reader) narrow(s seg) bool { return s.box.Dx() < r.l.w*60/100 }

// findNumber finds the "Số:" line (preferring the left column, top
// first, and the row of the place-date line) and reads the number after
// the label. When OCR ran the number and the place-date line together,
// the piece is cut after the number. Pieces inside a stamp (a received
// stamp's "Số:") are not the document's number.
func (r *reader) findNumber() {
	r.labelAt = -1
	best := -1
	var bestNum numLine
	for si, s := range r.segs {
		if s.box.Min.Y > r.l.h*35/100 || !r.narrow(s) || r.inStamp(s.box) {
			continue
		}
		for k := 0; k < min(3, len(s.words)); k++ {
			w := s.words[k]
			if isJunk(w) {
				continue
			}
			rest, ok := cutSo(w.text)
			if !ok {
				if !hasLetter(w.text) || hasDigit(w.text) {
					break // only words ("Luật số:") may come before the label
				}
				continue
			}
			nl, ok := readNumberLine(rest, s.words, k, r.l.xh)
			if ok && isCopyNumber(nl.num) {
				// A copy's own number ("05/SY-VP"), not the document's.
				if r.copyNum.num.notation == "" {
					r.copyNum, r.copyNumBox = nl, s.box
				}
				break
			}
			if !ok {
				if r.labelAt < 0 {
					r.labelAt = s.box.Min.Y
					r.labelBox = w.box
					// Anything but the dots or rule of a blank: handwriting
					// OCR read as symbols ("#") counts.
					r.labelRest = strings.Trim(rest, "._…-") != "" ||
						slices.ContainsFunc(s.words[k+1:], func(w word) bool { return strings.Trim(w.text, "._…-–|") != "" })
				}
				break
			}
			if best < 0 || r.betterNumber(s, r.segs[best]) {
				best, bestNum = si, nl
				r.numLabelWord = w
			}
			break
		}
	}
	if best < 0 {
		r.findBareNumber()
		return
	}
	s := r.segs[best]
	numPart, rest := s.splitAt(bestNum.end)
	r.numSeg, r.num, r.numFound, r.numLabel = numPart, bestNum.num, true, true
	r.numLine = bestNum
	r.numWords = numPart.words
	if len(rest.words) > 0 {
		r.segs[best] = numPart
		r.segs = append(r.segs, rest)
		r.sortSegs()
	}
}

// betterNumber reports whether a number line in piece a is likelier the
// document's than one in b: in the left column, where Decree 30 puts it,
// rather than not; then the higher one (the stamp of a copy or a
// received stamp comes lower).
func (r *reader) betterNumber(a, b seg) bool {
	return r.left(a) && !r.left(b)
}

// findBareNumber looks for a number whose "Số:" label OCR lost: a piece
// of the left column above the title that starts with a well-formed
// number with a notation.
func (r *reader) findBareNumber() {
	for _, s := range r.segs {
		if s.box.Min.Y > r.l.h*35/100 || !r.left(s) {
			continue
		}
		ws := clean(s.words)
		if len(ws) == 0 || !strings.Contains(ws[0].text, "/") {
			continue
		}
		n, _, end, ok := readNumber("", ws, -1, r.l.xh)
		if !ok {
			continue
		}
		r.numSeg, r.num, r.numFound = newSeg(ws[:end], s.h), n, true
		r.numWords = ws[:end]
		nl := numLine{num: n, end: end}
		nl.locate(word{box: image.Rect(ws[0].box.Min.X, ws[0].box.Min.Y, ws[0].box.Min.X, ws[0].box.Max.Y)}, 0, "", ws, -1, 0, end)
		r.numLine = nl
		return
	}
}

// readNumber reads the number that follows the label at index k of ws
// (rest is what followed the label inside its own word). Pieces OCR
// split are joined: "57 / 2025/NQ - HĐND", "15/2024/QĐ-UB ND". It returns
// the index in ws of the number's first word (k when it starts in the
// label's word) and the index after its last word.
func readNumber(rest string, ws []word, k int, xh int) (number, int, int, bool) {
	var pieces []string
	var ends []int // ends[i]: index in ws after piece i
	if rest != "" {
		pieces, ends = append(pieces, rest), append(ends, k+1)
	}
	prev := -1
	if k >= 0 {
		prev = k
	}
	for i := k + 1; i < len(ws); i++ {
		t := ws[i].text
		if len(pieces) == 0 {
			if !hasDigit(t) && !hasLetter(t) {
				continue // a stray mark between label and number
			}
			pieces, ends, prev = append(pieces, t), append(ends, i+1), i
			continue
		}
		cur := strings.Join(pieces, "")
		join := strings.HasSuffix(cur, "/") || strings.HasSuffix(cur, "-") ||
			strings.HasPrefix(t, "/") || strings.HasPrefix(t, "-") || isDash(t)
		if strings.ContainsFunc(t, func(r rune) bool { return vietnameseLetter(r) && r != 'Đ' && r != 'đ' }) {
			join = false // a word with tone marks is no part of a notation: "Quảng"
		}
		if !join && strings.Contains(cur, "/") && capsToken(t) && prev >= 0 &&
			ws[i].box.Min.X-ws[prev].box.Max.X < xh {
			join = true // "QĐ-UB ND": a notation split inside a word
		}
		if !join {
			break
		}
		pieces, ends, prev = append(pieces, t), append(ends, i+1), i
	}
	first := k
	if rest == "" && len(ends) > 0 {
		first = ends[0] - 1
	}
	for n := len(pieces); n > 0; n-- {
		if num, ok := parseNumber(strings.Join(pieces[:n], "")); ok {
			num.repaired = num.repaired || n > 1
			return num, first, ends[n-1], true
		}
	}
	return number{}, 0, 0, false
}

func isDash(t string) bool {
	switch t {
	case "-", "–", "—", "‒", "−":
		return true
	}
	return false
}

// capsToken reports a short word of capitals and digits: a piece of a
// notation ("ND", "HĐND").
func capsToken(t string) bool {
	t = strings.TrimRight(t, ".,;:")
	n := 0
	for _, r := range t {
		n++
		if unicode.IsLower(r) || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') {
			return false
		}
	}
	return n > 0 && n <= 10 && hasLetter(t)
}

// findDate finds the place-date line: a narrow line at the top that
// reads "<place>, ngày D tháng M năm Y", the right column's first, and
// among those the one on the number's row. A line whose day or month is
// illegible or blank is found too (its date is then incomplete).
func (r *reader) findDate() {
	found := false
	for _, s := range r.segs {
		if s.box.Min.Y > r.l.h*40/100 || !r.narrow(s) || r.inStamp(s.box) {
			continue
		}
		d, ok := readDateLine(s.words)
		if !ok || len(d.place) > 6 {
			continue
		}
		if !found || r.betterDate(s, d, r.dateSeg, r.date) {
			r.dateSeg, r.date, found = s, d, true
		}
	}
	r.dateFound = found
}

// betterDate reports whether the date line a is likelier the document's
// than b: in the right column rather than not, then complete rather
// than not.
func (r *reader) betterDate(a seg, da dateLine, b seg, db dateLine) bool {
	if r.right(a) != r.right(b) {
		return r.right(a)
	}
	return da.iso != "" && db.iso == ""
}

// findMarks finds the secrecy and urgency marks: short lines in
// capitals at the top of the page that say only the mark.
func (r *reader) findMarks() {
	for _, s := range r.segs {
		if s.box.Min.Y > r.l.h*40/100 {
			break
		}
		ws := clean(s.words)
		if len(ws) == 0 || len(ws) > 3 {
			continue
		}
		c := newSeg(ws, s.h)
		if r.secrecy.text == "" {
			if mk, rule := matchMark(c.text(), secrecyMarks); mk != "" {
				r.secrecy = mark{mk, c, rule}
			}
		}
		if r.urgency.text == "" {
			if mk, rule := matchMark(c.text(), urgencyMarks); mk != "" {
				r.urgency = mark{mk, c, rule}
			}
		}
	}
}

func (r *reader) isMark(s seg) bool {
	for _, m := range []mark{r.secrecy, r.urgency} {
		if m.text != "" && m.seg.box.Overlaps(s.box) {
			return true
		}
	}
	return false
}

// headerTop is where the title block may start: below the tops of the
// header rows found (national title and motto, number, place-date
// line), or 0 when none was found.
func (r *reader) headerTop() int {
	y := 0
	for _, s := range []seg{r.motto1.seg, r.motto2.seg, r.dateSeg, r.numSeg} {
		if len(s.words) > 0 {
			y = max(y, s.box.Min.Y+r.l.xh/2)
		}
	}
	return y
}

// bodyStart matches the openings of the lines that follow the title
// block: legal bases, the addressee, the body.
var bodyStart = regexp.MustCompile(`^(can cu|kinh gui|thuc hien|xet|dieu \d|theo de nghi|[ivx]+\.|\d+\.)`)

func (r *reader) isBody(s seg) bool {
	if bodyStart.MatchString(strings.ToLower(fold(s.text()))) {
		return true
	}
	// A full-width justified line.
	return s.box.Min.X <= r.l.bodyMin+r.l.xh && s.box.Max.X >= r.l.bodyMax-r.l.xh
}

// centred reports a piece centred on the body, as the title block is.
func (r *reader) centred(s seg, centre int) bool {
	return abs(s.centreX()-centre) < r.l.w*10/100
}

// findTitle finds the type line: the first centred line in capitals
// below the header rows that names a document type. The search ends at
// the first line of body text.
func (r *reader) findTitle() {
	top := r.headerTop()
	if top == 0 {
		return // no header rows, no title block
	}
	for _, s := range r.segs {
		if s.box.Min.Y < top {
			continue
		}
		if s.box.Min.Y > r.topLimit() || r.isBody(s) {
			return
		}
		ws := clean(s.words)
		if len(ws) == 0 || len(ws) > 6 || !r.centred(newSeg(ws, s.h), r.l.bodyCentre()) {
			continue
		}
		text := newSeg(ws, s.h).text()
		if capsRatio(text) < 0.7 {
			continue
		}
		if ms := matchTitle(text, 0.75); len(ms) > 0 {
			r.title, r.titleMatches, r.titleFound = newSeg(ws, s.h), ms, true
			return
		}
	}
}

// vvLead matches the lead of a subject, folded and in lower case: "V/v",
// "V/V", "V.v", "V\v", "Vv" and "Về việc", with a colon or dot after.
var (
	vvLead   = regexp.MustCompile(`^v\s*[/.\\|,;:']\s*v(?:[.:]\s*|\s+|$)|^v/v|^vv(?:[.:]\s*|\s+|$)`)
	veViec   = regexp.MustCompile(`^ve\s*viec\b[.:]?\s*`)
	subjStop = regexp.MustCompile(`^(can cu|kinh gui|thuc hien|xet|dieu \d|noi nhan)`)
)

// stripLead removes "V/v" or "Về việc" from the start of a subject. It
// works on the folded text (one rune per rune of s) and cuts s at the
// same place, so the rest keeps its diacritics.
func stripLead(s string) (string, bool) {
	orig := s
	s = strings.TrimLeftFunc(s, isPunctRune) // "'Về việc": a speck before the lead
	f := strings.ToLower(fold(s))
	loc := vvLead.FindStringIndex(f)
	if loc == nil {
		loc = veViec.FindStringIndex(f)
	}
	if loc == nil {
		// "Vê viêc", "Về viêc": the words themselves, fuzzily.
		fs := strings.Fields(f)
		if len(fs) >= 2 && fs[0] == "ve" && editdist.Distance([]rune(strings.Trim(fs[1], ".:")), []rune("viec")) <= 1 {
			n := len([]rune(fs[0])) + 1 + len([]rune(fs[1]))
			return strings.TrimSpace(string([]rune(s)[n:])), true
		}
		return orig, false
	}
	n := len([]rune(f[:loc[1]]))
	return strings.TrimSpace(string([]rune(s)[n:])), true
}

// findSubject reads the trích yếu: the centred lines under the title, or
// for a công văn the "V/v" lines under the number in the left column.
func (r *reader) findSubject() {
	if r.titleFound {
		r.subject = r.titleSubject()
	}
	if len(r.subject) == 0 && (r.numFound || r.labelAt >= 0) {
		r.subject, r.vv = r.vvSubject(), true
	}
	if len(r.subject) > 0 {
		_, r.subjectLead = stripLead(r.subject[0].text())
	}
	if r.vv && len(r.subject) > 0 && !r.subjectLead && (r.titleFound || !r.numFound) {
		// A titled document's left column text, or text under a label
		// whose number was not read: no "V/v", no công văn's subject.
		r.subject, r.vv = nil, false
	}
}

func (r *reader) titleSubject() []seg {
	var out []seg
	prev := r.title
	centre := r.title.centreX()
	for _, s := range r.segs {
		if s.box.Min.Y <= r.title.box.Min.Y || r.left(s) && s.box.Max.X < r.title.box.Min.X {
			continue
		}
		ws := clean(s.words)
		if len(ws) == 0 {
			if len(out) > 0 {
				break // the short rule under the subject
			}
			continue
		}
		c := newSeg(ws, s.h)
		gap := c.box.Min.Y - prev.box.Max.Y
		limit := r.l.xh * 9 / 10
		if len(out) == 0 {
			limit = r.l.xh * 13 / 10
		}
		text := c.text()
		// A long subject line is as wide as the body's: only the body's
		// openings end it, not its width (a rule and a gap end it too).
		if gap > limit || !r.centred(c, centre) || bodyStart.MatchString(strings.ToLower(fold(text))) ||
			subjStop.MatchString(strings.ToLower(fold(text))) ||
			(capsRatio(text) >= 0.75 && len(key(text)) >= 6) {
			break
		}
		out = append(out, c)
		prev = c
	}
	return out
}

func (r *reader) vvSubject() []seg {
	var out []seg
	prev := r.numSeg
	if !r.numFound {
		// Under a "Số:" label whose number could not be read at all.
		prev = newSeg([]word{{box: r.labelBox}}, r.l.xh)
	}
	for _, s := range r.segs {
		if s.box.Min.Y <= prev.box.Min.Y+r.l.xh/3 || !r.left(s) {
			continue
		}
		if r.isMark(s) {
			break
		}
		ws := clean(s.words)
		if len(ws) == 0 {
			if len(out) > 0 {
				break
			}
			continue
		}
		c := newSeg(ws, s.h)
		gap := c.box.Min.Y - prev.box.Max.Y
		limit := r.l.xh * 9 / 10
		if len(out) == 0 {
			limit = r.l.xh * 3 / 2
		}
		if gap > limit {
			break
		}
		if len(out) == 0 {
			if _, lead := stripLead(c.text()); !lead && capsRatio(c.text()) >= 0.6 {
				break
			}
		}
		out = append(out, c)
		prev = c
	}
	return out
}

// findIssuer takes the left column's lines above the number (or, with
// no number, above the place-date line's foot or the title).
func (r *reader) findIssuer() {
	limit := r.topLimit()
	switch {
	case r.numFound:
		limit = r.numSeg.box.Min.Y + r.l.xh/3
	case r.labelAt >= 0:
		limit = r.labelAt + r.l.xh/3
	case r.dateFound:
		limit = r.dateSeg.box.Max.Y + r.l.xh
	case r.titleFound:
		limit = r.title.box.Min.Y
	default:
		return
	}
	start := 0
	for _, m := range []phrase{r.motto1, r.motto2} {
		if m.found() {
			start = max(0, m.seg.box.Min.Y-3*r.l.xh)
			break
		}
	}
	for _, s := range r.segs {
		if s.box.Min.Y < start || s.box.Max.Y > limit || !r.left(s) || r.isMark(s) {
			continue
		}
		ws := clean(s.words)
		if len(ws) == 0 || meanConf(ws) < 0.3 {
			continue // nothing, or a rule or stamp edge read as letters
		}
		c := newSeg(ws, s.h)
		if _, so := cutSo(ws[0].text); so && len(ws) <= 3 {
			continue
		}
		if capsRatio(c.text()) < 0.5 || !hasLetter(c.text()) {
			continue
		}
		r.issuer = append(r.issuer, c)
	}
}

// issuerText is the issuer's lines joined by "\n", with quotes and specks
// stuck to words removed and words OCR ran together split.
func issuerText(lines []seg) (string, bool) {
	var out []string
	split := false
	for _, s := range lines {
		var ws []string
		for _, w := range s.words {
			t := strings.TrimLeftFunc(w.text, isPunctRune)
			t = strings.TrimRight(t, "\"'`“”‘’.:;_|")
			if t == "" {
				continue
			}
			if sp := splitMerged(t); sp != t {
				t, split = sp, true
			}
			ws = append(ws, t)
		}
		if len(ws) > 0 {
			out = append(out, strings.Join(ws, " "))
		}
	}
	return strings.Join(out, "\n"), split
}

// subjectText joins the subject's lines with a space and removes its
// lead.
func subjectText(lines []seg) string {
	parts := make([]string, 0, len(lines))
	for _, s := range lines {
		parts = append(parts, s.text())
	}
	text, _ := stripLead(strings.Join(parts, " "))
	// A subject does not end in a dash or a quote: those are the rule
	// under it or a speck.
	text = strings.TrimRight(text, " -–—_,;:|'\"`")
	return strings.Join(strings.Fields(text), " ")
}

func wordsOf(segs ...seg) []word {
	var ws []word
	for _, s := range segs {
		ws = append(ws, s.words...)
	}
	return ws
}

// score combines a field's rule quality (0..1) with its words' OCR
// confidence (0..1): rule × (0.5 + 0.5 × OCR), rounded to 0.01. OCR
// confidence alone undersells numbers (Tesseract gives "15/2024/QĐ-UBND"
// 47 when it read it right), so the rule carries half the weight.
func score(rule, ocrConf float64) float64 {
	c := rule * (0.5 + 0.5*ocrConf)
	return math.Round(max(0, min(1, c))*100) / 100
}

// FirstPage reports whether a page (its OCR result) is the first page of
// an administrative document, that is whether it carries a Decree 30
// header, and how strongly it looks like one, 0..1: the national title and
// motto, a "Số:" line, a place-date line, a type line and a công văn's
// "V/v" subject, weighed as for Metadata.Document and Confidence.Document
// (docs/metadata.md). A page is one from an evidence of 0.4 from two
// kinds. On the 44 sample pages the two that are not documents score 0,
// the first pages 0.79 to 1 (39 of them 1), but for the page skewed 8°
// that OCR found no text on. For finding where documents start in a
// scanned record; it costs what Extract costs (under a millisecond).
func FirstPage(p *ocr.Page) (ok bool, score float64) {
	m := Extract(p)
	return m.Document, m.Confidence.Document
}
