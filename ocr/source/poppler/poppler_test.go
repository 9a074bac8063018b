package poppler_test

import (
	"context"
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/sourcetest"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/ocr/source/poppler"
)

func newBackend(t *testing.T, cfg poppler.Config) *poppler.Backend {
	t.Helper()
	b, err := poppler.New(cfg)
	if err != nil {
		t.Fatal(err) // poppler-utils is a runtime dependency (deploy/setup-debian.sh)
	}
	return b
}

func TestPages(t *testing.T) {
	t.Parallel()
	scan := sourcetest.EncodeJPEG(t, sourcetest.Gray(100, 140))
	tests := []struct {
		name string
		page sourcetest.PDFPage
		cfg  poppler.Config
		want source.PageInfo
	}{
		{"ScanExtractedAtNativeResolution", sourcetest.PDFPage{JPEG: scan, Width: 100, Height: 140, Gray: true, DPI: 120}, poppler.Config{},
			source.PageInfo{Width: 100, Height: 140, DPI: 120, Color: "gray", Bits: 8}},
		{"RotatedScanRendered", sourcetest.PDFPage{JPEG: scan, Width: 100, Height: 140, Gray: true, DPI: 120, Rotate: 90}, poppler.Config{DPI: 240},
			source.PageInfo{Width: 280, Height: 200, DPI: 240, Color: "gray", Bits: 8}},
		{"RotatedColourScanRenderedInColour", sourcetest.PDFPage{JPEG: sourcetest.EncodeJPEG(t, sourcetest.RGB(100, 140)), Width: 100, Height: 140, DPI: 120, Rotate: 90}, poppler.Config{DPI: 240},
			source.PageInfo{Width: 280, Height: 200, DPI: 240, Color: "rgb", Bits: 8}},
		{"TextPageRendered", sourcetest.PDFPage{Width: 72, Height: 144, Text: "Ha Noi"}, poppler.Config{DPI: 100},
			source.PageInfo{Width: 100, Height: 200, DPI: 100, Color: "gray", Bits: 8}},
		{"TextPageInColour", sourcetest.PDFPage{Width: 72, Height: 144, Text: "Hue"}, poppler.Config{DPI: 100, Color: true},
			source.PageInfo{Width: 100, Height: 200, DPI: 100, Color: "rgb", Bits: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := newBackend(t, tt.cfg).Open(sourcetest.Write(t, "p.pdf", sourcetest.PDF(tt.page)), source.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			info, err := doc.Info(0)
			if err != nil {
				t.Fatal(err)
			}
			if info != tt.want {
				t.Errorf("Info: want %+v, got %+v", tt.want, info)
			}
			img, dinfo, err := doc.Decode(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			if dinfo != tt.want || img.Bounds().Size() != image.Pt(tt.want.Width, tt.want.Height) {
				t.Errorf("Decode: want %+v, got %+v, image %v", tt.want, dinfo, img.Bounds().Size())
			}
			if _, grey := img.(*image.Gray); grey != (tt.want.Color == "gray") {
				t.Errorf("Decode: a %s page decoded as %T", tt.want.Color, img)
			}
		})
	}
}

// TestToolLimits: a tool that runs out of time or memory fails the file,
// not the worker.
func TestToolLimits(t *testing.T) {
	t.Parallel()
	small := sourcetest.PDF(sourcetest.PDFPage{Width: 100, Height: 100, Text: "x"})
	// 2000 x 2000 pt at 600 dpi is a 16667 x 16667 grey page: 278 MB.
	big := sourcetest.PDF(sourcetest.PDFPage{Width: 2000, Height: 2000, Text: "x"})
	tests := []struct {
		name string
		pdf  []byte
		cfg  poppler.Config
		want string
	}{
		{"Timeout", small, poppler.Config{Timeout: time.Nanosecond}, "the PDF took longer than 1ns to read"},
		{"Memory", big, poppler.Config{DPI: 600, MaxMemory: 128 << 20}, "could not be rendered at 16667x16667 pixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lim := source.Limits{MaxPixels: 1e9} // let the tool try
			doc, err := newBackend(t, tt.cfg).Open(sourcetest.Write(t, "p.pdf", tt.pdf), lim)
			if err == nil {
				_, _, err = doc.Decode(context.Background(), 0)
			}
			if !errors.Is(err, source.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want ErrCorrupt containing %q, got %v", tt.want, err)
			}
			t.Log(err)
		})
	}
}

// TestCancel: a cancelled task is not the file's fault.
func TestCancel(t *testing.T) {
	t.Parallel()
	pdf := sourcetest.PDF(sourcetest.PDFPage{Width: 100, Height: 100, Text: "x"})
	doc, err := newBackend(t, poppler.Config{}).Open(sourcetest.Write(t, "p.pdf", pdf), source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := doc.Decode(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}
