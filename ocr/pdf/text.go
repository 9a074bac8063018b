package pdf

import (
	"image"
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ocr"
)

// The invisible text layer. Each paragraph gets one font size, the median
// height of its lines, or for a column paragraph the size that makes text
// extractors keep its lines in one block (columnSizes); each
// word is placed at its box's left edge on the line's baseline, in text
// render mode 3 (neither fill nor stroke), and scaled horizontally (Tz) so
// its advance width equals the box width. A space glyph after each word
// but the line's last, scaled to fill the gap to the next word, makes text
// extraction separate the words; extraction finds the lines from their
// positions. Selecting or searching the text then highlights the words on
// the image.

// descentFraction is where the baseline sits, as a fraction of the line
// height above the line box's bottom, when the OCR gave no baseline. It
// matches the font's descent (200 of 1000 units).
const descentFraction = -float64(fontDescent) / (fontAscent - fontDescent)

// pageGeometry maps OCR pixel coordinates to PDF points.
type pageGeometry struct {
	sx, sy  float64 // points per OCR pixel, horizontally and vertically
	heightP float64 // page height in points (PDF's y axis points up)
}

func (g pageGeometry) x(px float64) float64 { return px * g.sx }
func (g pageGeometry) y(px float64) float64 { return g.heightP - px*g.sy }

// textLayer appends to b the content stream operators that draw the page's
// words invisibly. glyph returns the character code (CID) of a character;
// it is not called when the page has no words, and then b is returned
// unchanged.
func textLayer(b []byte, page *ocr.Page, g pageGeometry, glyph func(rune) (uint16, error)) ([]byte, error) {
	if page == nil {
		return b, nil
	}
	start := len(b)
	began := false
	lastSize, lastScale := -1.0, -1.0
	var codes []uint16
	sizes := columnSizes(page, g)
	for bi, blk := range page.Blocks {
		for pi, par := range blk.Paragraphs {
			parSize := sizes[[2]int{bi, pi}]
			for _, ln := range par.Lines {
				words := lineWords(ln.Words)
				if len(words) == 0 {
					continue
				}
				box := ln.BBox
				if box.Empty() {
					box = words[0].box
					for _, w := range words[1:] {
						box = box.Union(w.box)
					}
				}
				size := parSize
				if size <= 0 {
					continue
				}
				if !began {
					b = append(b, "BT\n3 Tr\n"...)
					began = true
				}
				if size != lastSize {
					b = append(b, "/F1 "...)
					b = appendNum(b, size, 2)
					b = append(b, " Tf\n"...)
					lastSize = size
				}
				// Baseline height (in OCR pixels) at column x.
				baseline := func(x float64) float64 { return lineBaseline(ln, box, x) }
				advance := glyphAdvance / float64(unitsPerEm) * size // one glyph at 100% scaling
				for i, w := range words {
					codes = codes[:0]
					for _, r := range w.text {
						c, err := glyph(r)
						if err != nil {
							return b[:start], err
						}
						codes = append(codes, c)
					}
					x0, x1 := g.x(float64(w.box.Min.X)), g.x(float64(w.box.Max.X))
					if i+1 < len(words) {
						// Extractors that keep the written order (pdftotext
						// -raw) see a space only where the gap is over 0.15
						// of the font size (a grown column size makes that
						// wider): end the word's glyphs that far before the
						// next word, taking at most a fifth of the word.
						if next := g.x(float64(words[i+1].box.Min.X)); next-x1 < 0.2*size {
							x1 = max(next-0.2*size, x1-(x1-x0)/5)
						}
					}
					scale := 100 * (x1 - x0) / (advance * float64(len(codes)))
					b, lastScale = appendScale(b, scale, lastScale)
					b = append(b, "1 0 0 1 "...)
					b = appendNum(b, x0, 2)
					b = append(b, ' ')
					base := baseline(float64(w.box.Min.X+w.box.Max.X) / 2)
					if ln.Baseline == ([2]float64{}) && box.Dy() > 2*w.box.Dy() {
						// A line with no baseline over several printed lines
						// (a table row whose cells wrap): the word's own.
						base = float64(w.box.Max.Y) - descentFraction*float64(w.box.Dy())
					}
					b = appendNum(b, g.y(base), 2)
					b = append(b, " Tm "...)
					b = appendCodes(b, codes...)
					b = append(b, " Tj\n"...)
					if i+1 < len(words) {
						space, err := glyph(' ')
						if err != nil {
							return b[:start], err
						}
						gap := g.x(float64(words[i+1].box.Min.X)) - x1
						b, lastScale = appendScale(b, 100*max(gap, 0.01)/advance, lastScale)
						b = appendCodes(b, space)
						b = append(b, " Tj\n"...)
					}
				}
			}
		}
	}
	if began {
		b = append(b, "ET\n"...)
	}
	return b, nil
}

// paragraphSize is the font size (points) of a paragraph's text: the
// median height of its lines' boxes, rounded as written so the word
// scaling fits it exactly.
func paragraphSize(par ocr.Paragraph, g pageGeometry) float64 {
	var hs []int
	for _, ln := range par.Lines {
		box := ln.BBox
		if box.Empty() {
			for _, w := range ln.Words {
				box = box.Union(w.BBox)
			}
		}
		h := box.Dy()
		if ln.Baseline == ([2]float64{}) {
			// A table row whose cells wrap spans several printed lines:
			// its words' height is the line height.
			wh := 0
			for _, w := range ln.Words {
				wh = max(wh, w.BBox.Dy())
			}
			if h > 2*wh && wh > 0 {
				h = wh
			}
		}
		if h > 0 {
			hs = append(hs, h)
		}
	}
	if len(hs) == 0 {
		return 0
	}
	slices.Sort(hs)
	return math.Round(float64(hs[len(hs)/2])*g.sy*100) / 100
}

// lineBaseline is the baseline's height (OCR pixels from the top) at
// column x of a line whose box is box.
func lineBaseline(ln ocr.Line, box image.Rectangle, x float64) float64 {
	if ln.Baseline != [2]float64{} {
		return float64(box.Max.Y) + ln.Baseline[1] + ln.Baseline[0]*(x-float64(box.Min.X))
	}
	return float64(box.Max.Y) - descentFraction*float64(box.Dy())
}

// columnSizes gives each paragraph its font size: paragraphSize, except
// for the side-by-side columns of a Decree 30 header or closing block.
//
// Extractors that find the reading order from positions (pdftotext
// without -raw, Poppler's TextOutputDev) join lines into a block only when
// their baselines are at most 1.5 font sizes apart. A header column's lines
// are further apart than that, so each becomes a block of its own; the
// blocks of the two columns, centred under each other, then look like a
// table and are read row by row ("ỦY BAN NHÂN DÂN / CỘNG HÒA XÃ HỘI..."):
// CER 0.11 on the cong-van sample page against 0.005 in our order. A
// narrow paragraph (under half the text width) whose lines are too far
// apart gets the font size that joins them (widest baseline distance /
// 1.4), when that is safe:
//   - its closest lines stay more than half that size apart (closer lines
//     would be taken for one line);
//   - text beside it stays at least 1.1 sizes away (closer words are
//     pulled into the block).
//
// Side by side, the left column's top (baseline - ascent x size) is then
// put above the right one's, since blocks are ordered top first when
// their extended boxes overlap. Only the invisible layer's glyph height
// changes: words keep their positions and widths, selection boxes grow.
func columnSizes(page *ocr.Page, g pageGeometry) map[[2]int]float64 {
	type para struct {
		key            [2]int
		box            image.Rectangle
		size           float64 // paragraphSize
		maxGap, minGap float64 // widest and narrowest baseline distance between its lines, points
		base           float64 // first line's baseline, points from the top
	}
	var ps []para
	textW := 0
	for bi, blk := range page.Blocks {
		for pi, par := range blk.Paragraphs {
			p := para{key: [2]int{bi, pi}, size: paragraphSize(par, g), minGap: math.Inf(1)}
			for i, ln := range par.Lines {
				p.box = p.box.Union(ln.BBox)
				if i == 0 {
					p.base = lineBaseline(ln, ln.BBox, float64(ln.BBox.Min.X+ln.BBox.Max.X)/2) * g.sy
					continue
				}
				d := float64(ln.BBox.Max.Y-par.Lines[i-1].BBox.Max.Y) * g.sy
				p.maxGap, p.minGap = max(p.maxGap, d), min(p.minGap, d)
			}
			textW = max(textW, p.box.Max.X)
			ps = append(ps, p)
		}
	}
	sizes := make(map[[2]int]float64, len(ps))
	for _, p := range ps {
		sizes[p.key] = p.size
	}
	grown := map[[2]int]bool{}
	for _, p := range ps {
		want := p.maxGap / 1.4
		if want <= p.size || 2*p.box.Dx() > textW || p.minGap < 0.6*want {
			continue
		}
		safe := true
		for _, q := range ps {
			if q.key == p.key || q.box.Min.Y >= p.box.Max.Y || q.box.Max.Y <= p.box.Min.Y {
				continue // not beside it
			}
			gapX := float64(max(q.box.Min.X-p.box.Max.X, p.box.Min.X-q.box.Max.X)) * g.sx
			if gapX < 1.1*max(want, q.size) {
				safe = false
				break
			}
		}
		if safe {
			sizes[p.key], grown[p.key] = math.Round(want*100)/100, true
		}
	}
	const ascent = float64(fontAscent) / 1000
	for _, p := range ps {
		for _, q := range ps {
			if !grown[p.key] && !grown[q.key] || p.box.Max.X >= q.box.Min.X || q.box.Min.Y >= p.box.Max.Y || q.box.Max.Y <= p.box.Min.Y {
				continue // p is not a column left of column q
			}
			if need := sizes[q.key] + (p.base-q.base+1)/ascent; need > sizes[p.key] && need <= 1.5*sizes[p.key] {
				sizes[p.key] = math.Ceil(need*100) / 100
			}
		}
	}
	return sizes
}

// appendScale sets the horizontal scaling (percent) unless it is already
// that.
func appendScale(b []byte, scale, last float64) ([]byte, float64) {
	scale = math.Round(scale*1000) / 1000
	if scale <= 0 {
		scale = 0.001
	}
	if scale == last {
		return b, last
	}
	b = appendNum(b, scale, 3)
	return append(b, " Tz "...), scale
}

func appendCodes(b []byte, codes ...uint16) []byte {
	const hexdigits = "0123456789ABCDEF"
	b = append(b, '<')
	for _, c := range codes {
		b = append(b, hexdigits[c>>12], hexdigits[c>>8&15], hexdigits[c>>4&15], hexdigits[c&15])
	}
	return append(b, '>')
}

type layerWord struct {
	text string
	box  image.Rectangle
}

// lineWords returns the line's words that have text and a box, their text
// in NFC without control characters (which have no place in extracted
// text) and with any run of white space made one space.
func lineWords(ws []ocr.Word) []layerWord {
	var out []layerWord
	for _, w := range ws {
		if w.BBox.Dx() <= 0 || w.BBox.Dy() <= 0 {
			continue
		}
		t := strings.Join(strings.Fields(norm.NFC.String(w.Text)), " ")
		t = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || r == '\uFEFF' || r == '\uFFFE' || r == '\uFFFF' {
				return -1
			}
			return r
		}, t)
		if t == "" {
			continue
		}
		out = append(out, layerWord{t, w.BBox})
	}
	return out
}
