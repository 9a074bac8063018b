package docmeta

import (
	"image"
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ocr"
)

// word is an OCR word with its box in deskewed page coordinates.
type word struct {
	text string // NFC
	box  image.Rectangle
	conf float64 // 0..1
}

// seg is a run of words on one text line that belongs to one column: a
// whole line, or the left or right part of a line that OCR read across
// the two header columns.
type seg struct {
	words []word // left to right
	box   image.Rectangle
	h     int // text height in pixels
}

func newSeg(ws []word, h int) seg {
	s := seg{words: ws, h: h}
	for _, w := range ws {
		s.box = s.box.Union(w.box)
	}
	if s.h <= 0 {
		s.h = max(s.box.Dy(), 1)
	}
	return s
}

func (s seg) text() string {
	parts := make([]string, len(s.words))
	for i, w := range s.words {
		parts[i] = w.text
	}
	return strings.Join(parts, " ")
}

// conf is the mean word confidence, 0..1.
func (s seg) conf() float64 { return meanConf(s.words) }

func meanConf(ws []word) float64 {
	if len(ws) == 0 {
		return 0
	}
	sum := 0.0
	for _, w := range ws {
		sum += w.conf
	}
	return sum / float64(len(ws))
}

func (s seg) centreX() int { return (s.box.Min.X + s.box.Max.X) / 2 }

// layout is a page seen as the header reader needs it: its size, and its
// text lines with words in deskewed coordinates, top to bottom.
type layout struct {
	w, h  int
	lines []seg // whole lines as the engine found them, sorted by top
	xh    int   // median text height
	// body is the horizontal extent of the body text (the widest lines),
	// which centred titles are centred on.
	bodyMin, bodyMax int
	// slope is the skew the coordinates were corrected for (dy/dx of
	// the text lines in the image).
	slope float64
}

// unstraighten maps a rectangle in deskewed coordinates back onto the
// page image: the bounding box of its rotated corners.
func (l *layout) unstraighten(r image.Rectangle) image.Rectangle {
	cx, cy := float64(l.w)/2, float64(l.h)/2
	var out image.Rectangle
	for _, p := range []image.Point{r.Min, {r.Max.X, r.Min.Y}, {r.Min.X, r.Max.Y}, r.Max} {
		x, y := float64(p.X), float64(p.Y)
		ix := int(math.Round(x - l.slope*(y-cy)))
		iy := int(math.Round(y + l.slope*(x-cx)))
		out = out.Union(image.Rect(ix, iy, ix+1, iy+1))
	}
	return out.Intersect(image.Rect(0, 0, l.w, l.h))
}

// straighten maps a rectangle of the page image into deskewed
// coordinates: rotated by the skew angle about the page centre, y' = y -
// slope*(x-cx), x' = x + slope*(y-cy), its centre's shift applied to the
// whole rectangle.
func (l *layout) straighten(r image.Rectangle) image.Rectangle {
	cx, cy := float64(l.w)/2, float64(l.h)/2
	mx := float64(r.Min.X+r.Max.X) / 2
	my := float64(r.Min.Y+r.Max.Y) / 2
	dx := int(math.Round(l.slope * (my - cy)))
	dy := int(math.Round(-l.slope * (mx - cx)))
	return r.Add(image.Pt(dx, dy))
}

// newLayout flattens the page into lines. Word boxes are rotated about
// the page centre by the median baseline slope, so that a page scanned
// a degree or two askew still has level rows.
func newLayout(p *ocr.Page) *layout {
	l := &layout{w: p.Width, h: p.Height}
	var slopes []float64
	var ext image.Rectangle
	for _, b := range p.Blocks {
		for _, par := range b.Paragraphs {
			for _, ln := range par.Lines {
				if len(ln.Words) >= 3 && ln.Baseline[0] != 0 {
					slopes = append(slopes, ln.Baseline[0])
				}
				for _, w := range ln.Words {
					ext = ext.Union(w.BBox)
				}
			}
		}
	}
	if l.w <= 0 {
		l.w = ext.Max.X + ext.Min.X
	}
	if l.h <= 0 {
		l.h = ext.Max.Y + ext.Min.Y
	}
	slope := 0.0
	if len(slopes) > 0 {
		slices.Sort(slopes)
		slope = slopes[len(slopes)/2]
		if math.Abs(slope) < 0.002 || math.Abs(slope) > 0.2 {
			slope = 0
		}
	}
	l.slope = slope
	straighten := l.straighten
	var heights []int
	for _, b := range p.Blocks {
		for _, par := range b.Paragraphs {
			for _, ln := range par.Lines {
				var ws []word
				for _, w := range ln.Words {
					t := strings.TrimSpace(norm.NFC.String(w.Text))
					if t == "" {
						continue
					}
					ws = append(ws, word{text: t, box: straighten(w.BBox), conf: w.Conf / 100})
				}
				if len(ws) == 0 {
					continue
				}
				slices.SortStableFunc(ws, func(a, b word) int { return a.box.Min.X - b.box.Min.X })
				h := int(ln.XSize)
				s := newSeg(ws, h)
				if h <= 0 {
					s.h = wordHeight(ws)
				}
				l.lines = append(l.lines, s)
				heights = append(heights, s.h)
			}
		}
	}
	slices.SortStableFunc(l.lines, func(a, b seg) int { return a.box.Min.Y - b.box.Min.Y })
	l.xh = 50 * l.h / 3508 // an A4 page at 300 dpi has 50 px text
	if len(heights) > 0 {
		slices.Sort(heights)
		l.xh = max(heights[len(heights)/2], 1)
	}
	// The body's extent: the median edges of the wide lines.
	var mins, maxs []int
	for _, s := range l.lines {
		if s.box.Dx() > l.w/2 {
			mins = append(mins, s.box.Min.X)
			maxs = append(maxs, s.box.Max.X)
		}
	}
	l.bodyMin, l.bodyMax = l.w*14/100, l.w*93/100 // Decree 30 margins: 30 mm left, 15-20 mm right
	if len(mins) >= 3 {
		slices.Sort(mins)
		slices.Sort(maxs)
		l.bodyMin, l.bodyMax = mins[len(mins)/4], maxs[len(maxs)*3/4]
	}
	return l
}

// wordHeight is the median height of the words' boxes.
func wordHeight(ws []word) int {
	hs := make([]int, 0, len(ws))
	for _, w := range ws {
		hs = append(hs, w.box.Dy())
	}
	slices.Sort(hs)
	return max(hs[len(hs)/2], 1)
}

// bodyCentre is the x position titles are centred on.
func (l *layout) bodyCentre() int { return (l.bodyMin + l.bodyMax) / 2 }

// isJunk reports a word that is most likely a speck, a rule or a box
// edge read as text: no letter or digit, or a low-confidence scrap.
func isJunk(w word) bool {
	if !strings.ContainsFunc(w.text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return w.text != "-" || w.conf < 0.5
	}
	return w.conf < 0.2 && len([]rune(trimPunct(w.text))) <= 2
}

// clean drops junk words from the ends of ws, keeping dashes inside it
// ("Độc lập - Tự do").
func clean(ws []word) []word {
	for len(ws) > 0 && isJunk(ws[0]) {
		ws = ws[1:]
	}
	for len(ws) > 0 && isJunk(ws[len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// splitAt cuts s into the words before index i and from i on.
func (s seg) splitAt(i int) (left, right seg) {
	if i <= 0 {
		return seg{}, s
	}
	if i >= len(s.words) {
		return s, seg{}
	}
	return newSeg(slices.Clone(s.words[:i]), s.h), newSeg(slices.Clone(s.words[i:]), s.h)
}

// splitGaps cuts a line at its column gaps: a gap at least 1.5 text
// heights and 3% of the page wide, and three times the line's typical
// word space. Body text, even justified, has no such gap; a header row
// read across both columns does.
func (l *layout) splitGaps(s seg) []seg {
	ws := s.words
	if len(ws) < 2 {
		return []seg{s}
	}
	gaps := make([]int, len(ws)-1)
	for i := range gaps {
		gaps[i] = ws[i+1].box.Min.X - ws[i].box.Max.X
	}
	sorted := slices.Clone(gaps)
	slices.Sort(sorted)
	med := max(sorted[len(sorted)/2], s.h/4, 1)
	var out []seg
	start := 0
	for i, g := range gaps {
		if 2*g >= 3*s.h && g >= l.w*3/100 && g >= 3*med {
			out = append(out, newSeg(slices.Clone(ws[start:i+1]), s.h))
			start = i + 1
		}
	}
	return append(out, newSeg(slices.Clone(ws[start:]), s.h))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
