package docmeta

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/internal/editdist"
)

// foldRune folds one letter to its ASCII base: tone and vowel marks are
// removed (ắ → a, ơ → o) and đ becomes d. Case is kept. Runes without
// a Latin base are returned unchanged.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		return r
	}
	if t := foldTable(); int(r) < len(t) {
		return t[r]
	}
	return r
}

// foldTable maps every rune below U+1F00 (Latin-1, Latin Extended A and
// B, Latin Extended Additional, where all Vietnamese letters are) to its
// fold, computed once from the canonical decomposition.
var foldTable = sync.OnceValue(func() []rune {
	t := make([]rune, 0x1F00)
	var buf [utf8.UTFMax]byte
	for r := range t {
		t[r] = rune(r)
		if r < utf8.RuneSelf {
			continue
		}
		n := utf8.EncodeRune(buf[:], rune(r))
		base, _ := utf8.DecodeRune(norm.NFD.Bytes(buf[:n]))
		t[r] = base
	}
	for r, f := range map[rune]rune{'đ': 'd', 'Đ': 'D', 'ð': 'd', 'Ð': 'D'} {
		t[r] = f // Ð (eth) is how OCR engines sometimes read Đ
	}
	return t
})

// fold removes Vietnamese diacritics from s, rune by rune, so that the
// result has exactly as many runes as s (s should be NFC): positions in
// the folded string are positions in s.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// key is the comparison form of s: folded, lower case, letters and
// digits only ("Quyết định:" → "quyetdinh"). Keywords are compared by
// their keys, so missing or wrong diacritics and spacing do not matter.
func key(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		r = unicode.ToLower(foldRune(r))
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// similarity is 1 minus the edit distance of a and b over the longer
// length: 1 for equal strings, 0 for nothing in common.
func similarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	n := max(len(ra), len(rb))
	if n == 0 {
		return 1
	}
	return 1 - float64(editdist.Distance(ra, rb))/float64(n)
}

// mayBeSimilar is a quick test for keys (ASCII letters and digits):
// false when a and b cannot have a similarity of min, judged by how
// many letters they have in common. Half the letter-count difference is
// a lower bound of the edit distance.
func mayBeSimilar(a, b string, min float64) bool {
	var counts [128]int
	for i := 0; i < len(a); i++ {
		counts[a[i]&0x7f]++
	}
	for i := 0; i < len(b); i++ {
		counts[b[i]&0x7f]--
	}
	diff := 0
	for _, c := range counts {
		diff += abs(c)
	}
	n := max(len(a), len(b))
	return float64((diff+1)/2) <= (1-min)*float64(n)
}

// capsRatio is the share of letters in s that are upper case (0 when s
// has no letters).
func capsRatio(s string) float64 {
	letters, upper := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(upper) / float64(letters)
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

func hasDigit(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }

// trimPunct removes punctuation and symbols (not letters or digits)
// from both ends of s.
func trimPunct(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// ocrDigits reads a token that should be a number, repairing the
// confusions Tesseract makes in dates and document numbers: O and o for
// 0, l, I, i and | for 1, S for 5, B for 8, and a Z before a digit (an
// italic 7 is read "Z7"; a lone Z is a 7). Punctuation at the ends is
// ignored. It reports whether any repair was needed.
func ocrDigits(tok string) (digits string, repaired, ok bool) {
	tok = strings.TrimFunc(tok, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '|'
	})
	rs := []rune(tok)
	if len(rs) == 0 {
		return "", false, false
	}
	var b strings.Builder
	for i, r := range rs {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'Z' || r == 'z':
			repaired = true
			if i+1 < len(rs) && unicode.IsDigit(rs[i+1]) {
				continue // "Z7": the Z is the 7's italic serif
			}
			b.WriteByte('7')
		case r == 'O' || r == 'o':
			repaired = true
			b.WriteByte('0')
		case r == 'l' || r == 'I' || r == 'i' || r == '|' || r == '!':
			repaired = true
			b.WriteByte('1')
		case r == 'S' || r == 's':
			repaired = true
			b.WriteByte('5')
		case r == 'B':
			repaired = true
			b.WriteByte('8')
		default:
			return "", false, false
		}
	}
	digits = b.String()
	// A token with no real digit at all is a word, not a damaged number
	// ("Số", "lo"), unless it is a single Z (an italic 7).
	if !hasDigit(tok) && tok != "Z" && tok != "z" {
		return "", false, false
	}
	return digits, repaired, digits != ""
}
