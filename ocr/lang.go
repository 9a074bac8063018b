package ocr

import (
	"strings"
	"unicode"
)

// LooksVietnamese reports whether a page's text looks Vietnamese: at
// least 15% of its words (of two letters or more) carry a letter only
// Vietnamese uses. Vietnamese prose has one in about half its words;
// English or French read by the Vietnamese model has almost none. Pages
// with fewer than 10 such words are given the benefit of the doubt (true).
func LooksVietnamese(p *Page) bool {
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
		return true
	}
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
