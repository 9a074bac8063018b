package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/samples/mixed"
)

func TestStatsOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name           string
		cers           []float64
		mean, p90, max float64
		over           int
	}{
		{"Empty", nil, 0, 0, 0, 0},
		{"One", []float64{0.3}, 0.3, 0.3, 0.3, 1},
		// Ten values: the 90th percentile by nearest rank is the 9th.
		{"Ten", []float64{0.5, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.1}, 0.08, 0.2, 0.5, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := statsOf(tc.cers)
			if math.Abs(s.mean-tc.mean) > 1e-9 || s.p90 != tc.p90 || s.max != tc.max || s.over != tc.over {
				t.Errorf("statsOf(%v) = %+v, want mean %v p90 %v max %v over %d", tc.cers, s, tc.mean, tc.p90, tc.max, tc.over)
			}
		})
	}
}

// The report counts review recall over the pages above 0.10 and false
// reviews over the pages at or under 0.02, from the review field.
func TestMixedReportReviewShares(t *testing.T) {
	t.Parallel()
	page := func(name string, cer float64, review bool) mixedPage {
		return mixedPage{meta: mixed.Page{Image: name, Kind: mixed.KindProse, Variant: "prose"}, cerSohoa: cer, review: review, status: "done"}
	}
	res := []mixedPage{
		page("a", 0.50, true), page("b", 0.20, false), page("c", 0.15, true), // 2 of 3 bad pages reviewed
		page("d", 0.00, false), page("e", 0.01, true), page("f", 0.02, false), page("g", 0.0, false), // 1 of 4 good ones
		page("h", 0.05, true), // neither bad nor good
	}
	var rep bytes.Buffer
	writeMixedReport(&rep, &mixed.Set{Seed: 12345, Version: mixed.Version}, res, 4, len(res), 0, 1e9, 1e9)
	out := rep.String()
	for _, want := range []string{
		"## Randomised mixed-damage set (seed 12345)",
		"**Review recall** (pages over 0.10 that carry `review: true`): **2/3 (67%)**",
		"**False reviews** (pages at CER ≤ 0.02 that carry it): **1/4 (25%)**",
		"Pages marked for review: 4 (batch.json `counts.review`: 4)",
		"| b | prose (prose) |",
		"0.2000 ⚠",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestEvaluationSeed(t *testing.T) {
	t.Parallel()
	a, b := evaluationSeed(), evaluationSeed()
	if a < 10000 || b < 10000 || a == b {
		t.Errorf("evaluation seeds %d, %d: want distinct seeds from 10000 up", a, b)
	}
}
