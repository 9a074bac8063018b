package cleanup

import (
	"context"
	"fmt"
	"image"
	"slices"

	"github.com/sohoa/sohoa/ocr"
)

// Orientation decisions. The page's own text (guessOrientation) is right
// far more often than Tesseract's OSD on what it is sure of, but can be
// fooled by tables whose number columns line up better than their rows;
// OSD is fooled by tables, 4-up pages and small text. Measured on 312
// pages (78 pages turned four ways: the samples, the real corpus, 150 dpi
// copies), these rules turned no page wrongly and left 4 turned pages
// alone; the text alone settles 70 of the 78 upright pages, so OSD runs on
// few pages that are not turned.
const (
	// A page whose text says upright this clearly is not shown to OSD.
	uprightUpDown, uprightLines = 1.25, 1.3
	// The text's guess is sure when up and down differ this much.
	sureUpDown = 1.2
	// OSD and the text agreeing is enough with this OSD confidence.
	agreeConfidence = 1
)

// orientation decides the quarter turn of a page from its text and,
// where that is not clear, the detector.
func (c *cleaner) orientation(ctx context.Context, a *image.Gray, box image.Rectangle, l *labelling, th float64, aDPI int) (int, error) {
	g := l.guessOrientation(box, th, c.opt.MaxSkew)
	note := fmt.Sprintf("text says %d° (lines %.2f, up/down %.2f)", g.deg, g.lines, g.updown)
	if g.deg == 0 && g.updown >= uprightUpDown && g.lines >= uprightLines {
		c.step("orientation", note)
		return 0, nil
	}
	b, err := ocr.EncodePNG(crop(a, box), aDPI, true)
	if err != nil {
		return 0, err
	}
	o, err := c.opt.Orientation.DetectOrientation(ctx, b)
	if err != nil {
		return 0, fmt.Errorf("cleanup: orientation: %w", err)
	}
	c.rep.OrientationConfidence = round2(o.Confidence)
	note += fmt.Sprintf("; detector says %d° (confidence %.1f)", o.Degrees, o.Confidence)
	rot := decideTurn(g, o, c.opt.MinOrientationConfidence)
	if rot == 0 && (g.deg != 0 || o.Degrees != 0) {
		note += "; not sure: left as it is"
	}
	c.step("orientation", note)
	return rot, nil
}

// decideTurn combines the text's guess with the detector's.
func decideTurn(g orientation, o ocr.Orientation, minConf float64) int {
	od := o.Degrees
	if od != 90 && od != 180 && od != 270 {
		od = 0
	}
	sure := g.updown >= sureUpDown && g.lines >= uprightLines
	switch {
	case od == g.deg && o.Confidence >= agreeConfidence:
		return od
	case od%180 == g.deg%180: // same line direction, up and down disputed
		if sure {
			return g.deg
		}
		if o.Confidence >= minConf {
			return od
		}
	default: // the line direction is disputed
		if o.Confidence >= minConf && g.lines < 2 {
			return od
		}
		if sure && o.Confidence < agreeConfidence {
			return g.deg
		}
	}
	return 0
}

// orientation is a quarter-turn guess from the page's own text.
type orientation struct {
	// deg is how far the page seems turned clockwise (0, 90, 180, 270).
	deg int
	// lines is how much better text lines line up in the chosen direction
	// than across it (uprightLines and more: the direction is clear).
	lines float64
	// updown is how much better the bottoms of characters line up than
	// their tops (sureUpDown and more: up and down are clear).
	updown float64
}

// guessOrientation finds which edge of the characters lines up best.
// Characters sit on their baseline, so their bottoms line up; their tops
// do not (x-height letters, ascenders, capitals, Vietnamese diacritics
// joined to their letter). For each of the four turns it projects the
// edge that would be the bottom, at the best skew within ±maxSkew, and
// compares the sharpness of the projections.
func (l *labelling) guessOrientation(box image.Rectangle, textH, maxSkew float64) orientation {
	lo, hi := int32(max(textH*0.5, 3)), int32(max(textH*2.5, 6))
	var edges [4][]point // bottom edge for a page turned 0, 90, 180, 270 clockwise
	for i := range l.comps {
		c := &l.comps[i]
		w, h := c.w(), c.h()
		if w < lo/2 || h < lo/2 || w > hi || h > hi {
			continue
		}
		cx := float32(c.x0+c.x1) / 2
		cy := float32(c.y0+c.y1) / 2
		if h >= lo {
			// Upright: the bottom is y1; upside down, y0 (measured from
			// the other side, which does not change the sharpness).
			edges[0] = append(edges[0], point{x: cx, y: float32(c.y1), w: 1})
			edges[2] = append(edges[2], point{x: cx, y: float32(c.y0), w: 1})
		}
		if w >= lo {
			// Turned 90° clockwise, the bottom of a character faces left;
			// transposed so lines run along x.
			edges[1] = append(edges[1], point{x: cy, y: float32(c.x0), w: 1})
			edges[3] = append(edges[3], point{x: cy, y: float32(c.x1), w: 1})
		}
	}
	var score [4]float64
	for k := range edges {
		if len(edges[k]) < 20 {
			continue
		}
		w, h := box.Max.X, box.Max.Y
		if k%2 == 1 {
			w, h = h, w
		}
		_, s := findSkew(edges[k], w, h, maxSkew)
		n := float64(len(edges[k]))
		score[k] = s / (n * n)
	}
	best := 0
	for k := range score {
		if score[k] > score[best] {
			best = k
		}
	}
	o := orientation{deg: 90 * best}
	opp := score[(best+2)%4]
	across := slices.Max([]float64{score[(best+1)%4], score[(best+3)%4]})
	if opp > 0 {
		o.updown = score[best] / opp
	}
	if across > 0 {
		o.lines = max(score[best], opp) / across
	}
	return o
}
