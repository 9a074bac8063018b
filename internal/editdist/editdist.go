// Package editdist is the edit (Levenshtein) distance, shared by
// production code (ocr/docmeta matches header words that OCR got slightly
// wrong) and by evaluation (ocr/eval's character and word error rates), so
// production code never imports the evaluation package.
package editdist

// Distance is the edit distance between a and b with unit costs
// (insertion, deletion, substitution), in O(len(b)) memory.
func Distance[T comparable](a, b []T) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
