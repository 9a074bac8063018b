// Package tesseract is the ocr.Engine on Tesseract, through gosseract. It
// is the only package (with ocr/source/leptonica) that uses cgo.
//
// Tesseract parallelises one page over OpenMP threads unless
// OMP_THREAD_LIMIT=1 is set before the process starts; on a busy farm that
// makes it several times slower, so cmd/sohoa re-executes itself with the
// variable set and a farm parallelises across pages instead (one Engine
// per worker goroutine).
package tesseract

import (
	"context"
	"fmt"
	"image"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/otiai10/gosseract/v2"

	"github.com/sohoa/sohoa/ocr"
)

var _ ocr.Engine = (*Engine)(nil)

// Config configures an Engine. The zero value means: Vietnamese then
// English, automatic page segmentation (PSM 3), 300 dpi assumed for images
// that carry no resolution, the system's tessdata.
type Config struct {
	// Languages in Tesseract's names, in priority order. Default: vie, eng.
	Languages []string
	// PSM is the page segmentation mode. Default 3 (fully automatic, as
	// the tesseract command line; gosseract's own default is 6).
	PSM int
	// DefaultDPI is assumed when the image has no resolution. Default 300.
	DefaultDPI int
	// TessdataPrefix overrides where the language models are found.
	TessdataPrefix string
	// Combined makes Tesseract read every page with all Languages at once
	// (its own multi-language mode). By default (false) a page is read with
	// the first language, and read again with all of them only when the
	// text does not look like the first language: Tesseract's combined
	// mode costs Vietnamese pages their diacritics (CER 0.015 -> 0.030
	// measured on Vietnamese pages with vie+eng; docs/benchmarks.md).
	Combined bool
	// Whitelist, when set, is the only characters the engine may read
	// (Tesseract's tessedit_char_whitelist): "0123456789" reads a
	// handwritten number again as digits.
	Whitelist string
}

func (c Config) withDefaults() Config {
	if len(c.Languages) == 0 {
		c.Languages = []string{"vie", "eng"}
	}
	if c.PSM == 0 {
		c.PSM = 3
	}
	if c.DefaultDPI == 0 {
		c.DefaultDPI = 300
	}
	return c
}

// Engine is one Tesseract instance. It is not safe for concurrent use.
type Engine struct {
	cfg     Config
	primary *gosseract.Client // first language (all of them if Combined)
	name    string
}

// New starts an engine, checking that the language models are installed.
func New(cfg Config) (*Engine, error) {
	cfg = cfg.withDefaults()
	if err := CheckLanguages(cfg.Languages, cfg.TessdataPrefix); err != nil {
		return nil, err
	}
	langs := cfg.Languages
	if !cfg.Combined {
		langs = langs[:1]
	}
	c, err := newClient(cfg, langs)
	if err != nil {
		return nil, err
	}
	return &Engine{cfg: cfg, primary: c, name: "tesseract " + Version()}, nil
}

func newClient(cfg Config, langs []string) (*gosseract.Client, error) {
	c := gosseract.NewClient()
	if cfg.TessdataPrefix != "" {
		if err := c.SetTessdataPrefix(cfg.TessdataPrefix); err != nil {
			c.Close()
			return nil, fmt.Errorf("%w: %v", ocr.ErrNoEngine, err)
		}
	}
	if err := c.SetLanguage(langs...); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w: %v", ocr.ErrNoEngine, err)
	}
	// SetPageSegMode before the first recognition is lost when gosseract
	// initialises the API; a variable is applied after Init.
	_ = c.SetVariable("tessedit_pageseg_mode", strconv.Itoa(cfg.PSM))
	_ = c.SetVariable("user_defined_dpi", strconv.Itoa(cfg.DefaultDPI))
	_ = c.SetVariable("debug_file", os.DevNull)
	if cfg.Whitelist != "" {
		_ = c.SetVariable("tessedit_char_whitelist", cfg.Whitelist)
	}
	if err := warmUp(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w: %v", ocr.ErrNoEngine, err)
	}
	return c, nil
}

// initMu serialises gosseract's Init. It silences Tesseract by pointing
// file descriptor 2 at /dev/null and puts it back with dup2 when done;
// two Inits at once interleave those steps and can leave the whole
// process's stderr on /dev/null for good (seen here: every log line
// after the engines started was lost, intermittently).
var initMu sync.Mutex

// warmUp makes gosseract initialise the engine now, under initMu, by
// reading a blank 16x16 image (gosseract initialises lazily, on the
// first recognition, and again only when languages change).
func warmUp(c *gosseract.Client) error {
	blank := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	png, err := ocr.EncodePNG(blank, 300, true)
	if err != nil {
		return err
	}
	initMu.Lock()
	defer initMu.Unlock()
	if err := c.SetImageFromBytes(png); err != nil {
		return err
	}
	_, err = c.Text()
	return err
}

// Name is "tesseract <version>".
func (e *Engine) Name() string { return e.name }

// Recognize runs OCR on an encoded image (PNG, TIFF, JPEG, PNM: whatever
// Leptonica reads). The PNG's pHYs resolution is honoured; without one the
// configured DefaultDPI is used.
func (e *Engine) Recognize(ctx context.Context, img []byte) (*ocr.Page, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(img) == 0 {
		return nil, fmt.Errorf("tesseract: empty image")
	}
	dpi := ocr.PNGDPI(img)
	if dpi == 0 {
		dpi = e.cfg.DefaultDPI
	}
	langs := e.cfg.Languages
	if !e.cfg.Combined {
		langs = langs[:1]
	}
	p, err := recognize(e.primary, img, dpi, langs)
	if err != nil || e.cfg.Combined || len(e.cfg.Languages) == 1 || LooksLike(p, e.cfg.Languages[0]) {
		return p, err
	}
	// The page is not in the first language: read it with all of them.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A fresh client each time: Tesseract's multi-language mode tries the
	// language that won the previous word first, so a reused client's
	// output would depend on the pages it read before; a page must read the
	// same whatever came before it (a retried page, another worker).
	combined, err := newClient(e.cfg, e.cfg.Languages)
	if err != nil {
		return nil, err
	}
	p2, err := recognize(combined, img, dpi, e.cfg.Languages)
	combined.Close()
	if err != nil {
		return nil, err
	}
	// Keep the second reading unless it is clearly less sure of itself.
	if len(p2.Words()) > 0 && p2.MeanConfidence() >= p.MeanConfidence()-5 {
		return p2, nil
	}
	return p, nil
}

// recognize runs one recognition. hOCR carries the words, boxes and
// confidences; the text and everything else is derived from it, so the
// page is recognised once.
func recognize(c *gosseract.Client, img []byte, dpi int, langs []string) (*ocr.Page, error) {
	// user_defined_dpi overrides a wrong or missing resolution; set it per
	// page to what the image says.
	_ = c.SetVariable("user_defined_dpi", strconv.Itoa(dpi))
	if err := c.SetImageFromBytes(img); err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	h, err := c.HOCRText()
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	p, err := ocr.ParseHOCR(strings.NewReader(h))
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	p.DPI = dpi
	p.Langs = strings.Join(langs, "+")
	return p, nil
}

// Close frees the Tesseract instance.
func (e *Engine) Close() error { return e.primary.Close() }

var (
	versionOnce sync.Once
	version     string
)

// Version is Tesseract's version, e.g. "5.3.0".
func Version() string {
	versionOnce.Do(func() { version = gosseract.Version() })
	return version
}

var (
	langsOnce sync.Once
	langs     []string
	langsErr  error
)

// systemLanguages lists the installed models once: gosseract asks
// Tesseract's C API for the data path, which is not safe to call from
// several goroutines at once (engines start concurrently).
func systemLanguages() ([]string, error) {
	langsOnce.Do(func() { langs, langsErr = gosseract.GetAvailableLanguages() })
	return langs, langsErr
}

// CheckLanguages reports a clear error when a language model is missing.
func CheckLanguages(langs []string, prefix string) error {
	var have []string
	if prefix != "" {
		entries, err := os.ReadDir(prefix)
		if err != nil {
			return fmt.Errorf("%w: tessdata %s: %v", ocr.ErrNoEngine, prefix, err)
		}
		for _, e := range entries {
			if n, ok := strings.CutSuffix(e.Name(), ".traineddata"); ok {
				have = append(have, n)
			}
		}
	} else {
		var err error
		have, err = systemLanguages()
		if err != nil {
			return fmt.Errorf("%w: list Tesseract languages: %v", ocr.ErrNoEngine, err)
		}
	}
	for _, l := range langs {
		if !slices.Contains(have, l) {
			return fmt.Errorf("%w: Tesseract language %q is not installed (have %s; on Debian: apt-get install tesseract-ocr-%s)",
				ocr.ErrNoEngine, l, strings.Join(have, ", "), l)
		}
	}
	return nil
}
