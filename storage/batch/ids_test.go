package batch_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/storage/batch"
)

func TestCompareIDs(t *testing.T) {
	t.Parallel()
	ids := []string{"0010-0000", "0002-0001", "0002-0000", "0002.0001-0000", "0002.0000-0003", "0100-0000"}
	want := []string{"0002-0000", "0002-0001", "0002.0000-0003", "0002.0001-0000", "0010-0000", "0100-0000"}
	got := append([]string(nil), ids...)
	slices.SortFunc(got, batch.CompareIDs)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		parent       string
		n, index     int
		source, page string
	}{
		{name: "TopLevel", n: 3, index: 12, source: "0003", page: "0003-0012"},
		{name: "ZipEntry", parent: "0003", n: 1, index: 0, source: "0003.0001", page: "0003.0001-0000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := batch.SourceID(tc.parent, tc.n); got != tc.source {
				t.Errorf("SourceID = %q, want %q", got, tc.source)
			}
			if got := batch.PageID(tc.source, tc.index); got != tc.page {
				t.Errorf("PageID = %q, want %q", got, tc.page)
			}
			if src, i := batch.SplitPageID(tc.page); src != tc.source || i != tc.index {
				t.Errorf("SplitPageID(%q) = %q, %d", tc.page, src, i)
			}
		})
	}
}
