package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sohoa/sohoa/storage"
)

// ErrDamaged is returned (wrapped) for a batch document in the store that
// is not what it should be: not JSON, or the manifest of another batch.
var ErrDamaged = errors.New("damaged batch document")

// Read reads batch id's batch.json from the store: the one reader of the
// manifest every program uses (export, the API, repair, status, bench). A
// batch with no batch.json gives an error wrapping storage.ErrNotFound.
func Read(ctx context.Context, store storage.Store, id string) (*Manifest, error) {
	m, _, err := ReadRaw(ctx, store, id)
	return m, err
}

// ReadRaw is Read, also returning the bytes it read (the BagIt bag keeps
// the very batch.json its files were checked against).
func ReadRaw(ctx context.Context, store storage.Store, id string) (*Manifest, []byte, error) {
	key := ManifestKey(id)
	b, err := storage.ReadAll(ctx, store, key)
	if err != nil {
		return nil, nil, fmt.Errorf("batch %s: %w", id, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, fmt.Errorf("batch %s: %s: %w: %w", id, key, ErrDamaged, err)
	}
	if m.ID != id {
		return nil, nil, fmt.Errorf("batch %s: %s is the manifest of batch %q: %w", id, key, m.ID, ErrDamaged)
	}
	return &m, b, nil
}

// Write stores m as its batch's batch.json, whole (the store's Put is
// atomic): the one writer of the manifest.
func Write(ctx context.Context, store storage.Store, m *Manifest) error {
	return PutJSON(ctx, store, ManifestKey(m.ID), m)
}

// ReadRecord reads page pageID's page.json.
func ReadRecord(ctx context.Context, store storage.Store, id, pageID string) (*Record, error) {
	key := PageKey(id, pageID, FileRecord)
	b, err := storage.ReadAll(ctx, store, key)
	if err != nil {
		return nil, err
	}
	var rec Record
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", key, ErrDamaged, err)
	}
	return &rec, nil
}

// WriteRecord stores a page's page.json under rec.Record.
func WriteRecord(ctx context.Context, store storage.Store, rec *Record) error {
	return PutJSON(ctx, store, rec.Record, rec)
}

// PutJSON stores v under key as the batch documents are written: JSON
// indented by two spaces, ending with a newline.
func PutJSON(ctx context.Context, store storage.Store, key string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return storage.PutBytes(ctx, store, key, append(b, '\n'), "application/json")
}

// CurrentText is a page's current text: its latest correction by a person
// if there is one, else the OCR text. It returns the text's store key ("" for a
// page with no text), its SHA-256 and its version (0: the OCR text).
func (p Page) CurrentText() (key, sha256 string, version int) {
	if c := p.Corrected; c != nil {
		return c.Text, c.SHA256, c.Version
	}
	return p.Text, p.SHA256["text"], 0
}

// RecordKey is the key of the correction's record (the Correction as
// JSON), beside its text: text.v<N>.json ("" if Text is not a correction's
// text.v<N>.txt).
func (c Correction) RecordKey() string {
	if base, ok := strings.CutSuffix(c.Text, ".txt"); ok {
		return base + ".json"
	}
	return ""
}
