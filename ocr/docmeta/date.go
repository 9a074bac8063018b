package docmeta

import (
	"fmt"
	"github.com/sohoa/sohoa/internal/editdist"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateLine is a parsed place-and-date line: "Quảng Ninh, ngày 05 tháng 3
// năm 2025".
type dateLine struct {
	iso   string // 2025-03-05
	year  int
	place []word // the words before "ngày"
	// quality is how closely the line followed the rule, 0..1: 1 for
	// "ngày 05 tháng 3 năm 2025" read cleanly; less for repaired digits
	// (Z7), a keyword missing or misread, or unpadded days and months.
	quality float64
	words   []word // the date's own words, for their confidence
}

// dateKeyword reports whether a token is the keyword kw ("ngay",
// "thang", "nam") as OCR reads it: diacritics ignored, one wrong or
// missing letter forgiven in the longer two ("ngav", "thang", "tháng").
// exact is false when a letter had to be forgiven.
func dateKeyword(tok, kw string) (ok, exact bool) {
	k := key(tok)
	if k == kw {
		return true, true
	}
	if len(kw) >= 4 && len(k) >= len(kw)-1 && editdist.Distance([]rune(k), []rune(kw)) <= 1 {
		return true, false
	}
	return false, false
}

// wordDigits is a word run into the number after it: "ngày05", "tháng3,".
var wordDigits = regexp.MustCompile(`^(\pL{2,})(\d.*)$`)

// splitDigits splits words OCR ran into the number after them
// ("ngày05" → "ngày", "05"); both halves keep the word's box. A single
// letter before digits is left alone: it is a misread digit ("O8").
func splitDigits(ws []word) []word {
	var out []word
	for _, w := range ws {
		if m := wordDigits.FindStringSubmatch(w.text); m != nil {
			out = append(out, word{m[1], w.box, w.conf}, word{m[2], w.box, w.conf})
			continue
		}
		out = append(out, w)
	}
	return out
}

// parseDate finds "ngày D tháng M năm Y" in a line and the place before
// it. It tolerates missing diacritics, a misread keyword, letters read
// for digits, "ngày" lost altogether, and unpadded days and months.
func parseDate(ws []word) (dateLine, bool) {
	ws = splitDigits(ws)
	type found struct {
		at, end        int
		d, m, y        string
		exact, digitOK bool
	}
	num := func(i int) (string, bool, bool) {
		if i >= len(ws) {
			return "", false, false
		}
		d, rep, ok := ocrDigits(ws[i].text)
		return d, rep, ok
	}
	var best *found
	for i := range ws {
		// "ngày D tháng M năm Y", or "D tháng M năm Y" with ngày lost.
		at, j := i, i
		exact := true
		if ok, ex := dateKeyword(ws[i].text, "ngay"); ok {
			exact = exact && ex
			j = i + 1
		} else if i > 0 {
			if _, _, ok := num(i); !ok {
				continue
			}
			exact = false // "ngày" missing
		} else {
			continue
		}
		d, rep1, ok := num(j)
		if !ok || len(d) > 2 {
			continue
		}
		ok, ex := dateKeyword(tok(ws, j+1), "thang")
		if !ok {
			continue
		}
		exact = exact && ex
		m, rep2, ok := num(j + 2)
		if !ok || len(m) > 2 {
			continue
		}
		ok, ex = dateKeyword(tok(ws, j+3), "nam")
		if !ok {
			continue
		}
		exact = exact && ex
		y, rep3, ok := num(j + 4)
		if !ok || len(y) != 4 {
			continue
		}
		best = &found{at: at, end: j + 5, d: d, m: m, y: y, exact: exact, digitOK: !(rep1 || rep2 || rep3)}
		break
	}
	if best == nil {
		return dateLine{}, false
	}
	d, _ := strconv.Atoi(best.d)
	m, _ := strconv.Atoi(best.m)
	y, _ := strconv.Atoi(best.y)
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return dateLine{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return dateLine{}, false // 31 tháng 4
	}
	q := 1.0
	if !best.exact {
		q -= 0.15
	}
	if !best.digitOK {
		q -= 0.15
	}
	// Decree 30 pads days below 10 and months 1 and 2 with a zero; a
	// page that does not is accepted, a little less surely.
	if (d < 10 && len(best.d) == 1) || (m <= 2 && len(best.m) == 1) || (m > 2 && m < 10 && len(best.m) == 2) {
		q -= 0.05
	}
	return dateLine{
		iso:     fmt.Sprintf("%04d-%02d-%02d", y, m, d),
		year:    y,
		place:   ws[:best.at],
		quality: q,
		words:   ws[best.at:best.end],
	}, true
}

func tok(ws []word, i int) string {
	if i < len(ws) {
		return ws[i].text
	}
	return ""
}

// placeText is the place name from the words before "ngày": junk and the
// trailing comma dropped. A known place is returned in its proper
// spelling (restoring diacritics OCR lost); known reports that.
func placeText(ws []word) (place string, known bool) {
	ws = clean(ws)
	var parts []string
	for _, w := range ws {
		t := trimPunct(w.text)
		if t == "" || !hasLetter(t) {
			continue
		}
		parts = append(parts, t)
	}
	if len(parts) == 0 || len(parts) > 6 {
		return "", false
	}
	place = strings.Join(parts, " ")
	if p, ok := knownPlace(place); ok {
		return p, true
	}
	return place, false
}
