package docmeta

import (
	"image"
	"slices"

	"github.com/sohoa/sohoa/ocr"
)

// matchMark reports which mark of marks a short run of text is: its key
// equal to the mark's, or for the two-word marks nearly equal. rule is
// 1 for an exact match and 0.85 for a near one.
func matchMark(text string, marks []string) (string, float64) {
	if capsRatio(text) < 0.5 {
		return "", 0
	}
	k := key(text)
	for _, m := range marks {
		mk := key(m)
		if k == mk {
			return m, 1
		}
		if len(mk) >= 6 && similarity(k, mk) >= 0.8 {
			return m, 0.85
		}
	}
	return "", 0
}

// StampRegion is the part of the page image where Decree 30 puts the
// secrecy and urgency stamps: in the left header column, under the
// number (and a công văn's "V/v" lines), down to the next printed line.
// ok is false when the page is not a document or there is no room for a
// stamp there.
//
// It exists because Tesseract, reading a whole page (page segmentation
// mode 3), drops a framed one-word stamp altogether: the samples' MẬT
// and KHẨN do not appear in its hOCR at all, so Extract cannot see them.
// A caller that must not miss them (a TUYỆT MẬT page must be stopped)
// crops this region, recognises it again, best with the frame lines
// removed, and passes the result to AddStamps.
func StampRegion(p *ocr.Page) (region image.Rectangle, ok bool) {
	if p == nil {
		return image.Rectangle{}, false
	}
	r := newReader(p, Input{})
	if m := r.read(); !m.Document {
		return image.Rectangle{}, false
	}
	xh := r.l.xh
	var above []seg // what the stamp goes under
	if r.numFound {
		above = append(above, r.numSeg)
	}
	if r.vv {
		above = append(above, r.subject...)
	}
	if len(above) == 0 {
		above = r.issuer
	}
	if len(above) == 0 {
		return image.Rectangle{}, false
	}
	x0, y0 := r.gutter, 0
	for _, s := range append(slices.Clone(above), r.issuer...) {
		x0 = min(x0, s.box.Min.X)
	}
	for _, s := range above {
		y0 = max(y0, s.box.Max.Y)
	}
	x0, y0 = max(0, x0-xh), y0+xh/4
	x1, y1 := r.gutter, y0+5*xh
	for _, s := range r.segs {
		if s.box.Min.Y > y0 && s.box.Min.X < x1 && s.box.Max.X > x0 && !r.isMark(s) {
			y1 = min(y1, s.box.Min.Y-xh/4)
			break
		}
	}
	if y1-y0 < xh {
		return image.Rectangle{}, false
	}
	return r.l.unstraighten(image.Rect(x0, y0, x1, y1)), true
}

// AddStamps reads secrecy and urgency marks from the OCR result of the
// stamp region (see StampRegion) and adds the ones m does not have yet,
// with their flags. Text around the marks (frame lines read as "|" or
// "]") is ignored. It does nothing for a page that is not a document.
func (m *Metadata) AddStamps(p *ocr.Page) {
	if p == nil || !m.Document {
		return
	}
	for _, b := range p.Blocks {
		for _, par := range b.Paragraphs {
			for _, ln := range par.Lines {
				var ws []word
				for _, w := range ln.Words {
					ws = append(ws, word{text: w.Text, box: w.BBox, conf: w.Conf / 100})
				}
				m.addStampWords(ws)
			}
		}
	}
	slices.Sort(m.Flags)
	m.Flags = slices.Compact(m.Flags)
}

// addStampWords finds marks in a line's words: two-word marks first.
func (m *Metadata) addStampWords(ws []word) {
	for n := 2; n >= 1; n-- {
		for i := 0; i+n <= len(ws); i++ {
			run := newSeg(ws[i:i+n], 0)
			text := run.text()
			conf := run.conf() * 0.9 // a second reading of a framed word
			if m.Secrecy == "" {
				if mk, rule := matchMark(text, secrecyMarks); mk != "" {
					m.Secrecy, m.Confidence.Secrecy = mk, score(rule, conf)
					m.Flags = append(m.Flags, FlagClassified)
					if mk == "TUYỆT MẬT" {
						m.Flags = append(m.Flags, FlagTopSecret)
					}
				}
			}
			if m.Urgency == "" {
				if mk, rule := matchMark(text, urgencyMarks); mk != "" {
					m.Urgency, m.Confidence.Urgency = mk, score(rule, conf)
				}
			}
		}
	}
}
