package farm

import (
	"fmt"
	"testing"
)

// The names of an upload are made unique as they come: copies of one name
// become "a (2).png", "a (3).png"... without clashing with names the
// upload already has.
func TestUploadUniqueNames(t *testing.T) {
	t.Parallel()
	u := &Upload{seen: map[string]bool{}, next: map[string]int{}}
	var got []string
	for _, n := range []string{"a.png", "A.png", "a (2).png", "a.png", "a (3).png", "a.png", "b", "b", "d/a.png"} {
		got = append(got, u.unique(n))
	}
	want := []string{"a.png", "A (2).png", "a (2) (2).png", "a (3).png", "a (3) (2).png", "a (4).png", "b", "b (2)", "d/a.png"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("names\n got %q\nwant %q", got, want)
	}
}

// BenchmarkUploadNames: the time per name stays the same with 100 copies
// of one name and with 4,000 (it grew with the count before).
func BenchmarkUploadNames(b *testing.B) {
	for _, n := range []int{100, 4000} {
		b.Run(fmt.Sprintf("copies=%d", n), func(b *testing.B) {
			for b.Loop() {
				u := &Upload{seen: map[string]bool{}, next: map[string]int{}}
				for range n {
					u.unique("hồ sơ/trang.png")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/name")
		})
	}
}
