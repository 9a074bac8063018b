package workers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// handleSplit turns one source file into pages: it opens the file, counts
// its pages, checks each page's header against the limits, records the
// pages and queues the cleanup of each good one. A file that cannot be
// read becomes one failed page that says why.
func (f *Stages) handleSplit(ctx context.Context, t *asynq.Task) (err error) {
	var p queue.SplitPayload
	if err := queue.Decode(t, &p); err != nil {
		return permanent(err)
	}
	log := f.log.With("batch", p.BatchID, "source", p.Source.Name)
	defer func() {
		if r := recover(); r != nil {
			log.Error("panic while splitting", "panic", r, "stack", stack())
			err = f.failSource(ctx, p, fmt.Errorf("internal error while reading the file (%v); the file may be malformed", r))
		}
	}()
	if f.cancelled(ctx, p.BatchID) {
		return nil
	}

	local, release, err := f.localCopy(ctx, p.Source.Key)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return f.failSource(ctx, p, fmt.Errorf("the uploaded file is missing from the store (%s)", p.Source.Key))
		}
		return err // transient: the store may be back soon
	}
	defer release()

	if isZip(local) {
		return f.splitArchive(ctx, p, local)
	}
	doc, err := f.sources.Open(ctx, local)
	if err != nil {
		if isPermanent(err) {
			return f.failSource(ctx, p, err)
		}
		return err
	}
	defer doc.Close()

	n := doc.NumPages()
	lim := f.sources.Limits.WithDefaults()
	if n == 0 {
		return f.failSource(ctx, p, fmt.Errorf("%w: the file has no pages", source.ErrCorrupt))
	}
	if n > lim.MaxPages {
		return f.failSource(ctx, p, fmt.Errorf("%w: the file has %d pages, over the %d-page limit per file", source.ErrLimit, n, lim.MaxPages))
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = batch.PageID(p.Source.ID, i)
	}
	if err := f.tracker.UpdateSourceInfo(ctx, p.BatchID, p.Source.ID, func(s *batch.Source) {
		s.Type, s.Pages, s.Error = string(doc.Kind()), n, ""
	}); err != nil {
		return err
	}
	c, err := f.tracker.RegisterSplit(ctx, p.BatchID, p.Source.ID, ids, nil)
	if err != nil {
		return err
	}
	states, err := f.tracker.PageStates(ctx, p.BatchID)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if states[id] != batch.StatePending {
			continue // finished in an earlier run of this task
		}
		pp := queue.PagePayload{BatchID: p.BatchID, PageID: id, Source: p.Source, Index: i, SourcePages: len(ids), Priority: p.Priority}
		if info, err := doc.Info(i); err == nil {
			pp.Large = int64(info.Width)*int64(info.Height) > f.cfg.LargePixels
			err = lim.CheckPixels(info.Width, info.Height)
			if err != nil {
				if c, err = f.failPage(ctx, pp, "split", err); err != nil {
					return err
				}
				continue
			}
		} else if isPermanent(err) {
			if c, err = f.failPage(ctx, pp, "split", err); err != nil {
				return err
			}
			continue
		}
		if err := f.client.Cleanup(ctx, pp); err != nil {
			return err
		}
	}
	log.Info("source split", "type", doc.Kind(), "pages", n)
	return f.progressed(ctx, p.BatchID, p.Priority, c)
}

// failSource records a source that could not be split as one failed page.
func (f *Stages) failSource(ctx context.Context, p queue.SplitPayload, cause error) error {
	pp := queue.PagePayload{BatchID: p.BatchID, PageID: batch.PageID(p.Source.ID, 0), Source: p.Source, Index: 0, Priority: p.Priority}
	msg := fmt.Sprintf("%s: %s", p.Source.Name, describe(cause))
	if err := f.tracker.UpdateSourceInfo(ctx, p.BatchID, p.Source.ID, func(s *batch.Source) { s.Error = msg }); err != nil {
		return err
	}
	c, err := f.tracker.RegisterSplit(ctx, p.BatchID, p.Source.ID, []string{pp.PageID}, nil)
	if err != nil {
		return err
	}
	f.log.Warn("source failed", "batch", p.BatchID, "source", p.Source.Name, "error", msg)
	if c, err = f.recordFailure(ctx, pp, msg); err != nil {
		return err
	}
	return f.progressed(ctx, p.BatchID, p.Priority, c)
}

// localCopy gives a file path holding the object at key: the object's own
// file for a filesystem store, else a temporary copy removed by release.
func (f *Stages) localCopy(ctx context.Context, key string) (path string, release func(), err error) {
	if lp, ok := f.store.(storage.LocalPather); ok {
		p, err := lp.LocalPath(key)
		if err != nil {
			return "", nil, err
		}
		if _, err := os.Stat(p); err != nil {
			if os.IsNotExist(err) {
				return "", nil, fmt.Errorf("%s: %w", key, storage.ErrNotFound)
			}
			return "", nil, err
		}
		return p, func() {}, nil
	}
	rc, err := f.store.Get(ctx, key)
	if err != nil {
		return "", nil, err
	}
	defer rc.Close()
	tmp, err := os.CreateTemp("", "sohoa-src-*")
	if err != nil {
		return "", nil, err
	}
	release = func() { os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, rc); err != nil {
		tmp.Close()
		release()
		return "", nil, fmt.Errorf("download %s: %w", key, err)
	}
	if err := tmp.Close(); err != nil {
		release()
		return "", nil, err
	}
	return tmp.Name(), release, nil
}

// isZip reports whether the file at path is a zip archive (by content).
func isZip(path string) bool {
	fh, err := os.Open(path)
	if err != nil {
		return false
	}
	defer fh.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(fh, head)
	return source.Sniff(head[:n]) == source.KindZIP
}

// splitArchive expands a zip: each entry becomes a source of its own,
// named "<zip name>/<path in the zip>" and split in turn. Entries that are
// refused (a path that leaves the archive, a link, an encrypted entry...)
// are never written: each is listed as a failed source with the reason.
func (f *Stages) splitArchive(ctx context.Context, p queue.SplitPayload, local string) error {
	lim := f.sources.Limits.WithDefaults()
	// What the batch's zips may expand to: its limit less the files
	// uploaded (this zip included: the store keeps it too).
	room, err := f.expansionRoom(ctx, p.BatchID, lim)
	if err != nil {
		return err
	}
	if err := f.tracker.ResetExpanded(ctx, p.BatchID, p.Source.ID); err != nil {
		return err // a retried split counts its zip afresh
	}
	var children []queue.SourceRef
	var infos []batch.Source
	n := 0
	refused, err := source.ReadArchive(local, lim, func(e source.ArchiveEntry) error {
		entry, err := batch.CleanSourceName(e.Name)
		if err != nil {
			return fmt.Errorf("%w: %v", source.ErrUnsupported, err)
		}
		name := p.Source.Name + "/" + entry
		ref := queue.SourceRef{ID: batch.SourceID(p.Source.ID, n), Name: name, Key: batch.ArchiveEntryKey(p.BatchID, p.Source.ID, entry)}
		budget := &budgetReader{r: e.Reader, reserve: func(n int64) error {
			ok, err := f.tracker.ReserveExpanded(ctx, p.BatchID, p.Source.ID, n, room)
			if err == nil && !ok {
				err = fmt.Errorf("%w: entry %s: the batch would pass its %d-byte limit per batch (the files uploaded and what their zips expand to count together); "+
					"send the rest in another batch", source.ErrLimit, batch.QuoteName(e.Name), lim.MaxBatchBytes)
			}
			return err
		}}
		size, sum, err := storage.PutSum(ctx, f.store, ref.Key, budget, storage.PutOptions{Size: e.Size})
		if err != nil {
			if budget.err != nil {
				err = budget.err // the batch's limit (or Redis), without the store's words
			}
			if isPermanent(err) {
				f.store.Delete(ctx, ref.Key)
			}
			return err // a refused entry (limit, damage), the batch's limit, or a store error
		}
		n++
		children = append(children, ref)
		infos = append(infos, batch.Source{ID: ref.ID, Name: name, Key: ref.Key, Size: size, SHA256: sum, Parent: p.Source.ID})
		return nil
	})
	if err != nil {
		if isPermanent(err) {
			// The zip fails as a whole: what it expanded to so far goes.
			for _, c := range children {
				f.store.Delete(context.WithoutCancel(ctx), c.Key)
			}
			return f.failSource(ctx, p, err)
		}
		return err
	}
	// Refused entries: sources with no file, each with one failed page.
	var failed []queue.SourceRef
	for _, r := range refused {
		if r.Metadata {
			f.log.Info("zip entry skipped", "batch", p.BatchID, "source", p.Source.Name, "entry", r.Name, "why", r.Reason)
			continue
		}
		ref := queue.SourceRef{ID: batch.SourceID(p.Source.ID, n), Name: p.Source.Name + "/" + r.Name}
		n++
		msg := fmt.Sprintf("%s: entry %q refused: %s", p.Source.Name, r.Name, r.Reason)
		children = append(children, ref)
		failed = append(failed, ref)
		infos = append(infos, batch.Source{ID: ref.ID, Name: ref.Name, Parent: p.Source.ID, Error: msg})
	}
	for _, s := range infos {
		if err := f.tracker.SetSourceInfo(ctx, p.BatchID, s); err != nil {
			return err
		}
	}
	if err := f.tracker.UpdateSourceInfo(ctx, p.BatchID, p.Source.ID, func(s *batch.Source) {
		s.Type, s.Pages, s.Error = string(source.KindZIP), 0, ""
	}); err != nil {
		return err
	}
	c, err := f.tracker.RegisterSplit(ctx, p.BatchID, p.Source.ID, nil, children)
	if err != nil {
		return err
	}
	for _, ref := range failed {
		info := infos[slices.IndexFunc(infos, func(s batch.Source) bool { return s.ID == ref.ID })]
		pp := queue.PagePayload{BatchID: p.BatchID, PageID: batch.PageID(ref.ID, 0), Source: ref, Priority: p.Priority}
		if _, err := f.tracker.RegisterSplit(ctx, p.BatchID, ref.ID, []string{pp.PageID}, nil); err != nil {
			return err
		}
		if c, err = f.recordFailure(ctx, pp, info.Error); err != nil {
			return err
		}
	}
	for _, ref := range children {
		if slices.Contains(failed, ref) {
			continue
		}
		if err := f.client.Split(ctx, queue.SplitPayload{BatchID: p.BatchID, Source: ref, Priority: p.Priority}); err != nil {
			return err
		}
	}
	f.log.Info("archive expanded", "batch", p.BatchID, "source", p.Source.Name, "entries", len(children)-len(failed), "refused", len(failed))
	return f.progressed(ctx, p.BatchID, p.Priority, c)
}

// expansionRoom is what the zips of a batch may expand to in all: the
// batch's byte limit less the bytes of the files uploaded.
func (f *Stages) expansionRoom(ctx context.Context, batchID string, lim source.Limits) (int64, error) {
	all, err := f.tracker.SourceInfo(ctx, batchID)
	if err != nil {
		return 0, err
	}
	uploaded := int64(0)
	for _, s := range all {
		if s.Parent == "" {
			uploaded += s.Size
		}
	}
	return lim.MaxBatchBytes - uploaded, nil
}

// budgetReader counts what a zip entry expands to against the batch's
// limit (reserve), every MiB and at the end of the entry; once reserve
// fails, so does every read.
type budgetReader struct {
	r       io.Reader
	pending int64
	reserve func(n int64) error
	err     error
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	b.pending += int64(n)
	if b.pending >= 1<<20 || b.pending > 0 && errors.Is(err, io.EOF) {
		if b.err = b.reserve(b.pending); b.err != nil {
			return 0, b.err
		}
		b.pending = 0
	}
	return n, err
}
