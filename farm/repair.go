package farm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

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
func (a *Admin) Repair(ctx context.Context, batchID string) (RepairReport, error) {
	rep := RepairReport{Batch: batchID}
	c, err := a.tracker.Progress(ctx, batchID)
	if errors.Is(err, ErrUnknownBatch) {
		if err := a.rebuild(ctx, batchID); err != nil {
			return rep, err
		}
		rep.Rebuilt = true
		c, err = a.tracker.Progress(ctx, batchID)
	}
	if err != nil {
		return rep, err
	}
	priority, err := a.priority(ctx, batchID)
	if err != nil {
		return rep, err
	}
	if !c.Finished() && c.Status != batch.StatusCancelling {
		refs, err := a.tracker.Sources(ctx, batchID)
		if err != nil {
			return rep, err
		}
		for _, r := range refs {
			done, err := a.tracker.SplitDone(ctx, batchID, r.ID)
			if err != nil {
				return rep, err
			}
			if done || a.inspector.HasSplit(batchID, r.ID) {
				continue
			}
			if err := a.client.Split(ctx, queue.SplitPayload{BatchID: batchID, Source: r, Priority: priority}); err != nil {
				return rep, err
			}
			rep.Split = append(rep.Split, r.ID)
		}
		states, err := a.tracker.PageStates(ctx, batchID)
		if err != nil {
			return rep, err
		}
		byID := map[string]queue.SourceRef{}
		for _, r := range refs {
			byID[r.ID] = r
		}
		for id, st := range states {
			if st != batch.StatePending {
				continue
			}
			if a.inspector.HasPage(batchID, id) {
				continue
			}
			srcID, index := batch.SplitPageID(id)
			if _, ok := byID[srcID]; !ok {
				continue
			}
			if a.inspector.HasSplit(batchID, srcID) {
				continue // its split is running and will queue it
			}
			pp := queue.PagePayload{BatchID: batchID, PageID: id, Source: byID[srcID], Index: index, Priority: priority}
			if err := a.client.Cleanup(ctx, pp); err != nil {
				return rep, err
			}
			rep.Requeued = append(rep.Requeued, id)
		}
		slices.SortFunc(rep.Requeued, batch.CompareIDs)
	}
	c, err = a.tracker.Progress(ctx, batchID)
	if err != nil {
		return rep, err
	}
	if (c.Complete() && !c.Finished()) || c.Status == batch.StatusCancelling {
		if !a.inspector.HasFinalize(batchID) {
			if err := a.client.Finalize(ctx, batchID, priority); err != nil {
				return rep, err
			}
			rep.Finalize = true
		}
	}
	if len(rep.Split)+len(rep.Requeued) > 0 || rep.Finalize || rep.Rebuilt {
		a.log.Info("batch repaired", "batch", batchID, "rebuilt", rep.Rebuilt, "split", len(rep.Split),
			"requeued", len(rep.Requeued), "finalize", rep.Finalize)
	}
	return rep, a.manifests.Write(ctx, batchID, false)
}

// rebuild recreates a batch's Redis state from the store: batch.json for
// the sources and pages, each page's page.json for its final state (the
// records are written before the state changes, so a page with a done
// record is done whatever the manifest said).
func (a *Admin) rebuild(ctx context.Context, batchID string) error {
	m, err := batch.Read(ctx, a.store, batchID)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("batch %s: unknown to Redis and no batch.json in the store", batchID)
	}
	if err != nil {
		return err
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
	// The batch's own webhook is not in batch.json: a rebuilt batch has
	// none (docs/operations.md).
	if err := a.tracker.CreateBatch(ctx, BatchInfo{ID: batchID, Created: m.Created, Sources: top, Attrs: m.Attrs}); err != nil {
		return err
	}
	for _, s := range m.Sources {
		if err := a.tracker.SetSourceInfo(ctx, batchID, s); err != nil {
			return err
		}
	}
	pagesOf := map[string][]string{}
	for _, p := range m.Pages {
		pagesOf[p.SourceID] = append(pagesOf[p.SourceID], p.ID)
	}
	// Register splits parents first so children are known sources.
	srcs := slices.Clone(m.Sources)
	slices.SortFunc(srcs, func(x, y batch.Source) int { return strings.Count(x.ID, ".") - strings.Count(y.ID, ".") })
	for _, s := range srcs {
		if len(pagesOf[s.ID]) == 0 && len(children[s.ID]) == 0 {
			continue // never split: Repair queues its split
		}
		if _, err := a.tracker.RegisterSplit(ctx, batchID, s.ID, pagesOf[s.ID], children[s.ID]); err != nil {
			return err
		}
	}
	for _, p := range m.Pages {
		rec, err := batch.ReadRecord(ctx, a.store, batchID, p.ID)
		if errors.Is(err, storage.ErrNotFound) {
			continue // pending: Repair queues it
		}
		if errors.Is(err, batch.ErrDamaged) {
			continue // a damaged record: redo the page
		}
		if err != nil {
			return err
		}
		if rec.Status != batch.StateDone && rec.Status != batch.StateFailed {
			continue
		}
		if p.Corrected != nil {
			rec.Page.Corrected = p.Corrected // corrections live in batch.json, not in page.json
			if err := a.tracker.SetTextVersion(ctx, batchID, p.ID, p.Corrected.Version); err != nil {
				return err
			}
		}
		if _, err := a.tracker.SetPage(ctx, batchID, p.ID, rec.Status, &rec.Page); err != nil {
			return err
		}
	}
	if err := a.tracker.SetDocuments(ctx, batchID, m.Documents); err != nil {
		return err
	}
	for _, d := range m.Documents {
		if d.Corrected != nil {
			if err := a.tracker.SetMetadataCorrection(ctx, batchID, d.SourceID, *d.Corrected); err != nil {
				return err
			}
			if err := a.tracker.SetMetadataVersion(ctx, batchID, d.SourceID, d.Corrected.Version); err != nil {
				return err
			}
		}
	}
	a.log.Warn("batch state rebuilt from the store (Redis had lost it)", "batch", batchID, "pages", len(m.Pages))
	return nil
}

// RunReconciler repairs every batch in flight every interval until ctx
// ends. Workers run it; a Redis lock lets one process at a time do it.
func (a *Admin) RunReconciler(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ok, err := a.tracker.TryReconcile(ctx, a.name, every*9/10)
		if err != nil || !ok {
			continue
		}
		ids, err := a.tracker.ActiveBatches(ctx)
		if err != nil {
			a.log.Warn("reconciler", "error", err)
			continue
		}
		for _, id := range ids {
			if _, err := a.Repair(ctx, id); err != nil && ctx.Err() == nil {
				a.log.Warn("reconciler", "batch", id, "error", err)
			}
		}
	}
}
