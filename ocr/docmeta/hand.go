package docmeta

import (
	"image"
	"math"
	"slices"

	"github.com/sohoa/sohoa/ocr"
)

// Telling handwriting from print. The number proper and the day (often
// the month too) of a Decree 30 header are written into blanks left in
// the printed line when the document is signed. The printed rest of the
// line sets the yardstick: the height of its capitals and digits, its
// baseline, its pen width and its ink colour. Ink in a part of the line
// that departs from that yardstick in two ways or more is handwriting.
// The cues, measured on the real scans (docs/metadata.md):
//
//   - size: printed digits are as tall as the line's capitals; handwritten
//     ones 1.2 to 1.6 times as tall;
//   - below the line: handwritten digits reach 0.15 to 0.4 of that height
//     below the baseline, printed ones do not;
//   - above the line: they reach over the capitals' top;
//   - pen: a felt pen's or a ballpoint's stroke is wider or narrower than
//     the type's (1.3 to 1.7 times as wide on the scans);
//   - colour: blue or red ink where the print is black (in the colour
//     version of the page, when there is one).

// handCheck is what the pixels say about one part of a header line.
type handCheck struct {
	checked bool     // the page's pixels were looked at
	ink     bool     // there is writing in the part (not only a rule or specks)
	hand    bool     // it is handwriting
	cues    []string // the cues that fired: "size", "below_line", "above_line", "pen", "colour"
	// box is the writing's extent (deskewed coordinates), blobs its
	// pieces' boxes.
	box   image.Rectangle
	blobs []image.Rectangle
}

// lineInk is a header line's ink, blob boxes in deskewed coordinates,
// and the yardstick of its printed parts.
type lineInk struct {
	blobs  []blob
	xh     int
	height float64 // printed capitals' and digits' height
	base   float64 // baseline
	stroke float64 // printed pen width
	cb, cr float64 // printed ink's chroma
	color  bool    // the colour version was seen
	seen   bool    // the page's pixels were looked at
	ok     bool    // the printed parts gave a yardstick
}

// inkOf reads the ink of the line in box (deskewed coordinates) and takes
// its yardstick from the blobs inside the printed words' boxes ref, but
// not inside any of the zones (the parts to judge: OCR's box for "ngày"
// often reaches over the handwritten day after it).
func (r *reader) inkOf(box image.Rectangle, ref, zones []image.Rectangle) lineInk {
	li := lineInk{xh: r.l.xh}
	if r.px == nil || box.Empty() {
		return li
	}
	li.seen = true
	xh := r.l.xh
	band := image.Rect(box.Min.X-xh/2, box.Min.Y-xh*3/5, box.Max.X+xh/2, box.Max.Y+xh*3/5)
	minPixels := max(8, xh*xh/200)
	keep := box.Inset(-xh / 4)
	for _, b := range r.px.blobs(r.l.unstraighten(band), minPixels) {
		b.box = r.l.straighten(b.box)
		c := centre(b.box)
		if !c.In(keep) {
			continue // another line's ink, cut by the band
		}
		li.blobs = append(li.blobs, b)
	}
	var hs, bottoms []float64
	var strokes []float64
	var cb, cr, n float64
	for _, b := range li.blobs {
		c := centre(b.box)
		if inAny(c, zones) || !inAny(c, ref) || b.box.Dy() < xh*3/10 {
			continue
		}
		hs = append(hs, float64(b.box.Dy()))
		strokes = append(strokes, b.stroke)
		if b.hasColor {
			cb += b.cb * float64(b.n)
			cr += b.cr * float64(b.n)
			n += float64(b.n)
		}
	}
	if len(hs) < 3 {
		return li
	}
	// Capitals, digits and ascenders are the taller half of the letters.
	slices.Sort(hs)
	upper := hs[len(hs)/2:]
	li.height = upper[len(upper)/2]
	for _, b := range li.blobs {
		c := centre(b.box)
		if inAny(c, zones) || !inAny(c, ref) || float64(b.box.Dy()) < li.height/2 {
			continue
		}
		bottoms = append(bottoms, float64(b.box.Max.Y))
	}
	slices.Sort(bottoms)
	slices.Sort(strokes)
	li.base = bottoms[len(bottoms)/2]
	li.stroke = strokes[len(strokes)/2]
	if n > 0 {
		li.cb, li.cr, li.color = cb/n, cr/n, true
	}
	li.ok = li.height > 0 && li.stroke > 0
	return li
}

func centre(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }

func inAny(p image.Point, rs []image.Rectangle) bool {
	for _, r := range rs {
		if p.In(r) {
			return true
		}
	}
	return false
}

// check judges the ink in zone (deskewed coordinates, x range; the
// whole line's height).
func (li lineInk) check(zone image.Rectangle) handCheck {
	hc := handCheck{}
	if !li.ok {
		return hc
	}
	hc.checked = true
	var in []blob
	for _, b := range li.blobs {
		c := centre(b.box)
		if c.X < zone.Min.X || c.X >= zone.Max.X || float64(b.box.Dy()) < 0.4*li.height {
			continue // outside, or a speck, a dot of the blank's rule, a diacritic
		}
		in = append(in, b)
	}
	// The notation's slash, when the zone's end (found from OCR's
	// characters) reaches over it: a thin stroke, narrow, taller than the
	// capitals. A handwritten 1 is drawn with the pen, not the type.
	if len(in) > 0 {
		last := slices.MaxFunc(in, func(a, b blob) int { return a.box.Max.X - b.box.Max.X })
		if float64(last.box.Dx()) <= 0.45*li.height && float64(last.box.Dy()) >= 1.05*li.height && last.stroke <= 0.8*li.stroke {
			in = slices.DeleteFunc(in, func(b blob) bool { return b.box == last.box })
		}
	}
	var hmax, bottom, top, sw, cb, cr, n, pix float64
	top = math.Inf(1)
	for _, b := range in {
		h := float64(b.box.Dy())
		hc.ink = true
		hc.box = hc.box.Union(b.box)
		hc.blobs = append(hc.blobs, b.box)
		hmax = max(hmax, h)
		bottom = max(bottom, float64(b.box.Max.Y))
		top = min(top, float64(b.box.Min.Y))
		sw += b.stroke * float64(b.n)
		pix += float64(b.n)
		if b.hasColor {
			cb += b.cb * float64(b.n)
			cr += b.cr * float64(b.n)
			n += float64(b.n)
		}
	}
	if !hc.ink {
		return hc
	}
	votes := 0
	switch size := hmax / li.height; {
	case size >= 1.25:
		votes += 2
		hc.cues = append(hc.cues, "size")
	case size >= 1.1:
		votes++
		hc.cues = append(hc.cues, "size")
	}
	if (bottom-li.base)/li.height >= 0.15 {
		votes++
		hc.cues = append(hc.cues, "below_line")
	}
	if (li.base-li.height-top)/li.height >= 0.15 {
		votes++
		hc.cues = append(hc.cues, "above_line")
	}
	if pen := sw / pix / li.stroke; pen >= 1.35 || pen <= 0.65 {
		votes++
		hc.cues = append(hc.cues, "pen")
	}
	if n > 0 && li.color {
		zcb, zcr := cb/n, cr/n
		if math.Hypot(zcb, zcr) >= 15 && math.Hypot(zcb-li.cb, zcr-li.cr) >= 15 {
			votes += 2
			hc.cues = append(hc.cues, "colour")
		}
	}
	hc.hand = votes >= 2
	return hc
}

// Parts are where the parts of a header that most documents have written
// by hand are, in the pixels of the page image the OCR coordinates refer
// to: the number proper (from the "Số:" label to the notation's slash) and
// the day, the month and the year of the place-date line. A part not
// found is empty. Whether they are handwritten on a given page is what
// Read tells (Metadata.Handwritten); FindParts only says where to look,
// for a tool that reads those parts again or a test that writes them.
type Parts struct {
	Number, Day, Month, Year image.Rectangle
}

// FindParts finds the Parts of a document's first page from its OCR
// result.
func FindParts(p *ocr.Page) Parts {
	var out Parts
	if p == nil {
		return out
	}
	r := newReader(p, Input{})
	r.read()
	if r.numFound && !r.numLine.seqZone.Empty() {
		out.Number = r.l.unstraighten(r.numLine.seqZone)
	}
	if r.dateFound {
		z := r.dateZones()
		out.Day, out.Month, out.Year = r.l.unstraighten(z.day), r.l.unstraighten(z.month), r.l.unstraighten(z.year)
	}
	return out
}
