package workers

import (
	"context"
	"encoding/json"
	"fmt"
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
func (f *Farm) handleFinalize(ctx context.Context, t *asynq.Task) error {
	var p queue.FinalizePayload
	if err := queue.Decode(t, &p); err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	c, err := f.tracker.Counts(ctx, p.BatchID)
	if err != nil {
		return err
	}
	cancelled := c.Status == queue.BatchCancelling || c.Status == queue.BatchCancelled
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
	status := queue.BatchDone
	switch {
	case cancelled:
		status = queue.BatchCancelled
	case c.Done == 0 && c.Failed > 0:
		status = queue.BatchFailed
	case c.Failed > 0:
		status = queue.BatchPartial
	}
	// Searchable PDFs, one per source document.
	if status != queue.BatchCancelled {
		m, err := f.BuildManifest(ctx, p.BatchID)
		if err != nil {
			return err
		}
		docs, err := f.buildDocuments(ctx, m)
		if err != nil {
			return err
		}
		j, _ := json.Marshal(docs)
		if err := f.tracker.SetAttr(ctx, p.BatchID, attrDocuments, string(j)); err != nil {
			return err
		}
	}
	// The final manifest is written before the status changes, so whoever
	// sees the batch finished finds the final batch.json in the store.
	now := time.Now().UTC()
	wctx, cancel := context.WithTimeout(ctx, 2*f.cfg.ManifestLease+10*time.Second)
	defer cancel()
	err = f.writeManifestWith(wctx, p.BatchID, true, func(m *batch.Manifest) {
		m.Status, m.Finished, m.Updated = status, &now, now
	})
	if err != nil {
		return err
	}
	if _, err := f.tracker.SetStatus(ctx, p.BatchID, status); err != nil {
		return err
	}
	m, err := f.BuildManifest(ctx, p.BatchID)
	if err != nil {
		return err
	}
	if err := f.announce(ctx, m); err != nil {
		return err
	}
	f.log.Info("batch finished", "batch", p.BatchID, "status", status, "pages", c.Pages, "done", c.Done, "failed", c.Failed)
	return nil
}
