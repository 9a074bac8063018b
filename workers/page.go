package workers

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// permanent marks err as one retrying cannot fix (a broken page, a task
// payload that cannot be read): it wraps asynq.SkipRetry, so Asynq does
// not retry the task, and a page task's page fails at once.
func permanent(err error) error { return fmt.Errorf("%w: %w", err, asynq.SkipRetry) }

// isPermanent tells an error retrying cannot fix (marked permanent, or a
// bad file: unsupported, over a limit, corrupt) from a passing trouble.
func isPermanent(err error) bool {
	return errors.Is(err, asynq.SkipRetry) || errors.Is(err, source.ErrUnsupported) || errors.Is(err, source.ErrLimit) ||
		errors.Is(err, source.ErrCorrupt)
}

// pageTask wraps a page stage: it decodes the payload, skips cancelled
// batches, turns a panic into that page's failure, and records the page as
// failed when the error is permanent or the last retry failed. Transient
// errors are returned as they are so Asynq retries them.
func (f *Stages) pageTask(stage string, fn func(context.Context, *queue.PagePayload) error) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) (err error) {
		var p queue.PagePayload
		if err := queue.Decode(t, &p); err != nil {
			return permanent(err)
		}
		if f.cancelled(ctx, p.BatchID) {
			_, err := f.tracker.SetPage(ctx, p.BatchID, p.PageID, batch.StateCancelled, nil)
			return err
		}
		defer func() {
			if r := recover(); r != nil {
				f.log.Error("panic in page task", "stage", stage, "batch", p.BatchID, "page", p.PageID, "panic", r, "stack", stack())
				err = permanent(fmt.Errorf("internal error in the %s stage (%v); the page image may be malformed", stage, r))
			}
			if err == nil {
				return
			}
			retried, _ := asynq.GetRetryCount(ctx)
			maxRetry, _ := asynq.GetMaxRetry(ctx)
			last := retried >= maxRetry
			perm := isPermanent(err)
			if ctx.Err() != nil && !last {
				return // shutting down or timed out: let Asynq requeue or retry it
			}
			if !perm && !last {
				f.log.Warn("page task failed, will retry", "stage", stage, "batch", p.BatchID, "page", p.PageID,
					"attempt", retried+1, "error", err)
				return
			}
			// Record with a fresh context: ctx may be past its deadline.
			rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, ferr := f.failPage(rctx, p, stage, err)
			if ferr != nil {
				err = fmt.Errorf("%w (and recording the failure failed: %v)", err, ferr)
				return
			}
			if perr := f.progressed(rctx, p.BatchID, p.Priority, c); perr != nil {
				f.log.Warn("after a page failure", "batch", p.BatchID, "error", perr)
			}
			if perm && !errors.Is(err, asynq.SkipRetry) {
				err = permanent(err)
			}
		}()
		return fn(ctx, &p)
	}
}

// failPage records page p as failed because of cause, with a message that
// names the file and the page.
func (f *Stages) failPage(ctx context.Context, p queue.PagePayload, stage string, cause error) (farm.Progress, error) {
	msg := fmt.Sprintf("%s, page %d: %s", p.Source.Name, p.Index+1, describe(cause))
	f.log.Warn("page failed", "stage", stage, "batch", p.BatchID, "page", p.PageID, "error", msg)
	return f.recordFailure(ctx, p, msg)
}

// recordFailure writes the failed page's record and marks it failed.
func (f *Stages) recordFailure(ctx context.Context, p queue.PagePayload, msg string) (farm.Progress, error) {
	now := time.Now().UTC()
	pg := batch.Page{ID: p.PageID, Source: p.Source.Name, SourceID: p.Source.ID, Index: p.Index, Status: batch.StateFailed,
		Record: batch.PageKey(p.BatchID, p.PageID, batch.FileRecord), Worker: f.cfg.Worker, Error: msg, Finished: &now}
	rec := batch.Record{Page: pg, BatchID: p.BatchID}
	if err := batch.WriteRecord(ctx, f.store, &rec); err != nil {
		// The record is a convenience; the manifest entry below is what counts.
		f.log.Warn("could not write the failed page's record", "key", pg.Record, "error", err)
		pg.Record = ""
	}
	return f.tracker.SetPage(ctx, p.BatchID, p.PageID, batch.StateFailed, &pg)
}

// describe turns an error into the reason shown to archivists: the
// sentinel categories are spelled out once, not repeated.
func describe(err error) string {
	s := err.Error()
	for _, sentinel := range []error{source.ErrUnsupported, source.ErrLimit, source.ErrCorrupt} {
		s = strings.Replace(s, sentinel.Error()+": ", "", 1)
	}
	s = strings.TrimSuffix(s, ": "+asynq.SkipRetry.Error())
	return s
}

// progressed is called after every page or source change: it refreshes
// the manifest and, when every page is finished, queues the finalize task
// at the batch's priority.
func (f *Stages) progressed(ctx context.Context, batchID, priority string, c farm.Progress) error {
	if err := f.manifests.Write(ctx, batchID, false); err != nil {
		// Not fatal: the next change or the finalize stage writes it.
		f.log.Warn("could not refresh the manifest", "batch", batchID, "error", err)
	}
	if c.Complete() {
		return f.client.Finalize(ctx, batchID, priority)
	}
	return nil
}

// cancelled reports whether the batch was cancelled.
func (f *Stages) cancelled(ctx context.Context, batchID string) bool {
	c, err := f.tracker.Progress(ctx, batchID)
	return err == nil && c.Status.Cancelled()
}

// put stores data under key and returns its SHA-256.
func (f *Stages) put(ctx context.Context, key string, data []byte, contentType string) (string, error) {
	return storage.PutBytesSum(ctx, f.store, key, data, contentType)
}

func stack() string {
	s := string(debug.Stack())
	if len(s) > 4000 {
		s = s[:4000]
	}
	return s
}
