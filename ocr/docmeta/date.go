package docmeta

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/sohoa/sohoa/internal/editdist"
)

// dateLine is a parsed place-and-date line: "Quảng Ninh, ngày 05 tháng 3
// năm 2025".
type dateLine struct {
	iso   string // 2025-03-05; "" when the day or month could not be read
	year  int
	place []word // the words before "ngày"
	// quality is how closely the line followed the rule, 0..1: 1 for
	// "ngày 05 tháng 3 năm 2025" read cleanly; less for repaired digits
	// (Z7), a keyword missing or misread, or unpadded days and months.
	quality float64
	words   []word // the date's own words, for their confidence

	// The line's parts. The day, month and year as read ("" when not
	// readable), and whether each was read as plain digits with nothing
	// repaired or dropped: a day read "@3" is 3 only by a guess.
	day, month           string
	dayClean, monthClean bool
	// The words of the keywords and of each part. dayWords is empty when
	// OCR ran the day into "ngày" (dayIn is then that word).
	ngay, thang, nam     *word
	dayWords, monthWords []word
	yearWord             word
	dayIn                bool
}

// printedPart is what of the date is sure when its day is not: the year
// and month, "2024-12", or the year alone.
func (d dateLine) printedPart() string {
	if d.year == 0 {
		return ""
	}
	if m, err := strconv.Atoi(d.month); err == nil && m >= 1 && m <= 12 {
		return fmt.Sprintf("%04d-%02d", d.year, m)
	}
	return fmt.Sprintf("%04d", d.year)
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

// parseDate finds a complete "ngày D tháng M năm Y" in a line and the
// place before it (readDateLine, for lines whose date could be read).
func parseDate(ws []word) (dateLine, bool) {
	d, ok := readDateLine(ws)
	return d, ok && d.iso != ""
}

// readDateLine finds a place-date line, "<place>, ngày D tháng M năm Y",
// in a line. It tolerates missing diacritics, a misread keyword, letters
// read for digits, "ngày" lost altogether or run into the day ("ngày®0",
// a handwritten day read as a symbol), and unpadded days and months. ok
// reports a place-date line (the keywords "tháng" and "năm" and a year);
// iso is set only when the day and month could be read too, so a line
// whose day is left blank or written illegibly by hand is found, with
// its year and month.
func readDateLine(ws []word) (dateLine, bool) {
	ws = splitDigits(ws)
	for t := range ws {
		okT, exT := dateKeyword(ws[t].text, "thang")
		if !okT || t == 0 {
			continue
		}
		// "năm" within two words of "tháng" (the month between), then the year.
		n := -1
		exN := false
		for j := t + 1; j <= min(t+3, len(ws)-2); j++ {
			if ok, ex := dateKeyword(ws[j].text, "nam"); ok {
				n, exN = j, ex
				break
			}
		}
		if n < 0 {
			continue
		}
		y, repY, okY := ocrDigits(ws[n+1].text)
		if !okY || len(y) != 4 {
			continue
		}
		year, _ := strconv.Atoi(y)
		if year < 1900 || year > 2100 {
			continue
		}
		d := dateLine{year: year, yearWord: ws[n+1], thang: &ws[t], nam: &ws[n]}
		d.monthWords = ws[t+1 : n]
		// "ngày" just before the day, the day just before "tháng".
		g := -1
		exG := true
		for j := t - 1; j >= max(0, t-3); j-- {
			if rs := []rune(ws[j].text); len(rs) > 4 && key(string(rs[:4])) == "ngay" && !unicode.IsLetter(rs[4]) {
				g, d.dayIn = j, true // "ngày®0": the day run into the keyword
				break
			}
			if ok, ex := dateKeyword(ws[j].text, "ngay"); ok {
				g, exG = j, ex
				break
			}
		}
		at := g
		switch {
		case g >= 0:
			d.ngay = &ws[g]
			d.dayWords = ws[g+1 : t]
		default:
			// "ngày" lost: the day is the number just before "tháng".
			if _, _, ok := ocrDigits(ws[t-1].text); !ok || t-1 == 0 {
				continue
			}
			exG = false
			at = t - 1
			d.dayWords = ws[t-1 : t]
		}
		if d.dayIn && len(d.dayWords) > 0 {
			d.dayIn = false // the day has its own word; the keyword only carries a speck
		}
		d.place = ws[:at]
		d.words = ws[at : n+2]
		var repD, repM bool
		d.day, repD, d.dayClean = readPart(d.dayWords, d.dayIn, ws, g)
		d.month, repM, d.monthClean = readPart(d.monthWords, false, ws, -1)
		q := 1.0
		if !(exG && exT && exN) {
			q -= 0.15
		}
		if repD || repM || repY {
			q -= 0.15
		}
		dd, _ := strconv.Atoi(d.day)
		mm, _ := strconv.Atoi(d.month)
		if mm < 1 || mm > 12 {
			d.month, d.monthClean = "", false
		}
		if d.day != "" && d.month != "" {
			tm := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
			if dd >= 1 && len(d.day) <= 2 && tm.Day() == dd {
				d.iso = fmt.Sprintf("%04d-%02d-%02d", year, mm, dd)
			}
		}
		if d.iso == "" {
			d.day, d.dayClean = "", false // 31 tháng 4, 80 tháng 3: not a day
		}
		// Decree 30 pads days below 10 and months 1 and 2 with a zero; a
		// page that does not is accepted, a little less surely.
		if d.iso != "" && ((dd < 10 && len(d.day) == 1) || (mm <= 2 && len(d.month) == 1) || (mm > 2 && mm < 10 && len(d.month) == 2)) {
			q -= 0.05
		}
		d.quality = q
		return d, true
	}
	return dateLine{}, false
}

// readPart reads a day or a month from its words: the digits as read, and
// whether they were repaired and whether they were read cleanly (plain
// digits, nothing dropped). A day run into "ngày" is read from what
// follows the keyword in that word.
func readPart(ws []word, inKeyword bool, all []word, g int) (digits string, repaired, clean bool) {
	text := ""
	switch {
	case inKeyword && g >= 0:
		rs := []rune(all[g].text)
		if len(rs) > 4 {
			text = string(rs[4:])
		}
	default:
		parts := make([]string, len(ws))
		for i, w := range ws {
			parts[i] = w.text
		}
		text = strings.Join(parts, "")
	}
	if text == "" {
		return "", false, false
	}
	d, rep, ok := ocrDigits(text)
	if !ok {
		return "", false, false
	}
	clean = !rep && strings.TrimRight(text, ".,;:") == d
	return d, rep, clean
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
