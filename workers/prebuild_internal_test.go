package workers

import (
	"encoding/json"
	"testing"

	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

// A document made early stands only for the page it was made from: one
// page, done, with the same outputs.
func TestPrebuiltDocumentUsable(t *testing.T) {
	t.Parallel()
	sums := map[string]string{"hocr": "aa", "image": "bb", "text": "cc"}
	pb := prebuilt{Doc: batch.Document{SourceID: "0001", PDF: "x.pdf"}, Basis: sums}
	j, _ := json.Marshal(pb)
	attrs := map[string]string{"title": "Lô 1", attrDocuments: "[]", attrPrebuilt + "0001": string(j), attrPrebuilt + "0002": "{broken"}
	early := prebuiltDocuments(attrs)
	if len(early) != 1 || early["0001"].Doc.PDF != "x.pdf" {
		t.Fatalf("prebuilt documents %v, want source 0001's only", early)
	}
	page := func(status string, sums map[string]string) batch.Page {
		return batch.Page{ID: "0001-0000", SourceID: "0001", Status: status, SHA256: sums}
	}
	for _, tc := range []struct {
		name  string
		pages []batch.Page
		want  bool
	}{
		{"SamePage", []batch.Page{page(queue.StateDone, map[string]string{"hocr": "aa", "image": "bb", "text": "cc"})}, true},
		{"PageReadAgainDifferently", []batch.Page{page(queue.StateDone, map[string]string{"hocr": "a2", "image": "bb", "text": "cc"})}, false},
		{"PageNowFailed", []batch.Page{page(queue.StateFailed, sums)}, false},
		{"SourceHasTwoPages", []batch.Page{page(queue.StateDone, sums), page(queue.StateDone, sums)}, false},
	} {
		if got := early["0001"].usable(tc.pages); got != tc.want {
			t.Errorf("%s: usable = %v, want %v", tc.name, got, tc.want)
		}
	}
	if (prebuilt{Doc: pb.Doc}).usable([]batch.Page{page(queue.StateDone, nil)}) {
		t.Error("a prebuilt with no basis was usable")
	}
}
