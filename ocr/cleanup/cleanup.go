// Package cleanup prepares scanned page images for OCR: greyscale, a
// working resolution, and (as the package grows) orientation, deskew,
// border removal, illumination normalisation and binarisation. It records
// every decision so a page's record says what was done to it.
//
// It is pure Go (disintegration/imaging plus its own pixel code); the
// orientation detector, which needs Tesseract, is passed in.
package cleanup

import (
	"context"
	"image"
	"image/draw"
	"time"

	"github.com/disintegration/imaging"
)

// Options configure Clean. Zero values take the defaults.
type Options struct {
	// TargetDPI is the resolution OCR works at. Default 300.
	TargetDPI int
	// MinDPI: pages below it are upsampled to TargetDPI. Default 250.
	MinDPI int
	// MaxDPI: pages above it are downsampled to TargetDPI. Default 400.
	MaxDPI int
	// AssumeDPI is used when the file records no resolution. Default 300.
	AssumeDPI int
}

func (o Options) withDefaults() Options {
	if o.TargetDPI == 0 {
		o.TargetDPI = 300
	}
	if o.MinDPI == 0 {
		o.MinDPI = 250
	}
	if o.MaxDPI == 0 {
		o.MaxDPI = 400
	}
	return o
}

// Result is a cleaned page and what was done to it.
type Result struct {
	// Image is the cleaned greyscale page (kept in the archive).
	Image *image.Gray
	// OCRImage is what OCR should read; nil means Image.
	OCRImage *image.Gray
	// DPI of Image.
	DPI int
	// Report is what was done, for the page record.
	Report Report
}

// Report records the cleanup decisions for a page (its JSON is part of
// page.json, see docs/store-layout.md).
type Report struct {
	// SourceDPI is the resolution of the input (as recorded or guessed).
	SourceDPI      int     `json:"source_dpi"`
	SourceDPIGuess bool    `json:"source_dpi_guessed,omitempty"`
	Scale          float64 `json:"scale"`
	// Rotation applied to make the page upright (degrees clockwise: 0, 90, 180, 270).
	Rotation int `json:"rotation"`
	// Skew is the measured skew angle in degrees (positive = counter-clockwise), corrected.
	Skew float64 `json:"skew"`
	// Crop is the page area kept, in input pixel coordinates (after rotation).
	Crop  *[4]int `json:"crop,omitempty"`
	Blank bool    `json:"blank,omitempty"`
	// Steps lists each step with its duration.
	Steps []Step `json:"steps"`
}

// Step is one cleanup step.
type Step struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	Note    string  `json:"note,omitempty"`
}

// Clean cleans one page image whose recorded resolution is dpi (0 if unknown).
func Clean(ctx context.Context, img image.Image, dpi int, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	rep := Report{Scale: 1}
	step := func(name, note string, start time.Time) {
		rep.Steps = append(rep.Steps, Step{Name: name, Seconds: time.Since(start).Seconds(), Note: note})
	}

	t := time.Now()
	g := Gray(img)
	step("grayscale", "", t)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	if dpi <= 0 {
		dpi, rep.SourceDPIGuess = guessDPI(g.Bounds().Dx(), g.Bounds().Dy(), opt.AssumeDPI), true
	}
	rep.SourceDPI = dpi
	outDPI := dpi
	if dpi < opt.MinDPI || dpi > opt.MaxDPI {
		t = time.Now()
		scale := float64(opt.TargetDPI) / float64(dpi)
		w := int(float64(g.Bounds().Dx())*scale + 0.5)
		h := int(float64(g.Bounds().Dy())*scale + 0.5)
		filter := imaging.Lanczos
		if scale < 1 {
			filter = imaging.Box
		}
		g = Gray(imaging.Resize(g, w, h, filter))
		rep.Scale = scale
		outDPI = opt.TargetDPI
		step("resample", "", t)
	}
	return &Result{Image: g, DPI: outDPI, Report: rep}, nil
}

// guessDPI is the resolution assumed for a file that records none. A
// guess from the page's pixel size would be wrong for anything but full
// A4 pages (a small 300 dpi card looks like a 150 dpi A4 page), so unless
// the operator set one, 300 dpi is assumed and the image is left at its size.
func guessDPI(_, _, assume int) int {
	if assume > 0 {
		return assume
	}
	return 300
}

// Gray converts any image to 8-bit greyscale with its origin at (0, 0).
// Colour uses Rec. 601 luma; transparent areas become white (paper).
func Gray(img image.Image) *image.Gray {
	b := img.Bounds()
	if g, ok := img.(*image.Gray); ok && b.Min == (image.Point{}) {
		return g
	}
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		draw.Draw(out, out.Bounds(), src, b.Min, draw.Src)
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[y*out.Stride:y*out.Stride+b.Dx()], src.Y[(y+b.Min.Y-src.Rect.Min.Y)*src.YStride+(b.Min.X-src.Rect.Min.X):])
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			row := out.Pix[y*out.Stride:]
			for x := 0; x < b.Dx(); x++ {
				r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				// Composite over white paper.
				w := 0xffff - a
				r, g, bl = r+w, g+w, bl+w
				lum := (19595*r + 38470*g + 7471*bl + 1<<15) >> 24
				row[x] = uint8(min(lum, 255))
			}
		}
	}
	return out
}
