package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/queue"
)

// Tasks go to the queue their batch's priority and their page's size
// choose, with their stage's options; queueing the same work twice is not
// an error, and the Inspector finds and removes tasks by their IDs.
func TestClientRoutesAndInspectorFinds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := redistest.Start(t).Client()
	c := queue.NewClient(rdb, map[string]queue.Options{queue.QueueCleanup: {MaxRetry: 2}})
	defer c.Close()
	insp := queue.NewInspector(rdb)
	defer insp.Close()
	raw := asynq.NewInspectorFromRedisClient(rdb)
	defer raw.Close()

	src := queue.SourceRef{ID: "0000", Name: "a.tif", Key: "batches/B/sources/a.tif"}
	for range 2 { // the second is a duplicate, refused quietly
		if err := c.Split(ctx, queue.SplitPayload{BatchID: "B", Source: src, Priority: queue.PriorityHigh}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Cleanup(ctx, queue.PagePayload{BatchID: "B", PageID: "0000-0000", Source: src}); err != nil {
		t.Fatal(err)
	}
	if err := c.Cleanup(ctx, queue.PagePayload{BatchID: "B", PageID: "0000-0001", Source: src, Index: 1, Large: true, Priority: queue.PriorityHigh}); err != nil {
		t.Fatal(err)
	}
	if err := c.Finalize(ctx, "B", ""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, queue, id string
		maxRetry        int
		timeout         time.Duration
	}{
		{"HighPrioritySplit", "split-high", queue.SplitTaskID("B", "0000"), 5, 30 * time.Minute},
		{"CleanupWithItsOptions", "cleanup", queue.CleanupTaskID("B", "0000-0000"), 2, 10 * time.Minute},
		{"LargePage", "large", queue.CleanupTaskID("B", "0000-0001"), 2, 10 * time.Minute},
		{"Finalize", "finalize", queue.FinalizeTaskID("B"), 10, time.Hour},
	} {
		info, err := raw.GetTaskInfo(tc.queue, tc.id)
		if err != nil {
			t.Errorf("%s: task %s not in queue %s: %v", tc.name, tc.id, tc.queue, err)
			continue
		}
		if info.MaxRetry != tc.maxRetry || info.Timeout != tc.timeout {
			t.Errorf("%s: max retry %d, timeout %s; want %d, %s", tc.name, info.MaxRetry, info.Timeout, tc.maxRetry, tc.timeout)
		}
	}
	if n, _ := raw.ListPendingTasks("split-high"); len(n) != 1 {
		t.Errorf("split-high holds %d tasks, want 1 (the duplicate refused)", len(n))
	}
	if !insp.HasSplit("B", "0000") || !insp.HasPage("B", "0000-0001") || !insp.HasFinalize("B") || insp.HasPage("B", "0009-0000") {
		t.Error("the inspector does not see the queued tasks as they are")
	}
	if err := insp.DeletePageTasks("B", "0000-0001", "0000"); err != nil {
		t.Fatal(err)
	}
	if insp.HasPage("B", "0000-0001") || insp.HasSplit("B", "0000") || insp.HasFinalize("B") || !insp.HasPage("B", "0000-0000") {
		t.Error("DeletePageTasks did not remove the page's, its source's and the batch's finalize tasks only")
	}
}

// A stage given MaxRetry 0 retries no task (0 turns retries off, as
// --max-retry 0 does); the stages not named keep their defaults.
func TestClientMaxRetryZero(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := redistest.Start(t).Client()
	c := queue.NewClient(rdb, map[string]queue.Options{queue.QueueOCR: {MaxRetry: 0}})
	defer c.Close()
	raw := asynq.NewInspectorFromRedisClient(rdb)
	defer raw.Close()
	p := queue.PagePayload{BatchID: "B", PageID: "0000-0000", Source: queue.SourceRef{ID: "0000"}}
	if err := c.OCR(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := c.Cleanup(ctx, p); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]int{queue.OCRTaskID("B", p.PageID): 0, queue.CleanupTaskID("B", p.PageID): 5} {
		q := queue.QueueOCR
		if want == 5 {
			q = queue.QueueCleanup
		}
		info, err := raw.GetTaskInfo(q, id)
		if err != nil {
			t.Fatal(err)
		}
		if info.MaxRetry != want {
			t.Errorf("task %s: max retry %d, want %d", id, info.MaxRetry, want)
		}
	}
}
