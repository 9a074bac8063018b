package workers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// RepairReport says what Repair did.
type RepairReport struct {
	Batch string `json:"batch"`
	// Rebuilt is true when Redis had lost the batch and its state was
	// rebuilt from the store (batch.json and the page records).
	Rebuilt bool `json:"rebuilt"`
	// Split lists sources whose split was queued again.
	Split []string `json:"split,omitempty"`
	// Requeued lists pages that were in no queue and were queued again.
	Requeued []string `json:"requeued,omitempty"`
	// Finalize is true when the finalize task was queued again.
	Finalize bool `json:"finalize,omitempty"`
}

// Repair finds what a batch needs to finish and was lost (a task dropped
// by a Redis that lost data, a crash between two steps): sources never
// split and with no split task, pending pages with no task in any queue,
// a complete batch never finalized. It queues them again (every stage is
// idempotent, so queueing twice is harmless) and rewrites the manifest.
// If Redis does not know the batch at all, its state is rebuilt from the
// store first.
func (f *Farm) Repair(ctx context.Context, batchID string) (RepairReport, error) {
	rep := RepairReport{Batch: batchID}
	c, err := f.tracker.Counts(ctx, batchID)
	if errors.Is(err, queue.ErrUnknownBatch) {
		if err := f.rebuild(ctx, batchID); err != nil {
			return rep, err
		}
		rep.Rebuilt = true
		c, err = f.tracker.Counts(ctx, batchID)
	}
	if err != nil {
		return rep, err
	}
	attrs, err := f.tracker.Attrs(ctx, batchID)
	if err != nil {
		return rep, err
	}
	if !c.Finished() && c.Status != queue.BatchCancelling {
		insp := asynq.NewInspectorFromRedisClient(f.cfg.Redis)
		defer insp.Close()
		refs, err := f.tracker.Sources(ctx, batchID)
		if err != nil {
			return rep, err
		}
		for _, r := range refs {
			done, err := f.tracker.SplitDone(ctx, batchID, r.ID)
			if err != nil {
				return rep, err
			}
			if done || taskExists(insp, "split:"+batchID+":"+r.ID, queue.QueueSplit) {
				continue
			}
			t, err := queue.NewSplitTask(queue.SplitPayload{BatchID: batchID, Source: r}, f.stageFor(attrs, queue.QueueSplit))
			if err := f.enqueue(ctx, t, err); err != nil {
				return rep, err
			}
			rep.Split = append(rep.Split, r.ID)
		}
		states, _, err := f.tracker.Pages(ctx, batchID)
		if err != nil {
			return rep, err
		}
		byID := map[string]queue.SourceRef{}
		for _, r := range refs {
			byID[r.ID] = r
		}
		for id, st := range states {
			if st != queue.StatePending {
				continue
			}
			if taskExists(insp, "cleanup:"+batchID+":"+id, queue.QueueCleanup, queue.QueueLarge) ||
				taskExists(insp, "ocr:"+batchID+":"+id, queue.QueueOCR, queue.QueueLarge) {
				continue
			}
			srcID, index := splitPageID(id)
			if _, ok := byID[srcID]; !ok {
				continue
			}
			if taskExists(insp, "split:"+batchID+":"+srcID, queue.QueueSplit) {
				continue // its split is running and will queue it
			}
			pp := queue.PagePayload{BatchID: batchID, PageID: id, Source: byID[srcID], Index: index}
			t, err := queue.NewCleanupTask(pp, f.pageStage(attrs, queue.QueueCleanup, pp))
			if err := f.enqueue(ctx, t, err); err != nil {
				return rep, err
			}
			rep.Requeued = append(rep.Requeued, id)
		}
		slices.SortFunc(rep.Requeued, queue.CompareIDs)
	}
	c, err = f.tracker.Counts(ctx, batchID)
	if err != nil {
		return rep, err
	}
	if (c.Complete() && !c.Finished()) || c.Status == queue.BatchCancelling {
		insp := asynq.NewInspectorFromRedisClient(f.cfg.Redis)
		defer insp.Close()
		if !taskExists(insp, "finalize:"+batchID, queue.QueueFinalize) {
			t, err := queue.NewFinalizeTask(queue.FinalizePayload{BatchID: batchID}, f.stageFor(attrs, queue.QueueFinalize))
			if err := f.enqueue(ctx, t, err); err != nil {
				return rep, err
			}
			rep.Finalize = true
		}
	}
	if len(rep.Split)+len(rep.Requeued) > 0 || rep.Finalize || rep.Rebuilt {
		f.log.Info("batch repaired", "batch", batchID, "rebuilt", rep.Rebuilt, "split", len(rep.Split),
			"requeued", len(rep.Requeued), "finalize", rep.Finalize)
	}
	return rep, f.writeManifest(ctx, batchID, false)
}

// taskExists reports whether asynq holds a task with this ID in any state
// in any of the queues (or their -high variants).
func taskExists(insp *asynq.Inspector, id string, queues ...string) bool {
	for _, q := range queues {
		for _, name := range []string{q, q + "-high"} {
			if _, err := insp.GetTaskInfo(name, id); err == nil {
				return true
			}
		}
	}
	return false
}

// rebuild recreates a batch's Redis state from the store: batch.json for
// the sources and pages, each page's page.json for its final state (the
// records are written before the state changes, so a page with a done
// record is done whatever the manifest said).
func (f *Farm) rebuild(ctx context.Context, batchID string) error {
	b, err := storage.ReadAll(ctx, f.store, batch.ManifestKey(batchID))
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("batch %s: unknown to Redis and no batch.json in the store", batchID)
	}
	if err != nil {
		return err
	}
	var m batch.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("batch %s: batch.json: %w", batchID, err)
	}
	var top []queue.SourceRef
	children := map[string][]queue.SourceRef{}
	for _, s := range m.Sources {
		ref := queue.SourceRef{ID: s.ID, Name: s.Name, Key: s.Key}
		if s.Parent == "" {
			top = append(top, ref)
		} else {
			children[s.Parent] = append(children[s.Parent], ref)
		}
	}
	if err := f.tracker.CreateBatch(ctx, queue.BatchInfo{ID: batchID, Created: m.Created, Sources: top, Attrs: m.Attrs}); err != nil {
		return err
	}
	for _, s := range m.Sources {
		j, _ := json.Marshal(s)
		if err := f.tracker.SetSourceInfo(ctx, batchID, s.ID, j); err != nil {
			return err
		}
	}
	pagesOf := map[string][]string{}
	for _, p := range m.Pages {
		pagesOf[p.SourceID] = append(pagesOf[p.SourceID], p.ID)
	}
	// Register splits parents first so children are known sources.
	srcs := slices.Clone(m.Sources)
	slices.SortFunc(srcs, func(a, b batch.Source) int { return strings.Count(a.ID, ".") - strings.Count(b.ID, ".") })
	for _, s := range srcs {
		if len(pagesOf[s.ID]) == 0 && len(children[s.ID]) == 0 {
			continue // never split: Repair queues its split
		}
		if _, err := f.tracker.RegisterSplit(ctx, batchID, s.ID, pagesOf[s.ID], children[s.ID]); err != nil {
			return err
		}
	}
	for _, p := range m.Pages {
		key := batch.PageKey(batchID, p.ID, batch.FileRecord)
		rb, err := storage.ReadAll(ctx, f.store, key)
		if errors.Is(err, storage.ErrNotFound) {
			continue // pending: Repair queues it
		}
		if err != nil {
			return err
		}
		var rec batch.Record
		if err := json.Unmarshal(rb, &rec); err != nil {
			continue // a damaged record: redo the page
		}
		if rec.Status != queue.StateDone && rec.Status != queue.StateFailed {
			continue
		}
		if p.Corrected != nil {
			rec.Page.Corrected = p.Corrected // corrections live in batch.json, not in page.json
			if err := f.tracker.SetVersion(ctx, batchID, "text:"+p.ID, p.Corrected.Version); err != nil {
				return err
			}
		}
		summary, _ := json.Marshal(rec.Page)
		if _, err := f.tracker.SetPage(ctx, batchID, p.ID, rec.Status, summary); err != nil {
			return err
		}
	}
	docs, _ := json.Marshal(m.Documents)
	if err := f.tracker.SetAttr(ctx, batchID, attrDocuments, string(docs)); err != nil {
		return err
	}
	for _, d := range m.Documents {
		if d.Corrected != nil {
			cj, _ := json.Marshal(d.Corrected)
			if err := f.tracker.SetAttr(ctx, batchID, attrMetaCorrection+d.SourceID, string(cj)); err != nil {
				return err
			}
			if err := f.tracker.SetVersion(ctx, batchID, "metadata:"+d.SourceID, d.Corrected.Version); err != nil {
				return err
			}
		}
	}
	f.log.Warn("batch state rebuilt from the store (Redis had lost it)", "batch", batchID, "pages", len(m.Pages))
	return nil
}

// RunReconciler repairs every batch in flight every interval until ctx
// ends. Workers run it; a Redis lock lets one process at a time do it.
func (f *Farm) RunReconciler(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ok, err := f.cfg.Redis.SetNX(ctx, "sohoa:reconciler", f.cfg.Worker, every*9/10).Result()
		if err != nil || !ok {
			continue
		}
		ids, err := f.tracker.ActiveBatches(ctx)
		if err != nil {
			f.log.Warn("reconciler", "error", err)
			continue
		}
		for _, id := range ids {
			if _, err := f.Repair(ctx, id); err != nil && ctx.Err() == nil {
				f.log.Warn("reconciler", "batch", id, "error", err)
			}
		}
	}
}
