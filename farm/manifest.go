package farm

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// Manifests builds batch.json from the Tracker's state and writes it to
// the store, one writer at a time per batch. The workers write it after
// every page, the roles after every change they make.
type Manifests struct {
	tracker  *Tracker
	store    storage.Store
	producer string
	owner    string
	lease    time.Duration
	log      *slog.Logger
}

// NewManifests returns the manifest writer of cfg's store and Redis.
func NewManifests(cfg Config) (*Manifests, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return newManifests(cfg, NewTracker(cfg.Redis)), nil
}

func newManifests(cfg Config, tr *Tracker) *Manifests {
	return &Manifests{tracker: tr, store: cfg.Store, producer: cfg.Producer, owner: cfg.Name,
		lease: cfg.ManifestLease, log: cfg.Logger.With("worker", cfg.Name)}
}

// Write rewrites batch.json from the tracker's state. Writers are
// serialised per batch through a lease: if another process holds it, this
// call marks the manifest dirty and returns, and the holder writes again.
// With wait, it waits for the lease instead (the final write must happen).
func (w *Manifests) Write(ctx context.Context, batchID string, wait bool) error {
	return w.WriteWith(ctx, batchID, wait, nil)
}

// WriteWith is Write with a last change to the manifest before it is
// written (the finalize stage sets the final status).
func (w *Manifests) WriteWith(ctx context.Context, batchID string, wait bool, change func(*batch.Manifest)) error {
	owner := w.owner + "/" + randomToken()
	for {
		ok, err := w.tracker.AcquireManifest(ctx, batchID, owner, w.lease)
		if err != nil {
			return err
		}
		if ok {
			break
		}
		if !wait {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	for {
		if err := w.tracker.ClaimDirty(ctx, batchID, owner, w.lease); err != nil {
			return err
		}
		m, err := w.Build(ctx, batchID)
		if err == nil && change != nil {
			change(m)
		}
		if err == nil {
			err = batch.Write(ctx, w.store, m)
		}
		if err != nil {
			// Give the lease up so the next writer is not locked out, and
			// leave the manifest dirty.
			bg := context.WithoutCancel(ctx)
			w.tracker.MarkManifestDirty(bg, batchID)
			w.tracker.ReleaseManifestForce(bg, batchID, owner)
			return err
		}
		released, err := w.tracker.ReleaseManifest(ctx, batchID, owner)
		if err != nil {
			return err
		}
		if released {
			return nil
		}
	}
}

// Build assembles batch.json from the tracker's state.
func (w *Manifests) Build(ctx context.Context, batchID string) (*batch.Manifest, error) {
	tr := w.tracker
	c, err := tr.Progress(ctx, batchID)
	if err != nil {
		return nil, err
	}
	times, err := tr.Times(ctx, batchID)
	if err != nil {
		return nil, err
	}
	attrs, err := tr.Attrs(ctx, batchID)
	if err != nil {
		return nil, err
	}
	refs, err := tr.Sources(ctx, batchID)
	if err != nil {
		return nil, err
	}
	infos, err := tr.SourceInfo(ctx, batchID)
	if err != nil {
		return nil, err
	}
	states, entries, err := tr.Pages(ctx, batchID)
	if err != nil {
		return nil, err
	}
	m := &batch.Manifest{
		Version: batch.Version, ID: batchID, Status: c.Status, Created: times.Created, Updated: times.Updated,
		Attrs: publicAttrs(attrs), Producer: w.producer, Sources: []batch.Source{}, Pages: []batch.Page{},
	}
	if !times.Finished.IsZero() {
		m.Finished = &times.Finished
	}
	byID := map[string]queue.SourceRef{}
	for _, r := range refs {
		byID[r.ID] = r
		s := batch.Source{ID: r.ID, Name: r.Name, Key: r.Key}
		if info, ok := infos[r.ID]; ok {
			s = info
		}
		m.Sources = append(m.Sources, s)
	}
	ids := make([]string, 0, len(states))
	for id := range states {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, batch.CompareIDs)
	for _, id := range ids {
		pg, ok := entries[id]
		if !ok {
			srcID, idx := batch.SplitPageID(id)
			pg = batch.Page{ID: id, SourceID: srcID, Index: idx, Source: byID[srcID].Name}
		}
		pg.Status = states[id] // the tracker's state is the truth (a retried page)
		if pg.Status != batch.StateFailed {
			pg.Error = ""
		}
		if pg.Blank {
			m.Counts.Blank++
		}
		m.Pages = append(m.Pages, pg)
	}
	blank := m.Counts.Blank
	m.Counts = c.Counts
	m.Counts.Blank = blank
	if m.Documents, err = tr.Documents(ctx, batchID); err != nil {
		return nil, err
	}
	corrections, err := tr.MetadataCorrections(ctx, batchID)
	if err != nil {
		return nil, err
	}
	for i := range m.Documents {
		if c, ok := corrections[m.Documents[i].SourceID]; ok {
			m.Documents[i].Corrected = &c
			var md docmeta.Metadata
			if err := json.Unmarshal(c.Metadata, &md); err != nil {
				return nil, fmt.Errorf("batch %s: metadata correction of %s: %w", batchID, c.Key, err)
			}
			m.Documents[i].Flags = md.Flags
		}
	}
	for _, d := range m.Documents {
		if d.NeedsReview() {
			m.Counts.DocumentsReview++
		}
		if slices.Contains(d.Flags, docmeta.FlagTopSecret) {
			m.Alerts = append(m.Alerts, fmt.Sprintf("%s is marked TUYỆT MẬT (top secret): such records are normally not digitised; "+
				"check with the archive's security officer before this batch goes further", d.Source))
		}
	}
	return m, nil
}

// publicAttrs are the attributes batch.json shows: nil when there are none.
func publicAttrs(a map[string]string) map[string]string {
	if len(a) == 0 {
		return nil
	}
	return a
}

func randomToken() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
