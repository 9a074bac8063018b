package pdf_test

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"log"
	"time"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/pdf"
)

// A page image with its OCR result becomes a searchable PDF. Pages with a
// Load func are read only when written, one at a time.
func ExampleWrite() {
	img := image.NewGray(image.Rect(0, 0, 2480, 3508)) // A4 at 300 dpi
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	page := &ocr.Page{Width: 2480, Height: 3508, DPI: 300, Blocks: []ocr.Block{{
		Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
			BBox: image.Rect(300, 400, 1100, 460),
			Words: []ocr.Word{
				{Text: "Độc", BBox: image.Rect(300, 400, 420, 460)},
				{Text: "lập", BBox: image.Rect(445, 400, 560, 460)},
			},
		}}}},
	}}}

	var buf bytes.Buffer
	err := pdf.Write(&buf, []pdf.Page{{
		DPI:  300,
		OCR:  page,
		Load: func() (image.Image, error) { return img, nil },
	}}, pdf.Meta{
		Title:    "Quyết định số 57/QĐ-UBND",
		Author:   "UBND huyện Quảng Xương",
		Producer: "sohoa 0.1.0 (tesseract 5.3.0)",
		Created:  time.Date(2025, 11, 28, 8, 15, 30, 0, time.FixedZone("ICT", 7*3600)),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", bytes.SplitN(buf.Bytes(), []byte("\n"), 2)[0])
	// Output: %PDF-1.7
}
