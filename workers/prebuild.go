package workers

import (
	"context"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

// prebuildDocument makes the document (searchable PDF, header metadata) of
// a one-page source as soon as its page is read, on the worker that read
// it, instead of leaving every document to the one worker that finalizes
// the batch: with many single-image sources, finalize would otherwise run
// for minutes on one machine while the farm idles. The PDF is the one
// finalize would make (same inputs; the PDF writer is deterministic).
// Failures are only logged: finalize then makes the document itself.
func (f *Stages) prebuildDocument(ctx context.Context, p *queue.PagePayload, pg batch.Page) {
	log := f.log.With("batch", p.BatchID, "source", p.Source.Name)
	times, err := f.tracker.Times(ctx, p.BatchID)
	if err != nil {
		log.Warn("document not made early", "error", err)
		return
	}
	attrs, err := f.tracker.Attrs(ctx, p.BatchID)
	if err != nil {
		log.Warn("document not made early", "error", err)
		return
	}
	m := &batch.Manifest{ID: p.BatchID, Created: times.Created, Attrs: attrs}
	pg.Status = batch.StateDone
	doc, err := f.buildDocument(ctx, m, p.Source.ID, []batch.Page{pg})
	if err != nil || doc == nil {
		log.Warn("document not made early", "error", err)
		return
	}
	if err := f.tracker.SetPrebuilt(ctx, p.BatchID, p.Source.ID, farm.Prebuilt{Doc: *doc, Basis: pg.SHA256}); err != nil {
		log.Warn("document not made early", "error", err)
	}
}
