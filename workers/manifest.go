package workers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/workers/batch"
)

func retryCount(ctx context.Context) (int, bool) { return asynq.GetRetryCount(ctx) }

// writeManifest rewrites batch.json from the tracker's state. Writers are
// serialised per batch through a lease: if another process holds it, this
// call marks the manifest dirty and returns, and the holder writes again.
// With wait, it waits for the lease instead (the final write must happen).
func (f *Farm) writeManifest(ctx context.Context, batchID string, wait bool) error {
	return f.writeManifestWith(ctx, batchID, wait, nil)
}

// writeManifestWith is writeManifest with a last change to the manifest
// before it is written (the finalize stage sets the final status).
func (f *Farm) writeManifestWith(ctx context.Context, batchID string, wait bool, change func(*batch.Manifest)) error {
	owner := f.cfg.Worker + "/" + randomToken()
	for {
		ok, err := f.tracker.AcquireManifest(ctx, batchID, owner, f.cfg.ManifestLease)
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
		if err := f.tracker.ClaimDirty(ctx, batchID, owner, f.cfg.ManifestLease); err != nil {
			return err
		}
		m, err := f.BuildManifest(ctx, batchID)
		if err == nil && change != nil {
			change(m)
		}
		if err == nil {
			err = f.putJSON(ctx, batch.ManifestKey(batchID), m)
		}
		if err != nil {
			// Give the lease up so the next writer is not locked out, and
			// leave the manifest dirty.
			bg := context.WithoutCancel(ctx)
			f.tracker.MarkManifestDirty(bg, batchID)
			f.tracker.ReleaseManifestForce(bg, batchID, owner)
			return err
		}
		released, err := f.tracker.ReleaseManifest(ctx, batchID, owner)
		if err != nil {
			return err
		}
		if released {
			return nil
		}
	}
}

// BuildManifest assembles batch.json from the tracker's state.
func (f *Farm) BuildManifest(ctx context.Context, batchID string) (*batch.Manifest, error) {
	c, err := f.tracker.Counts(ctx, batchID)
	if err != nil {
		return nil, err
	}
	times, err := f.tracker.Times(ctx, batchID)
	if err != nil {
		return nil, err
	}
	attrs, err := f.tracker.Attrs(ctx, batchID)
	if err != nil {
		return nil, err
	}
	refs, err := f.tracker.Sources(ctx, batchID)
	if err != nil {
		return nil, err
	}
	infos, err := f.tracker.SourceInfo(ctx, batchID)
	if err != nil {
		return nil, err
	}
	states, summaries, err := f.tracker.Pages(ctx, batchID)
	if err != nil {
		return nil, err
	}
	m := &batch.Manifest{
		Version: batch.Version, ID: batchID, Status: c.Status, Created: times.Created, Updated: times.Updated,
		Attrs: publicAttrs(attrs), Producer: f.cfg.Producer, Sources: []batch.Source{}, Pages: []batch.Page{},
	}
	if !times.Finished.IsZero() {
		m.Finished = &times.Finished
	}
	byID := map[string]queue.SourceRef{}
	for _, r := range refs {
		byID[r.ID] = r
		s := batch.Source{ID: r.ID, Name: r.Name, Key: r.Key}
		if b, ok := infos[r.ID]; ok {
			_ = json.Unmarshal(b, &s)
		}
		m.Sources = append(m.Sources, s)
	}
	ids := make([]string, 0, len(states))
	for id := range states {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, queue.CompareIDs)
	for _, id := range ids {
		var pg batch.Page
		if b := summaries[id]; len(b) > 0 {
			if err := json.Unmarshal(b, &pg); err != nil {
				return nil, fmt.Errorf("page %s summary: %w", id, err)
			}
		} else {
			srcID, idx := splitPageID(id)
			pg = batch.Page{ID: id, SourceID: srcID, Index: idx, Source: byID[srcID].Name}
		}
		pg.Status = states[id] // the tracker's state is the truth (a retried page)
		if pg.Status != queue.StateFailed {
			pg.Error = ""
		}
		if pg.Blank {
			m.Counts.Blank++
		}
		m.Pages = append(m.Pages, pg)
	}
	m.Counts.Sources, m.Counts.Pages, m.Counts.Done, m.Counts.Failed, m.Counts.Cancelled, m.Counts.Pending =
		c.Sources, c.Pages, c.Done, c.Failed, c.Cancelled, c.Pending()
	if docs := attrs[attrDocuments]; docs != "" {
		_ = json.Unmarshal([]byte(docs), &m.Documents)
	}
	for i := range m.Documents {
		if cj := attrs[attrMetaCorrection+m.Documents[i].SourceID]; cj != "" {
			var c batch.MetadataCorrection
			if json.Unmarshal([]byte(cj), &c) == nil {
				m.Documents[i].Corrected = &c
				var md docmeta.Metadata
				if json.Unmarshal(c.Metadata, &md) == nil {
					m.Documents[i].Flags = md.Flags
				}
			}
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

// Batch attributes starting with "_" are internal (not shown in batch.json).
const attrDocuments = "_documents"

func publicAttrs(a map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		if !strings.HasPrefix(k, "_") && !strings.HasPrefix(k, "webhook") {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// splitPageID splits "0003.0001-0012" into "0003.0001" and 12.
func splitPageID(id string) (string, int) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return id, 0
	}
	n, _ := strconv.Atoi(id[i+1:])
	return id[:i], n
}

func randomToken() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
