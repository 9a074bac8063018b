package main

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBreakLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		widths []float64
		width  float64
		indent float64
		want   []span
	}{
		{"Empty", nil, 100, 0, nil},
		{"OneLine", []float64{10, 20, 30}, 100, 0, []span{{0, 3}}},
		// 10+5+20+5+30 = 70 fits exactly in 70.
		{"ExactFit", []float64{10, 20, 30}, 70, 0, []span{{0, 3}}},
		{"Wraps", []float64{10, 20, 30}, 69, 0, []span{{0, 2}, {2, 3}}},
		{"IndentShortensFirstLine", []float64{10, 20, 30, 10}, 70, 20, []span{{0, 2}, {2, 4}}},
		{"OverlongWordAlone", []float64{10, 200, 10}, 100, 0, []span{{0, 1}, {1, 2}, {2, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := breakLines(tt.widths, 5, tt.width, tt.indent)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(span{})); diff != "" {
				t.Errorf("breakLines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBalancedBreak(t *testing.T) {
	t.Parallel()
	// Greedy at 100 gives [0,4) of width 85 and a lone last word; balanced
	// keeps two lines but evens them out.
	widths := []float64{20, 20, 20, 10, 20}
	if diff := cmp.Diff([]span{{0, 4}, {4, 5}}, breakLines(widths, 5, 100, 0), cmp.AllowUnexported(span{})); diff != "" {
		t.Fatalf("greedy (-want +got):\n%s", diff)
	}
	got := balancedBreak(widths, 5, 100)
	if diff := cmp.Diff([]span{{0, 2}, {2, 5}}, got, cmp.AllowUnexported(span{})); diff != "" {
		t.Errorf("balancedBreak (-want +got):\n%s", diff)
	}
	if got := balancedBreak([]float64{10, 10}, 5, 100); len(got) != 1 {
		t.Errorf("balancedBreak of a short title = %v, want one line", got)
	}
}

func TestJustify(t *testing.T) {
	t.Parallel()
	widths := []float64{10, 20, 30, 40}
	tests := []struct {
		name string
		s    span
		last bool
		want []float64
	}{
		// Natural width 10+5+20+5+30 = 70; 30 extra over 2 gaps.
		{"Stretches", span{0, 3}, false, []float64{0, 30, 70}},
		{"LastLineNatural", span{0, 3}, true, []float64{0, 15, 40}},
		{"SingleWord", span{3, 4}, false, []float64{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := justify(widths, 5, 100, tt.s, tt.last)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("justify (-want +got):\n%s", diff)
			}
			if !tt.last && tt.s.end-tt.s.start > 1 {
				end := got[len(got)-1] + widths[tt.s.end-1]
				if math.Abs(end-100) > 1e-9 {
					t.Errorf("justified line ends at %g, want 100", end)
				}
			}
		})
	}
}

func TestDocNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n, year int
		code    string
		want    string
	}{
		{57, 2025, "NQ-HĐND", "57/2025/NQ-HĐND"},
		{1234, 0, "QĐ-UBND", "1234/QĐ-UBND"},
		{5, 0, "UBND-TNMT", "05/UBND-TNMT"},
		{3, 2024, "QĐ-UBND", "03/2024/QĐ-UBND"},
	}
	for _, tt := range tests {
		if got := docNumber(tt.n, tt.year, tt.code); got != tt.want {
			t.Errorf("docNumber(%d, %d, %q) = %q, want %q", tt.n, tt.year, tt.code, got, tt.want)
		}
	}
}
