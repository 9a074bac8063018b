package tt05aip

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date is a date as the package writes it: a day, a month or a year
// (startDate and endDate of a record may be given to the month or the
// year only). Zero fields are not known.
type Date struct {
	Year, Month, Day int
}

// String is the date as the circular writes it: DD/MM/YYYY, or MM/YYYY,
// or YYYY; "" for the zero Date.
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%02d/%04d", d.Month, d.Year)
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// IsZero reports an unknown date.
func (d Date) IsZero() bool { return d.Year == 0 }

// Full reports a date given to the day.
func (d Date) Full() bool { return d.Day != 0 }

// Before reports whether d starts before e (a partial date is compared at
// its start: 2001 is before 03/2001).
func (d Date) Before(e Date) bool {
	a := [3]int{d.Year, d.Month, d.Day}
	b := [3]int{e.Year, e.Month, e.Day}
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

var (
	reDMY = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)
	reISO = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	reMY  = regexp.MustCompile(`^(\d{1,2})[/.-](\d{4})$`)
	reY   = regexp.MustCompile(`^(\d{4})$`)
)

// dateError is a value ParseDate cannot read: why is "" when its form
// is not one of the date forms, else what is impossible about it.
type dateError struct {
	value, why string
}

func (e *dateError) Error() string {
	if e.why == "" {
		return fmt.Sprintf("not a date: %q (write DD/MM/YYYY, MM/YYYY or YYYY)", e.value)
	}
	return fmt.Sprintf("not a date: %q: %s", e.value, e.why)
}

// ParseDate reads a date as archivists and the farm write it:
// DD/MM/YYYY (also with one-digit day or month, and "." or "-" between),
// YYYY-MM-DD (ISO 8601, as ocr/docmeta gives it), MM/YYYY or YYYY.
// Impossible dates (31/04/2025) and years outside 1800–2200 are refused.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	var d Date
	full := false
	switch {
	case reDMY.MatchString(s):
		m := reDMY.FindStringSubmatch(s)
		d, full = Date{atoi(m[3]), atoi(m[2]), atoi(m[1])}, true
	case reISO.MatchString(s):
		m := reISO.FindStringSubmatch(s)
		d, full = Date{atoi(m[1]), atoi(m[2]), atoi(m[3])}, true
	case reMY.MatchString(s):
		m := reMY.FindStringSubmatch(s)
		d = Date{Year: atoi(m[2]), Month: atoi(m[1])}
		if d.Month == 0 {
			return Date{}, &dateError{s, "there is no month 0"}
		}
	case reY.MatchString(s):
		d = Date{Year: atoi(s)}
	default:
		return Date{}, &dateError{s, ""}
	}
	if d.Year < 1800 || d.Year > 2200 {
		return Date{}, &dateError{s, fmt.Sprintf("year %d is out of range", d.Year)}
	}
	if (d.Month != 0 || full) && (d.Month < 1 || d.Month > 12) {
		return Date{}, &dateError{s, fmt.Sprintf("there is no month %d", d.Month)}
	}
	if full {
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.Day || d.Day < 1 {
			return Date{}, &dateError{s, fmt.Sprintf("%s has no day %d", time.Month(d.Month), d.Day)}
		}
	}
	return d, nil
}

// FormatDate converts a date in any form ParseDate reads to the
// circular's DD/MM/YYYY (or MM/YYYY, YYYY): "2025-03-05" → "05/03/2025".
func FormatDate(s string) (string, error) {
	d, err := ParseDate(s)
	if err != nil {
		return "", err
	}
	return d.String(), nil
}
