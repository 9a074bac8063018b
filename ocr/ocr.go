// Package ocr owns text recognition: the Engine interface, the result model
// (page, blocks, paragraphs, lines, words with boxes and confidences), and
// the formats derived from it (plain text, hOCR). Engines live in
// subpackages (ocr/tesseract); image cleanup in ocr/cleanup; reading source
// files into page images in ocr/source.
package ocr

import (
	"context"
	"errors"
	"image"
	"strings"
)

// ErrNoEngine is returned when an engine cannot start (missing language data, ...).
var ErrNoEngine = errors.New("ocr engine unavailable")

// Engine recognises the text of one page image. An Engine is not safe for
// concurrent use: give each worker goroutine its own.
type Engine interface {
	// Recognize reads an encoded page image (PNG, with its resolution in a
	// pHYs chunk) and returns the recognised page.
	Recognize(ctx context.Context, img []byte) (*Page, error)
	// Name is the engine and its version, e.g. "tesseract 5.3.0", recorded in outputs.
	Name() string
	Close() error
}

// OrientationDetector finds the rotation of a page (0, 90, 180, 270 degrees
// clockwise from upright) and how sure it is. Engines that can do it
// (Tesseract's OSD) implement it.
type OrientationDetector interface {
	DetectOrientation(ctx context.Context, img []byte) (Orientation, error)
}

// Orientation is the result of orientation detection.
type Orientation struct {
	// Degrees the page is rotated clockwise from upright: 0, 90, 180 or 270.
	// Rotating the image by -Degrees (counter-clockwise) makes it upright.
	Degrees int
	// Confidence as the detector reports it (Tesseract OSD: above ~2 is reliable).
	Confidence float64
	Script     string
}

// Page is the recognised content of one page image.
type Page struct {
	Width, Height int
	// DPI of the image OCR saw (0 if unknown).
	DPI    int
	Blocks []Block
	// Langs the engine was asked to use, e.g. "vie+eng".
	Langs string
}

// Block is a text region (Tesseract's ocr_carea).
type Block struct {
	BBox       image.Rectangle
	Paragraphs []Paragraph
}

// Paragraph is a run of lines (Tesseract's ocr_par).
type Paragraph struct {
	BBox  image.Rectangle
	Lang  string
	Lines []Line
}

// Line is one text line.
type Line struct {
	BBox image.Rectangle
	// Baseline as in hOCR: slope and offset (pixels, from the bottom-left of
	// the line box). Zero when unknown.
	Baseline [2]float64
	// XSize is the line height in pixels as hOCR's x_size (0 if unknown).
	XSize float64
	Words []Word
}

// Word is one recognised word.
type Word struct {
	Text string
	BBox image.Rectangle
	// Conf is the word confidence, 0..100.
	Conf float64
}

// Text is the page's plain text: words joined by spaces, lines by
// newlines, paragraphs by an empty line. It ends with a newline unless the
// page has no text.
func (p *Page) Text() string {
	var b strings.Builder
	for _, blk := range p.Blocks {
		for _, par := range blk.Paragraphs {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			for _, ln := range par.Lines {
				start := b.Len()
				for _, w := range ln.Words {
					if w.Text == "" {
						continue
					}
					if b.Len() > start {
						b.WriteByte(' ')
					}
					b.WriteString(w.Text)
				}
				if b.Len() > start {
					b.WriteByte('\n')
				}
			}
		}
	}
	return b.String()
}

// Words returns every word in reading order.
func (p *Page) Words() []Word {
	var ws []Word
	for _, blk := range p.Blocks {
		for _, par := range blk.Paragraphs {
			for _, ln := range par.Lines {
				ws = append(ws, ln.Words...)
			}
		}
	}
	return ws
}

// MeanConfidence is the mean word confidence (0..100), or 0 with no words.
func (p *Page) MeanConfidence() float64 {
	ws := p.Words()
	if len(ws) == 0 {
		return 0
	}
	sum := 0.0
	for _, w := range ws {
		sum += w.Conf
	}
	return sum / float64(len(ws))
}
