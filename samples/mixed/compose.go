package mixed

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// offices fill {office}: bodies named inside sentences.
var offices = []string{
	"Sở Nông nghiệp và Phát triển nông thôn", "Sở Xây dựng", "Sở Y tế", "Sở Tài chính",
	"Phòng Giáo dục và Đào tạo", "Văn phòng Ủy ban nhân dân tỉnh", "Trung tâm Lưu trữ lịch sử",
	"Ban Quản lý dự án đầu tư xây dựng", "Phòng Tài nguyên và Môi trường", "Sở Nội vụ",
}

var englishMonths = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// between is a uniform integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// uniform is a uniform float in [lo, hi).
func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// pickN picks n distinct items in their original order.
func pickN[T any](r *rand.Rand, xs []T, n int) []T {
	n = min(n, len(xs))
	idx := r.Perm(len(xs))[:n]
	keep := make([]bool, len(xs))
	for _, i := range idx {
		keep[i] = true
	}
	var out []T
	for i, x := range xs {
		if keep[i] {
			out = append(out, x)
		}
	}
	return out
}

func person(r *rand.Rand) string {
	if chance(r, 0.3) {
		return pick(r, familyNames) + " " + pick(r, givenNames)
	}
	return pick(r, familyNames) + " " + pick(r, middleNames) + " " + pick(r, givenNames)
}

// groupThousands writes n with sep between groups of three digits.
func groupThousands(n int, sep string) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// filler fills the slots of the bank's sentences. One filler serves one
// page, so a page's year and province stay consistent.
type filler struct {
	r        *rand.Rand
	decks    map[*string][]int // per bank, the sentences not used yet
	year     int
	province string
	district string
	code     string
}

func newFiller(r *rand.Rand) *filler {
	return &filler{r: r, year: between(r, 1996, 2025), province: pick(r, provinces), district: pick(r, districts), code: "VP"}
}

// vdate is a date as written in Vietnamese running text ("5 tháng 3 năm
// 2021", sometimes "05/3/2021").
func (f *filler) vdate(year int) string {
	d, m := between(f.r, 1, 28), between(f.r, 1, 12)
	if chance(f.r, 0.25) {
		return fmt.Sprintf("%02d/%d/%d", d, m, year)
	}
	return fmt.Sprintf("%d tháng %d năm %d", d, m, year)
}

func (f *filler) fill(s string) string {
	r := f.r
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		slot := s[i+1 : i+j]
		s = s[i+j+1:]
		var v string
		switch slot {
		case "year":
			v = strconv.Itoa(f.year)
		case "year2":
			v = strconv.Itoa(f.year + between(r, 1, 4))
		case "date":
			v = f.vdate(f.year - between(r, 0, 3))
		case "date2":
			v = f.vdate(f.year + 1)
		case "n1":
			v = strconv.Itoa(between(r, 2, 9))
		case "n2":
			v = strconv.Itoa(between(r, 10, 99))
		case "n3":
			v = strconv.Itoa(between(r, 100, 2999))
		case "money":
			v = groupThousands(between(r, 12, 9800)*between(r, 1, 9)*100000, ".")
		case "pct":
			if chance(r, 0.5) {
				v = fmt.Sprintf("%d,%d", between(r, 60, 99), between(r, 1, 9))
			} else {
				v = strconv.Itoa(between(r, 55, 100))
			}
		case "person":
			v = person(r)
		case "office":
			v = pick(r, offices)
		case "commune":
			v = pick(r, communes)
		case "COMMUNE":
			v = strings.ToUpper(pick(r, communes))
		case "district":
			v = f.district
		case "DISTRICT":
			v = strings.ToUpper(f.district)
		case "province":
			v = f.province
		case "code":
			v = f.code
		case "roman":
			v = pick(r, romans)
		case "letter":
			v = string(rune('A' + r.IntN(8)))
		case "edate":
			v = fmt.Sprintf("%d %s %d", between(r, 1, 28), pick(r, englishMonths), f.year)
		case "emoney":
			v = pick(r, []string{"£", "$", "€"}) + groupThousands(between(r, 1200, 98000), ",")
		case "ename":
			v = strings.Fields(pick(r, englishNames))[1]
		case "place":
			v = pick(r, englishPlaces)
		default:
			v = "{" + slot + "}"
		}
		b.WriteString(v)
	}
}

// sentences joins n filled sentences from bank. A page uses each
// sentence of a bank once before any comes again.
func (f *filler) sentences(bank []string, n int) string {
	if f.decks == nil {
		f.decks = map[*string][]int{}
	}
	var parts []string
	for range n {
		deck := f.decks[&bank[0]]
		if len(deck) == 0 {
			deck = f.r.Perm(len(bank))
		}
		parts = append(parts, f.fill(bank[deck[0]]))
		f.decks[&bank[0]] = deck[1:]
	}
	return strings.Join(parts, " ")
}
