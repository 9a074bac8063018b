package farm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// Admin steers batches: it cancels them, queues failed pages again,
// repairs what a lost task or a lost Redis left unfinished, and records
// the corrections people make to texts and metadata. It needs Redis and
// the store, nothing that reads pages.
type Admin struct {
	store     storage.Store
	tracker   *Tracker
	manifests *Manifests
	client    *queue.Client
	inspector *queue.Inspector
	name      string
	log       *slog.Logger
}

// NewAdmin returns an Admin. Close it when done.
func NewAdmin(cfg Config) (*Admin, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	tr := NewTracker(cfg.Redis)
	return &Admin{store: cfg.Store, tracker: tr, manifests: newManifests(cfg, tr), client: queue.NewClient(cfg.Redis, cfg.Stages),
		inspector: queue.NewInspector(cfg.Redis), name: cfg.Name, log: cfg.Logger.With("worker", cfg.Name)}, nil
}

// Close releases the queue client and inspector (not the Redis client,
// which the caller owns).
func (a *Admin) Close() error { return errors.Join(a.client.Close(), a.inspector.Close()) }

// ErrUnknownPage is returned for a page id the batch does not have.
var ErrUnknownPage = errors.New("unknown page")

// ErrFinished is returned when cancelling a batch that has finished.
var ErrFinished = errors.New("batch already finished")

// ErrNotRetryable is returned when retrying a page that is not failed or cancelled.
var ErrNotRetryable = errors.New("page is not failed")

// RetryPage queues a failed (or cancelled) page again from its cleanup
// stage; a file that could not be read at all is split again. The batch
// goes back to running and is finalized again when the page finishes.
func (a *Admin) RetryPage(ctx context.Context, batchID, pageID string) error {
	st, _, err := a.tracker.Page(ctx, batchID, pageID)
	if err != nil {
		return err
	}
	if st == "" {
		return fmt.Errorf("batch %s: %w %q", batchID, ErrUnknownPage, pageID)
	}
	if st != batch.StateFailed && st != batch.StateCancelled {
		return fmt.Errorf("batch %s page %s is %s: %w", batchID, pageID, st, ErrNotRetryable)
	}
	srcID, index := batch.SplitPageID(pageID)
	refs, err := a.tracker.Sources(ctx, batchID)
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
	priority, err := a.priority(ctx, batchID)
	if err != nil {
		return err
	}
	if a.cancelled(ctx, batchID) {
		return fmt.Errorf("batch %s is cancelled", batchID)
	}
	if _, err := a.tracker.SetStatus(ctx, batchID, batch.StatusRunning); err != nil {
		return err
	}
	// Drop whatever asynq still holds under the page's task IDs (an
	// archived task keeps its ID taken).
	if err := a.inspector.DeletePageTasks(batchID, pageID, srcID); err != nil {
		a.log.Debug("delete tasks", "batch", batchID, "page", pageID, "error", err)
	}

	infos, err := a.tracker.SourceInfo(ctx, batchID)
	if err != nil {
		return err
	}
	if infos[srcID].Error != "" && index == 0 {
		// The whole file failed: split it again.
		if _, err := a.tracker.ResetSource(ctx, batchID, srcID); err != nil {
			return err
		}
		if err := a.tracker.UpdateSourceInfo(ctx, batchID, srcID, func(s *batch.Source) { s.Error = "" }); err != nil {
			return err
		}
		if err := a.client.Split(ctx, queue.SplitPayload{BatchID: batchID, Source: ref, Priority: priority}); err != nil {
			return err
		}
		a.log.Info("source requeued", "batch", batchID, "source", ref.Name)
		return a.manifests.Write(ctx, batchID, false)
	}
	if _, err := a.tracker.SetPage(ctx, batchID, pageID, batch.StatePending, nil); err != nil {
		return err
	}
	pp := queue.PagePayload{BatchID: batchID, PageID: pageID, Source: ref, Index: index, Priority: priority}
	if err := a.client.Cleanup(ctx, pp); err != nil {
		return err
	}
	a.log.Info("page requeued", "batch", batchID, "page", pageID)
	return a.manifests.Write(ctx, batchID, false)
}

// priority is the batch's priority, which the tasks it queues carry.
func (a *Admin) priority(ctx context.Context, batchID string) (string, error) {
	attrs, err := a.tracker.Attrs(ctx, batchID)
	if err != nil {
		return "", err
	}
	return attrs["priority"], nil
}

// cancelled reports whether the batch was cancelled (or is being cancelled).
func (a *Admin) cancelled(ctx context.Context, batchID string) bool {
	p, err := a.tracker.Progress(ctx, batchID)
	return err == nil && p.Status.Cancelled()
}

// RetryFailed queues every failed page of a batch again and returns how many.
func (a *Admin) RetryFailed(ctx context.Context, batchID string) (int, error) {
	states, err := a.tracker.PageStates(ctx, batchID)
	if err != nil {
		return 0, err
	}
	n := 0
	for id, st := range states {
		if st != batch.StateFailed {
			continue
		}
		if err := a.RetryPage(ctx, batchID, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Cancel stops a batch: it becomes "cancelling", pages not finished are
// marked cancelled now (their queued tasks do nothing when they run),
// files not split yet get no pages, and the finalize stage makes it
// "cancelled". Pages already done keep their outputs.
func (a *Admin) Cancel(ctx context.Context, batchID string) error {
	c, err := a.tracker.Progress(ctx, batchID)
	if err != nil {
		return err
	}
	if c.Finished() {
		return fmt.Errorf("batch %s: %w (it is %s)", batchID, ErrFinished, c.Status)
	}
	if _, err := a.tracker.SetStatus(ctx, batchID, batch.StatusCancelling); err != nil {
		return err
	}
	refs, err := a.tracker.Sources(ctx, batchID)
	if err != nil {
		return err
	}
	for _, r := range refs {
		if _, err := a.tracker.RegisterSplit(ctx, batchID, r.ID, nil, nil); err != nil {
			return err
		}
	}
	states, err := a.tracker.PageStates(ctx, batchID)
	if err != nil {
		return err
	}
	for id, st := range states {
		if st == batch.StatePending {
			if _, err := a.tracker.SetPage(ctx, batchID, id, batch.StateCancelled, nil); err != nil {
				return err
			}
		}
	}
	a.log.Info("batch cancelled", "batch", batchID)
	priority, err := a.priority(ctx, batchID)
	if err != nil {
		return err
	}
	return a.client.Finalize(ctx, batchID, priority)
}
