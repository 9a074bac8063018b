// Package alto writes and reads ALTO 4.4 XML (Analyzed Layout and Text
// Object, https://www.loc.gov/standards/alto/), the per-page layout and text
// format that library and archive systems ingest beside page images.
//
// The mapping from the ocr model (docs/formats.md has the full table):
//
//	ocr.Page       Layout/Page (+ a PrintSpace covering the whole image)
//	ocr.Block      ComposedBlock
//	ocr.Paragraph  TextBlock (ALTO has no paragraph element; a TextBlock is
//	               the unit most ALTO consumers treat as a paragraph)
//	ocr.Line       TextLine (BASELINE as a two-point polyline when known)
//	ocr.Word       String (WC = Conf/100), with an SP between words
//
// This is how Tesseract's own ALTO renderer nests them, so tools that read
// Tesseract's ALTO read ours. Coordinates are pixels of the image the page
// was recognised from (the cleaned image.png of a batch page).
package alto

import (
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ocr"
)

// ALTO 4.4 identifiers written in every document.
const (
	Namespace     = "http://www.loc.gov/standards/alto/ns-v4#"
	SchemaVersion = "4.4"
	SchemaURL     = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
)

// IDs of the two Processing steps in Description, referenced from the Page.
const (
	ProcessingOCR   = "proc_ocr"
	ProcessingSohoa = "proc_sohoa"
)

// Options describe the page and its processing for Write. Every field may
// be left zero.
type Options struct {
	// Image is the file name of the page image the coordinates refer to
	// (sourceImageInformation/fileName), e.g. "image.png". Empty: no
	// sourceImageInformation.
	Image string
	// PageNo is the 0-based number of the page in its source document;
	// PHYSICAL_IMG_NR is PageNo+1 and the IDs carry it.
	PageNo int
	// Engine is the OCR engine and its version as ocr.Engine.Name gives it,
	// e.g. "tesseract 5.3.0": the software of the OCR processing step.
	// Empty: no OCR step is recorded.
	Engine string
	// Version is sohoa's version (softwareVersion of the sohoa step).
	// Empty: no softwareVersion.
	Version string
	// Creator is the softwareCreator of the sohoa step. Empty: "sohoa".
	Creator string
	// Agency is the organisation that ran the processing
	// (processingAgency), e.g. an archive's name. Empty: omitted.
	Agency string
	// Time is the processingDateTime of both steps. Zero: time.Now().
	Time time.Time
}

// Write writes p as one ALTO 4.4 document. Text is written in Unicode NFC.
// Lines without words are left out (an ALTO TextLine needs at least one
// String), and so are words with empty text, as in ocr.Page.Text.
func Write(w io.Writer, p *ocr.Page, opt Options) error {
	if p == nil {
		return errors.New("write ALTO: no page")
	}
	when := opt.Time
	if when.IsZero() {
		when = time.Now()
	}
	creator := opt.Creator
	if creator == "" {
		creator = "sohoa"
	}
	n := opt.PageNo + 1

	var b strings.Builder
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, `<alto xmlns="%s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="%s %s" SCHEMAVERSION="%s">`+"\n",
		Namespace, Namespace, SchemaURL, SchemaVersion)

	b.WriteString("  <Description>\n    <MeasurementUnit>pixel</MeasurementUnit>\n")
	if opt.Image != "" {
		b.WriteString("    <sourceImageInformation>\n")
		element(&b, 6, "fileName", opt.Image)
		b.WriteString("    </sourceImageInformation>\n")
	}
	stamp := when.Format(time.RFC3339)
	var refs []string
	if opt.Engine != "" {
		refs = append(refs, ProcessingOCR)
		name, version := splitEngine(opt.Engine)
		fmt.Fprintf(&b, "    <Processing ID=\"%s\">\n", ProcessingOCR)
		element(&b, 6, "processingCategory", "contentGeneration")
		element(&b, 6, "processingDateTime", stamp)
		element(&b, 6, "processingAgency", opt.Agency)
		element(&b, 6, "processingStepDescription", "text recognition")
		if p.Langs != "" {
			element(&b, 6, "processingStepSettings", "langs="+p.Langs)
		}
		b.WriteString("      <processingSoftware>\n")
		element(&b, 8, "softwareName", name)
		element(&b, 8, "softwareVersion", version)
		b.WriteString("      </processingSoftware>\n    </Processing>\n")
	}
	refs = append(refs, ProcessingSohoa)
	fmt.Fprintf(&b, "    <Processing ID=\"%s\">\n", ProcessingSohoa)
	element(&b, 6, "processingCategory", "preOperation postOperation")
	element(&b, 6, "processingDateTime", stamp)
	element(&b, 6, "processingAgency", opt.Agency)
	element(&b, 6, "processingStepDescription", "page image cleanup before recognition; conversion of the recognised page to ALTO")
	b.WriteString("      <processingSoftware>\n")
	element(&b, 8, "softwareCreator", creator)
	element(&b, 8, "softwareName", "sohoa")
	element(&b, 8, "softwareVersion", opt.Version)
	b.WriteString("      </processingSoftware>\n    </Processing>\n")
	b.WriteString("  </Description>\n")

	b.WriteString("  <Layout>\n")
	fmt.Fprintf(&b, `    <Page ID="page_%d" PHYSICAL_IMG_NR="%d" WIDTH="%d" HEIGHT="%d"`, n, n, p.Width, p.Height)
	if len(p.Words()) > 0 {
		fmt.Fprintf(&b, ` PC="%s"`, confidence(p.MeanConfidence()))
	}
	fmt.Fprintf(&b, " PROCESSINGREFS=\"%s\">\n", strings.Join(refs, " "))
	fmt.Fprintf(&b, "      <PrintSpace ID=\"pspace_%d\" HPOS=\"0\" VPOS=\"0\" WIDTH=\"%d\" HEIGHT=\"%d\">\n", n, p.Width, p.Height)
	var nb, np, nl, nw int
	for _, blk := range p.Blocks {
		nb++
		fmt.Fprintf(&b, "        <ComposedBlock ID=\"cblock_%d_%d\"%s>\n", n, nb, box(blk.BBox))
		for _, par := range blk.Paragraphs {
			np++
			lang := ""
			if tag := languageTag(par.Lang); tag != "" {
				lang = fmt.Sprintf(" LANG=\"%s\"", tag)
			}
			fmt.Fprintf(&b, "          <TextBlock ID=\"tblock_%d_%d\"%s%s>\n", n, np, box(par.BBox), lang)
			for _, ln := range par.Lines {
				words := nonEmpty(ln.Words)
				if len(words) == 0 {
					continue
				}
				nl++
				fmt.Fprintf(&b, "            <TextLine ID=\"line_%d_%d\"%s", n, nl, box(ln.BBox))
				if bl := baseline(ln); bl != "" {
					fmt.Fprintf(&b, ` BASELINE="%s"`, bl)
				}
				b.WriteString(">\n")
				for i, wd := range words {
					if i > 0 {
						prev := words[i-1].BBox
						fmt.Fprintf(&b, `              <SP HPOS="%d" VPOS="%d"`, prev.Max.X, ln.BBox.Min.Y)
						if gap := wd.BBox.Min.X - prev.Max.X; gap > 0 {
							fmt.Fprintf(&b, ` WIDTH="%d"`, gap)
						}
						b.WriteString("/>\n")
					}
					nw++
					fmt.Fprintf(&b, `              <String ID="string_%d_%d" CONTENT="`, n, nw)
					escape(&b, wd.Text)
					fmt.Fprintf(&b, `"%s WC="%s"/>`+"\n", box(wd.BBox), confidence(wd.Conf))
				}
				b.WriteString("            </TextLine>\n")
			}
			b.WriteString("          </TextBlock>\n")
		}
		b.WriteString("        </ComposedBlock>\n")
	}
	b.WriteString("      </PrintSpace>\n    </Page>\n  </Layout>\n</alto>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func nonEmpty(ws []ocr.Word) []ocr.Word {
	out := ws[:0:0]
	for _, w := range ws {
		if w.Text != "" {
			out = append(out, w)
		}
	}
	return out
}

// element writes <name>value</name> on its own line, or nothing for an empty value.
func element(b *strings.Builder, indent int, name, value string) {
	if value == "" {
		return
	}
	fmt.Fprintf(b, "%s<%s>", strings.Repeat(" ", indent), name)
	escape(b, value)
	fmt.Fprintf(b, "</%s>\n", name)
}

// escape writes s in NFC, escaped for XML text and attribute values
// (quotes included). Characters XML cannot carry become U+FFFD.
func escape(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(norm.NFC.String(s)))
}

func box(r image.Rectangle) string {
	return fmt.Sprintf(` HPOS="%d" VPOS="%d" WIDTH="%d" HEIGHT="%d"`, r.Min.X, r.Min.Y, r.Dx(), r.Dy())
}

// confidence turns a 0..100 confidence into ALTO's 0..1 with 2 decimals.
func confidence(c float64) string {
	c = math.Max(0, math.Min(100, c))
	return strconv.FormatFloat(c/100, 'f', 2, 64)
}

// baseline is the line's hOCR baseline (slope and offset from the
// bottom-left corner of the line box) as an ALTO 4.2+ points list from the
// left to the right edge of the line, "x1,y1 x2,y2"; "" when unknown.
func baseline(ln ocr.Line) string {
	slope, offset := ln.Baseline[0], ln.Baseline[1]
	if slope == 0 && offset == 0 || ln.BBox.Empty() {
		return ""
	}
	x0, x1 := ln.BBox.Min.X, ln.BBox.Max.X
	y0 := float64(ln.BBox.Max.Y) + offset
	y1 := y0 + slope*float64(x1-x0)
	return fmt.Sprintf("%d,%d %d,%d", x0, int(math.Round(y0)), x1, int(math.Round(y1)))
}

// splitEngine splits "tesseract 5.3.0" into its name and version.
func splitEngine(s string) (name, version string) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// Tesseract language codes and their BCP 47 tags (ALTO's LANG is an
// xsd:language). Codes not listed are written as they are when they are
// valid language tags (ISO 639-2 codes such as "deu" are), else left out.
var tessLangs = map[string]string{
	"vie":     "vi",
	"eng":     "en",
	"fra":     "fr",
	"chi_sim": "zh-Hans",
	"chi_tra": "zh-Hant",
}

var languageRE = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)

func languageTag(code string) string {
	if t, ok := tessLangs[code]; ok {
		return t
	}
	if languageRE.MatchString(code) {
		return code
	}
	return ""
}

func tessLang(tag string) string {
	for code, t := range tessLangs {
		if strings.EqualFold(t, tag) {
			return code
		}
	}
	return tag
}
