package farm

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
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
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
func (a *Admin) CorrectText(ctx context.Context, batchID, pageID, text string, by Person) (*batch.Correction, error) {
	if !utf8.ValidString(text) {
		return nil, errors.New("the corrected text is not valid UTF-8")
	}
	text = norm.NFC.String(strings.ReplaceAll(text, "\r\n", "\n"))
	st, pg, err := a.tracker.Page(ctx, batchID, pageID)
	if err != nil {
		return nil, err
	}
	if st == "" {
		return nil, fmt.Errorf("batch %s: %w %q", batchID, ErrUnknownPage, pageID)
	}
	if st != batch.StateDone {
		return nil, fmt.Errorf("batch %s page %s is %s: %w", batchID, pageID, st, ErrNotDone)
	}
	if pg == nil {
		return nil, fmt.Errorf("batch %s page %s is done but has no manifest entry", batchID, pageID)
	}
	n, err := a.tracker.NextTextVersion(ctx, batchID, pageID)
	if err != nil {
		return nil, err
	}
	_, base, _ := pg.CurrentText()
	c := &batch.Correction{Version: n, Text: batch.CorrectionKey(batchID, pageID, n), By: by.Name, Role: by.Role,
		At: time.Now().UTC(), Base: base}
	if c.SHA256, err = storage.PutBytesSum(ctx, a.store, c.Text, []byte(text), "text/plain; charset=utf-8"); err != nil {
		return nil, err
	}
	if err := batch.PutJSON(ctx, a.store, c.RecordKey(), c); err != nil {
		return nil, err
	}
	pg.Corrected = c
	if _, err := a.tracker.SetPage(ctx, batchID, pageID, batch.StateDone, pg); err != nil {
		return nil, err
	}
	a.log.Info("text corrected", "batch", batchID, "page", pageID, "version", c.Version, "by", by.Name)
	return c, a.manifests.Write(ctx, batchID, false)
}

// ErrUnknownDocument is returned for a document the batch does not have.
var ErrUnknownDocument = errors.New("unknown document")

// ErrBadMetadata is returned for corrected metadata that breaks a rule
// (a date that is not YYYY-MM-DD, an unknown document type).
var ErrBadMetadata = errors.New("invalid metadata")

// CorrectMetadata stores a person's corrected metadata for a document as
// a new version (the metadata read from the page is kept), records who did
// it and when, and makes it the document's current metadata in batch.json,
// the CSV export and the bag. A field whose value the person changed, or
// that is in confirmed, leaves metadata.review; the others in review stay
// (docmeta.Corrected).
func (a *Admin) CorrectMetadata(ctx context.Context, batchID, sourceID string, md docmeta.Metadata, by Person, confirmed ...string) (*batch.MetadataCorrection, error) {
	m, err := a.manifests.Build(ctx, batchID)
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
	n, err := a.tracker.NextMetadataVersion(ctx, batchID, sourceID)
	if err != nil {
		return nil, err
	}
	mj, err := json.Marshal(md)
	if err != nil {
		return nil, err
	}
	c := &batch.MetadataCorrection{Version: n, Key: batch.MetadataCorrectionKey(batchID, sourceID, n), By: by.Name, Role: by.Role,
		At: time.Now().UTC(), Metadata: mj, Fields: fields}
	if err := batch.PutJSON(ctx, a.store, c.Key, c); err != nil {
		return nil, err
	}
	if err := a.tracker.SetMetadataCorrection(ctx, batchID, sourceID, *c); err != nil {
		return nil, err
	}
	a.log.Info("metadata corrected", "batch", batchID, "document", sourceID, "version", n, "by", by.Name)
	return c, a.manifests.Write(ctx, batchID, false)
}
