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
// height of its lines (text extractors such as pdftotext keep lines of one
// size, close together, in one block: a header column then reads as a
// column, not interleaved with its neighbour row by row); each
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
	for _, blk := range page.Blocks {
		for _, par := range blk.Paragraphs {
			parSize := paragraphSize(par, g)
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
				baseline := func(x float64) float64 {
					if ln.Baseline != [2]float64{} {
						return float64(box.Max.Y) + ln.Baseline[1] + ln.Baseline[0]*(x-float64(box.Min.X))
					}
					return float64(box.Max.Y) - descentFraction*float64(box.Dy())
				}
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
					scale := 100 * (x1 - x0) / (advance * float64(len(codes)))
					b, lastScale = appendScale(b, scale, lastScale)
					b = append(b, "1 0 0 1 "...)
					b = appendNum(b, x0, 2)
					b = append(b, ' ')
					b = appendNum(b, g.y(baseline(float64(w.box.Min.X+w.box.Max.X)/2)), 2)
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
		if box.Dy() > 0 {
			hs = append(hs, box.Dy())
		}
	}
	if len(hs) == 0 {
		return 0
	}
	slices.Sort(hs)
	return math.Round(float64(hs[len(hs)/2])*g.sy*100) / 100
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
