package tesseract

/*
#cgo LDFLAGS: -ltesseract -llept
#include <stdlib.h>
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>

// sohoa_read_pix decodes an image (any format Leptonica reads) and gives it
// a resolution when the file records none, so OSD does not guess.
static struct Pix *sohoa_read_pix(const void *data, size_t n, int dpi) {
	struct Pix *pix = pixReadMem((const l_uint8 *)data, n);
	if (pix != NULL && dpi > 0 && pixGetXRes(pix) <= 0) {
		pixSetResolution(pix, dpi, dpi);
	}
	return pix;
}

static void sohoa_destroy_pix(struct Pix *pix) { pixDestroy(&pix); }
*/
import "C"

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"unsafe"

	"github.com/sohoa/sohoa/ocr"
)

var (
	_ ocr.OrientationDetector = (*OSD)(nil)
	_ ocr.OrientationDetector = (*OSDPool)(nil)
)

// OSDConfig configures an orientation detector. The zero value uses the
// system's tessdata, classifies 20 characters and assumes 300 dpi for
// images that record no resolution.
type OSDConfig struct {
	// TessdataPrefix overrides where osd.traineddata is found.
	TessdataPrefix string
	// DefaultDPI is assumed when the image has no resolution. Default 300.
	DefaultDPI int
	// MinCharacters is how many characters OSD classifies before it may
	// stop (Tesseract's min_characters_to_try, 50 in Tesseract). Default
	// 20: twice as fast (0.09 s against 0.17 s on an A4 page at 150 dpi)
	// and, on 312 test pages turned four ways, no less often right;
	// confidences come out about half as large. cleanup's thresholds are
	// set for 20.
	MinCharacters int
}

// OSD is Tesseract's orientation and script detection (the legacy "osd"
// model) through Tesseract's C API. It is not safe for concurrent use:
// keep one per goroutine, or share an OSDPool.
//
// Sign convention (as ocr.Orientation): Degrees is how far the page is
// turned clockwise from upright, so turning the image by -Degrees (counter-
// clockwise) makes it upright. A page whose text runs top to bottom (turned
// a quarter clockwise) is 90. This is the "Orientation in degrees" of
// `tesseract --psm 0`, not its "Rotate" line (the clockwise turn that
// fixes the page, (360 - Degrees) mod 360).
//
// OSD's confidence is the margin between the best and second-best
// orientation and grows with the characters classified. With 20, right
// answers ranged from under 1 to 12 and wrong ones (tables of numbers,
// 4-up transcripts, small text) reached 2.6, so no threshold alone
// separates them; cleanup weighs it against the page's own text lines.
// With too few characters it reports 0 degrees with confidence 0.
type OSD struct {
	api *C.TessBaseAPI
	dpi int
}

// NewOSD starts a detector, loading osd.traineddata (about 50 ms).
func NewOSD(cfg OSDConfig) (*OSD, error) {
	if err := CheckLanguages([]string{"osd"}, cfg.TessdataPrefix); err != nil {
		return nil, err
	}
	if cfg.DefaultDPI == 0 {
		cfg.DefaultDPI = 300
	}
	if cfg.MinCharacters == 0 {
		cfg.MinCharacters = 20
	}
	api := C.TessBaseAPICreate()
	if api == nil {
		return nil, fmt.Errorf("%w: tesseract osd: cannot create an API handle", ocr.ErrNoEngine)
	}
	var prefix *C.char
	if cfg.TessdataPrefix != "" {
		prefix = C.CString(cfg.TessdataPrefix)
		defer C.free(unsafe.Pointer(prefix))
	}
	lang := C.CString("osd")
	defer C.free(unsafe.Pointer(lang))
	if C.TessBaseAPIInit3(api, prefix, lang) != 0 {
		C.TessBaseAPIDelete(api)
		return nil, fmt.Errorf("%w: tesseract osd: initialisation failed", ocr.ErrNoEngine)
	}
	C.TessBaseAPISetPageSegMode(api, C.PSM_OSD_ONLY)
	setVar(api, "debug_file", os.DevNull) // "Too few characters" and resolution warnings
	setVar(api, "min_characters_to_try", strconv.Itoa(cfg.MinCharacters))
	return &OSD{api: api, dpi: cfg.DefaultDPI}, nil
}

func setVar(api *C.TessBaseAPI, name, value string) {
	n, v := C.CString(name), C.CString(value)
	C.TessBaseAPISetVariable(api, n, v)
	C.free(unsafe.Pointer(n))
	C.free(unsafe.Pointer(v))
}

// DetectOrientation finds the quarter turn of an encoded page image (any
// format Leptonica reads: PNG, PNM, TIFF, JPEG). A page with too little
// text gives Orientation{} and no error. Pass a copy at about 150 dpi:
// OSD was as often right there as at 300 dpi and 1.7 times faster (0.17 s
// against 0.29 s with 50 characters); at 75 dpi it errs.
func (o *OSD) DetectOrientation(ctx context.Context, img []byte) (ocr.Orientation, error) {
	if err := ctx.Err(); err != nil {
		return ocr.Orientation{}, err
	}
	if o.api == nil {
		return ocr.Orientation{}, fmt.Errorf("tesseract osd: closed")
	}
	if len(img) == 0 {
		return ocr.Orientation{}, fmt.Errorf("tesseract osd: empty image")
	}
	pix := C.sohoa_read_pix(unsafe.Pointer(&img[0]), C.size_t(len(img)), C.int(o.dpi))
	if pix == nil {
		return ocr.Orientation{}, fmt.Errorf("tesseract osd: cannot decode the image")
	}
	defer C.sohoa_destroy_pix(pix)
	C.TessBaseAPISetImage2(o.api, pix)
	defer C.TessBaseAPIClear(o.api)
	var (
		deg        C.int
		conf, sc   C.float
		scriptName *C.char // points into the model's character set: not to be freed
	)
	if C.TessBaseAPIDetectOrientationScript(o.api, &deg, &conf, &scriptName, &sc) == 0 {
		return ocr.Orientation{}, nil // too few characters to tell
	}
	out := ocr.Orientation{Degrees: int(deg), Confidence: float64(conf)}
	if scriptName != nil {
		out.Script = C.GoString(scriptName)
	}
	return out, nil
}

// Close frees the Tesseract instance. The OSD cannot be used afterwards.
func (o *OSD) Close() error {
	if o.api != nil {
		C.TessBaseAPIEnd(o.api)
		C.TessBaseAPIDelete(o.api)
		o.api = nil
	}
	return nil
}

// OSDPool is an orientation detector that is safe for concurrent use: it
// hands each call an idle OSD, starting a new one when all are busy, so
// it can sit in a configuration shared by every worker goroutine (such as
// cleanup.Options). It keeps at most as many instances as calls ever ran
// at once.
type OSDPool struct {
	cfg OSDConfig

	mu     sync.Mutex
	idle   []*OSD
	closed bool
}

// NewOSDPool makes a pool and starts one detector to check that
// osd.traineddata is installed.
func NewOSDPool(cfg OSDConfig) (*OSDPool, error) {
	o, err := NewOSD(cfg)
	if err != nil {
		return nil, err
	}
	return &OSDPool{cfg: cfg, idle: []*OSD{o}}, nil
}

// DetectOrientation runs OSD.DetectOrientation on an idle detector.
func (p *OSDPool) DetectOrientation(ctx context.Context, img []byte) (ocr.Orientation, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ocr.Orientation{}, fmt.Errorf("tesseract osd: pool closed")
	}
	var o *OSD
	if n := len(p.idle); n > 0 {
		o, p.idle = p.idle[n-1], p.idle[:n-1]
	}
	p.mu.Unlock()
	if o == nil {
		var err error
		if o, err = NewOSD(p.cfg); err != nil {
			return ocr.Orientation{}, err
		}
	}
	res, err := o.DetectOrientation(ctx, img)
	p.mu.Lock()
	if p.closed {
		o.Close()
	} else {
		p.idle = append(p.idle, o)
	}
	p.mu.Unlock()
	return res, err
}

// Close frees the idle detectors; calls still running free theirs when
// they finish.
func (p *OSDPool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, o := range p.idle {
		o.Close()
	}
	p.idle = nil
	return nil
}
