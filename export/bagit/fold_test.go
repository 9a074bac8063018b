package bagit

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Quyết định phê duyệt ", 12)
	for _, tc := range []struct {
		name, label, value string
		want               string // "" = only check the invariants
	}{
		{"Short", "Contact-Name", "Nguyễn Văn A", "Contact-Name: Nguyễn Văn A\n"},
		{"Empty", "External-Description", "", "External-Description: \n"},
		{"TrimmedValue", "Contact-Name", "  A  ", "Contact-Name: A\n"},
		{"LineBreaks", "External-Description", "dòng 1\r\ndòng 2\rdòng 3", "External-Description: dòng 1\n dòng 2\n dòng 3\n"},
		{"Long", "External-Description", long, ""},
		{"LongWord", "External-Identifier", strings.Repeat("x", 100), "External-Identifier: " + strings.Repeat("x", 100) + "\n"},
		{"LongWordsAfterShort", "X", "a " + strings.Repeat("y", 90) + " b", "X: a\n " + strings.Repeat("y", 90) + "\n b\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := fold(tc.label, tc.value)
			if tc.want != "" && got != tc.want {
				t.Errorf("fold = %q, want %q", got, tc.want)
			}
			if !strings.HasPrefix(got, tc.label+": ") || !strings.HasSuffix(got, "\n") {
				t.Errorf("fold = %q: not 'Label: value\\n'", got)
			}
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			for i, l := range lines {
				if i > 0 && !strings.HasPrefix(l, " ") {
					t.Errorf("continuation line %q not indented", l)
				}
				if n := utf8.RuneCountInString(l); n > lineWidth && !strings.Contains(strings.TrimSpace(l), strings.Repeat("x", 80)) && !strings.Contains(l, strings.Repeat("y", 80)) {
					t.Errorf("line of %d characters: %q", n, l)
				}
			}
			if !strings.ContainsAny(tc.value, "\r\n") {
				unfolded := strings.TrimSuffix(strings.ReplaceAll(got, "\n ", " "), "\n")
				if want := tc.label + ": " + strings.TrimSpace(tc.value); unfolded != want {
					t.Errorf("unfolded %q, want %q", unfolded, want)
				}
			}
		})
	}
}

func TestHumanSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 KB", 1_234_567: "1.2 MB", 260_000_000_000: "260.0 GB"} {
		if got := humanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestEncodePath(t *testing.T) {
	t.Parallel()
	if got, want := encodePath("data/100% a\r\nb.txt"), "data/100%25 a%0D%0Ab.txt"; got != want {
		t.Errorf("encodePath = %q, want %q", got, want)
	}
}
