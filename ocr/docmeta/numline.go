package docmeta

import (
	"image"
	"strings"
	"unicode"
	"unicode/utf8"
)

// numLine is what follows a "Số:" label: the number, and where its two
// parts are on the page. On most documents the notation ("/TB-UBND") is
// printed with a blank before it, and the number proper is written into
// the blank by hand when the document is issued.
type numLine struct {
	// num is the number. When the number proper could not be read,
	// num.seq and num.text are "" and the notation (num.notation,
	// num.code, num.year) is still there.
	num number
	// end is the index in the line's words after the number's last word.
	end int
	// seqText is what OCR read where the number proper is ("6§0", "").
	seqText string
	// seqClean: seqText is plain digits as OCR read them, nothing
	// repaired or dropped.
	seqClean bool
	// seqWords are the words that hold the number proper; a word that
	// holds the notation too is one of them.
	seqWords []word
	// seqZone is where the number proper is: from the label to the
	// notation, across the line.
	seqZone image.Rectangle
	// noteBox is where the notation is.
	noteBox image.Rectangle
}

// readNumberLine reads the number after the label at index k of ws (rest
// is what followed the label inside its own word): a whole number
// (readNumber), or, when that fails, the printed notation with whatever
// OCR made of the number proper before it ("6§0 /TB-UBND", "# /CT-UBND",
// "239 _/TIr-UBND"). ok is false when neither is there.
func readNumberLine(rest string, ws []word, k int, xh int) (numLine, bool) {
	label := ws[k]
	labelRunes := 0
	if rest != "" {
		labelRunes = utf8.RuneCountInString(label.text) - utf8.RuneCountInString(rest)
	}
	if n, first, end, ok := readNumber(rest, ws, k, xh); ok {
		nl := numLine{num: n, end: end}
		nl.locate(label, labelRunes, rest, ws, k, first, end)
		return nl, true
	}
	// The form: the notation starts at a slash followed by a letter or a
	// year, somewhere after the label.
	for i := k; i < min(len(ws), k+4); i++ {
		text := ws[i].text
		if i == k {
			text = rest
		}
		j := notationStart(text)
		if j < 0 {
			if i > k && vietnameseWord(text) {
				break // words, not a number: "Số: Quảng ..."
			}
			continue
		}
		n, end, ok := readNotation(text[j:], ws, i, xh)
		if !ok {
			break
		}
		nl := numLine{num: n, end: end}
		var seq []string
		for x := k + 1; x < i; x++ {
			seq = append(seq, ws[x].text)
			nl.seqWords = append(nl.seqWords, ws[x])
		}
		if i == k {
			seq = append(seq, rest[:j])
		} else {
			seq = append(seq, text[:j])
			if strings.ContainsFunc(text[:j], isDigitLike) {
				nl.seqWords = append(nl.seqWords, ws[i])
			}
		}
		nl.seqText = strings.TrimSpace(strings.Join(seq, " "))
		nl.zones(label, labelRunes, ws[i], text, j, i == k)
		// Plain digits before the notation make the whole number.
		if d, clean := plainDigits(nl.seqText); d != "" {
			if full, ok := parseNumber(d + "/" + n.notationText()); ok {
				full.repaired = full.repaired || n.repaired || !clean
				nl.num, nl.seqClean = full, clean
			}
		}
		return nl, true
	}
	return numLine{}, false
}

// notationText is the number's notation with its year: "2024/QĐ-UBND".
func (n number) notationText() string {
	if n.year != "" {
		return n.year + "/" + n.notation
	}
	return n.notation
}

// readNotation reads a notation starting at a slash ("/TB-UBND", split
// or not as readNumber joins it) and returns it as a number with no
// number proper.
func readNotation(text string, ws []word, i int, xh int) (number, int, bool) {
	n, _, end, ok := readNumber("0"+text, ws, i, xh)
	if !ok || n.seq != "0" || !strings.HasPrefix(n.text, "0/") {
		return number{}, 0, false
	}
	n.seq, n.text = "", ""
	return n, end, true
}

// notationStart is the index in a word of the slash that starts a
// notation ("/TB-UBND", "_/TIr-UBND", "660/TB-UBND"), or -1.
func notationStart(t string) int {
	for j := 0; j < len(t); j++ {
		if t[j] != '/' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(t[j+1:])
		if unicode.IsLetter(r) && unicode.IsUpper(r) || unicode.IsDigit(r) && len(t) >= j+6 && t[j+5] == '/' {
			return j
		}
	}
	return -1
}

// isDigitLike is a digit or a symbol OCR reads handwritten digits as.
func isDigitLike(r rune) bool { return !unicode.IsSpace(r) && r != '_' && r != '-' && r != '.' }

// vietnameseWord is a word with a Vietnamese diacritic (not a number).
func vietnameseWord(t string) bool {
	return strings.ContainsFunc(t, func(r rune) bool { return vietnameseLetter(r) && r != 'Đ' && r != 'đ' })
}

// plainDigits reads the digits of a number proper as OCR gave them:
// clean when the text is digits and nothing else (trailing punctuation
// and a leading or trailing underscore of the blank's rule aside);
// otherwise the digits ocrDigits repairs it to, if any.
func plainDigits(s string) (digits string, clean bool) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "_.,:;'\"`"))
	if s == "" {
		return "", false
	}
	if strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0 {
		return s, true
	}
	d, _, ok := ocrDigits(strings.ReplaceAll(s, " ", ""))
	if !ok {
		return "", false
	}
	return d, false
}

// locate finds the number proper and the notation of a number read
// whole, from the words first..end-1 (first is k when it starts in the
// label's word).
func (nl *numLine) locate(label word, labelRunes int, rest string, ws []word, k, first, end int) {
	for i := first; i < end; i++ {
		text := ws[i].text
		if i == k {
			text = rest
		}
		j := strings.IndexAny(text, "/-")
		if j < 0 {
			nl.seqWords = append(nl.seqWords, ws[i])
			nl.seqText += text
			continue
		}
		nl.seqText += text[:j]
		if j > 0 {
			nl.seqWords = append(nl.seqWords, ws[i])
		}
		nl.zones(label, labelRunes, ws[i], text, j, i == k)
		break
	}
	d, clean := plainDigits(nl.seqText)
	nl.seqClean = clean && d == nl.num.seq
}

// zones sets the number proper's zone and the notation's box: the
// notation starts at byte j of text, which is the word w or, when inLabel,
// what follows the label in w. labelRunes is how many characters of the
// label's word are the label when the number starts inside that word
// ("Số:15/..."), else 0.
func (nl *numLine) zones(label word, labelRunes int, w word, text string, j int, inLabel bool) {
	// Where in w the slash is: by the share of characters before it.
	full := []rune(w.text)
	off := len([]rune(text[:j]))
	if inLabel {
		off += len(full) - len([]rune(text))
	}
	slashX := w.box.Min.X + w.box.Dx()*off/max(len(full), 1)
	x0 := label.box.Max.X
	if labelRunes > 0 {
		x0 = label.box.Min.X + label.box.Dx()*labelRunes/max(utf8.RuneCountInString(label.text), 1)
	}
	top, bottom := min(label.box.Min.Y, w.box.Min.Y), max(label.box.Max.Y, w.box.Max.Y)
	for _, s := range nl.seqWords {
		top, bottom = min(top, s.box.Min.Y), max(bottom, s.box.Max.Y)
	}
	nl.seqZone = image.Rect(x0, top, max(x0+1, slashX), bottom)
	nl.noteBox = image.Rect(slashX, w.box.Min.Y, w.box.Max.X, w.box.Max.Y)
}
