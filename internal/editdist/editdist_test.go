package editdist

import "testing"

func TestDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a, b string
		want int
	}{
		{"Identical", "việc", "việc", 0},
		{"BothEmpty", "", "", 0},
		{"OneEmpty", "", "abc", 3},
		{"Substitution", "viec", "việc", 1},
		{"Insertion", "ngay", "ngày 5", 3},
		{"Deletion", "tháng", "thng", 1},
		{"KittenSitting", "kitten", "sitting", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Distance([]rune(tc.a), []rune(tc.b)); got != tc.want {
				t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
			if got := Distance([]rune(tc.b), []rune(tc.a)); got != tc.want {
				t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
			}
		})
	}
}
