package eval

import (
	"math"
	"testing"
)

func TestCER(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, ref, hyp string
		want           float64
	}{
		{"Identical", "Quyết định", "Quyết định", 0},
		{"WhitespaceIgnored", "Quyết  định\nsố 5", " Quyết định số 5 ", 0},
		{"NFDvsNFC", "Quyết", "Quye\u0302\u0301t", 0},
		{"OneDiacriticWrong", "Quyết", "Quyệt", 0.2},
		{"QuotesFolded", "“Về việc” – x", "\"Về việc\" - x", 0},
		{"EmptyBoth", "", "", 0},
		{"EmptyRef", "", "x", 1},
		{"AllMissing", "abcd", "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := CER(tc.ref, tc.hyp); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("CER(%q, %q) = %v, want %v", tc.ref, tc.hyp, got, tc.want)
			}
		})
	}
}

func TestBagOfWords(t *testing.T) {
	t.Parallel()
	r, p := BagOfWords("a b c d", "d c b x")
	if r != 0.75 || p != 0.75 {
		t.Errorf("BagOfWords = %v, %v; want 0.75, 0.75", r, p)
	}
}

func TestWER(t *testing.T) {
	t.Parallel()
	if got := WER("một hai ba bốn", "một hai bà bốn"); got != 0.25 {
		t.Errorf("WER = %v, want 0.25", got)
	}
}
