package cleanup_test

import (
	"context"
	"fmt"
	"image"
	"math/rand/v2"

	"github.com/sohoa/sohoa/ocr/cleanup"
)

// Cleaning a page: here a blank grey sheet with scanner noise, recorded
// at 200 dpi. The report says what was found; a blank page needs no OCR.
func ExampleClean() {
	page := image.NewGray(image.Rect(0, 0, 1654, 2339))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range page.Pix {
		page.Pix[i] = uint8(200 + rng.IntN(12))
	}
	res, err := cleanup.Clean(context.Background(), page, 200, cleanup.Options{
		// Orientation: a tesseract.OSDPool, shared by all workers.
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res.Report
	fmt.Printf("blank %v, %d dpi, skew %v, rotation %d, %v\n", r.Blank, res.DPI, r.Skew, r.Rotation, res.Image.Bounds().Size())
	// Output: blank true, 200 dpi, skew 0, rotation 0, (1654,2339)
}

// A second reading: when Tesseract is unsure of the first (mean word
// confidence below about 90), clean again with the alternate profile and
// keep the reading it is surer of.
func ExampleProfileAlternate() {
	page := image.NewGray(image.Rect(0, 0, 1654, 2339))
	for i := range page.Pix {
		page.Pix[i] = 230
	}
	res, err := cleanup.Clean(context.Background(), page, 200, cleanup.Options{Profile: cleanup.ProfileAlternate})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Report.Profile)
	// Output: alternate
}
