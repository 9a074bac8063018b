package main

import "fmt"

// span is a half-open range [start, end) of word indices forming one line.
type span struct{ start, end int }

// breakLines splits words of the given widths greedily into lines no wider
// than width, with natural gap space between words; the first line is
// narrower by indent. A word wider than a line gets a line of its own.
func breakLines(widths []float64, space, width, indent float64) []span {
	var lines []span
	start := 0
	for start < len(widths) {
		avail := width
		if len(lines) == 0 {
			avail -= indent
		}
		w := widths[start]
		end := start + 1
		for end < len(widths) && w+space+widths[end] <= avail+1e-9 {
			w += space + widths[end]
			end++
		}
		lines = append(lines, span{start, end})
		start = end
	}
	return lines
}

// balancedBreak splits words into the same number of lines greedy breaking
// gives at width, but with lines as even as possible (the narrowest width
// keeping that line count), as centred titles are set.
func balancedBreak(widths []float64, space, width float64) []span {
	want := len(breakLines(widths, space, width, 0))
	if want <= 1 {
		return breakLines(widths, space, width, 0)
	}
	lo, hi := 0.0, width
	for range 40 {
		mid := (lo + hi) / 2
		if len(breakLines(widths, space, mid, 0)) <= want {
			hi = mid
		} else {
			lo = mid
		}
	}
	return breakLines(widths, space, hi, 0)
}

// lineWidth is the natural width of words[s.start:s.end] with gap space.
func lineWidth(widths []float64, space float64, s span) float64 {
	w := 0.0
	for i := s.start; i < s.end; i++ {
		w += widths[i]
		if i > s.start {
			w += space
		}
	}
	return w
}

// justify returns the x offset of each word of the line s so that the line
// fills width exactly, by widening the gaps evenly. The last line of a
// paragraph and a line of one word keep natural spacing (left aligned).
func justify(widths []float64, space, width float64, s span, last bool) []float64 {
	n := s.end - s.start
	xs := make([]float64, n)
	gap := space
	if !last && n > 1 {
		gap = space + (width-lineWidth(widths, space, s))/float64(n-1)
	}
	x := 0.0
	for i := range n {
		xs[i] = x
		x += widths[s.start+i] + gap
	}
	return xs
}

// docNumber formats the number and code of a document as printed after
// "Số: ": numbers below 10 get a leading zero; normative documents carry
// the year ("57/2025/NQ-HĐND"), others do not ("1234/QĐ-UBND").
func docNumber(n, year int, code string) string {
	if year > 0 {
		return fmt.Sprintf("%02d/%d/%s", n, year, code)
	}
	return fmt.Sprintf("%02d/%s", n, code)
}
