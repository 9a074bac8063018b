// Package pdf writes searchable PDFs of recognised pages, aiming at
// PDF/A-2b (ISO 19005-2, level B): each page is its page image drawn full
// page with the OCR text laid invisibly over the words, so the text can be
// searched, selected and extracted where it appears on the image.
//
// Images are JPEG (greyscale or colour) or, for bilevel pages, CCITT Group
// 4 from the package's own encoder. The text is set in a glyphless
// TrueType font generated for each document and embedded, with a ToUnicode
// map so extracted Vietnamese keeps its diacritics. The file carries XMP
// metadata that identifies it as PDF/A-2b and matches the Info dictionary,
// and an sRGB output intent whose ICC profile is also generated here.
// docs/pdf.md says what is checked and what is not.
//
// Output is deterministic: the same pages and Meta (which carries the
// creation time) give the same bytes. Pages are written as they are added,
// so a long document holds one page image in memory at a time.
package pdf

import (
	"errors"
	"fmt"
	"image"
	"io"
	"strings"
	"time"

	"github.com/sohoa/sohoa/ocr"
)

var (
	// ErrNoPages is returned by Close (and Write) for a document with no pages.
	ErrNoPages = errors.New("pdf: no pages")
	// ErrNoDPI is returned for a page whose resolution is not known.
	ErrNoDPI = errors.New("pdf: page resolution unknown")
	// ErrClosed is returned when adding to a closed Writer.
	ErrClosed = errors.New("pdf: writer closed")
)

// Meta describes the document. It goes both into the Info dictionary and
// into the XMP metadata.
type Meta struct {
	// Title of the document, e.g. "Quyết định số 57/QĐ-UBND".
	Title string
	// Author is the issuing body (cơ quan ban hành), e.g. "UBND huyện
	// Quảng Xương" (Info Author, dc:creator).
	Author string
	// Subject, a summary (Info Subject, dc:description).
	Subject  string
	Keywords []string
	// Language of the text, BCP 47 (catalog Lang, dc:language). Zero
	// value: "vi".
	Language string
	// Producer is the software that wrote the PDF, with versions, e.g.
	// "sohoa 0.1.0 (tesseract 5.3.0)" (Info Producer, pdf:Producer). Zero
	// value: "sohoa".
	Producer string
	// Creator is the application the content came from (Info Creator,
	// xmp:CreatorTool). Zero value: Producer.
	Creator string
	// Created is the creation time, also used as the modification and
	// metadata time. Required: a fixed time makes the output
	// reproducible. Written to the second, in Created's zone.
	Created time.Time
}

// maxMetaRunes bounds each Meta text so that it fits a PDF string (32767
// bytes, in UTF-16).
const maxMetaRunes = 8000

func (m Meta) withDefaults() (Meta, error) {
	if m.Created.IsZero() {
		return m, errors.New("pdf: meta: creation time not set")
	}
	if m.Language == "" {
		m.Language = "vi"
	}
	if m.Producer == "" {
		m.Producer = "sohoa"
	}
	if m.Creator == "" {
		m.Creator = m.Producer
	}
	clean := func(s string) string {
		// XML 1.0 and PDF text strings both do without control characters.
		s = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f || r == '\uFFFE' || r == '\uFFFF' {
				return ' '
			}
			return r
		}, s)
		if r := []rune(s); len(r) > maxMetaRunes {
			s = string(r[:maxMetaRunes])
		}
		return strings.TrimSpace(s)
	}
	m.Title, m.Author, m.Subject = clean(m.Title), clean(m.Author), clean(m.Subject)
	m.Language, m.Producer, m.Creator = clean(m.Language), clean(m.Producer), clean(m.Creator)
	kw := make([]string, 0, len(m.Keywords))
	for _, k := range m.Keywords {
		if k = clean(k); k != "" {
			kw = append(kw, k)
		}
	}
	m.Keywords = kw
	for _, r := range m.Language {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return m, fmt.Errorf("pdf: meta: language %q is not a BCP 47 tag", m.Language)
		}
	}
	return m, nil
}

// keywords joins the keywords as one Info/XMP string.
func (m Meta) keywords() string { return strings.Join(m.Keywords, ", ") }

// Page is one page of the document.
type Page struct {
	// Image is the page image: *image.Gray for the usual cleaned page
	// (written as CCITT Group 4 when every pixel is 0 or 255, else as a
	// greyscale JPEG); a 16-bit grey or grey-palette image is treated the
	// same; any other image is written as a colour JPEG.
	Image image.Image
	// Load returns the image when Image is nil. Write calls it when it
	// reaches the page and lets the image go once the page is written.
	Load func() (image.Image, error)
	// LoadJPEG, when set, returns the page image already encoded as a
	// baseline JPEG (grey or YCbCr colour), which is embedded as it is:
	// a colour scan keeps its own compression instead of a second JPEG
	// generation. It takes the place of Image and Load.
	LoadJPEG func() ([]byte, error)
	// DPI is the image's resolution. Zero value: OCR.DPI.
	DPI int
	// OCR is the page's text, its boxes in pixels of the image from its
	// top-left corner. When OCR.Width and Height are set and differ from
	// the image's size, the boxes are scaled to the image. Nil, or a page
	// with no words, gives a page with no text layer.
	OCR *ocr.Page
}

// Write writes a PDF of pages to w. It loads one page image at a time.
func Write(w io.Writer, pages []Page, meta Meta) error {
	pw, err := NewWriter(w, meta)
	if err != nil {
		return err
	}
	for _, p := range pages {
		if err := pw.AddPage(p); err != nil {
			return err
		}
	}
	return pw.Close()
}

// Writer writes a PDF page by page: NewWriter writes the file header and
// metadata, AddPage each page with its image, Close the fonts, page tree
// and cross-reference table. A Writer is not safe for concurrent use.
type Writer struct {
	o *objWriter

	catalog, root, info int
	rootKids            []int       // pages and page tree nodes under the root, in order
	nodes               []*pageNode // page tree nodes below the root
	pages               int
	font                *fontState // nil until a page has text
	closed              bool
}

// pagesPerNode is how many kids a page tree node gets: the first pages hang
// from the root, later ones from intermediate nodes under it, so that no
// Kids array nears the 8191 elements of ISO 32000-1's implementation limits
// however long the document.
const pagesPerNode = 1024

type pageNode struct {
	num  int
	kids []int
}

// fontState is the document's text layer font: the characters used so
// far, character i having CID (and glyph id) i+1.
type fontState struct {
	type0, cidFont, descriptor, file, toUnicode int
	cids                                        map[rune]uint16
	chars                                       []rune
}

// NewWriter starts a PDF on w.
func NewWriter(w io.Writer, meta Meta) (*Writer, error) {
	meta, err := meta.withDefaults()
	if err != nil {
		return nil, err
	}
	pw := &Writer{o: newObjWriter(w)}
	o := pw.o
	pw.catalog, pw.root, pw.info = o.alloc(), o.alloc(), o.alloc()
	metadata, intent, profile := o.alloc(), o.alloc(), o.alloc()

	// A binary comment right after the header, as PDF/A requires (four
	// bytes above 127), tells transfer programs the file is binary.
	o.print("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	// XMP must stay readable without PDF filters: no compression.
	o.stream(metadata, "/Type /Metadata /Subtype /XML", xmpPacket(meta))
	o.object(pw.info, infoDict(meta))
	o.object(intent, fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier %s "+
		"/Info %s /RegistryName (http://www.color.org) /DestOutputProfile %d 0 R >>",
		textString(srgbDescription), textString(srgbDescription), profile))
	o.stream(profile, "/N 3 /Filter /FlateDecode", deflate(srgbProfile()))
	viewer := ""
	if meta.Title != "" {
		viewer = " /ViewerPreferences << /DisplayDocTitle true >>"
	}
	o.object(pw.catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R /OutputIntents [%d 0 R] /Lang %s%s >>",
		pw.root, metadata, intent, textString(meta.Language), viewer))
	if o.err != nil {
		return nil, o.err
	}
	return pw, nil
}

// AddPage writes one page. When it fails before writing anything (an image
// that does not load or encode, an unknown resolution), the page is left
// out and the Writer can go on; a failed write to the underlying writer
// is returned again by every later call.
func (w *Writer) AddPage(p Page) error {
	if w.closed {
		return ErrClosed
	}
	if w.o.err != nil {
		return w.o.err
	}
	if err := w.addPage(p); err != nil {
		return fmt.Errorf("page %d: %w", w.pages+1, err)
	}
	w.pages++
	return nil
}

func (w *Writer) addPage(p Page) error {
	dpi := p.DPI
	if dpi <= 0 && p.OCR != nil {
		dpi = p.OCR.DPI
	}
	if dpi <= 0 {
		return ErrNoDPI
	}
	var enc pageImage
	if p.LoadJPEG != nil {
		b, err := p.LoadJPEG()
		if err != nil {
			return fmt.Errorf("load image: %w", err)
		}
		if enc, err = jpegImage(b); err != nil {
			return err
		}
	} else {
		img := p.Image
		if img == nil {
			if p.Load == nil {
				return errors.New("no image")
			}
			var err error
			if img, err = p.Load(); err != nil {
				return fmt.Errorf("load image: %w", err)
			}
			if img == nil {
				return errors.New("load image: no image")
			}
		}
		var err error
		if enc, err = encodeImage(img); err != nil {
			return err
		}
	}

	// Page size: the image at its resolution. PDF/A (after ISO 32000-1
	// annex C) keeps a page between 3 and 14400 units a side.
	widthP := float64(enc.width) * 72 / float64(dpi)
	heightP := float64(enc.height) * 72 / float64(dpi)
	if widthP < 3 || heightP < 3 || widthP > 14400 || heightP > 14400 {
		return fmt.Errorf("page of %s x %s points (%dx%d pixels at %d dpi) is outside PDF's 3 to 14400",
			num(widthP, 2), num(heightP, 2), enc.width, enc.height, dpi)
	}
	ws, hs := num(widthP, 4), num(heightP, 4)

	content := []byte("q\n" + ws + " 0 0 " + hs + " 0 0 cm\n/Im0 Do\nQ\n")
	geo := pageGeometry{sx: widthP / float64(enc.width), sy: heightP / float64(enc.height), heightP: heightP}
	if p.OCR != nil && p.OCR.Width > 0 && p.OCR.Height > 0 {
		geo.sx, geo.sy = widthP/float64(p.OCR.Width), heightP/float64(p.OCR.Height)
	}
	withText, err := textLayer(content, p.OCR, geo, w.glyph)
	if err != nil {
		return err
	}
	hasText := len(withText) > len(content)
	content = withText

	o := w.o
	imgNum, contentNum, pageNum := o.alloc(), o.alloc(), o.alloc()
	o.stream(imgNum, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d %s", enc.width, enc.height, enc.dict), enc.data)
	o.stream(contentNum, "/Filter /FlateDecode", deflate(content))
	fonts := ""
	if hasText {
		fonts = fmt.Sprintf(" /Font << /F1 %d 0 R >>", w.font.type0)
	}
	o.object(pageNum, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 %d 0 R >>%s >> /Contents %d 0 R >>",
		w.parentFor(), ws, hs, imgNum, fonts, contentNum))
	w.addToTree(pageNum)
	return o.err
}

// parentFor returns the page tree node the next page goes under.
func (w *Writer) parentFor() int {
	if w.pages < pagesPerNode {
		return w.root
	}
	if n := len(w.nodes); n == 0 || len(w.nodes[n-1].kids) == pagesPerNode {
		node := &pageNode{num: w.o.alloc()}
		w.nodes = append(w.nodes, node)
		w.rootKids = append(w.rootKids, node.num)
	}
	return w.nodes[len(w.nodes)-1].num
}

func (w *Writer) addToTree(page int) {
	if w.pages < pagesPerNode {
		w.rootKids = append(w.rootKids, page)
		return
	}
	node := w.nodes[len(w.nodes)-1]
	node.kids = append(node.kids, page)
}

// glyph returns the CID of r in the text layer font, adding it.
func (w *Writer) glyph(r rune) (uint16, error) {
	f := w.font
	if f == nil {
		o := w.o
		f = &fontState{
			type0: o.alloc(), cidFont: o.alloc(), descriptor: o.alloc(), file: o.alloc(), toUnicode: o.alloc(),
			cids: map[rune]uint16{},
		}
		w.font = f
	}
	if c, ok := f.cids[r]; ok {
		return c, nil
	}
	if len(f.chars) >= maxGlyphs-1 {
		return 0, fmt.Errorf("more than %d distinct characters in the document", maxGlyphs-1)
	}
	f.chars = append(f.chars, r)
	c := uint16(len(f.chars))
	f.cids[r] = c
	return c, nil
}

// Close finishes the document. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return ErrClosed
	}
	w.closed = true
	if w.o.err != nil {
		return w.o.err
	}
	if w.pages == 0 {
		return ErrNoPages
	}
	o := w.o
	if f := w.font; f != nil {
		font := glyphless(f.chars)
		// The Type0 font's name is the CIDFont's, a hyphen and the CMap's
		// (ISO 32000-1 9.7.6.1).
		o.object(f.type0, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s-Identity-H /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
			fontName, f.cidFont, f.toUnicode))
		// Widths: every CID (= glyph) glyphAdvance wide, as the font's hmtx
		// says (PDF/A requires the two to agree).
		o.object(f.cidFont, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "+
			"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "+
			"/FontDescriptor %d 0 R /DW %d /W [0 %d %d] /CIDToGIDMap /Identity >>",
			fontName, f.descriptor, glyphAdvance, len(f.chars), glyphAdvance))
		o.object(f.descriptor, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [0 %d %d %d] "+
			"/ItalicAngle 0 /Ascent %d /Descent %d /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>",
			fontName, fontDescent, glyphAdvance, fontAscent, fontAscent, fontDescent, f.file))
		o.stream(f.file, fmt.Sprintf("/Length1 %d /Filter /FlateDecode", len(font)), deflate(font))
		o.stream(f.toUnicode, "/Filter /FlateDecode", deflate(toUnicodeCMap(f.chars)))
	}
	for _, n := range w.nodes {
		o.object(n.num, fmt.Sprintf("<< /Type /Pages /Parent %d 0 R /Kids %s /Count %d >>", w.root, refs(n.kids), len(n.kids)))
	}
	o.object(w.root, fmt.Sprintf("<< /Type /Pages /Kids %s /Count %d >>", refs(w.rootKids), w.pages))
	return o.finish(fmt.Sprintf("/Root %d 0 R /Info %d 0 R", w.catalog, w.info))
}

// refs formats an array of references to objects.
func refs(nums []int) string {
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = fmt.Sprintf("%d 0 R", n)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
