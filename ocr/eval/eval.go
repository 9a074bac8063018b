// Package eval scores OCR output against ground truth: character error
// rate (CER), word error rate and order-free word recall/precision, after
// the normalisation the project's benchmarks use (NFC, folded quotes and
// dashes, collapsed whitespace).
package eval

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/internal/editdist"
)

// Normalize prepares text for scoring: NFC, typographic quotes and dashes
// folded to ASCII, every run of whitespace collapsed to one space, trimmed.
func Normalize(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch r {
		case '‘', '’', '‚', '‛', '`', '´':
			r = '\''
		case '“', '”', '„', '‟', '«', '»':
			r = '"'
		case '–', '—', '‒', '―', '−':
			r = '-'
		case '\u00a0':
			r = ' '
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// CER is the character error rate of hyp against ref after Normalize: the
// edit distance in characters divided by the length of ref. An empty ref
// gives 0 for an empty hyp and 1 otherwise.
func CER(ref, hyp string) float64 {
	r := []rune(Normalize(ref))
	h := []rune(Normalize(hyp))
	if len(r) == 0 {
		if len(h) == 0 {
			return 0
		}
		return 1
	}
	return float64(editdist.Distance(r, h)) / float64(len(r))
}

// WER is the word error rate of hyp against ref after Normalize.
func WER(ref, hyp string) float64 {
	r := strings.Fields(Normalize(ref))
	h := strings.Fields(Normalize(hyp))
	if len(r) == 0 {
		if len(h) == 0 {
			return 0
		}
		return 1
	}
	return float64(editdist.Distance(r, h)) / float64(len(r))
}

// BagOfWords returns word recall and precision ignoring order: the share
// of reference words found in hyp, and of hyp words found in ref (counted
// with multiplicity). Use it where reading order is ambiguous (columns).
func BagOfWords(ref, hyp string) (recall, precision float64) {
	r := strings.Fields(Normalize(ref))
	h := strings.Fields(Normalize(hyp))
	counts := map[string]int{}
	for _, w := range r {
		counts[w]++
	}
	match := 0
	for _, w := range h {
		if counts[w] > 0 {
			counts[w]--
			match++
		}
	}
	if len(r) > 0 {
		recall = float64(match) / float64(len(r))
	}
	if len(h) > 0 {
		precision = float64(match) / float64(len(h))
	}
	return recall, precision
}
