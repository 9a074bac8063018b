package batch

import (
	"fmt"
	"strconv"
	"strings"
)

// Source and page IDs. A source is "0003" (the fourth file uploaded) or
// "0003.0001" (the second entry of the zip that was source 0003); page
// index i of source s is "<s>-<iiii>": "0003-0012", "0003.0001-0000". IDs
// order sources and pages as the user gave them (CompareIDs), and name the
// page folders in the store.

// SourceID formats the n-th source (0-based) under parent ("" for a
// top-level source).
func SourceID(parent string, n int) string {
	if parent == "" {
		return fmt.Sprintf("%04d", n)
	}
	return fmt.Sprintf("%s.%04d", parent, n)
}

// PageID is the stable identifier of page index of source sourceID.
func PageID(sourceID string, index int) string {
	return fmt.Sprintf("%s-%04d", sourceID, index)
}

// SplitPageID splits a page ID into its source ID and page index:
// "0003.0001-0012" gives "0003.0001" and 12.
func SplitPageID(id string) (sourceID string, index int) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return id, 0
	}
	n, _ := strconv.Atoi(id[i+1:])
	return id[:i], n
}

// CompareIDs orders source or page IDs ("0003", "0003.0001", "0003-0012")
// numerically, part by part.
func CompareIDs(a, b string) int {
	pa, pb := splitID(a), splitID(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return len(pa) - len(pb)
}

// splitID turns "0003.0001-0012" into [3 1 -1 12]: -1 separates the source
// part from the page part so "0003-0000" sorts before "0003.0001-0000".
func splitID(id string) []int {
	var out []int
	n, in := 0, false
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
			in = true
			continue
		}
		if in {
			out = append(out, n)
		}
		n, in = 0, false
		if c == '-' {
			out = append(out, -1)
		}
	}
	if in {
		out = append(out, n)
	}
	return out
}
