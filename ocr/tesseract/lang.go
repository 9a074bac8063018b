package tesseract

import (
	"strings"
	"unicode"

	"github.com/sohoa/sohoa/ocr"
)

// LooksLike reports whether a page read with Tesseract language lang
// looks like text in that language. Only Vietnamese has a test (the share
// of words carrying letters only Vietnamese uses); for any other language
// it returns true, so the first reading is kept.
func LooksLike(p *ocr.Page, lang string) bool {
	if lang != "vie" {
		return true
	}
	words, viet := 0, 0
	for _, w := range p.Words() {
		letters := 0
		for _, r := range w.Text {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters < 2 {
			continue
		}
		words++
		if strings.IndexFunc(w.Text, vietnameseLetter) >= 0 {
			viet++
		}
	}
	if words < 10 {
		return true // too little text to tell: keep it
	}
	// Vietnamese prose has such a letter in about half its words; English
	// or French read by the Vietnamese model has almost none.
	return float64(viet)/float64(words) >= 0.15
}

// vietnameseLetter reports letters that Vietnamese uses and Western
// European languages do not: ă â đ ê ô ơ ư ĩ ũ and the Latin Extended
// Additional block of tone-marked vowels (U+1EA0..U+1EF9).
func vietnameseLetter(r rune) bool {
	switch unicode.ToLower(r) {
	case 'ă', 'â', 'đ', 'ê', 'ô', 'ơ', 'ư', 'ĩ', 'ũ':
		return true
	}
	return r >= 0x1EA0 && r <= 0x1EF9
}
