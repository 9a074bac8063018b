package farm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// Reader reads where batches stand: their progress, their live manifest,
// the list of batches.
type Reader struct {
	store     storage.Store
	tracker   *Tracker
	manifests *Manifests
}

// NewReader returns a Reader.
func NewReader(cfg Config) (*Reader, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	tr := NewTracker(cfg.Redis)
	return &Reader{store: cfg.Store, tracker: tr, manifests: newManifests(cfg, tr)}, nil
}

// Manifest is the batch's manifest as it stands now, built from Redis; a
// batch Redis no longer knows is read from its batch.json in the store. A
// batch in neither gives an error wrapping ErrUnknownBatch.
func (r *Reader) Manifest(ctx context.Context, batchID string) (*batch.Manifest, error) {
	m, err := r.manifests.Build(ctx, batchID)
	if !errors.Is(err, ErrUnknownBatch) {
		return m, err
	}
	m, err = batch.Read(ctx, r.store, batchID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("batch %s: not in Redis nor in the store: %w", batchID, ErrUnknownBatch)
	}
	return m, err
}

// LiveManifest is the batch's manifest built from Redis only (an error
// wrapping ErrUnknownBatch if Redis does not know it).
func (r *Reader) LiveManifest(ctx context.Context, batchID string) (*batch.Manifest, error) {
	return r.manifests.Build(ctx, batchID)
}

// Progress is where the batch stands.
func (r *Reader) Progress(ctx context.Context, batchID string) (Progress, error) {
	return r.tracker.Progress(ctx, batchID)
}

// Watch calls fn with the batch's progress now and after every change,
// until fn returns false or ctx ends (see Tracker.Watch).
func (r *Reader) Watch(ctx context.Context, batchID string, poll time.Duration, fn func(Progress) bool) error {
	return r.tracker.Watch(ctx, batchID, poll, fn)
}

// Summary is one batch in a list of batches.
type Summary struct {
	ID    string
	Times Times
	// Attrs are the user's attributes (title, fonds, priority).
	Attrs    map[string]string
	Progress Progress
}

// Batches lists limit batches from offset, newest first, and how many
// there are in all.
func (r *Reader) Batches(ctx context.Context, offset, limit int) ([]Summary, int, error) {
	ids, total, err := r.tracker.Batches(ctx, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Summary, 0, len(ids))
	for _, id := range ids {
		p, err := r.tracker.Progress(ctx, id)
		if errors.Is(err, ErrUnknownBatch) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, 0, err
		}
		times, err := r.tracker.Times(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		attrs, err := r.tracker.Attrs(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, Summary{ID: id, Times: times, Attrs: attrs, Progress: p})
	}
	return out, total, nil
}

// ActiveBatches counts the batches that have not reached a final status
// (the worker's metrics).
func (r *Reader) ActiveBatches(ctx context.Context) (int, error) {
	ids, err := r.tracker.ActiveBatches(ctx)
	return len(ids), err
}
