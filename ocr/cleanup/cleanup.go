// Package cleanup prepares scanned page images for OCR and the archive:
// greyscale, dark scanner borders cropped, uneven light and paper tone
// divided out, quarter turns (through an ocr.OrientationDetector) and skew
// corrected, a working resolution chosen from the measured text size when
// the file's own is missing or wrong, specks removed, blank pages flagged.
// It records every decision so a page's record says what was done to it.
//
// It is pure Go; the orientation detector, which needs Tesseract, is
// passed in (ocr/tesseract.OSDPool).
package cleanup

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"time"

	"github.com/sohoa/sohoa/ocr"
)

// Profile selects how the OCR image is made from the cleaned page. A
// caller whose first reading is unsure (low mean word confidence) cleans
// the page again with the other profile and keeps the better reading.
type Profile string

// Profiles.
const (
	// ProfileDefault gives OCR the cleaned greyscale page (background
	// divided out, contrast stretched, light marks and specks removed):
	// Tesseract's LSTM reads it better than a binarisation (mean CER
	// against the clean original 0.001 vs 0.006 on the degraded samples).
	ProfileDefault Profile = "default"
	// ProfileAlternate gives OCR a Sauvola binarisation of the cleaned
	// page. It is worse on most pages but Tesseract lays out some pages
	// better from it (4-up transcripts, tables): retrying pages whose mean
	// word confidence is below 90 with it and keeping the more confident
	// reading took the mean CER of 63 test pages from 0.039 to 0.025,
	// retrying 2 of them.
	ProfileAlternate Profile = "alternate"
)

// Options configure Clean. Zero values take the defaults.
type Options struct {
	// TargetDPI is the resolution OCR works at. Default 300.
	TargetDPI int
	// MinDPI: pages below it are upsampled to TargetDPI. Default 130:
	// Tesseract reads 150 dpi pages as well as the same pages upsampled to
	// 300 (measured), and upsampling costs OCR time; 100 dpi pages gain.
	MinDPI int
	// MaxDPI: pages above it are downsampled to TargetDPI. Default 400.
	MaxDPI int
	// AssumeDPI is used when the file records no plausible resolution and
	// the page has too little text to measure one. Default 300.
	AssumeDPI int
	// Orientation detects pages turned by a quarter or half turn; nil
	// skips the step. Options are shared by every worker goroutine, so it
	// must be safe for concurrent use (tesseract.OSDPool is).
	Orientation ocr.OrientationDetector
	// MinOrientationConfidence is how sure the detector must be to turn a
	// page whose own text lines do not back the turn up. Default 4
	// (Tesseract OSD's scale with 20 characters; when the text agrees, 1
	// is enough). See orientation.go.
	MinOrientationConfidence float64
	// MaxSkew is how far either way skew is searched, in degrees. Default 15.
	MaxSkew float64
	// Profile selects the OCR image. Default ProfileDefault.
	Profile Profile
}

func (o Options) withDefaults() Options {
	if o.TargetDPI == 0 {
		o.TargetDPI = 300
	}
	if o.MinDPI == 0 {
		o.MinDPI = 130
	}
	if o.MaxDPI == 0 {
		o.MaxDPI = 400
	}
	if o.AssumeDPI == 0 {
		o.AssumeDPI = 300
	}
	if o.MinOrientationConfidence == 0 {
		o.MinOrientationConfidence = 4
	}
	if o.MaxSkew == 0 {
		o.MaxSkew = 15
	}
	if o.Profile == "" {
		o.Profile = ProfileDefault
	}
	return o
}

// Result is a cleaned page and what was done to it.
type Result struct {
	// Image is the cleaned greyscale page (kept in the archive): cropped,
	// upright, deskewed, background divided out.
	Image *image.Gray
	// OCRImage is what OCR should read; nil means Image.
	OCRImage *image.Gray
	// DPI of Image.
	DPI int
	// Report is what was done, for the page record.
	Report Report
	// geo is how Image was cut and turned out of the input page.
	geo geometry
}

// geometry is the crop, turn, skew and scale that made Image out of the
// input page, so the same can be done to the page's colour original.
type geometry struct {
	crop image.Rectangle // kept area, input pixels (origin at the input's Min)
	warp bool            // a resampling follows the crop
	m    affine          // output pixel -> cropped (and shrunk) input pixel
	w, h int             // output size
	k    int             // box shrink before the warp (1: none)
}

// Color cuts and turns a colour version of the input page exactly as
// Image was (same crop, orientation, skew and scale: pixel (x, y) of both
// show the same spot), with the colours untouched: no background or tone
// correction. img must be the image Clean was given. The farm keeps it
// for the archive's colour PDF (Thông tư 05/2025: colour as in the
// original); OCR and word boxes use Image.
func (r *Result) Color(img image.Image) *image.RGBA {
	g := r.geo
	rect := g.crop.Add(img.Bounds().Min)
	var out *image.RGBA
	// One channel at a time: a grey plane or two in memory beside the
	// input, not three.
	for c := range 3 {
		p := channel(img, rect, c)
		if g.warp {
			if g.k > 1 {
				p = shrink(p, g.k)
			}
			p = warp(p, g.w, g.h, g.m, 255)
		}
		w, h := p.Rect.Dx(), p.Rect.Dy()
		if out == nil {
			out = image.NewRGBA(image.Rect(0, 0, w, h))
			for i := 3; i < len(out.Pix); i += 4 {
				out.Pix[i] = 255
			}
		}
		for y := range h {
			o, src := out.Pix[y*out.Stride:], p.Pix[y*p.Stride:y*p.Stride+w]
			for x, v := range src {
				o[4*x+c] = v
			}
		}
	}
	return out
}

// channel copies channel c (0 red, 1 green, 2 blue) of img inside rect
// into a grey plane, transparency composited on white paper.
func channel(img image.Image, rect image.Rectangle, c int) *image.Gray {
	p := image.NewGray(image.Rect(0, 0, rect.Dx(), rect.Dy()))
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		row := p.Pix[(y-rect.Min.Y)*p.Stride:]
		switch src := img.(type) {
		case *image.RGBA:
			i := src.PixOffset(rect.Min.X, y)
			for x := range rect.Dx() {
				px := src.Pix[i+4*x : i+4*x+4]
				row[x] = uint8(uint32(px[c]) + 255 - uint32(px[3]))
			}
		case *image.NRGBA:
			i := src.PixOffset(rect.Min.X, y)
			for x := range rect.Dx() {
				px := src.Pix[i+4*x : i+4*x+4]
				a := uint32(px[3])
				row[x] = uint8((uint32(px[c])*a + 255*(255-a) + 127) / 255)
			}
		case *image.YCbCr:
			for x := range rect.Dx() {
				yi, ci := src.YOffset(rect.Min.X+x, y), src.COffset(rect.Min.X+x, y)
				r, g, b := color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
				row[x] = [3]uint8{r, g, b}[c]
			}
		case *image.CMYK:
			i := src.PixOffset(rect.Min.X, y)
			for x := range rect.Dx() {
				px := src.Pix[i+4*x : i+4*x+4]
				r, g, b := color.CMYKToRGB(px[0], px[1], px[2], px[3])
				row[x] = [3]uint8{r, g, b}[c]
			}
		case *image.Gray:
			copy(row[:rect.Dx()], src.Pix[src.PixOffset(rect.Min.X, y):])
		default:
			for x := range rect.Dx() {
				v := [3]uint32{}
				var a uint32
				v[0], v[1], v[2], a = img.At(rect.Min.X+x, y).RGBA()
				row[x] = uint8((v[c] + 0xffff - a) >> 8)
			}
		}
	}
	return p
}

// Report records the cleanup decisions for a page (its JSON is part of
// page.json, see docs/store-layout.md).
type Report struct {
	// SourceDPI is the resolution of the input (as recorded or guessed).
	SourceDPI      int  `json:"source_dpi"`
	SourceDPIGuess bool `json:"source_dpi_guessed,omitempty"`
	// RecordedDPI is the resolution the file said, when it was not used.
	RecordedDPI int     `json:"recorded_dpi,omitempty"`
	Scale       float64 `json:"scale"`
	// Rotation applied to make the page upright (degrees clockwise: 0, 90, 180, 270).
	Rotation int `json:"rotation"`
	// OrientationConfidence is the detector's confidence (0 if not run).
	OrientationConfidence float64 `json:"orientation_confidence,omitempty"`
	// Skew is the measured skew angle in degrees (positive = counter-clockwise), corrected.
	Skew float64 `json:"skew"`
	// Crop is the page area kept, in input pixel coordinates (after rotation).
	Crop  *[4]int `json:"crop,omitempty"`
	Blank bool    `json:"blank,omitempty"`
	// TextHeight is the typical height of a character in Image, in pixels.
	TextHeight float64 `json:"text_height,omitempty"`
	// Profile is the profile the OCR image was made with.
	Profile string `json:"profile,omitempty"`
	// Binarized says the OCR image is black and white.
	Binarized bool `json:"binarized,omitempty"`
	// Tables are the ruled tables found on the page (rule positions in
	// Image pixels, which is also the OCR image's frame), which OCR reads
	// row by row, cell by cell (ocr.ReadTables).
	Tables []ocr.Grid `json:"tables,omitempty"`
	// Steps lists each step with its duration.
	Steps []Step `json:"steps"`
}

// Step is one cleanup step.
type Step struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	Note    string  `json:"note,omitempty"`
}

// Tuning constants.
const (
	// analysisDPI is the resolution the page is analysed at (borders,
	// background, text size, skew, orientation).
	analysisDPI = 150
	// bgBlock is the background estimate's block, in analysis pixels
	// (1.4 mm at 150 dpi); bgRadius its closing radius in blocks.
	bgBlock, bgRadius = 8, 2
	// minSkew: smaller measured skew is left alone (a straight page comes
	// back untouched; Tesseract does not mind a tenth of a degree).
	minSkew = 0.2
	// textInches is the typical character height measured by textHeight
	// on body text, in inches (0.1 for 13–14 pt administrative documents,
	// 0.075 for 12 pt book and typewriter text), for guessing a resolution
	// from the text.
	textInches = 0.09
	// sheetInches is the long side of a whole sheet, between A4 (11.69)
	// and Letter (11), for guessing a resolution from a page's size.
	sheetInches = 11.35
	// Text below minTextPx (measured by textHeight) is too small for OCR
	// (Tesseract loses lines and diacritics: CER 0.10 → 0.013 on a 12 pt
	// page at 100 dpi, text 8 px, scaled by 1.5) and is scaled up to
	// upTextPx; text above maxTextPx only costs time and is scaled down to
	// downTextPx. Between them the page is left at its size: text of 9 px
	// and more read as well unscaled (150 dpi pages, a 140 dpi typewritten
	// page whose CER went from 0.010 to 0.024 when scaled up).
	minTextPx, upTextPx   = 9, 16
	maxTextPx, downTextPx = 80, 32
	// minTextComponents: a page with fewer character-like components (at
	// least 0.03 in tall, which 6 pt text is) is blank. A line of text
	// has 40 or more; specks, stains and noise that clump hardly any.
	minTextComponents = 20
	// sauvolaK is Sauvola's k for ProfileAlternate (0.34 read better than
	// the textbook 0.2 on noisy and blurred pages); the window is twice
	// the text height.
	sauvolaK = 0.34
)

// Clean cleans one page image whose recorded resolution is dpi (0 if unknown).
func Clean(ctx context.Context, img image.Image, dpi int, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	c := &cleaner{opt: opt}
	return c.clean(ctx, img, dpi)
}

type cleaner struct {
	opt Options
	rep Report
	geo geometry
	t   time.Time
}

func (c *cleaner) step(name, note string) {
	c.rep.Steps = append(c.rep.Steps, Step{Name: name, Seconds: round3(time.Since(c.t).Seconds()), Note: note})
	c.t = time.Now()
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
func round2(v float64) float64 { return math.Round(v*100) / 100 }

func (c *cleaner) clean(ctx context.Context, img image.Image, dpi int) (*Result, error) {
	c.t = time.Now()
	c.rep = Report{Scale: 1, Profile: string(c.opt.Profile)}
	g := Gray(img)
	owned := true
	if gi, ok := img.(*image.Gray); ok && gi == g {
		owned = false // the caller's pixels: never written
	}
	W, H := g.Rect.Dx(), g.Rect.Dy()
	if W < 8 || H < 8 {
		return nil, fmt.Errorf("cleanup: image too small (%dx%d)", W, H)
	}
	c.step("grayscale", "")
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Analysis copy, about 150 dpi.
	fa := analysisFactor(W, H, dpi)
	a := shrink(g, fa)
	if fa == 1 {
		a = crop(g, g.Rect)
	}
	aDPI := max(1, plausibleOr(dpi, W, H)/fa)
	box, wedges := borders(a)
	var notes []string
	cropFull := image.Rect(box.Min.X*fa, box.Min.Y*fa, min(box.Max.X*fa, W), min(box.Max.Y*fa, H))
	if box != a.Rect {
		notes = append(notes, fmt.Sprintf("cropped to %v", cropFull))
	}
	if wedges != nil {
		notes = append(notes, "whitened dark corners")
	}
	c.step("borders", strings.Join(notes, "; "))

	// Background and tone, measured on the analysis copy.
	bg := background(a, bgBlock, bgRadius)
	fl := &flattener{bg: bg, scale: bgBlock, tone: identityTone, mask: wedges, maskScale: 1}
	fl.flatten(a, a, a.Rect)
	applyTone(a, pickTone(histogram(a, box), 0).lut)
	whitenOutside(a, box)
	c.step("background", "")
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Text: size, blank page, line direction.
	l := label(a, box, 128)
	th, nText := l.textHeight(false)
	blank := l.characters(max(4, int32(0.03*float64(aDPI)))) < minTextComponents
	c.rep.Blank = blank
	note := fmt.Sprintf("%d characters, height %.0f px at %d dpi", nText, th, aDPI)
	if blank {
		note = fmt.Sprintf("blank (%d character-like marks)", nText)
	}
	c.step("text", note)

	// Orientation.
	rot := 0
	if c.opt.Orientation != nil && !blank {
		var err error
		if rot, err = c.orientation(ctx, a, box, l, th, aDPI); err != nil {
			return nil, err
		}
	}
	c.rep.Rotation = rot
	if rot == 90 || rot == 270 {
		th, _ = l.textHeight(true) // characters lie on their side
	}

	// Skew, in the upright frame.
	bw, bh := box.Dx(), box.Dy()
	uw, uh := bw, bh
	if rot == 90 || rot == 270 {
		uw, uh = bh, bw
	}
	skew := 0.0
	var pts []point
	if !blank {
		pts = l.basePoints(th, uprightTurn(box, rot, uw, uh))
		measured, _ := findSkew(pts, uw, uh, c.opt.MaxSkew)
		note := fmt.Sprintf("measured %.2f°", measured)
		if math.Abs(measured) >= minSkew {
			skew = math.Round(measured*100) / 100
		} else {
			note += ", left alone"
		}
		c.step("skew", note)
	}
	c.rep.Skew = skew
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Resolution.
	src, guessed, scale, outDPI := c.resolution(dpi, W, H, th*float64(fa), nText)
	c.rep.SourceDPI, c.rep.SourceDPIGuess = src, guessed
	if guessed && dpi > 0 {
		c.rep.RecordedDPI = dpi
	}
	c.rep.Scale = round3(scale)
	if th > 0 {
		c.rep.TextHeight = math.Round(th * float64(fa) * scale)
	}
	c.geo = geometry{crop: cropFull, k: 1}
	if r := cropFull; r != g.Rect {
		q := turnRect(r, rot, W, H)
		c.rep.Crop = &[4]int{q.Min.X, q.Min.Y, q.Max.X, q.Max.Y}
	}

	// Full resolution: flatten the kept area, then one resampling for the
	// turn, the skew and the scale together.
	var f *image.Gray
	if owned && cropFull.Min == (image.Point{}) {
		f = g
	} else {
		f = image.NewGray(image.Rect(0, 0, cropFull.Dx(), cropFull.Dy()))
	}
	fl.scale, fl.maskScale, fl.hist = float64(bgBlock*fa), fa, new([256]int)
	fl.flatten(f, g, cropFull)
	if f == g && cropFull != g.Rect {
		f = crop(g, image.Rect(0, 0, cropFull.Dx(), cropFull.Dy()))
	}
	g = nil
	// The tone at full resolution, where noise and anti-aliasing are what
	// OCR will see; the text height is measured at the analysis copy.
	tone := pickTone(fl.hist, th*float64(fa))
	if tone.lo != 0 || tone.hi < 255 {
		applyTone(f, tone.lut)
	}
	c.step("flatten", fmt.Sprintf("ink %d→0, paper from %d→255 (noise %.1f)", tone.lo, tone.hi, tone.noise))
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	if rot != 0 || skew != 0 || scale != 1 {
		f = c.transform(f, rot, skew, scale, pts, float64(fa))
		c.step("transform", fmt.Sprintf("turn %d°, skew %.2f°, scale %.3f", rot, skew, scale))
	}

	res := &Result{Image: f, DPI: outDPI, geo: c.geo}
	if !blank {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c.ocrImage(res, c.rep.TextHeight)
		ocrImg := res.OCRImage
		if ocrImg == nil {
			ocrImg = res.Image
		}
		c.rep.Tables = findTables(ocrImg, c.rep.TextHeight)
		if len(c.rep.Tables) > 0 {
			// OCR reads the cells without their rules (a rule read as
			// "|" or "_", or making the engine lose a cell's words); the
			// archive image keeps them.
			if res.OCRImage == nil {
				res.OCRImage = image.NewGray(res.Image.Rect)
				copy(res.OCRImage.Pix, res.Image.Pix)
			}
			eraseRules(res.OCRImage, c.rep.Tables, max(2, int(c.rep.TextHeight/6)))
		}
		c.step("tables", fmt.Sprintf("%d ruled tables", len(c.rep.Tables)))
	}
	res.Report = c.rep
	return res, nil
}

// analysisFactor is the integer reduction that brings the page to about
// analysisDPI.
func analysisFactor(w, h, dpi int) int {
	d := plausibleOr(dpi, w, h)
	return max(1, int(math.Round(float64(d)/analysisDPI)))
}

// plausibleOr is dpi if a w×h page at that resolution has the size of a
// document (at most A3 and a bit), else a resolution guessed from the
// page's long side as if it were A4.
func plausibleOr(dpi, w, h int) int {
	if plausibleDPI(dpi, w, h) {
		return dpi
	}
	return max(72, int(float64(max(w, h))/11.7))
}

func plausibleDPI(dpi, w, h int) bool {
	return dpi >= 50 && dpi <= 2400 && float64(max(w, h))/float64(dpi) <= 18
}

// resolution decides the input's resolution (src, guessed when the file
// records none or an implausible one) and the scale OCR works at (out is
// the resolution after scaling). textPx is the measured text height in
// input pixels, from nText characters.
//
// A recorded resolution is trusted when the page has the size of a
// document at it, or, for a large page at 100 dpi or more (a map, a
// newspaper), its text a normal size; the page is then resampled
// to TargetDPI when below MinDPI or above MaxDPI. Otherwise the
// resolution is guessed: from the page's size as if it were a whole A4
// or Letter sheet, when that agrees with its text size (textInches,
// which varies with the type: 10 pt typewriting reads 30% low, 14 pt
// print 10% high), else from the text alone. The guess matters:
// Tesseract lays out some pages very differently at 240 and 310 dpi. The
// page is resampled only when its text is too small for OCR (below
// minTextPx) or far larger than it needs.
func (c *cleaner) resolution(dpi, w, h int, textPx float64, nText int) (src int, guessed bool, scale float64, out int) {
	fromText := 0
	if nText >= 50 && textPx > 0 {
		fromText = int(math.Round(textPx/textInches/10)) * 10
	}
	trusted := plausibleDPI(dpi, w, h) ||
		dpi >= 100 && fromText > 0 && float64(fromText) < 1.6*float64(dpi) && float64(dpi) < 1.6*float64(fromText)
	if trusted {
		if dpi < c.opt.MinDPI || dpi > c.opt.MaxDPI {
			return dpi, false, float64(c.opt.TargetDPI) / float64(dpi), c.opt.TargetDPI
		}
		return dpi, false, 1, dpi
	}
	if fromText == 0 {
		return c.opt.AssumeDPI, true, 1, c.opt.AssumeDPI
	}
	src = fromText
	if fromSheet := int(math.Round(float64(max(w, h)) / sheetInches)); float64(fromSheet) < 1.45*float64(fromText) && float64(fromText) < 1.45*float64(fromSheet) {
		src = fromSheet
	}
	scale = 1
	switch {
	case textPx < minTextPx:
		scale = upTextPx / textPx
	case textPx > maxTextPx:
		scale = downTextPx / textPx
	}
	return src, true, scale, int(math.Round(float64(src) * scale))
}

// tone is the curve that makes the flattened page black on white.
type tone struct {
	lo, hi int     // ink level (to black), paper level (to white)
	noise  float64 // paper noise, standard deviation in grey levels
	lut    *[256]uint8
}

// pickTone chooses the tone curve from the flattened page's histogram and
// its text height in pixels (0: unknown, taken as normal).
//
// The ink level is the darker tenth of the ink (Otsu's dark class); ink
// that is black already is left alone. The paper level decides what light
// marks become white: a clean page keeps its anti-aliasing (OCR reads the
// grey levels), so nothing is clipped unless there is more light grey
// than anti-aliasing makes — bleed-through, stain rims, foxing — when the
// clip goes to 90% of the way from ink to paper (where the back page's
// print ends up), and on noisy paper to 4 standard deviations below its
// median. Small text at low resolution is never clipped by the first rule:
// its strokes are mostly anti-aliasing.
func pickTone(h *[256]int, textH float64) tone {
	ink := otsu(h)
	t := tone{lo: min(percentile(h, 0.1, ink), 160)}
	if t.lo <= 24 {
		t.lo = 0
	}
	R := float64(255 - t.lo)
	// Anti-aliasing spreads evenly between ink and paper; light marks
	// crowd the upper part of the range.
	density := func(a, b float64) float64 {
		n := 0
		for v := t.lo + int(a*R); v < t.lo+int(b*R); v++ {
			n += h[v]
		}
		return float64(n) / (b - a)
	}
	light := density(0.6, 0.92) / max(density(0.3, 0.6), 1)
	clip := min(max((light-1.5)/1, 0), 1) // 0 for a clean page, 1 with bleed-through
	if textH > 0 {
		clip *= min(max((textH-16)/8, 0), 1)
	}
	t.hi = t.lo + int(R*(1-0.1*clip))
	// Paper noise from the spread of the light class below its median.
	med, q25 := percentileAbove(h, 0.5, ink), percentileAbove(h, 0.25, ink)
	t.noise = float64(med-q25) / 0.674
	if t.noise > 0 {
		t.hi = min(t.hi, med-int(4*t.noise))
	}
	t.hi = max(t.hi, t.lo+int(R*0.75))
	t.lut = toneCurve(t.lo, t.hi)
	return t
}

// percentileAbove is percentile over the values from lo up.
func percentileAbove(h *[256]int, p float64, lo int) int {
	total := 0
	for v := lo; v < 256; v++ {
		total += h[v]
	}
	need, n := int(p*float64(total)), 0
	for v := lo; v < 256; v++ {
		n += h[v]
		if n > need {
			return v
		}
	}
	return 255
}

// applyTone maps every pixel of g through tone, in place.
func applyTone(g *image.Gray, tone *[256]uint8) {
	for y := range g.Rect.Dy() {
		row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
		for x, v := range row {
			row[x] = tone[v]
		}
	}
}

// whitenOutside sets everything outside r to white.
func whitenOutside(g *image.Gray, r image.Rectangle) {
	w := g.Rect.Dx()
	for y := range g.Rect.Dy() {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		if y < r.Min.Y || y >= r.Max.Y {
			for x := range row {
				row[x] = 255
			}
			continue
		}
		for x := 0; x < r.Min.X; x++ {
			row[x] = 255
		}
		for x := r.Max.X; x < w; x++ {
			row[x] = 255
		}
	}
}

// turnRect is r (in a w×h image) in the coordinates of that image turned
// upright, i.e. turned rot degrees counter-clockwise.
func turnRect(r image.Rectangle, rot, w, h int) image.Rectangle {
	switch rot {
	case 90: // upright (u, v) sits at (h-1-v, u) of the input
		return image.Rect(r.Min.Y, w-r.Max.X, r.Max.Y, w-r.Min.X)
	case 180:
		return image.Rect(w-r.Max.X, h-r.Max.Y, w-r.Min.X, h-r.Min.Y)
	case 270: // upright (u, v) sits at (v, w-1-u)
		return image.Rect(h-r.Max.Y, r.Min.X, h-r.Min.Y, r.Max.X)
	}
	return r
}

// uprightTurn maps coordinates of the analysis copy into the frame of
// the kept box turned upright (uw×uh).
func uprightTurn(box image.Rectangle, rot, uw, uh int) func(x, y float32) (float32, float32) {
	W, H := float32(uw-1), float32(uh-1)
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	return func(x, y float32) (float32, float32) {
		x, y = x-ox, y-oy
		switch rot {
		case 90: // turned (x, y) = (H-v, u)
			x, y = y, H-x
		case 180:
			x, y = W-x, H-y
		case 270: // turned (x, y) = (v, W-u)
			x, y = W-y, x
		}
		return x, y
	}
}

// transform turns f upright, corrects the skew and scales it, in one
// bilinear resampling onto a white page. The page keeps its size unless
// the straightened text would not fit (pts, upright analysis-frame ink,
// fa full pixels per analysis pixel).
func (c *cleaner) transform(f *image.Gray, rot int, skew, scale float64, pts []point, fa float64) *image.Gray {
	fw, fh := f.Rect.Dx(), f.Rect.Dy()
	uw, uh := fw, fh
	if rot == 90 || rot == 270 {
		uw, uh = fh, fw
	}
	// Half-extent of the straightened ink about the page centre.
	cx, cy := float64(uw-1)/2, float64(uh-1)/2
	needX, needY := float64(uw)/2, float64(uh)/2
	if skew != 0 {
		inv := rotation(-skew)
		for i := 0; i < len(pts); i += 8 {
			x, y := inv.apply(float64(pts[i].x)*fa-cx, float64(pts[i].y)*fa-cy)
			needX = max(needX, math.Abs(x)+fa*4)
			needY = max(needY, math.Abs(y)+fa*4)
		}
	}
	ow := int(math.Round(2 * needX * scale))
	oh := int(math.Round(2 * needY * scale))
	m := translate(-float64(ow-1)/2, -float64(oh-1)/2).
		then(scaling(1 / scale)).
		then(rotation(skew)).
		then(translate(cx, cy)).
		then(quarterTurn(rot, uw, uh))
	k := 1
	if scale < 0.75 {
		// Bilinear sampling alone would alias: box-shrink by the integer
		// part first.
		k = int(1 / scale)
		f = shrink(f, k)
		m = m.then(scaling(1 / float64(k))).then(translate(-0.5+0.5/float64(k), -0.5+0.5/float64(k)))
	}
	c.geo.warp, c.geo.m, c.geo.w, c.geo.h, c.geo.k = true, m, ow, oh, k
	return warp(f, ow, oh, m, 255)
}

// ocrImage makes the OCR image for the profile and removes specks.
func (c *cleaner) ocrImage(res *Result, textH float64) {
	tiny, speck, reach := max(1, int(textH*0.1)), max(2, int(textH*0.12)), max(4, textH*0.6)
	switch c.opt.Profile {
	case ProfileAlternate:
		win := max(15, int(textH*2)|1)
		b := sauvola(res.Image, win, sauvolaK)
		n := despeckle(b, tiny, speck, reach)
		res.OCRImage = b
		c.rep.Binarized = true
		c.step("binarize", fmt.Sprintf("sauvola window %d, %d specks removed", win, n))
	default:
		n := despeckle(res.Image, tiny, speck, reach)
		c.step("despeckle", fmt.Sprintf("%d specks removed", n))
	}
}

// despeckle whitens the specks of g and returns how many it removed. A
// speck is a mark (everything darker than paper, below 224, that hangs
// together: the dark core of a faint diacritic is part of a larger light
// mark) no larger than tiny pixels either way, or no larger than size with
// no larger mark within reach: a diacritic, a dot below or a full stop
// always sits next to a letter, noise mostly does not.
func despeckle(g *image.Gray, tiny, size int, reach float64) int {
	l := label(g, g.Rect, 224)
	small := func(c *component) bool { return int(c.w()) <= size && int(c.h()) <= size }
	// Cells of a coarse grid that hold ink of a larger mark.
	cell := max(1, int(reach/3))
	gw, gh := g.Rect.Dx()/cell+1, g.Rect.Dy()/cell+1
	occupied := make([]bool, gw*gh)
	for _, r := range l.runs {
		if small(&l.comps[r.comp]) {
			continue
		}
		row := occupied[int(r.y)/cell*gw:]
		for cx := int(r.x0) / cell; cx <= int(r.x1-1)/cell; cx++ {
			row[cx] = true
		}
	}
	ry, rx := int(reach), int(reach)
	n := 0
	for i := range l.comps {
		c := &l.comps[i]
		if !small(c) {
			continue
		}
		isTiny := int(c.w()) <= tiny && int(c.h()) <= tiny
		near := false
		for cy := max(0, (int(c.y0)-ry)/cell); cy <= min(gh-1, (int(c.y1)+ry)/cell) && !near && !isTiny; cy++ {
			for cx := max(0, (int(c.x0)-rx)/cell); cx <= min(gw-1, (int(c.x1)+rx)/cell); cx++ {
				if occupied[cy*gw+cx] {
					near = true
					break
				}
			}
		}
		if near {
			continue
		}
		n++
		for y := c.y0; y < c.y1; y++ {
			row := g.Pix[int(y)*g.Stride+int(c.x0) : int(y)*g.Stride+int(c.x1)]
			for x := range row {
				row[x] = 255
			}
		}
	}
	return n
}
