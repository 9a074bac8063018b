package workers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

// ErrUnknownPage is returned for a page id the batch does not have.
var ErrUnknownPage = errors.New("unknown page")

// ErrFinished is returned when cancelling a batch that has finished.
var ErrFinished = errors.New("batch already finished")

// ErrNotRetryable is returned when retrying a page that is not failed or cancelled.
var ErrNotRetryable = errors.New("page is not failed")

// RetryPage queues a failed (or cancelled) page again from its cleanup
// stage; a file that could not be read at all is split again. The batch
// goes back to running and is finalized again when the page finishes.
func (f *Farm) RetryPage(ctx context.Context, batchID, pageID string) error {
	states, _, err := f.tracker.Pages(ctx, batchID)
	if err != nil {
		return err
	}
	st, ok := states[pageID]
	if !ok {
		return fmt.Errorf("batch %s: %w %q", batchID, ErrUnknownPage, pageID)
	}
	if st != queue.StateFailed && st != queue.StateCancelled {
		return fmt.Errorf("batch %s page %s is %s: %w", batchID, pageID, st, ErrNotRetryable)
	}
	srcID, index := splitPageID(pageID)
	refs, err := f.tracker.Sources(ctx, batchID)
	if err != nil {
		return err
	}
	var ref queue.SourceRef
	for _, r := range refs {
		if r.ID == srcID {
			ref = r
		}
	}
	if ref.ID == "" {
		return fmt.Errorf("batch %s: page %s has no source", batchID, pageID)
	}
	attrs, err := f.tracker.Attrs(ctx, batchID)
	if err != nil {
		return err
	}
	if f.cancelled(ctx, batchID) {
		return fmt.Errorf("batch %s is cancelled", batchID)
	}
	if _, err := f.tracker.SetStatus(ctx, batchID, queue.BatchRunning); err != nil {
		return err
	}
	// Drop whatever asynq still holds under the page's task IDs (an
	// archived task keeps its ID taken).
	f.deleteTasks(batchID, pageID, srcID)

	infos, err := f.tracker.SourceInfo(ctx, batchID)
	if err != nil {
		return err
	}
	var info batch.Source
	_ = json.Unmarshal(infos[srcID], &info)
	if info.Error != "" && index == 0 {
		// The whole file failed: split it again.
		if _, err := f.tracker.ResetSource(ctx, batchID, srcID); err != nil {
			return err
		}
		if err := f.updateSourceInfo(ctx, batchID, srcID, func(s *batch.Source) { s.Error = "" }); err != nil {
			return err
		}
		t, err := queue.NewSplitTask(queue.SplitPayload{BatchID: batchID, Source: ref}, f.stageFor(attrs, queue.QueueSplit))
		if err := f.enqueue(ctx, t, err); err != nil {
			return err
		}
		f.log.Info("source requeued", "batch", batchID, "source", ref.Name)
		return f.writeManifest(ctx, batchID, false)
	}
	if _, err := f.tracker.SetPage(ctx, batchID, pageID, queue.StatePending, nil); err != nil {
		return err
	}
	pp := queue.PagePayload{BatchID: batchID, PageID: pageID, Source: ref, Index: index}
	t, err := queue.NewCleanupTask(pp, f.pageStage(attrs, queue.QueueCleanup, pp))
	if err := f.enqueue(ctx, t, err); err != nil {
		return err
	}
	f.log.Info("page requeued", "batch", batchID, "page", pageID)
	return f.writeManifest(ctx, batchID, false)
}

// RetryFailed queues every failed page of a batch again and returns how many.
func (f *Farm) RetryFailed(ctx context.Context, batchID string) (int, error) {
	states, _, err := f.tracker.Pages(ctx, batchID)
	if err != nil {
		return 0, err
	}
	n := 0
	for id, st := range states {
		if st != queue.StateFailed {
			continue
		}
		if err := f.RetryPage(ctx, batchID, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// deleteTasks removes the page's (and its source's split) tasks that
// asynq holds in any state, so fresh ones can be queued under the same IDs.
func (f *Farm) deleteTasks(batchID, pageID, srcID string) {
	insp := asynq.NewInspectorFromRedisClient(f.cfg.Redis)
	ids := map[string][]string{
		"split:" + batchID + ":" + srcID:    {queue.QueueSplit},
		"cleanup:" + batchID + ":" + pageID: {queue.QueueCleanup, queue.QueueLarge},
		"ocr:" + batchID + ":" + pageID:     {queue.QueueOCR, queue.QueueLarge},
		"finalize:" + batchID:               {queue.QueueFinalize},
	}
	for id, qs := range ids {
		for _, q := range qs {
			for _, name := range []string{q, q + "-high"} {
				if err := insp.DeleteTask(name, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) &&
					!errors.Is(err, asynq.ErrQueueNotFound) && !strings.Contains(err.Error(), "active") {
					f.log.Debug("delete task", "queue", name, "id", id, "error", err)
				}
			}
		}
	}
}

// Cancel stops a batch: it becomes "cancelling", pages not finished are
// marked cancelled now (their queued tasks do nothing when they run),
// files not split yet get no pages, and the finalize stage makes it
// "cancelled". Pages already done keep their outputs.
func (f *Farm) Cancel(ctx context.Context, batchID string) error {
	c, err := f.tracker.Counts(ctx, batchID)
	if err != nil {
		return err
	}
	if c.Finished() {
		return fmt.Errorf("batch %s: %w (it is %s)", batchID, ErrFinished, c.Status)
	}
	if _, err := f.tracker.SetStatus(ctx, batchID, queue.BatchCancelling); err != nil {
		return err
	}
	refs, err := f.tracker.Sources(ctx, batchID)
	if err != nil {
		return err
	}
	for _, r := range refs {
		if _, err := f.tracker.RegisterSplit(ctx, batchID, r.ID, nil, nil); err != nil {
			return err
		}
	}
	states, _, err := f.tracker.Pages(ctx, batchID)
	if err != nil {
		return err
	}
	for id, st := range states {
		if st == queue.StatePending {
			if _, err := f.tracker.SetPage(ctx, batchID, id, queue.StateCancelled, nil); err != nil {
				return err
			}
		}
	}
	f.log.Info("batch cancelled", "batch", batchID)
	attrs, err := f.tracker.Attrs(ctx, batchID)
	if err != nil {
		return err
	}
	t, err := queue.NewFinalizeTask(queue.FinalizePayload{BatchID: batchID}, f.stageFor(attrs, queue.QueueFinalize))
	return f.enqueue(ctx, t, err)
}
