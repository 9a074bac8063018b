package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/eval"
)

// These tests check the PDF with the tools a reader of it would use
// (poppler's pdftotext, pdfimages, pdffonts, pdfinfo, pdftoppm; qpdf;
// xmllint). They are required: a missing tool fails the test.

var testMeta = Meta{
	Title:    "Quyết định số 57/QĐ-UBND (kế hoạch sử dụng đất)",
	Author:   "UBND huyện Quảng Xương",
	Subject:  "Phê duyệt kế hoạch sử dụng đất năm 2025",
	Keywords: []string{"đất đai", "kế hoạch", "Quảng Xương"},
	Producer: "sohoa 0.1.0 (tesseract 5.3.0)",
	Created:  time.Date(2025, 11, 28, 8, 15, 30, 0, time.FixedZone("ICT", 7*3600)),
}

// testDoc is the standard three-page document, written once.
type testDoc struct {
	path  string
	data  []byte
	pages []testPage
	imgs  []*image.Gray // the image each page was given
}

var (
	testDocOnce sync.Once
	testDocVal  *testDoc
	testDocErr  error
)

func writeTestDoc(t *testing.T) *testDoc {
	t.Helper()
	testDocOnce.Do(func() {
		d := &testDoc{}
		var pages []Page
		for i, spec := range testPages() {
			tp := renderTestPage(t, spec)
			img := tp.img
			if spec.name == "Bitonal" {
				img = binarize(img)
			}
			p := Page{DPI: spec.dpi, OCR: tp.ocr}
			if i == 0 {
				p.Image = img
			} else {
				p.Load = func() (image.Image, error) { return img, nil }
			}
			if spec.name == "Blank" {
				p.OCR = &ocr.Page{Width: spec.width, Height: spec.height, DPI: spec.dpi}
			}
			d.pages = append(d.pages, tp)
			d.imgs = append(d.imgs, img)
			pages = append(pages, p)
		}
		var buf bytes.Buffer
		if testDocErr = Write(&buf, pages, testMeta); testDocErr != nil {
			return
		}
		d.data = buf.Bytes()
		dir, err := os.MkdirTemp("", "sohoa-pdf-test-")
		if err != nil {
			testDocErr = err
			return
		}
		d.path = filepath.Join(dir, "doc.pdf")
		testDocErr = os.WriteFile(d.path, d.data, 0o644)
		testDocVal = d
	})
	if testDocErr != nil {
		t.Fatalf("write test document: %v", testDocErr)
	}
	if testDocVal == nil {
		t.Fatal("the test document was not written (see the first failure)")
	}
	return testDocVal
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testDocVal != nil {
		os.RemoveAll(filepath.Dir(testDocVal.path))
	}
	os.Exit(code)
}

// tool runs a command and returns its standard output. A non-zero exit or
// anything on standard error (poppler's "Syntax Error", qpdf's warnings)
// fails the test.
func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	return toolAllowing(t, "", name, args...)
}

// toolAllowing is tool, but tolerates allowed as the whole of standard
// error.
func toolAllowing(t *testing.T, allowed, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is required for this test (Debian: qpdf, poppler-utils, libxml2-utils): %v", name, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 && stderr.String() != allowed {
		t.Fatalf("%s %s wrote to stderr:\n%s", name, strings.Join(args, " "), stderr.String())
	}
	return stdout.String()
}

func TestQPDFCheck(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	out := tool(t, "qpdf", "--check", d.path)
	if !strings.Contains(out, "No syntax or stream encoding errors") || strings.Contains(strings.ToLower(out), "warning") {
		t.Errorf("qpdf --check:\n%s", out)
	}
}

func TestPDFInfo(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	out := tool(t, "pdfinfo", "-f", "1", "-l", "3", d.path)
	fields := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			fields[k] = strings.TrimSpace(v)
		}
	}
	want := map[string]string{
		"PDF version":     "1.7",
		"Pages":           "3",
		"Title":           testMeta.Title,
		"Author":          testMeta.Author,
		"Subject":         testMeta.Subject,
		"Keywords":        strings.Join(testMeta.Keywords, ", "),
		"Producer":        testMeta.Producer,
		"Creator":         testMeta.Producer,
		"Encrypted":       "no",
		"JavaScript":      "no",
		"Metadata Stream": "yes",
		"Page    1 size":  "419.52 x 595.2 pts",
		"Page    3 size":  "419.52 x 595.2 pts",
	}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("pdfinfo %s = %q, want %q", k, fields[k], v)
		}
	}

	// The XMP must be well-formed XML.
	xmp := tool(t, "pdfinfo", "-meta", d.path)
	xmpFile := filepath.Join(t.TempDir(), "xmp.xml")
	if err := os.WriteFile(xmpFile, []byte(xmp), 0o644); err != nil {
		t.Fatal(err)
	}
	tool(t, "xmllint", "--noout", xmpFile)
	for _, s := range []string{"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>", "<rdf:li>vi</rdf:li>"} {
		if !strings.Contains(xmp, s) {
			t.Errorf("XMP lacks %s:\n%s", s, xmp)
		}
	}
}

func TestPDFFonts(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	out := tool(t, "pdffonts", d.path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("pdffonts: want one font:\n%s", out)
	}
	// name, type (two words), encoding, emb, sub, uni, object id.
	f := strings.Fields(lines[2])
	got := strings.Join(f[:7], " ")
	if want := fontName + "-Identity-H CID TrueType Identity-H yes no yes"; got != want {
		t.Errorf("pdffonts: %q, want %q (embedded, ToUnicode)", got, want)
	}
}

// pageText runs pdftotext on one page.
func pageText(t *testing.T, path string, page int, args ...string) string {
	t.Helper()
	args = append([]string{"-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-enc", "UTF-8"}, args...)
	return tool(t, "pdftotext", append(args, path, "-")...)
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(strings.Trim(l, "\f")); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestPDFToText(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	for i, tp := range d.pages {
		want := tp.ocr.Text()
		if tp.spec.name == "Blank" {
			want = ""
		}
		t.Run(tp.spec.name, func(t *testing.T) {
			t.Parallel()
			for _, mode := range [][]string{nil, {"-layout"}} {
				got := pageText(t, d.path, i+1, mode...)
				cer := eval.CER(want, got)
				t.Logf("pdftotext %v: CER %.4f over %d characters", mode, cer, len([]rune(eval.Normalize(want))))
				if cer > 0.01 {
					t.Errorf("pdftotext %v: CER %.4f > 0.01\n got: %q\nwant: %q", mode, cer, got, want)
				}
			}
			// Words come out separated by one space, each line on its own
			// line, in reading order.
			got := pageText(t, d.path, i+1)
			if diff := cmp.Diff(nonEmptyLines(want), nonEmptyLines(got)); diff != "" {
				t.Errorf("pdftotext lines (-want +got):\n%s", diff)
			}
		})
	}
}

var bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// TestPDFToTextBBox checks that the text layer lies on the words: each
// word pdftotext finds spans its box on the image horizontally and the
// line's box vertically.
func TestPDFToTextBBox(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	for i, tp := range d.pages {
		t.Run(tp.spec.name, func(t *testing.T) {
			t.Parallel()
			n := strconv.Itoa(i + 1)
			// pdftotext says so on stderr when a page has no words.
			out := toolAllowing(t, "no word list\n", "pdftotext", "-f", n, "-l", n, "-enc", "UTF-8", "-bbox", d.path, "-")
			k := 72 / float64(tp.spec.dpi) // points per pixel
			type want struct {
				text string
				word image.Rectangle
				line image.Rectangle
			}
			var wants []want
			for _, blk := range tp.ocr.Blocks {
				for _, par := range blk.Paragraphs {
					for _, ln := range par.Lines {
						for _, w := range ln.Words {
							wants = append(wants, want{w.Text, w.BBox, ln.BBox})
						}
					}
				}
			}
			if tp.spec.name == "Blank" {
				wants = nil
			}
			got := bboxWord.FindAllStringSubmatch(out, -1)
			if len(got) != len(wants) {
				t.Fatalf("pdftotext -bbox found %d words, want %d:\n%s", len(got), len(wants), out)
			}
			const tol = 1.0 // points, horizontally
			worstX, worstY := 0.0, 0.0
			for j, g := range got {
				w := wants[j]
				var v [4]float64
				for n := range v {
					v[n], _ = strconv.ParseFloat(g[n+1], 64)
				}
				if text := g[5]; text != w.text {
					t.Errorf("word %d: %q, want %q", j, text, w.text)
				}
				dx := max(math.Abs(v[0]-float64(w.word.Min.X)*k), math.Abs(v[2]-float64(w.word.Max.X)*k))
				worstX = max(worstX, dx)
				if dx > tol {
					t.Errorf("word %q: x %.2f..%.2f, want %.2f..%.2f (±%g pt)", w.text, v[0], v[2], float64(w.word.Min.X)*k, float64(w.word.Max.X)*k, tol)
				}
				// Vertically the text spans the line (one font size per
				// line): within a quarter of the line's height of its box,
				// and it covers most of the word.
				lineH := float64(w.line.Dy()) * k
				dy := max(math.Abs(v[1]-float64(w.line.Min.Y)*k), math.Abs(v[3]-float64(w.line.Max.Y)*k))
				worstY = max(worstY, dy)
				overlap := min(v[3], float64(w.word.Max.Y)*k) - max(v[1], float64(w.word.Min.Y)*k)
				if dy > lineH/4 || overlap < 0.75*float64(w.word.Dy())*k {
					t.Errorf("word %q: y %.2f..%.2f, line %.2f..%.2f, word %.2f..%.2f", w.text, v[1], v[3],
						float64(w.line.Min.Y)*k, float64(w.line.Max.Y)*k, float64(w.word.Min.Y)*k, float64(w.word.Max.Y)*k)
				}
			}
			t.Logf("%d words; worst distance from the word box: %.2f pt horizontally, %.2f pt vertically (from the line box)", len(got), worstX, worstY)
		})
	}
}

func TestPDFImages(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	out := tool(t, "pdfimages", "-list", d.path)
	lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
	var got []string
	for _, l := range lines {
		f := strings.Fields(l)
		// page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
		got = append(got, strings.Join([]string{f[0], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[12], f[13]}, " "))
	}
	want := []string{
		"1 image 1748 2480 gray 1 8 jpeg no 300 300",
		"2 image 1748 2480 gray 1 1 ccitt no 300 300",
		"3 image 1748 2480 gray 1 8 jpeg no 300 300",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pdfimages -list (-want +got):\n%s\n%s", diff, out)
	}
}

// TestPDFImagesDecode extracts the CCITT image with pdfimages (poppler's
// own decoder) and compares it with the page image: the encoder's output
// must be what PDF readers decode.
func TestPDFImagesDecode(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	prefix := filepath.Join(t.TempDir(), "img")
	tool(t, "pdfimages", "-f", "2", "-l", "2", d.path, prefix)
	got := readPNM(t, prefix+"-000.pbm")
	if diff := meanAbsDiff(d.imgs[1], got); diff != 0 {
		t.Errorf("CCITT image as pdfimages decodes it differs from the page image: mean abs diff %.4f", diff)
	}
}

// TestPDFToPPM renders each page and compares it with the page image (the
// image fills the page at its resolution) and with the rendering of the
// same page without a text layer (the text does not show: the two must be
// identical).
func TestPDFToPPM(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)

	// The same pages with no text layer.
	var pages []Page
	for _, img := range d.imgs {
		pages = append(pages, Page{Image: img, DPI: 300})
	}
	var buf bytes.Buffer
	if err := Write(&buf, pages, testMeta); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(t.TempDir(), "bare.pdf")
	if err := os.WriteFile(bare, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	render := func(t *testing.T, path string, page, dpi int) *image.Gray {
		t.Helper()
		prefix := filepath.Join(t.TempDir(), "page")
		n := strconv.Itoa(page)
		tool(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-gray", "-f", n, "-l", n, "-singlefile", path, prefix)
		return readPNM(t, prefix+".pgm")
	}
	for i, tp := range d.pages {
		t.Run(tp.spec.name, func(t *testing.T) {
			t.Parallel()
			got := render(t, d.path, i+1, tp.spec.dpi)
			src := d.imgs[i]
			if got.Rect.Dx() != src.Rect.Dx() || got.Rect.Dy() != src.Rect.Dy() {
				t.Fatalf("rendered %v, image %v", got.Rect, src.Rect)
			}
			// Poppler smooths image edges even at 1:1 (a bilevel image
			// renders with 254 grey levels), and JPEG adds its own error.
			diff := meanAbsDiff(src, got)
			t.Logf("mean abs diff of the rendering from the page image: %.3f (0..255)", diff)
			if diff > 2.5 {
				t.Errorf("rendered page differs from the page image: mean abs diff %.3f > 2.5", diff)
			}
			if d := meanAbsDiff(render(t, bare, i+1, tp.spec.dpi), got); d != 0 {
				t.Errorf("the text layer shows: rendering differs from the page without text by %.4f", d)
			}
		})
	}
}

// readPNM reads a binary PGM (P5) or PBM (P4) file.
func readPNM(t *testing.T, path string) *image.Gray {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var magic string
	var w, h int
	fields := 3
	if bytes.HasPrefix(b, []byte("P4")) {
		fields = 2
	}
	// Header: magic, width, height, [maxval], each followed by white space.
	toks := make([]string, 0, 4)
	pos := 0
	for len(toks) < fields+1 {
		for pos < len(b) && isWhite(b[pos]) {
			pos++
		}
		start := pos
		for pos < len(b) && !isWhite(b[pos]) {
			pos++
		}
		toks = append(toks, string(b[start:pos]))
	}
	pos++ // the single white space before the data
	magic = toks[0]
	w, _ = strconv.Atoi(toks[1])
	h, _ = strconv.Atoi(toks[2])
	img := image.NewGray(image.Rect(0, 0, w, h))
	data := b[pos:]
	switch magic {
	case "P5":
		if len(data) < w*h {
			t.Fatalf("%s: short PGM", path)
		}
		copy(img.Pix, data)
	case "P4": // 1 bit per pixel, 1 = black, rows padded to bytes
		rb := (w + 7) / 8
		if len(data) < rb*h {
			t.Fatalf("%s: short PBM", path)
		}
		for y := range h {
			for x := range w {
				if data[y*rb+x/8]&(0x80>>(x%8)) == 0 {
					img.Pix[y*w+x] = 0xff
				}
			}
		}
	default:
		t.Fatalf("%s: not a binary PGM or PBM: %q", path, magic)
	}
	return img
}

func meanAbsDiff(a, b *image.Gray) float64 {
	w, h := min(a.Rect.Dx(), b.Rect.Dx()), min(a.Rect.Dy(), b.Rect.Dy())
	var sum int64
	for y := range h {
		ra := a.Pix[y*a.Stride : y*a.Stride+w]
		rb := b.Pix[y*b.Stride : y*b.Stride+w]
		for x := range w {
			d := int64(ra[x]) - int64(rb[x])
			if d < 0 {
				d = -d
			}
			sum += d
		}
	}
	return float64(sum) / float64(w*h)
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	spec := testPages()[0]
	tp := renderTestPage(t, spec)
	var pages []Page
	for _, img := range d.imgs {
		pages = append(pages, Page{Image: img, DPI: 300})
	}
	pages[0].OCR = tp.ocr
	write := func(m Meta) []byte {
		var buf bytes.Buffer
		if err := Write(&buf, pages, m); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := write(testMeta), write(testMeta)
	if !bytes.Equal(a, b) {
		t.Error("the same input gave different output")
	}
	later := testMeta
	later.Created = later.Created.Add(time.Second)
	if bytes.Equal(a, write(later)) {
		t.Error("a different creation time gave the same output")
	}
}

// TestColourPage writes an RGB page: it must come out as a colour JPEG.
func TestColourPage(t *testing.T) {
	t.Parallel()
	img := image.NewRGBA(image.Rect(0, 0, 600, 400))
	for y := range 400 {
		for x := range 600 {
			img.Set(x, y, color.RGBA{uint8(x / 3), uint8(y / 2), 180, 0xff})
		}
	}
	path := filepath.Join(t.TempDir(), "colour.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	page := &ocr.Page{Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
		BBox:  image.Rect(50, 50, 400, 100),
		Words: []ocr.Word{{Text: "Bản đồ", BBox: image.Rect(50, 50, 200, 100)}, {Text: "màu", BBox: image.Rect(230, 50, 400, 100)}},
	}}}}}}}
	if err := Write(f, []Page{{Image: img, DPI: 200, OCR: page}}, testMeta); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	tool(t, "qpdf", "--check", path)
	out := tool(t, "pdfimages", "-list", path)
	f3 := strings.Fields(strings.Split(out, "\n")[2])
	if got := strings.Join([]string{f3[5], f3[6], f3[8], f3[12]}, " "); got != "rgb 3 jpeg 200" {
		t.Errorf("pdfimages: %q, want an RGB JPEG at 200 ppi\n%s", got, out)
	}
	if got := strings.Join(nonEmptyLines(pageText(t, path, 1)), "\n"); got != "Bản đồ màu" {
		t.Errorf("pdftotext: %q", got)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 100, 100))
	tests := []struct {
		name  string
		pages []Page
		meta  Meta
		want  error
	}{
		{"NoPages", nil, testMeta, ErrNoPages},
		{"NoDPI", []Page{{Image: img}}, testMeta, ErrNoDPI},
		{"LoadFails", []Page{{DPI: 300, Load: func() (image.Image, error) { return nil, os.ErrNotExist }}}, testMeta, os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Write(&bytes.Buffer{}, tt.pages, tt.meta)
			if !errors.Is(err, tt.want) {
				t.Errorf("Write: %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("NoCreationTime", func(t *testing.T) {
		t.Parallel()
		if _, err := NewWriter(&bytes.Buffer{}, Meta{Title: "x"}); err == nil {
			t.Error("NewWriter without a creation time: no error")
		}
	})
	t.Run("AfterClose", func(t *testing.T) {
		t.Parallel()
		w, err := NewWriter(&bytes.Buffer{}, testMeta)
		if err != nil {
			t.Fatal(err)
		}
		// A page that fails to load is left out; the document goes on.
		if err := w.AddPage(Page{DPI: 300, Load: func() (image.Image, error) { return nil, errors.New("corrupt") }}); err == nil {
			t.Error("AddPage with a failing loader: no error")
		}
		if err := w.AddPage(Page{Image: img, DPI: 300}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.AddPage(Page{Image: img, DPI: 300}); !errors.Is(err, ErrClosed) {
			t.Errorf("AddPage after Close: %v, want ErrClosed", err)
		}
	})
	t.Run("WriteFails", func(t *testing.T) {
		t.Parallel()
		errDisk := errors.New("disk full")
		w, err := NewWriter(&failingWriter{n: 1 << 20, err: errDisk}, testMeta)
		if err != nil {
			t.Fatal(err)
		}
		big := renderBenchPage(t)
		for range 10 {
			if err = w.AddPage(Page{Image: big, DPI: 300}); err != nil {
				break
			}
		}
		if err == nil {
			err = w.Close()
		}
		if !errors.Is(err, errDisk) {
			t.Errorf("error %v, want %v", err, errDisk)
		}
	})
}

// failingWriter accepts n bytes, then fails.
type failingWriter struct {
	n   int
	err error
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, f.err
	}
	f.n -= len(p)
	return len(p), nil
}

// TestManyPages checks the page tree past one node's worth of pages: page
// order and count as poppler sees them.
func TestManyPages(t *testing.T) {
	t.Parallel()
	const n = pagesPerNode + 5
	pages := make([]Page, n)
	for i := range pages {
		img := image.NewGray(image.Rect(0, 0, 30, 40))
		pages[i] = Page{Image: img, DPI: 72, OCR: &ocr.Page{Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
			Words: []ocr.Word{{Text: fmt.Sprintf("p%d", i+1), BBox: image.Rect(2, 10, 28, 30)}},
		}}}}}}}}
	}
	path := filepath.Join(t.TempDir(), "many.pdf")
	var buf bytes.Buffer
	if err := Write(&buf, pages, testMeta); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tool(t, "qpdf", "--check", path)
	for _, p := range []int{1, pagesPerNode, pagesPerNode + 1, n} {
		if got := strings.TrimSpace(strings.Trim(pageText(t, path, p), "\f\n")); got != fmt.Sprintf("p%d", p) {
			t.Errorf("page %d has text %q", p, got)
		}
	}
}

// TestTextNFC gives the OCR text decomposed (NFD) and with a control
// character: pdftotext must return it precomposed (NFC), byte for byte.
func TestTextNFC(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 800, 200))
	nfd := "Vie\u0302\u0323t" // Việt: e, circumflex, dot below
	page := &ocr.Page{Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
		BBox: image.Rect(50, 50, 700, 110),
		Words: []ocr.Word{
			{Text: nfd, BBox: image.Rect(50, 50, 200, 110)},
			{Text: "Na\x07m", BBox: image.Rect(230, 50, 400, 110)},
			{Text: "", BBox: image.Rect(405, 50, 415, 110)},
			{Text: "thống", BBox: image.Rect(430, 50, 610, 110)},
		},
	}}}}}}}
	var buf bytes.Buffer
	if err := Write(&buf, []Page{{Image: img, DPI: 300, OCR: page}}, testMeta); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "nfc.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(nonEmptyLines(pageText(t, path, 1)), "\n")
	if want := "Vi\u1EC7t Nam thống"; got != want {
		t.Errorf("pdftotext %q (% x), want %q", got, got, want)
	}
}

// TestJPEGPassthrough gives the writer an encoded colour JPEG: it must be
// embedded byte for byte (pdfimages -j writes DCT streams out as they are),
// not decoded and compressed a second time.
func TestJPEGPassthrough(t *testing.T) {
	t.Parallel()
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for y := range 200 {
		for x := range 300 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 0xff})
		}
	}
	var src bytes.Buffer
	if err := jpeg.Encode(&src, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "passthrough.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	page := &ocr.Page{Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
		BBox: image.Rect(20, 20, 200, 60), Words: []ocr.Word{{Text: "Quyết", BBox: image.Rect(20, 20, 120, 60)}, {Text: "định", BBox: image.Rect(130, 20, 200, 60)}},
	}}}}}}}
	load := func() ([]byte, error) { return src.Bytes(), nil }
	if err := Write(f, []Page{{LoadJPEG: load, DPI: 150, OCR: page}}, testMeta); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	tool(t, "qpdf", "--check", path)
	out := tool(t, "pdfimages", "-list", path)
	f3 := strings.Fields(strings.Split(out, "\n")[2])
	if got := strings.Join([]string{f3[3], f3[4], f3[5], f3[8], f3[12]}, " "); got != "300 200 rgb jpeg 150" {
		t.Errorf("pdfimages: %q, want a 300x200 RGB JPEG at 150 ppi\n%s", got, out)
	}
	tool(t, "pdfimages", "-j", path, filepath.Join(dir, "img"))
	got, err := os.ReadFile(filepath.Join(dir, "img-000.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, src.Bytes()) {
		t.Errorf("embedded JPEG (%d bytes) is not the one given (%d bytes)", len(got), src.Len())
	}
	if got := strings.Join(nonEmptyLines(pageText(t, path, 1)), "\n"); got != "Quyết định" {
		t.Errorf("pdftotext: %q", got)
	}

	// Not a JPEG: a sentence, not a broken PDF.
	bad := func() ([]byte, error) { return []byte("GIF89a"), nil }
	err = Write(io.Discard, []Page{{LoadJPEG: bad, DPI: 150, OCR: page}}, testMeta)
	if err == nil || !strings.Contains(err.Error(), "page JPEG") {
		t.Errorf("a page that is not a JPEG: err = %v", err)
	}
}

// TestHeaderColumnsExtractInOrder: a Decree 30 page's header and closing
// columns (sohoa's OCR of samples/pages/cong-van-clean.png, in
// testdata) come out of pdftotext, in both its layout mode and -raw,
// left column first, as the page's ground truth reads. Poppler's layout
// mode read them row by row (CER 0.11) before column paragraphs were
// given the font size that keeps their lines in one block.
func TestHeaderColumnsExtractInOrder(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/cong-van-clean.hocr")
	if err != nil {
		t.Fatal(err)
	}
	page, err := ocr.ParseHOCR(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	truth, err := os.ReadFile("../../samples/pages/cong-van-clean.txt")
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, page.Width, page.Height))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	path := filepath.Join(t.TempDir(), "cong-van.pdf")
	var buf bytes.Buffer
	if err := Write(&buf, []Page{{Image: img, DPI: 300, OCR: page}}, testMeta); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ours := eval.CER(string(truth), page.Text())
	for _, mode := range [][]string{nil, {"-raw"}} {
		got := pageText(t, path, 1, mode...)
		cer := eval.CER(string(truth), got)
		t.Logf("pdftotext %v: CER %.4f (the OCR text itself: %.4f)", mode, cer, ours)
		if cer > ours+0.005 {
			t.Errorf("pdftotext %v: CER %.4f, the OCR text's is %.4f: the extraction order differs\n%s", mode, cer, ours, got)
		}
	}
}
