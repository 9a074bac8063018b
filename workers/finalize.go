package workers

import (
	"context"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// handleFinalize completes a batch whose pages are all finished: it sets
// the final status, removes temporary files a killed writer may have left,
// and writes the final manifest. It is safe to run again (after a retried
// page, or twice): it recomputes everything from the current state.
func (f *Stages) handleFinalize(ctx context.Context, t *asynq.Task) error {
	var p queue.FinalizePayload
	if err := queue.Decode(t, &p); err != nil {
		return permanent(err)
	}
	c, err := f.tracker.Progress(ctx, p.BatchID)
	if err != nil {
		return err
	}
	cancelled := c.Status.Cancelled()
	if !c.Complete() && !cancelled {
		return nil // a page was requeued since; its completion queues finalize again
	}
	// Every page is finished, so a temporary file under the batch belongs
	// to a writer that died mid-write: remove them all.
	if sw, ok := f.store.(storage.Sweeper); ok {
		if n, err := sw.Sweep(ctx, batch.Prefix(p.BatchID), 0); err != nil {
			f.log.Warn("could not sweep temporary files", "batch", p.BatchID, "error", err)
		} else if n > 0 {
			f.log.Info("removed temporary files left by killed writers", "batch", p.BatchID, "files", n)
		}
	}
	status := batch.StatusDone
	switch {
	case cancelled:
		status = batch.StatusCancelled
	case c.Done == 0 && c.Failed > 0:
		status = batch.StatusFailed
	case c.Failed > 0:
		status = batch.StatusPartial
	}
	// Searchable PDFs, one per source document.
	if status != batch.StatusCancelled {
		m, err := f.manifests.Build(ctx, p.BatchID)
		if err != nil {
			return err
		}
		docs, err := f.buildDocuments(ctx, m)
		if err != nil {
			return err
		}
		if err := f.tracker.SetDocuments(ctx, p.BatchID, docs); err != nil {
			return err
		}
	}
	// The final manifest is written before the status changes, so whoever
	// sees the batch finished finds the final batch.json in the store.
	now := time.Now().UTC()
	wctx, cancel := context.WithTimeout(ctx, 2*f.cfg.ManifestLease+10*time.Second)
	defer cancel()
	err = f.manifests.WriteWith(wctx, p.BatchID, true, func(m *batch.Manifest) {
		m.Status, m.Finished, m.Updated = status, &now, now
	})
	if err != nil {
		return err
	}
	if _, err := f.tracker.SetStatus(ctx, p.BatchID, status); err != nil {
		return err
	}
	m, err := f.manifests.Build(ctx, p.BatchID)
	if err != nil {
		return err
	}
	if err := f.announce(ctx, m); err != nil {
		return err
	}
	f.log.Info("batch finished", "batch", p.BatchID, "status", status, "pages", c.Pages, "done", c.Done, "failed", c.Failed)
	return nil
}
