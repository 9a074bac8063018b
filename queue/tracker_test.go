package queue_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/queue"
)

func TestTrackerLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tr := queue.NewTracker(redistest.Start(t).Client())
	b := "B1"
	err := tr.CreateBatch(ctx, queue.BatchInfo{ID: b, Created: time.Now(), Sources: []queue.SourceRef{
		{ID: "0000", Name: "a.tif"}, {ID: "0001", Name: "scans.zip"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.CreateBatch(ctx, queue.BatchInfo{ID: b, Created: time.Now(), Sources: []queue.SourceRef{{ID: "0000"}}}); err == nil {
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
	if c.Pages != 2 || c.Split != 1 || c.Status != queue.BatchRunning || c.Complete() {
		t.Errorf("after the first split: %+v", c)
	}
	// The zip yields one child source with one page.
	if _, err := tr.RegisterSplit(ctx, b, "0001", nil, []queue.SourceRef{{ID: "0001.0000", Name: "scans.zip/p.png"}}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		page, state string
	}{
		{"0000-0000", queue.StateDone},
		{"0000-0000", queue.StateDone}, // repeated: no double count
		{"0000-0001", queue.StateFailed},
	} {
		if c, err = tr.SetPage(ctx, b, step.page, step.state, []byte(`{"x":1}`)); err != nil {
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
	for _, st := range []string{queue.StatePending, queue.StateDone} {
		if c, err = tr.SetPage(ctx, b, "0000-0001", st, nil); err != nil {
			t.Fatal(err)
		}
	}
	if c, err = tr.SetPage(ctx, b, "0001.0000-0000", queue.StateDone, nil); err != nil {
		t.Fatal(err)
	}
	want := queue.Counts{Sources: 3, Split: 3, Pages: 3, Done: 3, Status: queue.BatchRunning}
	if diff := cmp.Diff(want, c, cmpopts.IgnoreFields(queue.Counts{}, "Version")); diff != "" {
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
	if _, err := tr.SetPage(ctx, "nope", "x", queue.StateDone, nil); err == nil {
		t.Error("SetPage on an unknown batch succeeded")
	}
}

func TestManifestLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tr := queue.NewTracker(redistest.Start(t).Client())
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

func TestCompareIDs(t *testing.T) {
	t.Parallel()
	ids := []string{"0010-0000", "0002-0001", "0002-0000", "0002.0001-0000", "0002.0000-0003", "0100-0000"}
	want := []string{"0002-0000", "0002-0001", "0002.0000-0003", "0002.0001-0000", "0010-0000", "0100-0000"}
	got := append([]string(nil), ids...)
	slices.SortFunc(got, queue.CompareIDs)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}
