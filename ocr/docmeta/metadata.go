package docmeta

import (
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sohoa/sohoa/internal/editdist"
)

// Review thresholds. A field whose confidence is below trustBelow is
// reviewed (ReasonLowConfidence). A handwritten value OCR read as plain
// digits keeps at most handConf; one it read as symbols is not kept.
// A value two independent readings agree on (the header and the source
// file's name or a signature time) gets corroborated. Measured on the
// real scans and the samples (docs/metadata.md).
const (
	trustBelow   = 0.6
	handConf     = 0.3
	corroborated = 0.9
	// wordTrust is the OCR confidence below which a number proper or a
	// day that stands as its own word (the blank of a printed form) is
	// not trusted when the page's pixels cannot say it is printed.
	wordTrust = 0.7
)

// noSubject are the types whose documents have no trích yếu.
var noSubject = []string{"giấy giới thiệu", "giấy nghỉ phép", "giấy ủy quyền", "phiếu gửi", "phiếu chuyển", "phiếu báo"}

// review collects the fields a person must check.
type review struct {
	reasons map[string]string
	printed map[string]string
}

func (rv *review) add(field, reason string) {
	if rv.reasons == nil {
		rv.reasons = map[string]string{}
	}
	if _, ok := rv.reasons[field]; !ok || reason == ReasonConflict {
		rv.reasons[field] = reason
	}
}

func (rv *review) keep(field, part string) {
	if part == "" {
		return
	}
	if rv.printed == nil {
		rv.printed = map[string]string{}
	}
	rv.printed[field] = part
}

func (r *reader) metadata() Metadata {
	var m Metadata
	var c Confidence

	// Is it a document? Evidence of different kinds must agree.
	c.Document = r.documentScore()
	if !r.isDocument() {
		return Metadata{Confidence: Confidence{Document: c.Document}}
	}
	m.Document = true
	var rv review
	boxes := map[string]image.Rectangle{}
	r.hand = map[string]image.Rectangle{}

	// Type: the title line and the number's abbreviation cross-check.
	var codeTypes []DocType
	codeExact := false
	if r.numFound {
		codeTypes, codeExact = typesByCode(r.num.code)
	}
	var typ DocType
	typeRule, typeConf := 0.0, 0.0
	agree := false
	switch {
	case r.titleFound:
		best := r.titleMatches[0]
		typ, typeRule, typeConf = best.t, best.sim, r.title.conf()
		for _, tm := range r.titleMatches {
			if slices.Contains(codeTypes, tm.t) {
				typ, typeRule, agree = tm.t, 1, true
				break
			}
		}
		if !agree && len(codeTypes) == 0 && r.numFound && best.sim >= 0.85 {
			// "TIr" under "TỜ TRÌNH": a code no type has, one letter from
			// the title's. The title line decides: it is TTr.
			if n, ok := repairCode(r.num, best.t); ok {
				m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceTypeLine, Field: "number", Value: r.num.code + " → " + n.code, Result: ResultRepaired})
				r.num, codeTypes = n, []DocType{best.t}
				typ, typeRule, agree = best.t, 1, true
			}
		}
		if agree && typ.Code != "" {
			m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceTypeLine, Field: "type", Value: typ.Code, Result: ResultAgrees})
		}
		if !agree && len(codeTypes) > 0 {
			m.Flags = append(m.Flags, FlagTypeMismatch)
			rv.add("type", ReasonConflict)
			if best.sim < 0.85 {
				// A poorly read title loses to a well-formed number.
				typ, typeRule, typeConf = codeTypes[0], 0.6, meanConf(r.numWords)
			} else {
				typeRule = 0.6 * best.sim
			}
		}
		boxes["type"] = r.title.box
	case len(codeTypes) > 0:
		// No title line (or not read): the type recovered from the number.
		typ, typeRule, typeConf = codeTypes[0], 0.8, meanConf(r.numWords)
		if !codeExact {
			typeRule = 0.7
		}
		boxes["type"] = r.numLine.noteBox
	case r.vv && len(r.subject) > 0:
		typ, typeRule, typeConf = DocType{Name: CongVan}, 0.95, meanConf(append(wordsOf(r.subject[0]), r.numWords...))
		if !r.subjectLead {
			typeRule = 0.8
		}
		boxes["type"] = r.subject[0].box
	case r.numFound:
		// A number whose notation names no type, and no title: the
		// form of a công văn, though its subject was not found.
		typ, typeRule, typeConf = DocType{Name: CongVan}, 0.7, meanConf(r.numWords)
		boxes["type"] = r.numLine.noteBox
	}
	m.Type, m.TypeCode = typ.Name, typ.Code
	if m.Type != "" {
		c.Type = score(typeRule, typeConf)
	}

	m.SignedAt = r.signedAt
	r.readNumberField(&m, &c, &rv, boxes, typ, agree, codeTypes)
	r.readDateField(&m, &c, &rv, boxes)

	if len(r.issuer) > 0 {
		text, split := issuerText(r.issuer)
		m.Issuer = text
		rule := 1.0
		if !r.numFound || !(r.motto1.found() || r.motto2.found()) {
			rule = 0.85 // the column was not anchored on both sides
		}
		if split {
			rule *= 0.95
		}
		c.Issuer = score(rule, meanConf(wordsOf(r.issuer...)))
		for _, s := range r.issuer {
			boxes["issuer"] = boxes["issuer"].Union(s.box)
		}
	}

	if len(r.subject) > 0 {
		m.Subject = subjectText(r.subject)
		rule := 1.0
		if r.vv && !r.subjectLead {
			rule = 0.8
		}
		if m.Subject != "" {
			c.Subject = score(rule, meanConf(wordsOf(r.subject...)))
			for _, s := range r.subject {
				boxes["subject"] = boxes["subject"].Union(s.box)
			}
		}
	}

	if r.secrecy.text != "" {
		m.Secrecy = r.secrecy.text
		c.Secrecy = score(r.secrecy.rule, r.secrecy.seg.conf())
		m.Flags = append(m.Flags, FlagClassified)
		if m.Secrecy == "TUYỆT MẬT" {
			m.Flags = append(m.Flags, FlagTopSecret)
		}
	}
	if r.urgency.text != "" {
		m.Urgency = r.urgency.text
		c.Urgency = score(r.urgency.rule, r.urgency.seg.conf())
	}
	r.readStamps(&m, &rv, boxes)

	// Fields every document has, and fields read too poorly to trust.
	expect := map[string]bool{"issuer": true, "number": true, "date": true, "type": true,
		"subject": !slices.Contains(noSubject, m.Type)}
	expect["place"] = r.dateFound
	for field, val := range map[string]struct {
		v string
		c float64
	}{
		"issuer": {m.Issuer, c.Issuer}, "number": {m.Number, c.Number}, "date": {m.Date, c.Date},
		"place": {m.Place, c.Place}, "type": {m.Type, c.Type}, "subject": {m.Subject, c.Subject},
	} {
		switch {
		case val.v == "" && expect[field]:
			rv.add(field, ReasonMissing)
		case val.v != "" && val.c < trustBelow:
			rv.add(field, ReasonLowConfidence)
		}
	}

	m.Confidence = c
	slices.Sort(m.Flags)
	m.Flags = slices.Compact(m.Flags)
	for _, f := range reviewFields {
		if reason, ok := rv.reasons[f]; ok {
			m.Review = append(m.Review, f)
			if m.Reasons == nil {
				m.Reasons = map[string]string{}
			}
			m.Reasons[f] = reason
			if p, ok := rv.printed[f]; ok {
				if m.Printed == nil {
					m.Printed = map[string]string{}
				}
				m.Printed[f] = p
			}
		}
	}
	for f, b := range boxes {
		if b.Empty() {
			continue
		}
		if m.Boxes == nil {
			m.Boxes = map[string]Box{}
		}
		m.Boxes[f] = r.box(b)
	}
	for f, b := range r.hand {
		if b.Empty() || !slices.Contains(m.Review, f) {
			continue // corroborated, or read well after all
		}
		if m.Handwritten == nil {
			m.Handwritten = map[string]Box{}
		}
		m.Handwritten[f] = r.box(b)
	}
	return m
}

// box is a deskewed rectangle as a Box of the page image, with a margin
// of a quarter line so that a crop shows the whole writing.
func (r *reader) box(b image.Rectangle) Box {
	u := r.l.unstraighten(b.Inset(-r.l.xh / 4))
	return Box{u.Min.X, u.Min.Y, u.Max.X, u.Max.Y}
}

// documentScore is how strongly the page looks like the first page of
// an administrative document, 0..1 (Confidence.Document).
func (r *reader) documentScore() float64 {
	ev, _ := r.evidence()
	return math.Round(min(1, ev/10)*100) / 100
}

// isDocument: evidence of at least 4 from at least two kinds.
func (r *reader) isDocument() bool {
	ev, kinds := r.evidence()
	return kinds >= 2 && ev >= 4
}

func (r *reader) evidence() (ev float64, kinds int) {
	if r.motto1.found() {
		ev, kinds = ev+3*r.motto1.sim, kinds+1
	}
	if r.motto2.found() {
		ev += 2 * r.motto2.sim
		if !r.motto1.found() {
			kinds++
		}
	}
	switch {
	case r.numFound && r.numLabel:
		ev, kinds = ev+3, kinds+1
	case r.numFound:
		ev, kinds = ev+1.5, kinds+1
	case r.labelAt >= 0:
		ev++
	}
	if r.dateFound {
		ev, kinds = ev+2, kinds+1
	}
	if r.titleFound {
		ev, kinds = ev+2, kinds+1
	}
	if r.vv && r.subjectLead {
		ev++
	}
	return ev, kinds
}

// repairCode puts the title's type code into a number whose code is no
// type's and one letter away from the title's, same length: "TIr" → "TTr".
func repairCode(n number, t DocType) (number, bool) {
	if t.Code == "" || n.code == "" {
		return n, false
	}
	a, b := []rune(n.code), []rune(t.Code)
	if len(a) != len(b) || editdist.Distance([]rune(strings.ToLower(fold(n.code))), []rune(strings.ToLower(fold(t.Code)))) > 1 {
		return n, false
	}
	n.notation = t.Code + n.notation[len(n.code):]
	n.code = t.Code
	if n.seq != "" {
		n.text = n.seq + "/" + n.notationText()
	}
	n.repaired = true
	return n, true
}

// readNumberField sets the number, its confidence, its review and its
// evidence.
func (r *reader) readNumberField(m *Metadata, c *Confidence, rv *review, boxes map[string]image.Rectangle, typ DocType, agree bool, codeTypes []DocType) {
	nl := r.numLine
	if !r.numFound {
		if r.labelAt >= 0 {
			// A label and nothing readable after it.
			zone := image.Rect(r.labelBox.Max.X, r.labelBox.Min.Y, r.gutter, r.labelBox.Max.Y)
			boxes["number"] = r.labelBox.Union(zone)
			hc := r.inkOf(zone, nil, nil).checkBlank(zone)
			if hc.checked && hc.ink || !hc.checked && r.labelRest {
				rv.add("number", ReasonLowConfidence) // something is written there
			}
		}
		return
	}
	boxes["number"] = r.numSeg.box.Union(nl.seqZone).Union(nl.noteBox)
	m.Notation = r.num.notationText()
	rule := 1.0
	if !r.numLabel {
		rule = 0.8
	}
	if r.num.repaired {
		rule *= 0.9
	}
	if typ.Code != "" && !agree && len(codeTypes) == 0 {
		// The notation names no type though the title does, and is not
		// one misread letter from it: one of them is misread.
		rule *= 0.85
		rv.add("number", ReasonConflict)
	}
	c.Number = score(rule, meanConf(r.numWords))
	hc := r.checkNumber()
	printed := "/" + m.Notation
	num, clean := r.num, nl.seqClean
	if hc.hand {
		r.hand["number"] = hc.box
		// The handwriting read again on its own, as digits.
		if d := r.reread(hc); d != "" {
			if num.seq != "" && clean && d == num.seq {
				m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceReread, Field: "number", Value: d, Result: ResultAgrees})
			} else if n, ok := parseNumber(d + "/" + num.notationText()); ok {
				m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceReread, Field: "number", Value: d, Result: ResultSuggests})
				num, clean = n, true
			}
		}
	}
	if num.seq == "" {
		// The notation without its number proper.
		c.Number = 0
		switch {
		case hc.hand:
			rv.add("number", ReasonHandwritten)
		case hc.checked && !hc.ink, !hc.checked && strings.Trim(nl.seqText, "_.… ") == "":
			rv.add("number", ReasonMissing) // a blank never filled in
		default:
			rv.add("number", ReasonLowConfidence)
		}
		rv.keep("number", printed)
		return
	}
	m.Number = num.text
	src, srcOK := checkSourceName(r.in.SourceName, num)
	if srcOK {
		m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceSourceName, Field: "number", Value: r.in.SourceName, Result: src})
	}
	separate := len(nl.seqWords) > 0 && !strings.Contains(nl.seqWords[len(nl.seqWords)-1].text, "/")
	switch {
	case src == ResultConflicts:
		rv.add("number", ReasonConflict)
		c.Number = min(c.Number, handConf)
	case src == ResultAgrees:
		c.Number = max(c.Number, corroborated) // the header and the archivist's name agree
	case hc.hand:
		rv.add("number", ReasonHandwritten)
		rv.keep("number", printed)
		c.Number = min(c.Number, handConf)
		if !clean {
			m.Number, c.Number = "", 0 // symbols read for handwriting: no guess
		}
	case separate && (!clean || meanConf(nl.seqWords) < wordTrust):
		// A number proper in a blank of its own, read poorly: a neat
		// hand the pixels did not tell from print, or print OCR read
		// badly (Tesseract's confidence in the zone).
		rv.add("number", ReasonLowConfidence)
		rv.keep("number", printed)
		c.Number = min(c.Number, handConf)
		if !clean {
			m.Number, c.Number = "", 0
		}
	}
}

// reread reads a part's handwriting again, on its own, with
// Input.ReadDigits: the writing's blobs alone on white, a third of a line
// of margin around. It returns the digits read (one to six), or "".
func (r *reader) reread(hc handCheck) string {
	if r.in.ReadDigits == nil || r.px == nil || len(hc.blobs) == 0 {
		return ""
	}
	box := r.l.unstraighten(hc.box).Inset(-r.l.xh / 3)
	img := image.NewGray(image.Rect(0, 0, box.Dx(), box.Dy()))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, b := range hc.blobs {
		ib := r.l.unstraighten(b).Intersect(box)
		for y := ib.Min.Y; y < ib.Max.Y; y++ {
			for x := ib.Min.X; x < ib.Max.X; x++ {
				img.Pix[img.PixOffset(x-box.Min.X, y-box.Min.Y)] = r.px.lum(x, y)
			}
		}
	}
	d, clean := plainDigits(r.in.ReadDigits(img))
	if !clean || len(d) > 6 {
		return ""
	}
	return d
}

// checkNumber looks at the ink of the number proper against the printed
// label and notation of its line.
func (r *reader) checkNumber() handCheck {
	nl := r.numLine
	if r.px == nil || nl.seqZone.Empty() {
		return handCheck{}
	}
	line := r.numSeg.box.Union(nl.seqZone).Union(nl.noteBox)
	ref := []image.Rectangle{r.numLabelWord.box, nl.noteBox}
	return r.inkOf(line, ref, []image.Rectangle{nl.seqZone}).check(nl.seqZone)
}

// checkBlank judges a zone without a yardstick: only whether there is
// ink in it (a line's height of writing, not a rule or specks).
func (li lineInk) checkBlank(zone image.Rectangle) handCheck {
	if !li.seen {
		return handCheck{}
	}
	hc := handCheck{checked: true}
	for _, b := range li.blobs {
		c := centre(b.box)
		if c.X >= zone.Min.X && c.X < zone.Max.X && b.box.Dy() >= li.xh/3 {
			hc.ink = true
		}
	}
	return hc
}

// dateZones are the parts of the place-date line a hand may have
// written, and the printed words around them.
type dateZones struct {
	day, month, year image.Rectangle
	ref              []image.Rectangle
	line             image.Rectangle
}

func (r *reader) dateZones() dateZones {
	d := r.date
	var z dateZones
	th, nm := d.thang.box, d.nam.box
	charW := max(th.Dx()/5, 1) // "tháng": five letters of the line's type
	line := r.dateSeg.box
	for _, w := range d.words {
		line = line.Union(w.box)
	}
	z.line = line
	x0 := th.Min.X - 2*charW
	if d.ngay != nil {
		g := d.ngay.box
		x0 = min(g.Max.X, g.Min.X+4*charW+charW/2)
		if d.dayIn {
			x0 = g.Min.X + 4*charW + charW/2
		}
		z.ref = append(z.ref, image.Rect(g.Min.X, g.Min.Y, x0, g.Max.Y))
	}
	if len(d.dayWords) > 0 {
		x0 = min(x0, d.dayWords[0].box.Min.X)
	}
	z.day = image.Rect(x0, line.Min.Y, max(x0+1, th.Min.X), line.Max.Y)
	m0 := th.Max.X
	if len(d.monthWords) > 0 {
		m0 = min(m0, d.monthWords[0].box.Min.X)
	}
	thPrinted := image.Rect(th.Min.X, th.Min.Y, min(th.Max.X, th.Min.X+5*charW+charW/2), th.Max.Y)
	m0 = min(m0, thPrinted.Max.X)
	z.month = image.Rect(m0, line.Min.Y, max(m0+1, nm.Min.X), line.Max.Y)
	z.year = image.Rect(nm.Max.X, line.Min.Y, max(nm.Max.X+1, d.yearWord.box.Max.X), line.Max.Y)
	z.ref = append(z.ref, thPrinted, nm)
	for _, w := range d.place {
		z.ref = append(z.ref, w.box)
	}
	return z
}

// readDateField sets the date and the place, their confidences, review
// and evidence.
func (r *reader) readDateField(m *Metadata, c *Confidence, rv *review, boxes map[string]image.Rectangle) {
	if !r.dateFound {
		if r.numFound {
			// Decree 30 prints the place-date line on the number's row,
			// in the right column.
			row := r.numSeg.box
			boxes["date"] = image.Rect(r.gutter, row.Min.Y-r.l.xh/2, r.l.bodyMax, row.Max.Y+r.l.xh/2)
		}
		return
	}
	d := r.date
	for _, w := range d.words {
		boxes["date"] = boxes["date"].Union(w.box)
	}
	if place, known := placeText(d.place); place != "" {
		m.Place = place
		rule := 0.75
		if known {
			rule = 1
		}
		c.Place = score(rule, meanConf(clean(d.place)))
		for _, w := range clean(d.place) {
			boxes["place"] = boxes["place"].Union(w.box)
		}
	}
	var day, month, year handCheck
	if r.px != nil {
		z := r.dateZones()
		li := r.inkOf(z.line, z.ref, []image.Rectangle{z.day, z.month, z.year})
		day, month, year = li.check(z.day), li.check(z.month), li.check(z.year)
		for _, hc := range []handCheck{day, month, year} {
			if hc.hand {
				r.hand["date"] = r.hand["date"].Union(hc.box)
			}
		}
	}
	printed := d.printedPart()
	if month.hand {
		printed = printed[:min(len(printed), 4)] // the year alone
	}
	if year.hand {
		printed = ""
	}
	hand := day.hand || month.hand || year.hand
	iso, dayClean := d.iso, d.dayClean
	if mm, err := strconv.Atoi(d.month); day.hand && !month.hand && !year.hand && err == nil {
		// The handwritten day read again on its own, as digits.
		if dd := r.reread(day); len(dd) <= 2 && dd != "" {
			n, _ := strconv.Atoi(dd)
			if cand := validDate(d.year, mm, n); cand == iso && d.dayClean {
				m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceReread, Field: "date", Value: dd, Result: ResultAgrees})
			} else if cand != "" {
				m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceReread, Field: "date", Value: dd, Result: ResultSuggests})
				iso, dayClean = cand, true
			}
		}
	}

	// The signature time bounds the date, or confirms it.
	sig := ""
	if r.signedAt != "" && iso != "" {
		switch signed := r.signedAt[:10]; {
		case iso == signed:
			sig = ResultAgrees
		case iso > signed:
			sig = ResultConflicts
		default:
			sig = ResultConsistent
		}
		m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceSignature, Field: "date", Value: r.signedAt, Result: sig})
	}
	if iso == "" {
		switch {
		case hand:
			rv.add("date", ReasonHandwritten)
		case day.checked && !day.ink && len(d.dayWords) == 0, !day.checked && len(d.dayWords) == 0 && !d.dayIn:
			rv.add("date", ReasonMissing) // the day left blank
		default:
			rv.add("date", ReasonLowConfidence)
		}
		rv.keep("date", printed)
		return
	}
	m.Date = iso
	c.Date = score(d.quality, meanConf(d.words))
	if r.numFound && r.num.year != "" && r.num.year != iso[:4] {
		m.Flags = append(m.Flags, FlagYearMismatch)
		c.Date = math.Round(c.Date*80) / 100
		c.Number = math.Round(c.Number*80) / 100
		rv.add("date", ReasonConflict)
		rv.add("number", ReasonConflict)
	}
	if iso > r.in.Now.UTC().Format("2006-01-02") {
		// No document is dated after it was scanned: a digit is misread.
		m.Flags = append(m.Flags, FlagDateInFuture)
		c.Date = math.Round(c.Date*50) / 100
		rv.add("date", ReasonConflict)
	}
	unclean := (day.hand && !dayClean) || (month.hand && !d.monthClean)
	switch {
	case sig == ResultConflicts:
		rv.add("date", ReasonConflict)
		c.Date = min(c.Date, handConf)
	case sig == ResultAgrees && !unclean:
		c.Date = max(c.Date, corroborated)
	case hand:
		rv.add("date", ReasonHandwritten)
		rv.keep("date", printed)
		c.Date = min(c.Date, handConf)
		if unclean {
			m.Date, c.Date = "", 0 // symbols read for handwriting: no guess
		}
	case !dayClean || meanConf(d.dayWords) < wordTrust && len(d.dayWords) > 0:
		rv.add("date", ReasonLowConfidence)
		rv.keep("date", printed)
		c.Date = min(c.Date, handConf)
	}
}

// readStamps records a received stamp's entries and a copy's mark.
func (r *reader) readStamps(m *Metadata, rv *review, boxes map[string]image.Rectangle) {
	for _, st := range r.stamps {
		switch st.kind {
		case "received":
			m.ReceivedNumber, m.ReceivedDate = st.number, st.date
			m.Evidence = append(m.Evidence, Evidence{Kind: EvidenceReceivedStamp, Field: "received_number", Value: st.number, Result: ResultRecorded})
			boxes["received_number"], boxes["received_date"] = st.box, st.box
			// The entries are written in by hand: kept when OCR read them as
			// plain digits, else keyed by a person.
			if st.number == "" {
				rv.add("received_number", ReasonHandwritten)
			}
			if st.date == "" {
				rv.add("received_date", ReasonHandwritten)
			}
		case "copy":
			if m.Copy != nil {
				continue
			}
			m.Copy = &Copy{Kind: st.copyKind, Mark: st.markText, Number: st.number, Date: st.date, Box: r.box(st.box)}
		}
	}
	if r.copyNum.num.notation != "" {
		// A number with a copy's code ("05/SY-VP") is the copy's.
		if m.Copy == nil {
			m.Copy = &Copy{Kind: copyCodes[r.copyNum.num.code], Box: r.box(r.copyNumBox)}
		}
		if m.Copy.Number == "" {
			m.Copy.Number = r.copyNum.num.text
		}
	}
}

// ErrUnknownField is returned for a field name that Review cannot hold.
var ErrUnknownField = errors.New("unknown metadata field")

// Corrected is the metadata a person's correction makes: next holds the
// fields the person sent (issuer, number, date, place, type, subject,
// secrecy, urgency, received_number, received_date), prev what was
// current before. A field leaves Review when the person changed its value
// or confirmed it (confirmed lists field names, docmeta.Fields()); the
// other fields in review stay there, with their reasons. What a person
// does not type is carried over from prev: the boxes, the evidence, the
// signature time, the copy. A field the person changed or confirmed has
// confidence 1; the others keep theirs. fields are the ones changed or
// confirmed, sorted as Fields. Flags, Document and TypeCode are left to
// the caller.
func Corrected(prev, next Metadata, confirmed []string) (m Metadata, fields []string, err error) {
	for _, f := range confirmed {
		if !slices.Contains(reviewFields, f) {
			return Metadata{}, nil, fmt.Errorf("%w %q (one of %s)", ErrUnknownField, f, strings.Join(reviewFields, ", "))
		}
	}
	m = next
	m.Boxes, m.Evidence, m.SignedAt, m.Copy = prev.Boxes, prev.Evidence, prev.SignedAt, prev.Copy
	m.Confidence = prev.Confidence
	if n, ok := parseNumber(m.Number); ok {
		m.Notation = n.notationText()
	} else if m.Number == "" {
		m.Notation = prev.Notation
	} else {
		m.Notation = ""
	}
	values := func(x Metadata) map[string]string {
		return map[string]string{"issuer": x.Issuer, "number": x.Number, "date": x.Date, "place": x.Place,
			"type": x.Type, "subject": x.Subject, "received_number": x.ReceivedNumber, "received_date": x.ReceivedDate}
	}
	before, after := values(prev), values(m)
	conf := map[string]*float64{"issuer": &m.Confidence.Issuer, "number": &m.Confidence.Number, "date": &m.Confidence.Date,
		"place": &m.Confidence.Place, "type": &m.Confidence.Type, "subject": &m.Confidence.Subject}
	m.Review, m.Reasons, m.Printed = nil, nil, nil
	for _, f := range reviewFields {
		touched := before[f] != after[f] || slices.Contains(confirmed, f)
		if touched {
			fields = append(fields, f)
			if c := conf[f]; c != nil {
				*c = 1
				if after[f] == "" {
					*c = 0
				}
			}
			continue
		}
		if !slices.Contains(prev.Review, f) {
			continue
		}
		m.Review = append(m.Review, f)
		if r, ok := prev.Reasons[f]; ok {
			if m.Reasons == nil {
				m.Reasons = map[string]string{}
			}
			m.Reasons[f] = r
		}
		if p, ok := prev.Printed[f]; ok {
			if m.Printed == nil {
				m.Printed = map[string]string{}
			}
			m.Printed[f] = p
		}
	}
	return m, fields, nil
}
