package tesseract_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/ocr/tesseract"
)

// TestRecordDocuments reads a scanned record of nine pages with the
// farm's engine, as the farm reads a page (Tesseract, the header columns
// put in order, docmeta), and groups the pages into documents: three, on
// pages 1-4, 5-6 and 7-9 (the last an annex). Each first page's header
// gives the number, date and type its ground truth says. The record is
// ocr/docmeta/testdata/record/record-3docs.tif (see make-record.sh there).
func TestRecordDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("reads nine pages with Tesseract")
	}
	ctx := context.Background()
	tif := filepath.Join("..", "docmeta", "testdata", "record", "record-3docs.tif")
	var opener source.Opener
	doc, err := opener.Open(ctx, tif)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if doc.NumPages() != 9 {
		t.Fatalf("%s has %d pages, want 9", tif, doc.NumPages())
	}
	eng, err := tesseract.New(tesseract.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()

	pages := make([]docmeta.PageReading, doc.NumPages())
	for i := range pages {
		img, info, err := doc.Decode(ctx, i)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		png, err := ocr.EncodePNG(img, info.DPI, true)
		if err != nil {
			t.Fatal(err)
		}
		p, err := eng.Recognize(ctx, png)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		if ocr.LooksVietnamese(p) {
			ocr.FixColumns(p) // as the farm's OCR stage does
		}
		pages[i] = docmeta.PageReading{Page: p, Meta: docmeta.Extract(p)}
		t.Logf("page %d: document %v (evidence %.2f) %q %q %q", i+1, pages[i].Meta.Document,
			pages[i].Meta.Confidence.Document, pages[i].Meta.Type, pages[i].Meta.Number, pages[i].Meta.Date)
	}

	g := docmeta.GroupDocuments(pages)
	want := []docmeta.DocSpan{{Start: 0, End: 4, Why: docmeta.StartHeader}, {Start: 4, End: 6, Why: docmeta.StartHeader}, {Start: 6, End: 9, Why: docmeta.StartHeader}}
	if diff := cmp.Diff(want, g.Documents); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	wantRoles := []docmeta.PageRole{docmeta.RoleFirst, docmeta.RoleContinuation, docmeta.RoleContinuation, docmeta.RoleContinuation,
		docmeta.RoleFirst, docmeta.RoleContinuation, docmeta.RoleFirst, docmeta.RoleContinuation, docmeta.RoleAnnex}
	if diff := cmp.Diff(wantRoles, g.Roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
	if g.NeedsReview() {
		t.Errorf("review asked for a clean record: %+v", g.Review)
	}

	// Each first page's header, against the sample's ground truth.
	for i, name := range []string{"doc-01-quyet-dinh", "doc-11-cong-van", "doc-04-bao-cao"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "samples", "documents", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var truth struct{ Number, Date, Type, Issuer string }
		if err := json.Unmarshal(b, &truth); err != nil {
			t.Fatal(err)
		}
		m := pages[want[i].Start].Meta
		got := [4]string{m.Number, m.Date, m.Type, m.Issuer}
		if got != [4]string{truth.Number, truth.Date, truth.Type, truth.Issuer} {
			t.Errorf("document %d (%s): read %q, ground truth %q", i+1, name, got, [4]string{truth.Number, truth.Date, truth.Type, truth.Issuer})
		}
	}
}
