package alto

import (
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/ocr"
)

// Read parses an ALTO document into a Page. Elements are matched by local
// name, so ALTO 2 and 3 (Tesseract's own output) read as well as 4.
//
// A top-level ComposedBlock becomes a Block with every TextBlock inside it
// as a Paragraph; a TextBlock outside any ComposedBlock becomes a Block of
// its own. String WC becomes Conf (×100), a BASELINE points list becomes
// the line's slope and offset, a HYP is appended to the last word of its
// line, and the OCR step's "langs=" setting (as Write records it) becomes
// Page.Langs. What ALTO does not carry is left zero: DPI, XSize.
//
// Only pixel coordinates are supported, and only one Page per document.
func Read(r io.Reader) (*ocr.Page, error) {
	d := xml.NewDecoder(r)
	p := &ocr.Page{}
	pages := 0
	composed := 0 // depth of ComposedBlock nesting
	curBlock := func() *ocr.Block {
		if len(p.Blocks) == 0 {
			p.Blocks = append(p.Blocks, ocr.Block{})
		}
		return &p.Blocks[len(p.Blocks)-1]
	}
	curPar := func() *ocr.Paragraph {
		b := curBlock()
		if len(b.Paragraphs) == 0 {
			b.Paragraphs = append(b.Paragraphs, ocr.Paragraph{})
		}
		return &b.Paragraphs[len(b.Paragraphs)-1]
	}
	curLine := func() *ocr.Line {
		par := curPar()
		if len(par.Lines) == 0 {
			par.Lines = append(par.Lines, ocr.Line{})
		}
		return &par.Lines[len(par.Lines)-1]
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if pages == 0 {
				return nil, errors.New("read ALTO: no Page element")
			}
			return p, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read ALTO: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			a := attrs(t.Attr)
			switch t.Name.Local {
			case "MeasurementUnit":
				var unit string
				if err := d.DecodeElement(&unit, &t); err != nil {
					return nil, fmt.Errorf("read ALTO: %w", err)
				}
				if u := strings.TrimSpace(unit); u != "pixel" {
					return nil, fmt.Errorf("read ALTO: MeasurementUnit %q is not supported (only pixel)", u)
				}
			case "processingStepSettings":
				var s string
				if err := d.DecodeElement(&s, &t); err != nil {
					return nil, fmt.Errorf("read ALTO: %w", err)
				}
				if langs, ok := strings.CutPrefix(strings.TrimSpace(s), "langs="); ok {
					p.Langs = langs
				}
			case "Page":
				if pages++; pages > 1 {
					return nil, errors.New("read ALTO: more than one Page")
				}
				p.Width, p.Height = a.int("WIDTH"), a.int("HEIGHT")
			case "ComposedBlock":
				if composed == 0 {
					p.Blocks = append(p.Blocks, ocr.Block{BBox: a.box()})
				}
				composed++
			case "TextBlock":
				if composed == 0 {
					p.Blocks = append(p.Blocks, ocr.Block{BBox: a.box()})
				}
				lang := a["LANG"]
				if lang == "" {
					lang = a["language"]
				}
				b := curBlock()
				b.Paragraphs = append(b.Paragraphs, ocr.Paragraph{BBox: a.box(), Lang: tessLang(lang)})
			case "TextLine":
				ln := ocr.Line{BBox: a.box()}
				if bl, ok := a["BASELINE"]; ok {
					ln.Baseline = parseBaseline(bl, ln.BBox)
				}
				par := curPar()
				par.Lines = append(par.Lines, ln)
			case "String":
				w := ocr.Word{Text: a["CONTENT"], BBox: a.box(), Conf: a.float("WC") * 100}
				ln := curLine()
				ln.Words = append(ln.Words, w)
			case "HYP":
				if ln := curLine(); len(ln.Words) > 0 {
					ln.Words[len(ln.Words)-1].Text += a["CONTENT"]
				}
			}
		case xml.EndElement:
			if t.Name.Local == "ComposedBlock" {
				composed--
			}
		}
	}
}

type attrMap map[string]string

func attrs(as []xml.Attr) attrMap {
	m := make(attrMap, len(as))
	for _, a := range as {
		if a.Name.Space == "" {
			m[a.Name.Local] = a.Value
		}
	}
	return m
}

func (m attrMap) float(name string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSpace(m[name]), 64)
	return f
}

func (m attrMap) int(name string) int { return int(math.Round(m.float(name))) }

func (m attrMap) box() image.Rectangle {
	x, y := m.int("HPOS"), m.int("VPOS")
	return image.Rect(x, y, x+m.int("WIDTH"), y+m.int("HEIGHT"))
}

// parseBaseline turns an ALTO BASELINE into hOCR's slope and offset from
// the bottom-left corner of line: a points list ("x1,y1 x2,y2 ...", or
// "x1 y1 x2 y2 ...") gives the line through its first and last points; a
// single number (ALTO before 4.2) is the baseline's y.
func parseBaseline(s string, line image.Rectangle) [2]float64 {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	nums := make([]float64, 0, len(f))
	for _, v := range f {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return [2]float64{}
		}
		nums = append(nums, n)
	}
	bottom, left := float64(line.Max.Y), float64(line.Min.X)
	switch {
	case len(nums) == 1:
		return [2]float64{0, nums[0] - bottom}
	case len(nums) >= 4 && len(nums)%2 == 0:
		x1, y1 := nums[0], nums[1]
		x2, y2 := nums[len(nums)-2], nums[len(nums)-1]
		slope := 0.0
		if x2 != x1 {
			slope = (y2 - y1) / (x2 - x1)
		}
		return [2]float64{slope, y1 + slope*(left-x1) - bottom}
	}
	return [2]float64{}
}
