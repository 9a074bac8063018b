package pdf

import (
	"io"
	"testing"
)

// countingWriter counts what is written to it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

// BenchmarkWriteA4 writes a one-page document: a 300 dpi A4 page
// (2480x3508) with 42 lines of text and its text layer, as a greyscale
// JPEG and as a bilevel CCITT G4 image. It reports the file size.
func BenchmarkWriteA4(b *testing.B) {
	tp := renderTestPage(b, benchPageSpec())
	for _, bc := range []struct {
		name string
		page Page
	}{
		{"Grey", Page{Image: tp.img, DPI: 300, OCR: tp.ocr}},
		{"Bitonal", Page{Image: binarize(tp.img), DPI: 300, OCR: tp.ocr}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var size int64
			for b.Loop() {
				var c countingWriter
				if err := Write(&c, []Page{bc.page}, testMeta); err != nil {
					b.Fatal(err)
				}
				size = c.n
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}
