package tesseract

import "github.com/sohoa/sohoa/ocr"

// LooksLike reports whether a page read with Tesseract language lang
// looks like text in that language. Only Vietnamese has a test
// (ocr.LooksVietnamese); for any other language it returns true, so the
// first reading is kept.
func LooksLike(p *ocr.Page, lang string) bool {
	if lang != "vie" {
		return true
	}
	return ocr.LooksVietnamese(p)
}
