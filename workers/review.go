package workers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/workers/batch"
)

// ErrNotDone is returned when correcting a page that has no OCR text.
var ErrNotDone = errors.New("page is not done")

// Person is who does something (from the API's token file).
type Person struct {
	Name string
	Role string
}

// CorrectText stores a person's corrected text for a page as a new
// version next to the OCR text (never overwriting it), records who did it
// and when, and points the page's manifest entry at it.
func (f *Farm) CorrectText(ctx context.Context, batchID, pageID, text string, by Person) (*batch.Correction, error) {
	if !utf8.ValidString(text) {
		return nil, errors.New("the corrected text is not valid UTF-8")
	}
	text = norm.NFC.String(strings.ReplaceAll(text, "\r\n", "\n"))
	states, summaries, err := f.tracker.Pages(ctx, batchID)
	if err != nil {
		return nil, err
	}
	st, ok := states[pageID]
	if !ok {
		return nil, fmt.Errorf("batch %s: %w %q", batchID, ErrUnknownPage, pageID)
	}
	if st != queue.StateDone {
		return nil, fmt.Errorf("batch %s page %s is %s: %w", batchID, pageID, st, ErrNotDone)
	}
	var pg batch.Page
	if err := json.Unmarshal(summaries[pageID], &pg); err != nil {
		return nil, fmt.Errorf("page %s: %w", pageID, err)
	}
	n, err := f.tracker.NextVersion(ctx, batchID, "text:"+pageID)
	if err != nil {
		return nil, err
	}
	c := &batch.Correction{Version: int(n), Text: batch.CorrectionKey(batchID, pageID, int(n)), By: by.Name, Role: by.Role,
		At: time.Now().UTC(), Base: pg.SHA256["text"]}
	if pg.Corrected != nil {
		c.Base = pg.Corrected.SHA256
	}
	if c.SHA256, err = f.put(ctx, c.Text, []byte(text), "text/plain; charset=utf-8"); err != nil {
		return nil, err
	}
	if err := f.putJSON(ctx, strings.TrimSuffix(c.Text, ".txt")+".json", c); err != nil {
		return nil, err
	}
	pg.Corrected = c
	summary, _ := json.Marshal(pg)
	if _, err := f.tracker.SetPage(ctx, batchID, pageID, queue.StateDone, summary); err != nil {
		return nil, err
	}
	f.log.Info("text corrected", "batch", batchID, "page", pageID, "version", c.Version, "by", by.Name)
	return c, f.writeManifest(ctx, batchID, false)
}

// PageText returns a page's current text: the latest correction if there
// is one, else the OCR text.
func (f *Farm) PageText(ctx context.Context, pg batch.Page) ([]byte, error) {
	key := pg.Text
	if pg.Corrected != nil {
		key = pg.Corrected.Text
	}
	if key == "" {
		return nil, fmt.Errorf("page %s has no text: %w", pg.ID, storage.ErrNotFound)
	}
	return storage.ReadAll(ctx, f.store, key)
}

// ErrUnknownDocument is returned for a document the batch does not have.
var ErrUnknownDocument = errors.New("unknown document")

// ErrBadMetadata is returned for corrected metadata that breaks a rule
// (a date that is not YYYY-MM-DD, an unknown document type).
var ErrBadMetadata = errors.New("invalid metadata")

// attrMetaCorrection is the batch attribute holding a document's latest
// metadata correction (kept apart from the documents, which finalize
// recomputes).
const attrMetaCorrection = "_metacorr:"

// CorrectMetadata stores a person's corrected metadata for a document as
// a new version (the metadata read from the page is kept), records who did
// it and when, and makes it the document's current metadata in batch.json,
// the CSV export and the bag. A field whose value the person changed, or
// that is in confirmed, leaves metadata.review; the others in review stay
// (docmeta.Corrected).
func (f *Farm) CorrectMetadata(ctx context.Context, batchID, sourceID string, md docmeta.Metadata, by Person, confirmed ...string) (*batch.MetadataCorrection, error) {
	m, err := f.BuildManifest(ctx, batchID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(m.Documents, func(d batch.Document) bool { return d.SourceID == sourceID })
	if i < 0 {
		return nil, fmt.Errorf("batch %s: %w %q", batchID, ErrUnknownDocument, sourceID)
	}
	for name, d := range map[string]string{"date": md.Date, "received_date": md.ReceivedDate} {
		if d == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", d); err != nil {
			return nil, fmt.Errorf("%w: %s %q is not YYYY-MM-DD", ErrBadMetadata, name, d)
		}
	}
	if md.Type != "" {
		md.TypeCode = ""
		known := false
		for _, t := range docmeta.Types() {
			if t.Name == md.Type {
				known, md.TypeCode = true, t.Code
			}
		}
		if !known {
			return nil, fmt.Errorf("%w: %q is not a document type of Decree 30 (docs/metadata.md)", ErrBadMetadata, md.Type)
		}
	}
	for _, s := range []*string{&md.Issuer, &md.Number, &md.Place, &md.Subject, &md.Secrecy, &md.Urgency, &md.ReceivedNumber} {
		*s = norm.NFC.String(strings.TrimSpace(*s))
	}
	var prev docmeta.Metadata
	_ = json.Unmarshal(m.Documents[i].CurrentMetadata(), &prev)
	md, fields, err := docmeta.Corrected(prev, md, confirmed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadMetadata, err)
	}
	md.Document = true
	md.Flags = nil
	if md.Secrecy == "TUYỆT MẬT" {
		md.Flags = []string{docmeta.FlagTopSecret}
	}
	n, err := f.tracker.NextVersion(ctx, batchID, "metadata:"+sourceID)
	if err != nil {
		return nil, err
	}
	mj, err := json.Marshal(md)
	if err != nil {
		return nil, err
	}
	c := &batch.MetadataCorrection{Version: n, Key: batch.MetadataCorrectionKey(batchID, sourceID, n), By: by.Name, Role: by.Role,
		At: time.Now().UTC(), Metadata: mj, Fields: fields}
	if err := f.putJSON(ctx, c.Key, c); err != nil {
		return nil, err
	}
	cj, _ := json.Marshal(c)
	if err := f.tracker.SetAttr(ctx, batchID, attrMetaCorrection+sourceID, string(cj)); err != nil {
		return nil, err
	}
	f.log.Info("metadata corrected", "batch", batchID, "document", sourceID, "version", n, "by", by.Name)
	return c, f.writeManifest(ctx, batchID, false)
}
