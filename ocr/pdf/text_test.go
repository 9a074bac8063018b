package pdf

import (
	"image"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr"
)

// TestTextLayerOperators pins the operators for one line of two words at
// 72 dpi (1 pixel = 1 point) on a page 1000 points high: font size = line
// height (40); horizontal scaling so 2 glyphs of 20 points fill 80 points
// (200%); the space scaled to fill the gap; the baseline from the OCR's
// (slope 0.01, 10 pixels above the line's bottom, taken at each word's
// centre) or, without one, a fifth of the line height above the bottom.
func TestTextLayerOperators(t *testing.T) {
	t.Parallel()
	line := func(baseline [2]float64) *ocr.Page {
		return &ocr.Page{Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
			BBox:     image.Rect(100, 100, 400, 140),
			Baseline: baseline,
			Words: []ocr.Word{
				{Text: "ab", BBox: image.Rect(100, 100, 180, 140)},
				{Text: "c", BBox: image.Rect(200, 100, 240, 140)},
			},
		}}}}}}}
	}
	tests := []struct {
		name string
		page *ocr.Page
		want string
	}{
		{"Baseline", line([2]float64{0.01, -10}),
			"BT\n3 Tr\n/F1 40 Tf\n200 Tz 1 0 0 1 100 869.6 Tm <00010002> Tj\n100 Tz <0003> Tj\n200 Tz 1 0 0 1 200 868.8 Tm <0004> Tj\nET\n"},
		{"NoBaseline", line([2]float64{}),
			"BT\n3 Tr\n/F1 40 Tf\n200 Tz 1 0 0 1 100 868 Tm <00010002> Tj\n100 Tz <0003> Tj\n200 Tz 1 0 0 1 200 868 Tm <0004> Tj\nET\n"},
		// A table row over two printed lines (no baseline): each word on
		// its own box's baseline, the font size of one printed line.
		{"RowOverTwoPrintedLines", &ocr.Page{Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
			BBox: image.Rect(100, 100, 400, 240),
			Words: []ocr.Word{
				{Text: "ab", BBox: image.Rect(100, 100, 180, 140)},
				{Text: "c", BBox: image.Rect(200, 200, 240, 240)},
			},
		}}}}}}},
			"BT\n3 Tr\n/F1 40 Tf\n200 Tz 1 0 0 1 100 868 Tm <00010002> Tj\n100 Tz <0003> Tj\n200 Tz 1 0 0 1 200 768 Tm <0004> Tj\nET\n"},
		{"NoWords", &ocr.Page{}, ""},
		{"Nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cids := map[rune]uint16{}
			glyph := func(r rune) (uint16, error) {
				if _, ok := cids[r]; !ok {
					cids[r] = uint16(len(cids) + 1)
				}
				return cids[r], nil
			}
			got, err := textLayer(nil, tt.page, pageGeometry{sx: 1, sy: 1, heightP: 1000}, glyph)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNum(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v    float64
		prec int
		want string
	}{
		{595.2, 4, "595.2"}, {2480 * 72 / 300.0, 4, "595.2"}, {12, 2, "12"}, {-0.5, 2, "-0.5"},
		{-0.001, 2, "0"}, {1e-9, 4, "0"}, {841.68, 4, "841.68"}, {1.23456, 3, "1.235"},
	} {
		if got := num(tt.v, tt.prec); got != tt.want {
			t.Errorf("num(%v, %d) = %q, want %q", tt.v, tt.prec, got, tt.want)
		}
	}
}

func TestTextString(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"sohoa 0.1 (tesseract)", `(sohoa 0.1 \(tesseract\))`},
		{`a\b`, `(a\\b)`},
		{"Độc", "<FEFF01101ED90063>"}, // Đ ộ c
	} {
		if got := textString(tt.in); got != tt.want {
			t.Errorf("textString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
