package workers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// errPermanent marks an error that retrying cannot fix (a broken page).
var errPermanent = errors.New("permanent")

// permanent wraps err so the page fails at once, without retries.
func permanent(err error) error { return fmt.Errorf("%w%w", err, hidden{errPermanent}) }

// hidden wraps a sentinel without adding to the message.
type hidden struct{ err error }

func (h hidden) Error() string { return "" }
func (h hidden) Unwrap() error { return h.err }

// pageTask wraps a page stage: it decodes the payload, skips cancelled
// batches, turns a panic into that page's failure, and records the page as
// failed when the error is permanent or the last retry failed. Transient
// errors are returned as they are so Asynq retries them.
func (f *Farm) pageTask(stage string, fn func(context.Context, *queue.PagePayload) error) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) (err error) {
		var p queue.PagePayload
		if err := queue.Decode(t, &p); err != nil {
			return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
		}
		if f.cancelled(ctx, p.BatchID) {
			_, err := f.tracker.SetPage(ctx, p.BatchID, p.PageID, queue.StateCancelled, nil)
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
			perm := errors.Is(err, errPermanent) || permanentSourceErr(err)
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
			if perr := f.progressed(rctx, p.BatchID, c); perr != nil {
				f.log.Warn("after a page failure", "batch", p.BatchID, "error", perr)
			}
			if perm {
				err = fmt.Errorf("%w: %w", err, asynq.SkipRetry)
			}
		}()
		return fn(ctx, &p)
	}
}

// failPage records page p as failed because of cause, with a message that
// names the file and the page.
func (f *Farm) failPage(ctx context.Context, p queue.PagePayload, stage string, cause error) (queue.Counts, error) {
	msg := fmt.Sprintf("%s, page %d: %s", p.Source.Name, p.Index+1, describe(cause))
	f.log.Warn("page failed", "stage", stage, "batch", p.BatchID, "page", p.PageID, "error", msg)
	return f.recordFailure(ctx, p, msg)
}

// recordFailure writes the failed page's record and marks it failed.
func (f *Farm) recordFailure(ctx context.Context, p queue.PagePayload, msg string) (queue.Counts, error) {
	now := time.Now().UTC()
	pg := batch.Page{ID: p.PageID, Source: p.Source.Name, SourceID: p.Source.ID, Index: p.Index, Status: queue.StateFailed,
		Record: batch.PageKey(p.BatchID, p.PageID, batch.FileRecord), Worker: f.cfg.Worker, Error: msg, Finished: &now}
	rec := batch.Record{Page: pg, BatchID: p.BatchID}
	if err := f.putJSON(ctx, pg.Record, rec); err != nil {
		// The record is a convenience; the manifest entry below is what counts.
		f.log.Warn("could not write the failed page's record", "key", pg.Record, "error", err)
		pg.Record = ""
	}
	summary, _ := json.Marshal(pg)
	return f.tracker.SetPage(ctx, p.BatchID, p.PageID, queue.StateFailed, summary)
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
// the manifest and, when every page is finished, queues the finalize task.
func (f *Farm) progressed(ctx context.Context, batchID string, c queue.Counts) error {
	if err := f.writeManifest(ctx, batchID, false); err != nil {
		// Not fatal: the next change or the finalize stage writes it.
		f.log.Warn("could not refresh the manifest", "batch", batchID, "error", err)
	}
	if c.Complete() {
		attrs, err := f.tracker.Attrs(ctx, batchID)
		if err != nil {
			return err
		}
		t, err := queue.NewFinalizeTask(queue.FinalizePayload{BatchID: batchID}, f.stageFor(attrs, queue.QueueFinalize))
		return f.enqueue(ctx, t, err)
	}
	return nil
}

// cancelled reports whether the batch was cancelled.
func (f *Farm) cancelled(ctx context.Context, batchID string) bool {
	c, err := f.tracker.Counts(ctx, batchID)
	return err == nil && (c.Status == queue.BatchCancelled || c.Status == queue.BatchCancelling)
}

// put stores data under key and returns its SHA-256.
func (f *Farm) put(ctx context.Context, key string, data []byte, contentType string) (string, error) {
	if err := storage.PutBytes(ctx, f.store, key, data, contentType); err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

func (f *Farm) putJSON(ctx context.Context, key string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = f.put(ctx, key, append(b, '\n'), "application/json")
	return err
}

func stack() string {
	s := string(debug.Stack())
	if len(s) > 4000 {
		s = s[:4000]
	}
	return s
}
