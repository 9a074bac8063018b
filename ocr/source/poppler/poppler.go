// Package poppler is the source.Backend for PDF files, on Poppler's
// command-line tools run as child processes: pdfinfo (page count,
// encryption, page sizes), pdfimages (a scanned page's own image, at its
// native resolution) and pdftoppm (rendering any other page). A hostile PDF
// that crashes a tool or makes it eat memory or time kills that child, never
// the worker: each run has a timeout, an address-space limit (RLIMIT_AS), a
// CPU-time limit, a file-size limit, and a private temporary folder removed
// afterwards.
//
// A page that is exactly one image covering the page (a scan) is extracted
// as it is stored, with the resolution it is drawn at; any other page
// (text, vector drawings, several images, a rotated page) is rendered at
// Config.DPI, in grey unless one of its images is in colour.
// docs/inputs.md says why Poppler.
package poppler

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sohoa/sohoa/ocr/source"
)

var _ source.Backend = (*Backend)(nil)

// Config configures a Backend. The zero value is usable: tools on PATH,
// 300 dpi grey rendering, 2 minutes and 2 GiB per tool run.
type Config struct {
	// Bin is the folder holding pdfinfo, pdfimages and pdftoppm. Default:
	// found on PATH.
	Bin string
	// DPI renders pages that are not one scanned image. Default 300.
	DPI int
	// Color renders every such page in colour; by default a page is
	// rendered in grey (what OCR reads), or in colour when one of its
	// images is in colour.
	Color bool
	// Timeout bounds each tool run. Default 2 minutes.
	Timeout time.Duration
	// MaxMemory is each tool process's address-space limit (RLIMIT_AS),
	// in bytes. Default 2 GiB.
	MaxMemory int64
	// TempDir is where private temporary folders are made. Default: the
	// system's (os.TempDir).
	TempDir string
}

func (c Config) withDefaults() Config {
	if c.DPI == 0 {
		c.DPI = 300
	}
	if c.Timeout == 0 {
		c.Timeout = 2 * time.Minute
	}
	if c.MaxMemory == 0 {
		c.MaxMemory = 2 << 30
	}
	return c
}

// Backend reads PDF files. It is safe for concurrent use.
type Backend struct {
	cfg                          Config
	pdfinfo, pdfimages, pdftoppm string
	prlimit                      string // "" when util-linux's prlimit is missing: sh's ulimit is used
}

// New finds the tools and checks the configuration.
func New(cfg Config) (*Backend, error) {
	cfg = cfg.withDefaults()
	if cfg.DPI < 50 || cfg.DPI > 1200 {
		return nil, fmt.Errorf("poppler: DPI %d out of range (50..1200)", cfg.DPI)
	}
	if cfg.MaxMemory < 64<<20 {
		return nil, fmt.Errorf("poppler: MaxMemory %d is too small for the tools to start (64 MiB at least)", cfg.MaxMemory)
	}
	b := &Backend{cfg: cfg}
	for _, t := range []struct {
		name string
		dst  *string
	}{{"pdfinfo", &b.pdfinfo}, {"pdfimages", &b.pdfimages}, {"pdftoppm", &b.pdftoppm}} {
		p := t.name
		if cfg.Bin != "" {
			p = filepath.Join(cfg.Bin, t.name)
		}
		found, err := exec.LookPath(p)
		if err != nil {
			return nil, fmt.Errorf("poppler: %s not found (install poppler-utils): %w", t.name, err)
		}
		*t.dst = found
	}
	if p, err := exec.LookPath("prlimit"); err == nil {
		b.prlimit = p
	}
	return b, nil
}

// Kinds is PDF.
func (b *Backend) Kinds() []source.Kind { return []source.Kind{source.KindPDF} }

// Open runs pdfinfo once for the page count and encryption. Page sizes and
// the images of every page are read on the first Info call.
func (b *Backend) Open(path string, limits source.Limits) (source.Document, error) {
	lim := limits.WithDefaults()
	out, err := b.run(context.Background(), "", b.pdfinfo, path)
	if err != nil {
		return nil, err
	}
	info := parseInfo(out)
	n, err := strconv.Atoi(info["Pages"])
	if err != nil || n <= 0 {
		return nil, fmt.Errorf("%w: damaged PDF: it has no pages", source.ErrCorrupt)
	}
	if err := lim.CheckPages(n); err != nil {
		return nil, err
	}
	return &document{b: b, path: path, lim: lim, n: n}, nil
}

// document is an opened PDF.
type document struct {
	b    *Backend
	path string
	lim  source.Limits
	n    int

	once  sync.Once
	pages []pageGeom        // all pages' sizes, read by the first Info
	imgs  map[int][]imgLine // all pages' images
	err   error
}

// pageGeom is a page's size in points (crop box) and rotation.
type pageGeom struct {
	w, h float64
	rot  int
}

// imgLine is one line of pdfimages -list.
type imgLine struct {
	page          int
	typ           string // image, mask, smask, stencil
	width, height int
	color         string // gray, rgb, cmyk, index, icc, ...
	comp, bpc     int
	enc           string // jpeg, jpx, jbig2, ccitt, image, ...
	xppi, yppi    int
}

// plan is how a page is read: its one image extracted, or rendered.
type plan struct {
	extract bool
	img     imgLine
	info    source.PageInfo
}

func (d *document) Kind() source.Kind { return source.KindPDF }
func (d *document) NumPages() int     { return d.n }
func (d *document) Close() error      { return nil }

// Info says what Decode will return for page i, from pdfinfo's page sizes
// and pdfimages' list (both read once, for every page, on the first call).
func (d *document) Info(i int) (source.PageInfo, error) {
	if i < 0 || i >= d.n {
		return source.PageInfo{}, fmt.Errorf("page %d out of range (the file has %d)", i+1, d.n)
	}
	d.once.Do(func() {
		ctx := context.Background()
		d.pages, d.err = d.geometry(ctx, 1, d.n)
		if d.err != nil {
			return
		}
		d.imgs, d.err = d.images(ctx, 1, d.n)
	})
	if d.err != nil {
		return source.PageInfo{}, d.err
	}
	return d.plan(d.pages[i], d.imgs[i+1]).info, nil
}

// Decode reads only page i: its size, its images, then either extracts
// its one image or renders it.
func (d *document) Decode(ctx context.Context, i int) (image.Image, source.PageInfo, error) {
	if i < 0 || i >= d.n {
		return nil, source.PageInfo{}, fmt.Errorf("page %d out of range (the file has %d)", i+1, d.n)
	}
	geo, err := d.geometry(ctx, i+1, i+1)
	if err != nil {
		return nil, source.PageInfo{}, err
	}
	imgs, err := d.images(ctx, i+1, i+1)
	if err != nil {
		return nil, source.PageInfo{}, err
	}
	p := d.plan(geo[0], imgs[i+1])
	if err := d.lim.CheckPixels(p.info.Width, p.info.Height); err != nil {
		return nil, p.info, err
	}
	tmp, err := os.MkdirTemp(d.b.cfg.TempDir, "sohoa-pdf-*")
	if err != nil {
		return nil, p.info, err
	}
	defer os.RemoveAll(tmp)
	page := strconv.Itoa(i + 1)
	var img image.Image
	if p.extract {
		args := []string{"-f", page, "-l", page, "-png"}
		if p.img.enc == "jpeg" && (p.img.comp == 1 || p.img.comp == 3) {
			args = append(args, "-j") // the JPEG as stored, not decoded and re-encoded
		}
		if _, err := d.b.run(ctx, tmp, d.b.pdfimages, append(args, d.path, filepath.Join(tmp, "p"))...); err != nil {
			return nil, p.info, err
		}
		img, err = d.decodeOutput(ctx, tmp, p.info)
	} else {
		args := []string{"-f", page, "-l", page, "-r", strconv.Itoa(d.b.cfg.DPI), "-cropbox"}
		if p.info.Color == "gray" {
			args = append(args, "-gray")
		}
		if _, err := d.b.run(ctx, tmp, d.b.pdftoppm, append(args, d.path, filepath.Join(tmp, "p"))...); err != nil {
			return nil, p.info, err
		}
		img, err = d.decodeOutput(ctx, tmp, p.info)
	}
	if err != nil {
		return nil, p.info, err
	}
	b := img.Bounds()
	p.info.Width, p.info.Height = b.Dx(), b.Dy()
	return img, p.info, nil
}

// plan decides how a page is read. A page is extracted when it holds
// exactly one image (no masks), drawn unrotated over the whole page (within
// 2%) with square pixels at 50..2400 ppi; else it is rendered.
func (d *document) plan(g pageGeom, imgs []imgLine) plan {
	if len(imgs) == 1 && g.rot%360 == 0 {
		m := imgs[0]
		ok := m.typ == "image" && m.xppi >= 50 && m.xppi <= 2400 && m.yppi > 0 &&
			math.Abs(float64(m.xppi-m.yppi)) <= 0.02*float64(m.xppi) &&
			near(float64(m.width)/float64(m.xppi)*72, g.w) && near(float64(m.height)/float64(m.yppi)*72, g.h)
		if ok {
			color := m.color
			switch {
			case m.bpc == 1 && (m.color == "gray" || m.typ == "stencil"):
				color = "bilevel"
			case m.color == "index":
				color = "palette"
			case m.color == "icc":
				color = map[int]string{1: "gray", 3: "rgb", 4: "cmyk"}[m.comp]
			}
			return plan{extract: true, img: m,
				info: source.PageInfo{Width: m.width, Height: m.height, DPI: m.xppi, Color: color, Bits: m.bpc}}
		}
	}
	dpi := float64(d.b.cfg.DPI)
	w, h := int(math.Ceil(g.w*dpi/72-0.01)), int(math.Ceil(g.h*dpi/72-0.01))
	if r := ((g.rot % 360) + 360) % 360; r == 90 || r == 270 {
		w, h = h, w
	}
	info := source.PageInfo{Width: w, Height: h, DPI: d.b.cfg.DPI, Color: "gray", Bits: 8}
	if d.b.cfg.Color || colourImage(imgs) {
		info.Color = "rgb"
	}
	return plan{info: info}
}

// colourImage reports whether one of a page's images is in colour: a
// colour scan with a signature or seal drawn over it (a document signed
// for publication) is rendered in colour, so that the page keeps its
// colour version as a page that is one colour image does, and the ink
// colours in it (a blue handwritten number, a red seal) stay visible.
func colourImage(imgs []imgLine) bool {
	for _, m := range imgs {
		if m.typ != "image" {
			continue
		}
		switch {
		case m.color == "rgb", m.color == "cmyk", m.color == "index",
			m.color == "icc" && m.comp >= 3:
			return true
		}
	}
	return false
}

func near(a, b float64) bool { return b > 0 && math.Abs(a-b) <= 0.02*b+1 }

// decodeOutput decodes the one image file a tool wrote into dir.
func (d *document) decodeOutput(ctx context.Context, dir string, want source.PageInfo) (image.Image, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	if len(entries) != 1 {
		return nil, fmt.Errorf("%w: damaged PDF: the page gave %d images instead of one", source.ErrCorrupt, len(entries))
	}
	path := filepath.Join(dir, entries[0].Name())
	if ext := filepath.Ext(path); ext == ".pgm" || ext == ".ppm" {
		return readPNM(path, want)
	}
	// The tool's output is a PNG or JPEG: the pure-Go readers check its
	// header against the limits before decoding it.
	lim := d.lim
	lim.MaxFileBytes = 0
	doc, err := (&source.Opener{Limits: lim}).Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer doc.Close()
	img, _, err := doc.Decode(ctx, 0)
	return img, err
}

// readPNM reads pdftoppm's binary PGM or PPM output.
func readPNM(path string, want source.PageInfo) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var magic string
	var w, h, maxval int
	if _, err := fmt.Fscan(br, &magic, &w, &h, &maxval); err != nil || maxval != 255 {
		return nil, fmt.Errorf("%w: damaged PDF: the renderer's output cannot be read", source.ErrCorrupt)
	}
	if _, err := br.ReadByte(); err != nil {
		return nil, err
	}
	// The renderer may round the size a pixel either way.
	if abs(w-want.Width) > 2 || abs(h-want.Height) > 2 {
		return nil, fmt.Errorf("%w: the PDF page could not be rendered at %dx%d pixels (the renderer gave %dx%d; it may have run out of memory)",
			source.ErrCorrupt, want.Width, want.Height, w, h)
	}
	var img image.Image
	var pix []byte
	switch magic {
	case "P5":
		g := image.NewGray(image.Rect(0, 0, w, h))
		img, pix = g, g.Pix
	case "P6":
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		img = m
		row := make([]byte, 3*w)
		for y := range h {
			if _, err := io.ReadFull(br, row); err != nil {
				return nil, fmt.Errorf("%w: damaged PDF: the renderer's output is cut short", source.ErrCorrupt)
			}
			out := m.Pix[y*m.Stride:]
			for x := range w {
				out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = row[3*x], row[3*x+1], row[3*x+2], 255
			}
		}
		return img, nil
	default:
		return nil, fmt.Errorf("%w: damaged PDF: the renderer wrote %q", source.ErrCorrupt, magic)
	}
	if _, err := io.ReadFull(br, pix); err != nil {
		return nil, fmt.Errorf("%w: damaged PDF: the renderer's output is cut short", source.ErrCorrupt)
	}
	return img, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// geometry reads the size and rotation of pages first..last.
func (d *document) geometry(ctx context.Context, first, last int) ([]pageGeom, error) {
	out, err := d.b.run(ctx, "", d.b.pdfinfo, "-f", strconv.Itoa(first), "-l", strconv.Itoa(last), d.path)
	if err != nil {
		return nil, err
	}
	geo := make([]pageGeom, last-first+1)
	seen := make([]bool, len(geo))
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		// "Page    1 size: 595.276 x 841.89 pts (A4)", "Page    1 rot:  90"
		if len(f) < 4 || f[0] != "Page" {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < first || n > last {
			continue
		}
		g := &geo[n-first]
		switch f[2] {
		case "size:":
			if len(f) >= 6 && f[4] == "x" {
				g.w, _ = strconv.ParseFloat(f[3], 64)
				g.h, _ = strconv.ParseFloat(f[5], 64)
				seen[n-first] = g.w > 0 && g.h > 0
			}
		case "rot:":
			g.rot, _ = strconv.Atoi(f[3])
		}
	}
	for k, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("%w: damaged PDF: page %d has no size", source.ErrCorrupt, first+k)
		}
	}
	return geo, nil
}

// images lists the images drawn on pages first..last, by page. A PDF whose
// owner forbids copying images gets an empty list (its pages are rendered).
func (d *document) images(ctx context.Context, first, last int) (map[int][]imgLine, error) {
	out, err := d.b.run(ctx, "", d.b.pdfimages, "-list", "-f", strconv.Itoa(first), "-l", strconv.Itoa(last), d.path)
	var te *toolError
	if errors.As(err, &te) && te.code == 3 {
		return map[int][]imgLine{}, nil // copying not allowed
	}
	if err != nil {
		return nil, err
	}
	imgs := map[int][]imgLine{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 14 {
			continue
		}
		page, err := strconv.Atoi(f[0])
		if err != nil {
			continue // the heading
		}
		m := imgLine{page: page, typ: f[2], color: f[5], enc: f[8]}
		m.width, _ = strconv.Atoi(f[3])
		m.height, _ = strconv.Atoi(f[4])
		m.comp, _ = strconv.Atoi(f[6])
		m.bpc, _ = strconv.Atoi(f[7])
		m.xppi, _ = strconv.Atoi(f[12])
		m.yppi, _ = strconv.Atoi(f[13])
		imgs[page] = append(imgs[page], m)
	}
	return imgs, nil
}

func parseInfo(out []byte) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

// toolError is a tool that exited with an error code.
type toolError struct {
	code   int
	stderr string
}

func (e *toolError) Error() string { return fmt.Sprintf("exit %d: %s", e.code, e.stderr) }

// maxOutput bounds what a tool may print (a list of millions of images is
// an attack, not a document).
const maxOutput = 32 << 20

// run runs a tool under the limits and returns its standard output. Its
// errors are sentences about the PDF (wrapping source.ErrCorrupt) except a
// cancelled ctx, which is returned as is.
func (b *Backend) run(parent context.Context, dir, tool string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(parent, b.cfg.Timeout)
	defer cancel()
	cpu := int(b.cfg.Timeout.Seconds()) + 1
	var cmd *exec.Cmd
	if b.prlimit != "" {
		cmd = exec.CommandContext(ctx, b.prlimit,
			append([]string{"--as=" + strconv.FormatInt(b.cfg.MaxMemory, 10), "--cpu=" + strconv.Itoa(cpu),
				"--fsize=" + strconv.FormatInt(maxFile, 10), "--core=0", "--", tool}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, "/bin/sh", append([]string{"-c",
			fmt.Sprintf(`ulimit -v %d -t %d -f %d -c 0 && exec "$0" "$@"`, b.cfg.MaxMemory>>10, cpu, maxFile>>9), tool}, args...)...)
	}
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr capped
	stdout.max, stderr.max = maxOutput, 64<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil && stdout.over {
		return nil, fmt.Errorf("%w: damaged PDF: %s printed more than %d MiB (a hostile file?)", source.ErrCorrupt, filepath.Base(tool), maxOutput>>20)
	}
	if err == nil {
		return stdout.Bytes(), nil
	}
	name := filepath.Base(tool)
	msg := firstError(stderr.String())
	switch {
	case parent.Err() != nil:
		return nil, parent.Err() // shutting down, or the task's own deadline: not the PDF's fault
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%w: the PDF took longer than %s to read (%s); it may be damaged or built to stall readers",
			source.ErrCorrupt, b.cfg.Timeout, name)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return nil, fmt.Errorf("run %s: %w", name, err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return nil, fmt.Errorf("%w: damaged PDF: the reader (%s) crashed on it (%s) or ran out of its %d MiB of memory",
			source.ErrCorrupt, name, ws.Signal(), b.cfg.MaxMemory>>20)
	}
	code := ee.ExitCode()
	switch {
	case strings.Contains(msg, "error while loading shared libraries"):
		return nil, fmt.Errorf("run %s: %s", name, msg) // the worker's set-up, not the PDF: retried

	case strings.Contains(strings.ToLower(stderr.String()), "incorrect password"):
		return nil, fmt.Errorf("%w: encrypted PDF: the file is password protected; remove the password and upload it again", source.ErrCorrupt)
	case code == 3:
		return nil, &toolError{code: code, stderr: msg}
	case strings.Contains(msg, "std::bad_alloc"), strings.Contains(msg, "Out of memory"):
		return nil, fmt.Errorf("%w: damaged PDF: reading it needs more than the %d MiB allowed", source.ErrCorrupt, b.cfg.MaxMemory>>20)
	case msg == "":
		msg = fmt.Sprintf("%s failed (exit %d)", name, code)
	}
	return nil, fmt.Errorf("%w: damaged PDF: %s (the file may be cut short, altered, or not really a PDF); upload it again", source.ErrCorrupt, msg)
}

// maxFile bounds each file a tool writes (RLIMIT_FSIZE): a 200-megapixel
// page of 16-bit RGB is 1.2 GB.
const maxFile = 2 << 30

// firstError picks the most telling line of a tool's error output:
// "Syntax Error: Couldn't find trailer dictionary" -> "couldn't find
// trailer dictionary".
func firstError(stderr string) string {
	var best string
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		for _, p := range []string{"Syntax Error: ", "Syntax Error (", "Internal Error: ", "Command Line Error: ", "I/O Error: ", "Syntax Warning: "} {
			if strings.HasPrefix(line, p) {
				if p == "Syntax Error (" {
					if i := strings.Index(line, "): "); i > 0 {
						line = line[i+3:]
					}
				} else {
					line = strings.TrimPrefix(line, p)
				}
				break
			}
		}
		if best == "" || strings.Contains(line, "password") {
			best = line
		}
	}
	if len(best) > 200 {
		best = best[:200] + "..."
	}
	if best != "" {
		best = strings.ToLower(best[:1]) + best[1:]
	}
	return best
}

// capped is a buffer that stops growing at max bytes.
type capped struct {
	bytes.Buffer
	max  int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	n := len(p)
	if c.Len()+len(p) > c.max {
		c.over = true
		p = p[:max(0, c.max-c.Len())]
	}
	c.Buffer.Write(p)
	return n, nil
}
