package mixed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser is returned when Chromium or poppler's pdftoppm is missing.
var ErrNoBrowser = errors.New("the generator needs chromium and poppler-utils (pdftoppm, pdftotext)")

// renderer typesets pages in one headless Chromium, serving the HTML and
// the font files from a loopback HTTP server (fonts loaded from file://
// URLs are blocked as cross-origin), and rasterises Chromium's PDF with
// poppler's pdftoppm.
type renderer struct {
	srv     *http.Server
	base    string
	mu      sync.Mutex
	docs    map[string]string
	n       int
	tmp     string
	browser context.Context
	cancel  func()
}

// FindChromium returns the Chromium binary: $SOHOA_CHROMIUM, or the
// Debian paths.
func FindChromium() (string, error) {
	for _, p := range []string{os.Getenv("SOHOA_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w: chromium not found (apt-get install chromium, or set SOHOA_CHROMIUM)", ErrNoBrowser)
}

func newRenderer(ctx context.Context, chromium string) (*renderer, error) {
	for _, tool := range []string{"pdftoppm", "pdftotext", "pdffonts"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("%w: %s not found (apt-get install poppler-utils)", ErrNoBrowser, tool)
		}
	}
	tmp, err := os.MkdirTemp("", "sohoa-mixed-")
	if err != nil {
		return nil, err
	}
	r := &renderer{docs: map[string]string{}, tmp: tmp}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	r.base = "http://" + l.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /doc/{id}", func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		doc, ok := r.docs[req.PathValue("id")]
		r.mu.Unlock()
		if !ok {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(doc))
	})
	mux.HandleFunc("GET /font/{family}/{style}", func(w http.ResponseWriter, req *http.Request) {
		fam, ok := familyByName(strings.ReplaceAll(req.PathValue("family"), "_", " "))
		i, err := strconv.Atoi(req.PathValue("style"))
		if !ok || err != nil || i < 0 || i > 3 {
			http.NotFound(w, req)
			return
		}
		http.ServeFile(w, req, fam.Files[i])
	})
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go r.srv.Serve(l)

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.NoFirstRun,
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
	)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	r.browser = browser
	r.cancel = func() { cancelBrowser(); cancelAlloc() }
	// Start the browser now, and print with the print stylesheet from the
	// start so that the lines measured are the lines printed.
	err = chromedp.Do(browser, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return chromedp.Void{}, err
	})
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("start chromium %s: %w", chromium, err)
	}
	return r, nil
}

func (r *renderer) Close() {
	if r.cancel != nil {
		r.cancel()
	}
	if r.srv != nil {
		r.srv.Close()
	}
	os.RemoveAll(r.tmp)
}

// layoutResult is what the page script returns.
type layoutResult struct {
	Overflow bool                  `json:"overflow"`
	Lines    []string              `json:"lines"`
	Rects    map[string][4]float64 `json:"rects"` // CSS px: x, y, w, h
	Failed   []string              `json:"failed"`
}

// typeset is the page script. It waits for the fonts, drops .cut
// elements from the end until the page fits, then reads the printed
// lines in reading order: document order, a new line wherever a word
// starts below (or, in the next column, above) the previous one; a table
// row is one line, its cells in order.
const typeset = `(async () => {
  await document.fonts.ready;
  const failed = [];
  for (const f of document.fonts) if (f.status === 'error') failed.push(f.family + ' ' + f.weight + ' ' + f.style);
  const pg = document.querySelector('.page');
  const over = () => pg.scrollHeight > pg.clientHeight + 1 || pg.scrollWidth > pg.clientWidth + 1;
  const cuts = Array.from(document.querySelectorAll('.cut'));
  while (over() && cuts.length) cuts.pop().remove();
  if (over()) return {overflow: true, lines: [], rects: {}, failed};
  const lines = [];
  let cur = '', last = null, space = false, inRow = false;
  const flush = () => { const t = cur.replace(/\s+/g, ' ').trim(); if (t) lines.push(t); cur = ''; last = null; space = false; };
  const text = (n) => {
    const re = /\s+|\S+/g; let m;
    while ((m = re.exec(n.data))) {
      if (/^\s/.test(m[0])) { space = true; continue; }
      const rg = document.createRange(); rg.setStart(n, m.index); rg.setEnd(n, m.index + m[0].length);
      const rs = rg.getClientRects(); if (!rs.length) continue;
      const rc = rs[0];
      if (!inRow && last) {
        const h = Math.min(rc.height, last.height) / 2;
        if (rc.top >= last.bottom - h || rc.bottom <= last.top + h) flush();
      }
      if (space && cur) cur += ' ';
      space = false;
      cur += m[0]; last = rc;
    }
  };
  const visit = (node) => {
    if (node.nodeType === 3) { text(node); return; }
    if (node.nodeType !== 1) return;
    const d = getComputedStyle(node).display;
    if (d === 'none') return;
    const row = d === 'table-row', cell = d === 'table-cell';
    const block = !d.startsWith('inline');
    if (row) { flush(); inRow = true; } else if (block && !inRow) flush();
    if (cell) space = true;
    for (const c of node.childNodes) visit(c);
    if (row) { flush(); inRow = false; } else if (block && !inRow) flush();
    if (cell) space = true;
  };
  visit(pg);
  const rects = {};
  for (const el of document.querySelectorAll('[id]')) { const b = el.getBoundingClientRect(); rects[el.id] = [b.x, b.y, b.width, b.height]; }
  return {overflow: false, lines, rects, failed};
})()`

// rendered is a typeset page: its PDF and its lines in reading order.
type rendered struct {
	PDF   []byte
	Lines []string
	Rects map[string][4]float64
}

func (r *renderer) typeset(ctx context.Context, doc string, pp paper) (*rendered, error) {
	r.mu.Lock()
	r.n++
	id := strconv.Itoa(r.n)
	r.docs[id] = doc
	r.mu.Unlock()
	defer func() { r.mu.Lock(); delete(r.docs, id); r.mu.Unlock() }()

	tab, cancel := chromedp.NewContext(r.browser)
	defer cancel()
	tctx, cancelT := context.WithTimeout(tab, 60*time.Second)
	defer cancelT()
	stop := context.AfterFunc(ctx, cancelT)
	defer stop()
	err := chromedp.Do(tctx,
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return chromedp.Void{}, err
		},
		chromedp.Navigate(r.base+"/doc/"+id))
	if err != nil {
		return nil, fmt.Errorf("load page in chromium: %w", err)
	}
	res, err := chromedp.Run(tctx, chromedp.Evaluate[layoutResult](typeset, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("typeset: %w", err)
	}
	if len(res.Failed) > 0 {
		return nil, fmt.Errorf("chromium could not load fonts: %s", strings.Join(res.Failed, ", "))
	}
	if res.Overflow {
		return nil, errOverflow
	}
	pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperSize{Width: pp.W / 25.4, Height: pp.H / 25.4}),
		chromedp.PDFMargin(0),
		chromedp.PDFPrintBackground(),
		func(p *cdppage.PrintToPDFParams) { t := true; p.PreferCSSPageSize = &t },
	))
	if err != nil {
		return nil, fmt.Errorf("print to pdf: %w", err)
	}
	return &rendered{PDF: pdf, Lines: res.Lines, Rects: res.Rects}, nil
}

var errOverflow = errors.New("the text does not fit on the page")

// rasterise draws page 1 of pdf in grey at dpi with pdftoppm.
func (r *renderer) rasterise(ctx context.Context, pdf []byte, dpi int) (*image.Gray, error) {
	dir, err := os.MkdirTemp(r.tmp, "page-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "pdftoppm", "-r", strconv.Itoa(dpi), "-gray", "-f", "1", "-l", "1", "-singlefile", in, filepath.Join(dir, "out"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pdftoppm: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	b, err := os.ReadFile(filepath.Join(dir, "out.pgm"))
	if err != nil {
		return nil, err
	}
	g, err := readPGM(b)
	if err != nil {
		return nil, fmt.Errorf("pdftoppm output: %w", err)
	}
	return g, nil
}

// readPGM decodes a binary 8-bit PGM (P5), what pdftoppm -gray writes.
func readPGM(b []byte) (*image.Gray, error) {
	var vals [3]int
	pos := 2
	if len(b) < 2 || string(b[:2]) != "P5" {
		return nil, errors.New("not a binary PGM")
	}
	for k := 0; k < 3; k++ {
		for pos < len(b) && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t' || b[pos] == '#') {
			if b[pos] == '#' {
				for pos < len(b) && b[pos] != '\n' {
					pos++
				}
			}
			pos++
		}
		start := pos
		for pos < len(b) && b[pos] >= '0' && b[pos] <= '9' {
			pos++
		}
		n, err := strconv.Atoi(string(b[start:pos]))
		if err != nil {
			return nil, fmt.Errorf("PGM header: %w", err)
		}
		vals[k] = n
	}
	pos++ // one whitespace byte ends the header
	w, h, maxv := vals[0], vals[1], vals[2]
	if maxv != 255 || w <= 0 || h <= 0 || len(b)-pos < w*h {
		return nil, fmt.Errorf("PGM %dx%d max %d: unexpected size or depth", w, h, maxv)
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	copy(g.Pix, b[pos:pos+w*h])
	return g, nil
}

// pdfText is the text poppler finds in the PDF (any order): a check that
// the ground truth holds what was printed.
func (r *renderer) pdfText(ctx context.Context, pdf []byte) (string, error) {
	cmd := exec.CommandContext(ctx, "pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("pdftotext: %w", err)
	}
	return string(out), nil
}

// pdfFonts lists the fonts embedded in the PDF, as pdffonts names them
// (subset prefix removed).
func (r *renderer) pdfFonts(ctx context.Context, pdf []byte) ([]string, error) {
	f, err := os.CreateTemp(r.tmp, "fonts-*.pdf")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(pdf); err != nil {
		f.Close()
		return nil, err
	}
	f.Close()
	out, err := exec.CommandContext(ctx, "pdffonts", f.Name()).Output()
	if err != nil {
		return nil, fmt.Errorf("pdffonts: %w", err)
	}
	var fonts []string
	for i, line := range strings.Split(string(out), "\n") {
		fields := strings.Fields(line)
		if i < 2 || len(fields) == 0 {
			continue // the header and its rule
		}
		name := fields[0]
		if j := strings.IndexByte(name, '+'); j == 6 {
			name = name[j+1:]
		}
		fonts = append(fonts, name)
	}
	return fonts, nil
}
