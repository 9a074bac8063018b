package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/internal/docmetatest"
	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/storage/batch"
)

// realHeaders is the evaluation corpus of real scanned documents with
// their header metadata read by a person (../shared/corpus/real-headers,
// SOURCES.md). It is evaluation data: it is never copied into the
// repository.
const realHeaders = "../../../shared/corpus/real-headers"

// headerTruth is a row of headers.tsv.
type headerTruth struct {
	file, number, date, typ, issuer, subject, handwritten string
}

func readHeaderTruth(t *testing.T) []headerTruth {
	t.Helper()
	f, err := os.Open(filepath.Join(realHeaders, "headers.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = '\t', true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []headerTruth
	for _, row := range rows[1:] {
		out = append(out, headerTruth{file: row[col["file"]], number: row[col["number"]], date: row[col["date"]],
			typ: row[col["type"]], issuer: row[col["issuer"]], subject: row[col["subject"]], handwritten: row[col["handwritten"]]})
	}
	return out
}

// TestRealHeaders runs the farm (`sohoa run`: Poppler, cleanup, real
// Tesseract, the header reader on the OCR and pixels) on the first pages of
// real scanned documents whose number and day are handwritten, and checks the
// rule of docs/metadata.md field by field: every number, date and type is
// either right or listed in metadata.review, none is wrong in silence; a
// typed number is right and not in review; types are right on at least
// 90% of the documents; a received stamp's number is never taken for the
// document's.
func TestRealHeaders(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(realHeaders); err != nil {
		t.Skipf("no evaluation corpus at %s (the shared folder next to the repository): %v", realHeaders, err)
	}
	truth := readHeaderTruth(t)
	// The first pages only (the header is there), each cut out of its PDF
	// by Poppler's pdfseparate as a one-page PDF of the same name.
	first := t.TempDir()
	var args []string
	for _, h := range truth {
		dst := filepath.Join(first, h.file)
		if b, err := exec.Command("pdfseparate", "-f", "1", "-l", "1", filepath.Join(realHeaders, h.file), dst).CombinedOutput(); err != nil {
			t.Fatalf("pdfseparate %s: %v\n%s", h.file, err, b)
		}
		args = append(args, dst)
	}
	out := t.TempDir()
	stdout, stderr, code := sohoa(t, append([]string{"run", "--quiet", "--out", out}, args...)...)
	if code != 0 {
		t.Fatalf("run exit %d\n%s\n%s", code, stdout, stderr)
	}
	man := mustManifest(t, out, stdout)
	byName := map[string]batch.Document{}
	for _, d := range man.Documents {
		byName[filepath.Base(d.Source)] = d
	}
	var table strings.Builder
	fmt.Fprintf(&table, "\n| document | field | truth | read | result |\n|---|---|---|---|---|\n")
	counts := map[string]map[string]int{}
	typesRight := 0
	for _, h := range truth {
		d, ok := byName[h.file]
		if !ok {
			t.Errorf("%s: no document in the manifest", h.file)
			continue
		}
		var m docmeta.Metadata
		if err := json.Unmarshal(d.Metadata, &m); err != nil {
			t.Fatalf("%s: metadata %s: %v", h.file, d.Metadata, err)
		}
		for _, f := range []struct{ name, want, got string }{
			{"number", h.number, m.Number}, {"date", h.date, m.Date}, {"type", h.typ, m.Type},
		} {
			inReview := slices.Contains(m.Review, f.name)
			result := "right"
			switch {
			case f.got == f.want && !inReview:
			case f.got == f.want:
				result = "right, in review (" + m.Reasons[f.name] + ")"
			case inReview:
				result = "in review (" + m.Reasons[f.name] + ")"
			default:
				result = "WRONG IN SILENCE"
				t.Errorf("%s %s: read %q, truth %q, and not in review", h.file, f.name, f.got, f.want)
			}
			if counts[f.name] == nil {
				counts[f.name] = map[string]int{}
			}
			counts[f.name][strings.Fields(result)[0]]++
			fmt.Fprintf(&table, "| %s | %s | %s | %s | %s |\n", h.file, f.name, f.want, f.got, result)
			// A typed number is read right without a flag.
			if f.name == "number" && !strings.Contains(h.handwritten, "number") && (f.got != f.want || inReview) {
				t.Errorf("%s: typed number %q read %q (review %v)", h.file, f.want, f.got, m.Review)
			}
		}
		if m.Type == h.typ {
			typesRight++
		}
		// What is printed is kept: the notation and the printed month and year.
		if want := h.number[strings.Index(h.number, "/")+1:]; m.Notation != want {
			t.Errorf("%s: notation %q, want %q (printed)", h.file, m.Notation, want)
		}
		if slices.Contains(m.Review, "date") && m.Date == "" && !strings.HasPrefix(h.date, m.Printed["date"]) {
			t.Errorf("%s: printed part of the date %q is not the date's %s", h.file, m.Printed["date"], h.date)
		}
		if strings.Contains(h.handwritten, "received stamp") {
			if m.ReceivedNumber == "" && !slices.Contains(m.Review, "received_number") {
				t.Errorf("%s: the received stamp's number is neither read nor in review (%+v)", h.file, m)
			}
			if strings.HasPrefix(m.Number, m.ReceivedNumber) && m.ReceivedNumber != "" || strings.HasPrefix(m.Number, "2352") {
				t.Errorf("%s: the received stamp's number became the document's: %q", h.file, m.Number)
			}
		}
		for _, f := range m.Review {
			if _, ok := m.Boxes[f]; !ok && !strings.HasPrefix(f, "received") {
				t.Errorf("%s: %s is in review without a box to key it from", h.file, f)
			}
		}
		t.Logf("%s: review %v reasons %v printed %v evidence %v signed %q received %q %q",
			h.file, m.Review, m.Reasons, m.Printed, m.Evidence, m.SignedAt, m.ReceivedNumber, m.ReceivedDate)
	}
	if 10*typesRight < 9*len(truth) {
		t.Errorf("types right on %d of %d documents, want at least 90%%", typesRight, len(truth))
	}
	if man.Counts.DocumentsReview == 0 {
		t.Error("counts.documents_review is 0 with handwritten numbers in the batch")
	}
	t.Log(table.String())
	for _, f := range []string{"number", "date", "type"} {
		t.Logf("%s: %d right, %d right but in review, %d in review (wrong or empty), %d wrong in silence",
			f, counts[f]["right"], counts[f]["right,"], counts[f]["in"], counts[f]["WRONG"])
	}
}

// An archivist keys a handwritten number through the API: the document
// (a sample page with its number and day rewritten by hand) comes with
// them in review and their boxes; one correction with the number and the
// date confirmed clears the review, is versioned with who did it and
// which fields, counted in the manifest and audited. The real farm: sohoa
// serve, a worker with Tesseract.
func TestKeyHandwrittenNumber(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	store := t.TempDir()
	dir := t.TempDir()
	const (
		archivist = "e2e-archivist-Wq7nB3kT9sLm"
		lan       = "Nguyễn Thị Lan"
	)
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte(archivist+" archivist "+lan+"\n"), 0o600)
	audit := filepath.Join(dir, "audit.log")
	addr := freeAddr(t)
	base := "http://" + addr
	srv := start(t, "serve", "serve", "--redis", r.URL(), "--store", store, "--addr", addr, "--tokens", tokens,
		"--audit-log", audit, "--log-level", "info")
	start(t, "worker", workerArgs(r.URL(), store, "worker-a")...)
	waitServing(t, base, srv)

	img, err := docmetatest.HandwrittenSample("../..", "doc-01-quyet-dinh", docmetatest.FeltPen)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "quyet-dinh.png")
	os.WriteFile(src, img, 0o644)
	stdout, stderr, code := sohoaEnv(t, []string{"SOHOA_TOKEN=" + archivist}, "submit", "--server", base, "--wait", src)
	if code != 0 {
		t.Fatalf("submit exit %d\n%s\n%s", code, stdout, stderr)
	}
	id := strings.TrimSpace(stdout)
	if !idRE.MatchString(id) {
		t.Fatalf("submit: stdout %q, want the batch id\n%s", stdout, stderr)
	}
	manifest := func() batch.Manifest {
		resp := call(t, "GET", base+"/api/v1/batches/"+id, archivist, nil, "")
		defer resp.Body.Close()
		var m batch.Manifest
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || len(m.Documents) != 1 {
			t.Fatalf("manifest of %q: %v, %d documents", id, err, len(m.Documents))
		}
		return m
	}
	m := manifest()
	var read docmeta.Metadata
	json.Unmarshal(m.Documents[0].Metadata, &read)
	if read.Reasons["number"] != docmeta.ReasonHandwritten || read.Reasons["date"] != docmeta.ReasonHandwritten {
		t.Fatalf("read: review %v, reasons %v; want the number and the date handwritten", read.Review, read.Reasons)
	}
	if read.Printed["number"] != "/2024/QĐ-UBND" || read.Handwritten["number"] == (docmeta.Box{}) || read.Boxes["number"] == (docmeta.Box{}) {
		t.Errorf("printed %v, handwritten %v, boxes %v", read.Printed, read.Handwritten, read.Boxes)
	}
	if m.Counts.DocumentsReview != 1 {
		t.Errorf("counts.documents_review = %d, want 1", m.Counts.DocumentsReview)
	}
	// The crop is there to show: the first page's image.
	resp := call(t, "GET", base+"/api/v1/batches/"+id+"/pages/0/image", archivist, nil, "")
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("first page's image: %d", resp.StatusCode)
	}

	// Keyed: the number typed (or the second reading's suggestion kept)
	// and the date, each confirmed with Enter: both are in confirm. A
	// field sent unchanged and not confirmed would stay in review.
	date := read.Date
	if date == "" {
		date = "2024-05-31"
	}
	body := fmt.Sprintf(`{"issuer":%q,"number":"15/2024/QĐ-UBND","date":%q,"place":%q,"type":%q,"subject":%q,"secrecy":"","urgency":"","confirm":["number","date"]}`,
		read.Issuer, date, read.Place, read.Type, read.Subject)
	resp = call(t, "PUT", base+"/api/v1/batches/"+id+"/documents/0/metadata", archivist, strings.NewReader(body), "application/json")
	var c batch.MetadataCorrection
	err = json.NewDecoder(resp.Body).Decode(&c)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("correction: %d %v", resp.StatusCode, err)
	}
	if c.By != lan || !slices.Contains(c.Fields, "number") || !slices.Contains(c.Fields, "date") {
		t.Errorf("correction by %q, fields %v; want %s, number and date", c.By, c.Fields, lan)
	}
	m = manifest()
	var cur docmeta.Metadata
	json.Unmarshal(m.Documents[0].CurrentMetadata(), &cur)
	if len(cur.Review) != 0 || cur.Number != "15/2024/QĐ-UBND" || cur.Date != date || m.Counts.DocumentsReview != 0 {
		t.Errorf("after keying: review %v, number %q, date %q, documents_review %d", cur.Review, cur.Number, cur.Date, m.Counts.DocumentsReview)
	}
	// The audit log names the person, the document and the version.
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(audit)
		found := false
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var e api.AuditEvent
			if json.Unmarshal([]byte(line), &e) == nil && e.Action == api.ActionCorrectMetadata && e.Actor == lan &&
				e.Batch == id && e.Page == m.Documents[0].SourceID && e.Version == c.Version {
				found = true
			}
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no audit line for the correction by %s:\n%s", lan, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
