package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/ocr/eval"
)

// The header metadata of the sample documents (decisions, resolutions,
// official letters, some 1° skewed) lands in batch.json: number, date,
// type and place exact, issuer and subject within 10% CER, nothing
// invented on a page that is not a document; the CSV export has a row per
// document.
func TestDocumentMetadata(t *testing.T) {
	t.Parallel()
	dir := "../../samples/documents"
	names := []string{"doc-01-quyet-dinh", "doc-02-nghi-quyet", "doc-06-to-trinh", "doc-11-cong-van", "doc-03-cong-van-mat", "nondoc-01-prose"}
	var args []string
	for _, n := range names {
		args = append(args, filepath.Join(dir, n+".png"))
	}
	out := t.TempDir()
	stdout, stderr, code := sohoa(t, append([]string{"run", "--quiet", "--out", out}, args...)...)
	if code != 0 {
		t.Fatalf("run exit %d\n%s\n%s", code, stdout, stderr)
	}
	man := mustManifest(t, out, stdout)
	if len(man.Documents) != len(names) {
		t.Fatalf("%d documents, want %d", len(man.Documents), len(names))
	}
	for _, d := range man.Documents {
		var want struct {
			docmeta.Metadata
			Document bool `json:"document"`
		}
		b, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(d.Source, ".png")+".json"))
		if err != nil {
			t.Fatal(err)
		}
		json.Unmarshal(b, &want)
		var got docmeta.Metadata
		if err := json.Unmarshal(d.Metadata, &got); err != nil {
			t.Fatalf("%s: metadata %s: %v", d.Source, d.Metadata, err)
		}
		if !want.Document {
			if got.Document || got.Number != "" || got.Date != "" || got.Issuer != "" || got.Subject != "" {
				t.Errorf("%s is not a document but got %+v", d.Source, got)
			}
			continue
		}
		for field, pair := range map[string][2]string{"number": {want.Number, got.Number}, "date": {want.Date, got.Date},
			"type": {want.Type, got.Type}, "place": {want.Place, got.Place}, "secrecy": {want.Secrecy, got.Secrecy}} {
			if pair[0] != pair[1] {
				t.Errorf("%s: %s = %q, want %q", d.Source, field, pair[1], pair[0])
			}
		}
		// Typed numbers and dates are not taken for handwriting.
		for _, f := range []string{"number", "date", "type"} {
			if slices.Contains(got.Review, f) {
				t.Errorf("%s: printed %s in review (%s)", d.Source, f, got.Reasons[f])
			}
		}
		for field, pair := range map[string][2]string{"issuer": {want.Issuer, got.Issuer}, "subject": {want.Subject, got.Subject}} {
			if c := eval.CER(pair[0], pair[1]); c > 0.10 {
				t.Errorf("%s: %s CER %.3f (%q, want %q)", d.Source, field, c, pair[1], pair[0])
			}
		}
	}
	csvPath := filepath.Join(t.TempDir(), "catalogue.csv")
	if o, e, code := sohoa(t, "export", "--store", out, "--format", "csv", "--out", csvPath, man.ID); code != 0 {
		t.Fatalf("export csv exit %d: %s %s", code, o, e)
	}
	f, _ := os.Open(csvPath)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != len(names)+1 || rows[0][0] != "batch_id" {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if rows[2][col["number"]] != "57/2025/NQ-HĐND" && !strings.Contains(strings.Join(rows[2], ","), "NQ-HĐND") {
		t.Errorf("csv row for the resolution: %v", rows[2])
	}
	if _, ok := col["national_codeNumber"]; !ok {
		t.Errorf("csv has no national-standard columns: %v", rows[0])
	}
}
