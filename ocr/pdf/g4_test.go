package pdf

import (
	"bytes"
	"image"
	"io"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/ccitt"
)

// checkG4RoundTrip encodes img and decodes it with golang.org/x/image/ccitt
// twice: into a Gray image of the known size, and as a stream of unknown
// height (which must end with EOFB). Both must give img back exactly.
func checkG4RoundTrip(t *testing.T, img *image.Gray) {
	t.Helper()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	data := encodeG4(img)

	got := image.NewGray(image.Rect(0, 0, w, h))
	if err := ccitt.DecodeIntoGray(got, bytes.NewReader(data), ccitt.MSB, ccitt.Group4, nil); err != nil {
		t.Fatalf("%dx%d: decode: %v", w, h, err)
	}
	for y := range h {
		for x := range w {
			want := byte(0xff)
			if img.GrayAt(img.Rect.Min.X+x, img.Rect.Min.Y+y).Y < 0x80 {
				want = 0
			}
			if g := got.Pix[y*got.Stride+x]; g != want {
				t.Fatalf("%dx%d: pixel (%d,%d) = %#x, want %#x", w, h, x, y, g, want)
			}
		}
	}

	// Unknown height: the decoder stops at EOFB, so this checks it is there
	// and that nothing follows but padding.
	r := ccitt.NewReader(bytes.NewReader(data), ccitt.MSB, ccitt.Group4, w, ccitt.AutoDetectHeight, nil)
	packed, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%dx%d: decode with auto-detected height: %v", w, h, err)
	}
	if rowBytes := (w + 7) / 8; len(packed) != rowBytes*h {
		t.Fatalf("%dx%d: auto-detected %d bytes, want %d rows of %d", w, h, len(packed), h, rowBytes)
	}
}

func randomBilevel(rng *rand.Rand, w, h int, pBlack float64) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
		if rng.Float64() < pBlack {
			img.Pix[i] = 0
		}
	}
	return img
}

func TestG4RoundTripRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name   string
		w, h   int
		pBlack float64
	}{
		{"Noise", 97, 41, 0.5},
		{"Sparse", 300, 50, 0.02},
		{"Dense", 64, 64, 0.97},
		{"OnePixel", 1, 1, 0.5},
		{"OneColumn", 1, 200, 0.5},
		{"OneRow", 3000, 1, 0.3},
		{"Empty", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 {
				checkG4RoundTrip(t, randomBilevel(rng, tt.w, tt.h, tt.pBlack))
			}
		})
	}
}

// TestG4RoundTripRuns codes every run length from 0 to past 2560 + 64 in
// both colours, so every terminating and makeup code is used.
func TestG4RoundTripRuns(t *testing.T) {
	t.Parallel()
	const maxRun = 2560*2 + 130
	w := maxRun + 10
	for _, black := range []bool{false, true} {
		var rows [][]byte
		for n := 0; n <= maxRun; n += 1 + n/200 {
			row := bytes.Repeat([]byte{0xff}, w)
			// A run of n pixels of the tested colour from column 3, framed
			// by the other colour; horizontal mode is forced by the next
			// row differing a lot (rows alternate long and short runs).
			fg, bg := byte(0xff), byte(0)
			if black {
				fg, bg = 0, 0xff
			}
			for x := range row {
				row[x] = bg
			}
			for x := 3; x < 3+n; x++ {
				row[x] = fg
			}
			rows = append(rows, row, bytes.Repeat([]byte{0xff}, w))
		}
		img := image.NewGray(image.Rect(0, 0, w, len(rows)))
		for y, row := range rows {
			copy(img.Pix[y*img.Stride:], row)
		}
		checkG4RoundTrip(t, img)
	}
}

// TestG4RoundTripText codes a text-like page: strokes, serifs and dots, the
// patterns where vertical and pass modes dominate.
func TestG4RoundTripText(t *testing.T) {
	t.Parallel()
	page := renderTestPage(t, testPages()[1])
	checkG4RoundTrip(t, binarize(page.img))
}

// TestG4SubImage encodes a sub-image (non-zero origin, stride wider than
// the width).
func TestG4SubImage(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	big := randomBilevel(rng, 200, 100, 0.3)
	checkG4RoundTrip(t, big.SubImage(image.Rect(13, 7, 150, 99)).(*image.Gray))
}

func BenchmarkEncodeG4(b *testing.B) {
	img := binarize(renderBenchPage(b))
	b.ResetTimer()
	for b.Loop() {
		encodeG4(img)
	}
}
