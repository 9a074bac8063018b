package docmeta

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// number is a parsed document number ("số và ký hiệu").
type number struct {
	text string // the whole number as it goes into Metadata.Number: "57/2025/NQ-HĐND"
	seq  string // the number proper: "57"
	year string // the year of a normative document's number, or ""
	// notation is the ký hiệu: "NQ-HĐND", "UBND-TNMT" (no year).
	notation string
	// code is the part of the notation that names the type in a
	// document that has one ("NQ"); in a công văn it is the issuing
	// body's abbreviation ("UBND").
	code string
	// repaired: characters were changed or tokens joined to get here.
	repaired bool
}

var (
	// 57/2025/NQ-HĐND, 1234/QĐ-UBND, 05/UBND-TNMT, 12a/TB-UBND.
	modernNumber = regexp.MustCompile(`^(\d{1,6}[a-z]?)(?:/(\d{4}))?/(\pL[\pL\d]*(?:-[\pL\d]+)*)$`)
	// The older and Party form: 15-CT/TW, 14514-CV/VPTW, 123-QĐ/UB.
	oldNumber = regexp.MustCompile(`^(\d{1,6})-(\pL+)/(\pL[\pL\d]*(?:[-/][\pL\d]+)*)$`)
)

// parseNumber reads a document number from the text that follows "Số:"
// (spaces already removed where OCR split it). It repairs what OCR does
// to numbers: letters read for digits in the numeric parts (I563 →
// 1563), dashes of other widths, Ð for Đ, a stray mark on a letter (Ó →
// O), and letters no Vietnamese number contains (Ñ, §) are dropped.
// Đ and D are kept as printed.
func parseNumber(raw string) (number, bool) {
	s, repaired := cleanNumber(raw)
	if s == "" {
		return number{}, false
	}
	n := number{repaired: repaired}
	if fixed, ok := missingSlash(s); ok {
		s, n.repaired = fixed, true
	}
	parts := strings.Split(s, "/")
	// Repair the numeric parts: the number proper and a year.
	head, tail := parts[0], ""
	if i := strings.IndexByte(head, '-'); i >= 0 {
		head, tail = head[:i], head[i:]
	}
	if d, rep, ok := ocrDigits(head); ok {
		parts[0], n.repaired = d+tail, n.repaired || rep
	}
	if len(parts) >= 3 && len([]rune(parts[1])) == 4 {
		if d, rep, ok := ocrDigits(parts[1]); ok && len(d) == 4 {
			parts[1], n.repaired = d, n.repaired || rep
		}
	}
	s = strings.Join(parts, "/")
	if m := modernNumber.FindStringSubmatch(s); m != nil {
		n.text, n.seq, n.year, n.notation = s, m[1], m[2], m[3]
		n.code, _, _ = strings.Cut(n.notation, "-")
		return n, true
	}
	if m := oldNumber.FindStringSubmatch(s); m != nil {
		n.text, n.seq, n.notation, n.code = s, m[1], m[2]+"/"+m[3], m[2]
		return n, true
	}
	return number{}, false
}

// missingSlash puts back the slash OCR lost between the number proper
// and a type abbreviation ("I8NQ-HĐND" → "I8/NQ-HĐND"; a thin serif
// face's slash is often dropped): a number with no slash at all that
// starts with digits (or letters read for digits, at least one a real
// digit) followed by a known type code and a dash. Of the ways to cut
// it, the longest number wins ("15BC-UBND" is 15/BC, not 158/C).
// A công văn's notation starts with the issuer, not a type code, and is
// not repaired.
func missingSlash(s string) (string, bool) {
	if strings.Contains(s, "/") {
		return "", false
	}
	code, _, ok := strings.Cut(s, "-")
	if !ok {
		return "", false
	}
	rs := []rune(code)
	for k := len(rs) - 1; k >= 1; k-- {
		head, rest := string(rs[:k]), string(rs[k:])
		if !strings.ContainsAny(head, "0123456789") {
			continue
		}
		if _, _, ok := ocrDigits(head); !ok || !unicode.IsUpper(rs[k]) {
			continue
		}
		if ts, _ := typesByCode(rest); len(ts) > 0 {
			return head + "/" + s[len(head):], true
		}
	}
	return "", false
}

// cleanNumber normalises the characters of a number as OCR read it. It
// reports whether anything but spacing changed.
func cleanNumber(raw string) (string, bool) {
	var b strings.Builder
	repaired := false
	for _, r := range norm.NFC.String(raw) {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '–' || r == '—' || r == '‒' || r == '−' || r == '‐' || r == '‑':
			r, repaired = '-', true
		case r == 'Ð':
			r, repaired = 'Đ', true
		case r == 'ð':
			r, repaired = 'đ', true
		case r == 'Đ' || r == 'đ' || r < 0x80:
		case unicode.IsLetter(r) && vietnameseLetter(r):
			// A tone or vowel mark on a letter of a number is a speck.
			r, repaired = foldRune(r), true
		default:
			// Ñ, §, “ ...: no Vietnamese number has them.
			repaired = true
			continue
		}
		b.WriteRune(r)
	}
	s := strings.Trim(b.String(), ".,;:'\"`*_")
	return s, repaired
}

// vietnameseLetter reports letters of the Vietnamese alphabet with a
// diacritic: â ă đ ê ô ơ ư, the Latin-1 vowels with grave, acute or tilde
// that Vietnamese uses, and the Latin Extended Additional tone-marked
// vowels.
func vietnameseLetter(r rune) bool {
	if r >= 0x1EA0 && r <= 0x1EF9 {
		return true
	}
	return strings.ContainsRune("àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ", r)
}

// soPrefix matches the "Số" label as OCR reads it, folded and in lower
// case: "so", "s6", "s0", "5o", "$o", with an optional colon or dot.
var soPrefix = regexp.MustCompile(`^(?:s|5|\$)(?:o|6|0)[:;.,]*`)

// cutSo reports whether the token is the "Số" label (Số:, SỐ, So:, S6:,
// Sô:) and returns what follows it inside the same token ("Số:15/QĐ-UBND"
// → "15/QĐ-UBND").
func cutSo(tok string) (rest string, ok bool) {
	tok = norm.NFC.String(tok)
	if strings.ContainsAny(tok, "ơởớờợỡƠỞỚỜỢỠ") {
		return "", false // Sở (a department), not Số
	}
	f := strings.ToLower(fold(tok))
	loc := soPrefix.FindStringIndex(f)
	if loc == nil {
		return "", false
	}
	restRunes := []rune(tok)[len([]rune(f[:loc[1]])):]
	rest = string(restRunes)
	if rest != "" && unicode.IsLetter(restRunes[0]) {
		return "", false // a word that starts with "so": "Sở", "song"
	}
	return rest, true
}
