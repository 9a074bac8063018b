package farm_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

func TestTrackerLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tr := farm.NewTracker(redistest.Start(t).Client())
	b := "B1"
	err := tr.CreateBatch(ctx, farm.BatchInfo{ID: b, Created: time.Now(), Sources: []queue.SourceRef{
		{ID: "0000", Name: "a.tif"}, {ID: "0001", Name: "scans.zip"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.CreateBatch(ctx, farm.BatchInfo{ID: b, Created: time.Now(), Sources: []queue.SourceRef{{ID: "0000"}}}); err == nil {
		t.Error("creating the same batch twice succeeded")
	}
	c, err := tr.RegisterSplit(ctx, b, "0000", []string{"0000-0000", "0000-0001"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Splitting again (the task ran twice) changes nothing.
	c2, err := tr.RegisterSplit(ctx, b, "0000", []string{"0000-0000", "0000-0001"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, c2); diff != "" {
		t.Errorf("a repeated split changed the counts (-first +second):\n%s", diff)
	}
	if c.Pages != 2 || c.Split != 1 || c.Status != batch.StatusRunning || c.Complete() {
		t.Errorf("after the first split: %+v", c)
	}
	// The zip yields one child source with one page.
	if _, err := tr.RegisterSplit(ctx, b, "0001", nil, []queue.SourceRef{{ID: "0001.0000", Name: "scans.zip/p.png"}}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		page  string
		state batch.PageState
	}{
		{"0000-0000", batch.StateDone},
		{"0000-0000", batch.StateDone}, // repeated: no double count
		{"0000-0001", batch.StateFailed},
	} {
		if c, err = tr.SetPage(ctx, b, step.page, step.state, &batch.Page{ID: step.page, Status: step.state}); err != nil {
			t.Fatal(err)
		}
	}
	if c.Done != 1 || c.Failed != 1 || c.Complete() {
		t.Errorf("before the zip entry is split the batch must not be complete: %+v", c)
	}
	if _, err := tr.RegisterSplit(ctx, b, "0001.0000", []string{"0001.0000-0000"}, nil); err != nil {
		t.Fatal(err)
	}
	// A retry moves a failed page back to pending, then done.
	for _, st := range []batch.PageState{batch.StatePending, batch.StateDone} {
		if c, err = tr.SetPage(ctx, b, "0000-0001", st, nil); err != nil {
			t.Fatal(err)
		}
	}
	if c, err = tr.SetPage(ctx, b, "0001.0000-0000", batch.StateDone, nil); err != nil {
		t.Fatal(err)
	}
	want := farm.Progress{Counts: batch.Counts{Sources: 3, Pages: 3, Done: 3}, Split: 3, Status: batch.StatusRunning}
	if diff := cmp.Diff(want, c, cmpopts.IgnoreFields(farm.Progress{}, "Version")); diff != "" {
		t.Errorf("final counts mismatch (-want +got):\n%s", diff)
	}
	if !c.Complete() {
		t.Error("batch not complete with every page done")
	}
	srcs, err := tr.Sources(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range srcs {
		ids = append(ids, s.ID)
	}
	if diff := cmp.Diff([]string{"0000", "0001", "0001.0000"}, ids); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	if _, err := tr.SetPage(ctx, "nope", "x", batch.StateDone, nil); err == nil {
		t.Error("SetPage on an unknown batch succeeded")
	}
}

func TestManifestLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tr := farm.NewTracker(redistest.Start(t).Client())
	ok, err := tr.AcquireManifest(ctx, "B", "w1", time.Minute)
	if err != nil || !ok {
		t.Fatalf("first writer: ok=%v err=%v", ok, err)
	}
	if err := tr.ClaimDirty(ctx, "B", "w1", time.Minute); err != nil {
		t.Fatal(err)
	}
	// A second writer arrives while w1 writes: it must not get the lease,
	// and w1 must be told to write again.
	if ok, _ := tr.AcquireManifest(ctx, "B", "w2", time.Minute); ok {
		t.Fatal("second writer got the lease")
	}
	if released, _ := tr.ReleaseManifest(ctx, "B", "w1"); released {
		t.Fatal("lease released although the manifest became dirty")
	}
	tr.ClaimDirty(ctx, "B", "w1", time.Minute)
	if released, _ := tr.ReleaseManifest(ctx, "B", "w1"); !released {
		t.Fatal("clean manifest: lease not released")
	}
	if ok, _ := tr.AcquireManifest(ctx, "B", "w2", time.Minute); !ok {
		t.Fatal("after release, the next writer did not get the lease")
	}
}

// A document made early stands only for the page it was made from: one
// page, done, with the same outputs.
func TestPrebuiltUsable(t *testing.T) {
	t.Parallel()
	sums := map[string]string{"hocr": "aa", "image": "bb", "text": "cc"}
	pb := farm.Prebuilt{Doc: batch.Document{SourceID: "0001", PDF: "x.pdf"}, Basis: sums}
	page := func(status batch.PageState, sums map[string]string) batch.Page {
		return batch.Page{ID: "0001-0000", SourceID: "0001", Status: status, SHA256: sums}
	}
	for _, tc := range []struct {
		name  string
		pb    farm.Prebuilt
		pages []batch.Page
		want  bool
	}{
		{"SamePage", pb, []batch.Page{page(batch.StateDone, map[string]string{"hocr": "aa", "image": "bb", "text": "cc"})}, true},
		{"PageReadAgainDifferently", pb, []batch.Page{page(batch.StateDone, map[string]string{"hocr": "a2", "image": "bb", "text": "cc"})}, false},
		{"PageNowFailed", pb, []batch.Page{page(batch.StateFailed, sums)}, false},
		{"SourceHasTwoPages", pb, []batch.Page{page(batch.StateDone, sums), page(batch.StateDone, sums)}, false},
		{"NoBasis", farm.Prebuilt{Doc: pb.Doc}, []batch.Page{page(batch.StateDone, nil)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.pb.Usable(tc.pages); got != tc.want {
				t.Errorf("Usable = %v, want %v", got, tc.want)
			}
		})
	}
}

// The batch's state is typed and kept apart: the user's attributes, its
// webhook, its documents, documents made early and metadata corrections
// each have their own key, and a broken value is an error, not a silent
// zero.
func TestBatchStateKeptApart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := redistest.Start(t).Client()
	tr := farm.NewTracker(rdb)
	b := "B2"
	err := tr.CreateBatch(ctx, farm.BatchInfo{ID: b, Created: time.Now(), Sources: []queue.SourceRef{{ID: "0000", Name: "a.png"}},
		Attrs: map[string]string{"title": "Lô 2", "priority": "high"}, Webhook: webhook.Target{URL: "https://x.example/hook", Secret: "bí mật"}})
	if err != nil {
		t.Fatal(err)
	}
	docs := []batch.Document{{Source: "a.png", SourceID: "0000", PDF: "batches/B2/documents/0000.pdf", Pages: []string{"0000-0000"}}}
	if err := tr.SetDocuments(ctx, b, docs); err != nil {
		t.Fatal(err)
	}
	pb := farm.Prebuilt{Doc: docs[0], Basis: map[string]string{"text": "cc"}}
	if err := tr.SetPrebuilt(ctx, b, "0000", pb); err != nil {
		t.Fatal(err)
	}
	mc := batch.MetadataCorrection{Version: 1, Key: "k", By: "Lan", Metadata: []byte(`{"number":"5"}`)}
	if err := tr.SetMetadataCorrection(ctx, b, "0000", mc); err != nil {
		t.Fatal(err)
	}
	attrs, err := tr.Attrs(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"title": "Lô 2", "priority": "high"}, attrs); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}
	raw, err := rdb.HGetAll(ctx, "sohoa:{B2}:attrs").Result()
	if err != nil || len(raw) != 2 {
		t.Errorf("the attribute hash holds %v (%v), want the user's two attributes only", raw, err)
	}
	hook, err := tr.BatchWebhook(ctx, b)
	if err != nil || hook.URL != "https://x.example/hook" || hook.Secret != "bí mật" {
		t.Errorf("webhook = %+v, %v", hook, err)
	}
	gotDocs, err := tr.Documents(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(docs, gotDocs); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	early, err := tr.Prebuilt(ctx, b)
	if err != nil || !early["0000"].Usable([]batch.Page{{Status: batch.StateDone, SHA256: map[string]string{"text": "cc"}}}) {
		t.Errorf("prebuilt = %+v, %v", early, err)
	}
	corr, err := tr.MetadataCorrections(ctx, b)
	if err != nil || corr["0000"].Version != 1 || corr["0000"].By != "Lan" {
		t.Errorf("metadata corrections = %+v, %v", corr, err)
	}
	// A damaged value is an error naming what is damaged.
	rdb.HSet(ctx, "sohoa:{B2}:prebuilt", "0001", "{broken")
	if _, err := tr.Prebuilt(ctx, b); err == nil || !strings.Contains(err.Error(), "0001") {
		t.Errorf("a damaged prebuilt document: %v, want an error naming source 0001", err)
	}
	rdb.HSet(ctx, "sohoa:{B2}:pages", "0000-0000", "{broken")
	rdb.HSet(ctx, "sohoa:{B2}:state", "0000-0000", "done")
	if _, _, err := tr.Pages(ctx, b); err == nil || !strings.Contains(err.Error(), "0000-0000") {
		t.Errorf("a damaged page entry: %v, want an error naming page 0000-0000", err)
	}
}

// A batch created by a version that kept its internal state among the
// attributes (older versions) is read as it was written: batches in flight
// during an upgrade finish as they began.
func TestBatchStateOfOlderVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := redistest.Start(t).Client()
	tr := farm.NewTracker(rdb)
	b := "B3"
	if err := tr.CreateBatch(ctx, farm.BatchInfo{ID: b, Created: time.Now(), Sources: []queue.SourceRef{{ID: "0000"}, {ID: "0001"}}}); err != nil {
		t.Fatal(err)
	}
	docs := `[{"source":"a.png","source_id":"0000","pdf":"batches/B3/documents/0000.pdf","pages":["0000-0000"]}]`
	err := rdb.HSet(ctx, "sohoa:{B3}:attrs", "title", "Lô 3", "webhook_url", "https://old.example/hook", "webhook_secret", "cũ",
		"_documents", docs, "_prebuilt:0000", `{"doc":{"source_id":"0000"},"basis":{"text":"aa"}}`,
		"_metacorr:0000", `{"version":2,"key":"k","by":"Lan","role":"archivist","at":"2026-01-02T03:04:05Z","metadata":{}}`).Err()
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := tr.Attrs(ctx, b)
	if err != nil || len(attrs) != 1 || attrs["title"] != "Lô 3" {
		t.Errorf("attributes = %v, %v; want the title only", attrs, err)
	}
	if hook, err := tr.BatchWebhook(ctx, b); err != nil || hook.URL != "https://old.example/hook" || hook.Secret != "cũ" {
		t.Errorf("webhook = %+v, %v", hook, err)
	}
	if d, err := tr.Documents(ctx, b); err != nil || len(d) != 1 || d[0].PDF != "batches/B3/documents/0000.pdf" {
		t.Errorf("documents = %+v, %v", d, err)
	}
	// What the new version writes wins over what the old one left.
	if err := tr.SetPrebuilt(ctx, b, "0001", farm.Prebuilt{Doc: batch.Document{SourceID: "0001"}}); err != nil {
		t.Fatal(err)
	}
	if early, err := tr.Prebuilt(ctx, b); err != nil || len(early) != 2 || early["0000"].Basis["text"] != "aa" {
		t.Errorf("prebuilt = %+v, %v", early, err)
	}
	if corr, err := tr.MetadataCorrections(ctx, b); err != nil || corr["0000"].Version != 2 {
		t.Errorf("metadata corrections = %+v, %v", corr, err)
	}
	if err := tr.SetDocuments(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	if d, err := tr.Documents(ctx, b); err != nil || d != nil {
		t.Errorf("documents after finalize wrote none: %+v, %v", d, err)
	}
}
