package workers

import (
	"context"
	"encoding/json"
	"maps"
	"strings"

	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

// attrPrebuilt prefixes the internal batch attribute that holds the
// document of a one-page source made when its page was read (a prebuilt,
// JSON), keyed by source ID.
const attrPrebuilt = "_prebuilt:"

// prebuilt is a document made before finalize, and the page outputs it
// was made from.
type prebuilt struct {
	Doc batch.Document `json:"doc"`
	// Basis is the page's SHA-256 of each output when the document was
	// made: finalize uses the document only if the page is still the same.
	Basis map[string]string `json:"basis"`
}

// prebuildDocument makes the document (searchable PDF, header metadata) of
// a one-page source as soon as its page is read, on the worker that read
// it, instead of leaving every document to the one worker that finalizes
// the batch: with many single-image sources, finalize would otherwise run
// for minutes on one machine while the farm idles. The PDF is the one
// finalize would make (same inputs; the PDF writer is deterministic).
// Failures are only logged: finalize then makes the document itself.
func (f *Farm) prebuildDocument(ctx context.Context, p *queue.PagePayload, pg batch.Page) {
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
	m := &batch.Manifest{ID: p.BatchID, Created: times.Created, Attrs: publicAttrs(attrs)}
	pg.Status = queue.StateDone
	doc, err := f.buildDocument(ctx, m, p.Source.ID, []batch.Page{pg})
	if err != nil || doc == nil {
		log.Warn("document not made early", "error", err)
		return
	}
	j, err := json.Marshal(prebuilt{Doc: *doc, Basis: pg.SHA256})
	if err == nil {
		err = f.tracker.SetAttr(ctx, p.BatchID, attrPrebuilt+p.Source.ID, string(j))
	}
	if err != nil {
		log.Warn("document not made early", "error", err)
	}
}

// prebuiltDocuments returns the documents made early, by source ID.
func prebuiltDocuments(attrs map[string]string) map[string]prebuilt {
	out := map[string]prebuilt{}
	for k, v := range attrs {
		if id, ok := strings.CutPrefix(k, attrPrebuilt); ok {
			var pb prebuilt
			if json.Unmarshal([]byte(v), &pb) == nil {
				out[id] = pb
			}
		}
	}
	return out
}

// usable reports whether a prebuilt document still stands for pages: one
// page, done, with the outputs it was made from.
func (pb prebuilt) usable(pages []batch.Page) bool {
	return len(pages) == 1 && pages[0].Status == queue.StateDone && len(pb.Basis) > 0 &&
		maps.Equal(pb.Basis, pages[0].SHA256)
}
