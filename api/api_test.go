package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	yaml "go.yaml.in/yaml/v3"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/storage/batch"
)

// Acceptance: upload needs a token and the right role; the audit log
// records the refusals and the upload with the archivist's name.
func TestUploadNeedsAnArchivistToken(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	png := pageImage(t, 300, 200)

	body, ctype := form(t, nil, file{"trang 1.png", png})
	resp := f.do("POST", "/api/v1/batches", "", body, ctype)
	apiErr(t, expect(t, resp, http.StatusUnauthorized), "unauthenticated")
	if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("401 WWW-Authenticate = %q, want Bearer", got)
	}
	body, ctype = form(t, nil, file{"trang 1.png", png})
	apiErr(t, expect(t, f.do("POST", "/api/v1/batches", tokIngest, body, ctype), http.StatusForbidden), "forbidden")
	if n := len(f.storeFiles()); n != 0 {
		t.Errorf("refused uploads left %d files in the store", n)
	}

	body, ctype = form(t, []string{"title", "Hồ sơ đất đai xã Quảng La", "fonds", "UBND-HL"},
		file{"hồ sơ 12/trang 1.png", png}, file{"trang 2.png", png})
	resp = f.do("POST", "/api/v1/batches", tokArchivist, body, ctype)
	b := expect(t, resp, http.StatusCreated)
	var up struct {
		ID      string
		Files   int
		Sources []string
	}
	if err := json.Unmarshal(b, &up); err != nil || !batch.ValidID(up.ID) {
		t.Fatalf("upload answer %s", b)
	}
	if loc := resp.Header.Get("Location"); loc != "/api/v1/batches/"+up.ID {
		t.Errorf("Location = %q", loc)
	}
	if diff := cmp.Diff([]string{"hồ sơ 12/trang 1.png", "trang 2.png"}, up.Sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}

	var m batch.Manifest
	json.Unmarshal(expect(t, f.do("GET", "/api/v1/batches/"+up.ID, tokIngest, nil, ""), http.StatusOK), &m)
	if m.Attrs["title"] != "Hồ sơ đất đai xã Quảng La" || m.Attrs["fonds"] != "UBND-HL" || m.Attrs["priority"] != "normal" {
		t.Errorf("attrs = %v", m.Attrs)
	}
	if len(m.Sources) != 2 || m.Sources[0].Name != "hồ sơ 12/trang 1.png" || m.Sources[0].Size != int64(len(png)) {
		t.Errorf("sources = %+v", m.Sources)
	}

	got := f.waitAudit("the upload", func(e api.AuditEvent) bool { return e.Action == api.ActionUpload })
	if got.Actor != nameArch || got.Role != "archivist" || got.Batch != up.ID || got.Result != "ok" || got.Status != 201 ||
		got.Files != 2 || got.Bytes != int64(2*len(png)) || got.SourceIP != "127.0.0.1" {
		t.Errorf("upload audit line = %+v", got)
	}
	f.waitAudit("the 401", func(e api.AuditEvent) bool {
		return e.Action == api.ActionDenied && e.Status == 401 && e.Attempted == api.ActionUpload && e.Actor == ""
	})
	f.waitAudit("the 403", func(e api.AuditEvent) bool {
		return e.Action == api.ActionDenied && e.Status == 403 && e.Actor == nameIngest && e.Role == "ingest"
	})
}

// Fields may follow the files (curl -F order); a high priority is kept.
func TestUploadFieldsAfterFiles(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	body, ctype := form(t, nil, file{"a.png", pageImage(t, 200, 100)})
	// Rebuild with fields after the file.
	var buf bytes.Buffer
	io.Copy(&buf, body)
	boundary := ctype[strings.Index(ctype, "boundary=")+len("boundary="):]
	raw := strings.TrimSuffix(buf.String(), "--"+boundary+"--\r\n") +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"priority\"\r\n\r\nhigh\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nSau tệp\r\n--" + boundary + "--\r\n"
	b := expect(t, f.do("POST", "/api/v1/batches", tokOperator, strings.NewReader(raw), ctype), http.StatusCreated)
	var up struct{ ID string }
	json.Unmarshal(b, &up)
	var m batch.Manifest
	json.Unmarshal(expect(t, f.do("GET", "/api/v1/batches/"+up.ID, tokIngest, nil, ""), http.StatusOK), &m)
	if m.Attrs["priority"] != "high" || m.Attrs["title"] != "Sau tệp" {
		t.Errorf("attrs = %v, want priority high and the title", m.Attrs)
	}
}

// Over a limit: 413, and nothing stays in the store.
func TestUploadOverALimit(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{limits: source.Limits{MaxFileBytes: 4000, MaxBatchBytes: 6000}})
	small := bytes.Repeat([]byte{1}, 3000)
	tests := []struct {
		name  string
		files []file
	}{
		{"FileOverLimit", []file{{"a.png", small}, {"big.tif", bytes.Repeat([]byte{2}, 5000)}}},
		{"BatchOverLimit", []file{{"a.png", small}, {"b.png", small}, {"c.png", small}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ctype := form(t, []string{"title", "quá lớn"}, tt.files...)
			b := expect(t, f.do("POST", "/api/v1/batches", tokArchivist, body, ctype), http.StatusRequestEntityTooLarge)
			apiErr(t, b, "too_large")
			if files := f.storeFiles(); len(files) != 0 {
				t.Errorf("a refused upload left files in the store: %v", files)
			}
		})
	}
	// A body over the batch limit is refused from its Content-Length alone.
	req, _ := http.NewRequest("POST", f.http.URL+"/api/v1/batches", bytes.NewReader(make([]byte, 6000+16<<20+1)))
	req.Header.Set("Authorization", "Bearer "+tokArchivist)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	resp, err := f.http.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized Content-Length: status %d, want 413", resp.StatusCode)
		}
	}
	entries, _ := os.ReadDir(f.store)
	if len(entries) != 0 {
		t.Errorf("the store is not empty after refused uploads: %v", entries)
	}
	f.waitAudit("the 413", func(e api.AuditEvent) bool {
		return e.Action == api.ActionUpload && e.Status == 413 && e.Result == "413" && e.Error != ""
	})
}

// Acceptance: the event stream, results read with an ingest token, a
// correction by an archivist (the OCR text stays), downloads.
func TestEventsResultsAndCorrections(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	id := f.upload([]string{"title", "Lô 1"}, file{"trang 1.png", pageImage(t, 300, 200)})

	start := time.Now()
	evs := f.events(id, tokIngest, 30*time.Second)
	last := evs[len(evs)-1]
	if last.Status != "done" || last.Done != 1 || last.Pages != 1 || last.Batch != id {
		t.Errorf("final event %+v", last)
	}
	t.Logf("%d events, final after %s", len(evs), time.Since(start).Round(time.Millisecond))
	// A finished batch: the stream gives its state and ends.
	if evs := f.events(id, tokIngest, 5*time.Second); len(evs) != 1 || !evs[0].Final {
		t.Errorf("events of a finished batch: %+v", evs)
	}
	// EventSource cannot send headers: ?access_token= works there, and only there.
	resp := f.do("GET", "/api/v1/batches/"+id+"/events?access_token="+tokIngest, "", nil, "")
	if b := expect(t, resp, 200); !bytes.Contains(b, []byte(`"final":true`)) || !bytes.HasPrefix(b, []byte("retry: ")) {
		t.Errorf("events with access_token: %s", b)
	}
	expect(t, f.do("GET", "/api/v1/batches/"+id+"?access_token="+tokIngest, "", nil, ""), http.StatusUnauthorized)

	wantOCR := "Quyết định số 2145/QĐ-UBND về đất đai\n"
	resp = f.do("GET", "/api/v1/batches/"+id+"/pages/0/text", tokIngest, nil, "")
	if b := expect(t, resp, 200); string(b) != wantOCR {
		t.Errorf("text = %q, want %q", b, wantOCR)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("text Content-Type = %q", ct)
	}

	// A correction: ingest may not, an archivist makes version 1.
	corrected := "Quyết định số 2145/QĐ-UBND về đất đai\nđã soát lỗi\n"
	expect(t, f.do("PUT", "/api/v1/batches/"+id+"/pages/0/text", tokIngest, strings.NewReader(corrected), "text/plain; charset=utf-8"), http.StatusForbidden)
	expect(t, f.do("PUT", "/api/v1/batches/"+id+"/pages/0/text", tokArchivist, strings.NewReader(corrected), "application/json"), http.StatusUnsupportedMediaType)
	expect(t, f.do("PUT", "/api/v1/batches/"+id+"/pages/0/text", tokArchivist, strings.NewReader("\xff\xfe"), "text/plain"), http.StatusUnprocessableEntity)
	b := expect(t, f.do("PUT", "/api/v1/batches/"+id+"/pages/0/text", tokArchivist, strings.NewReader(corrected), "text/plain; charset=utf-8"), http.StatusOK)
	var c batch.Correction
	if err := json.Unmarshal(b, &c); err != nil || c.Version != 1 || c.By != nameArch || c.Role != "archivist" {
		t.Errorf("correction = %s", b)
	}
	resp = f.do("GET", "/api/v1/batches/"+id+"/pages/0/text", tokIngest, nil, "")
	if b := expect(t, resp, 200); string(b) != corrected || resp.Header.Get("Sohoa-Text-Version") != "1" {
		t.Errorf("current text = %q (version %q), want the correction", b, resp.Header.Get("Sohoa-Text-Version"))
	}
	if b := expect(t, f.do("GET", "/api/v1/batches/"+id+"/pages/0/text?version=ocr", tokIngest, nil, ""), 200); string(b) != wantOCR {
		t.Errorf("OCR text after a correction = %q, want it unchanged", b)
	}
	if b := expect(t, f.do("GET", "/api/v1/batches/"+id+"/pages/0/text?version=1", tokIngest, nil, ""), 200); string(b) != corrected {
		t.Errorf("version 1 = %q", b)
	}
	expect(t, f.do("GET", "/api/v1/batches/"+id+"/pages/0/text?version=2", tokIngest, nil, ""), http.StatusNotFound)
	f.waitAudit("the correction", func(e api.AuditEvent) bool {
		return e.Action == api.ActionCorrectText && e.Version == 1 && e.Actor == nameArch && e.Page == "0000-0000" && e.Batch == id
	})

	// Every output, with its content type.
	for _, tt := range []struct{ path, ctype, prefix string }{
		{"/pages/0/hocr", "text/html; charset=utf-8", "<?xml"},
		{"/pages/0/alto", "application/xml; charset=utf-8", "<?xml"},
		{"/pages/0/image", "image/png", "\x89PNG"},
		{"/documents/0/pdf", "application/pdf", "%PDF-"},
		{"/bag", "application/zip", "PK"},
	} {
		resp := f.do("GET", "/api/v1/batches/"+id+tt.path, tokIngest, nil, "")
		b := expect(t, resp, 200)
		if ct := resp.Header.Get("Content-Type"); ct != tt.ctype || !bytes.HasPrefix(b, []byte(tt.prefix)) {
			t.Errorf("%s: Content-Type %q, starts %q", tt.path, ct, b[:min(8, len(b))])
		}
		if tt.path == "/bag" {
			if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
				t.Errorf("bag Content-Disposition = %q", cd)
			}
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatalf("bag: %v", err)
			}
			names := map[string]bool{}
			for _, zf := range zr.File {
				names[zf.Name] = true
			}
			for _, want := range []string{id + "/bagit.txt", id + "/manifest-sha256.txt", id + "/data/batch.json", id + "/data/pages/0000-0000/corrections/text.v1.txt"} {
				if !names[want] {
					t.Errorf("bag has no %s", want)
				}
			}
		}
	}
	f.waitAudit("the bag", func(e api.AuditEvent) bool { return e.Action == api.ActionDownloadBag && e.Bytes > 0 })

	// The list shows the batch with its counts.
	var list struct {
		Total   int
		Batches []struct {
			ID, Status, Title string
			Counts            struct{ Pages, Done int }
		}
	}
	json.Unmarshal(expect(t, f.do("GET", "/api/v1/batches?limit=10", tokIngest, nil, ""), 200), &list)
	if list.Total != 1 || len(list.Batches) != 1 || list.Batches[0].ID != id || list.Batches[0].Title != "Lô 1" ||
		list.Batches[0].Status != "done" || list.Batches[0].Counts.Done != 1 {
		t.Errorf("list = %+v", list)
	}
	expect(t, f.do("GET", "/api/v1/batches?limit=0", tokIngest, nil, ""), http.StatusBadRequest)
}

// Retry and cancel, with the farm's errors mapped to statuses.
func TestRetryAndCancel(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	id := f.upload(nil, file{"good.png", pageImage(t, 300, 200)}, file{"notes.tif", []byte("not a TIFF\n")})
	if last := f.events(id, tokArchivist, 30*time.Second); last[len(last)-1].Status != "partial" {
		t.Fatalf("final event %+v, want partial", last[len(last)-1])
	}
	var m batch.Manifest
	json.Unmarshal(expect(t, f.do("GET", "/api/v1/batches/"+id, tokIngest, nil, ""), 200), &m)
	if m.Pages[1].Status != "failed" || !strings.Contains(m.Pages[1].Error, "notes.tif") {
		t.Fatalf("page 1 = %+v, want failed", m.Pages[1])
	}
	expect(t, f.do("POST", "/api/v1/batches/"+id+"/pages/1/retry", tokIngest, nil, ""), http.StatusForbidden)
	apiErr(t, expect(t, f.do("POST", "/api/v1/batches/"+id+"/pages/0/retry", tokArchivist, nil, ""), http.StatusConflict), "not_retryable")
	apiErr(t, expect(t, f.do("PUT", "/api/v1/batches/"+id+"/pages/1/text", tokArchivist, strings.NewReader("x"), "text/plain"), http.StatusConflict), "page_not_done")
	apiErr(t, expect(t, f.do("GET", "/api/v1/batches/"+id+"/pages/1/text", tokIngest, nil, ""), http.StatusConflict), "page_not_done")
	apiErr(t, expect(t, f.do("POST", "/api/v1/batches/"+id+"/cancel", tokArchivist, nil, ""), http.StatusConflict), "batch_finished")
	b := expect(t, f.do("POST", "/api/v1/batches/"+id+"/pages/1/retry", tokArchivist, nil, ""), http.StatusAccepted)
	if !bytes.Contains(b, []byte(`"0001-0000"`)) {
		t.Errorf("retry answer %s", b)
	}
	// The page is read again (and fails again: it is still not a TIFF).
	if last := f.events(id, tokArchivist, 30*time.Second); last[len(last)-1].Status != "partial" {
		t.Errorf("after retry: final event %+v", last[len(last)-1])
	}
	b = expect(t, f.do("POST", "/api/v1/batches/"+id+"/retry", tokOperator, nil, ""), http.StatusAccepted)
	if !bytes.Contains(b, []byte(`"0001-0000"`)) {
		t.Errorf("retry all answer %s", b)
	}
	f.events(id, tokArchivist, 30*time.Second)
	f.waitAudit("the retry", func(e api.AuditEvent) bool {
		return e.Action == api.ActionRetry && e.Page == "0001-0000" && e.Result == "ok"
	})

	// A batch that stays running (its page is held in the engine) is cancelled.
	f.gate.hold()
	run := f.upload(nil, file{"slow.png", pageImage(t, 300, 200)})
	b = expect(t, f.do("POST", "/api/v1/batches/"+run+"/cancel", tokArchivist, nil, ""), http.StatusAccepted)
	if !bytes.Contains(b, []byte(`"status": "cancelling"`)) && !bytes.Contains(b, []byte(`"status": "cancelled"`)) {
		t.Errorf("cancel answer %s", b)
	}
	f.gate.open()
	if last := f.events(run, tokIngest, 30*time.Second); last[len(last)-1].Status != "cancelled" {
		t.Errorf("cancelled batch: final event %+v", last[len(last)-1])
	}
	apiErr(t, expect(t, f.do("POST", "/api/v1/batches/"+run+"/retry", tokArchivist, nil, ""), http.StatusConflict), "batch_cancelled")
	f.waitAudit("the cancel", func(e api.AuditEvent) bool { return e.Action == api.ActionCancel && e.Batch == run && e.Status == 202 })
	f.waitAudit("the refused cancel", func(e api.AuditEvent) bool { return e.Action == api.ActionCancel && e.Batch == id && e.Status == 409 })
}

// Ids and indexes from the request never name a store key: anything that
// is not a batch id is 404, anything that is not an index is 400.
func TestPathTraversal(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	id := f.upload(nil, file{"a.png", pageImage(t, 200, 100)})
	f.events(id, tokIngest, 30*time.Second)
	tests := []struct {
		path   string
		status int
	}{
		{"/api/v1/batches/..%2F..%2Fetc%2Fpasswd", 404},
		{"/api/v1/batches/..%2f..%2fetc/pages/0/text", 404},
		{"/api/v1/batches/%2e%2e/bag", 404},
		{"/api/v1/batches/" + id + "%2F..%2F..%2F/bag", 404},
		{"/api/v1/batches/sources%2Fa.png/pages/0/image", 404},
		{"/api/v1/batches/" + id + "/pages/..%2F..%2Fbatch.json/text", 400},
		{"/api/v1/batches/" + id + "/pages/0%2F..%2F1/text", 400},
		{"/api/v1/batches/" + id + "/pages/-1/text", 400},
		{"/api/v1/batches/" + id + "/pages/1e3/image", 400},
		{"/api/v1/batches/" + id + "/pages/%20/hocr", 400},
		{"/api/v1/batches/" + id + "/pages/99999999/alto", 400},
		{"/api/v1/batches/" + id + "/pages/1/text", 404},
		{"/api/v1/batches/" + id + "/documents/x/pdf", 400},
		{"/api/v1/batches/" + id + "/documents/5/pdf", 404},
		{"/api/v1/batches/20261128-081530-nobody/pages/0/text", 404},
		{"/api/v1/nothing-here", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			req, _ := http.NewRequest("GET", f.http.URL+tt.path, nil)
			req.URL, _ = url.Parse(f.http.URL + tt.path) // keep the escapes as written
			req.Header.Set("Authorization", "Bearer "+tokIngest)
			resp, err := f.http.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("status %d (%s), want %d: %s", resp.StatusCode, resp.Header.Get("Content-Type"), tt.status, b)
			}
		})
	}
	// A file name that leaves its folder is refused, and nothing is stored.
	before := len(f.storeFiles())
	for _, name := range []string{"../../etc/passwd", "/abs.png", "a/../../b.png", ".sohoa-tmp-x"} {
		body, ctype := form(t, nil, file{name, []byte("x")})
		apiErr(t, expect(t, f.do("POST", "/api/v1/batches", tokArchivist, body, ctype), http.StatusUnprocessableEntity), "bad_file_name")
	}
	if after := len(f.storeFiles()); after != before {
		t.Errorf("refused names changed the store: %d files, had %d", after, before)
	}
	// A wrong method is a JSON 405 with Allow.
	resp := f.do("DELETE", "/api/v1/batches/"+id, tokOperator, nil, "")
	apiErr(t, expect(t, resp, http.StatusMethodNotAllowed), "method_not_allowed")
	if resp.Header.Get("Allow") == "" {
		t.Error("405 without Allow")
	}
}

// Failed authentications from one address: after 5 in a minute, 429 with
// Retry-After for its further bad tokens (TestValidTokenAfterFailures:
// good ones are served), audited; other addresses (behind a trusted
// proxy) are not affected.
func TestFailedAttemptsAreRateLimited(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{trusted: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}})
	attacker := []string{"X-Forwarded-For", "198.51.100.7, 10.0.0.1"}
	for i := range 5 {
		resp := f.do("GET", "/api/v1/me", "wrong-token-"+strconv.Itoa(i), nil, "", attacker...)
		expect(t, resp, http.StatusUnauthorized)
	}
	resp := f.do("GET", "/api/v1/me", "wrong-token-5", nil, "", attacker...)
	apiErr(t, expect(t, resp, http.StatusTooManyRequests), "rate_limited")
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 61 {
		t.Errorf("Retry-After = %q", resp.Header.Get("Retry-After"))
	}
	// The console's login form counts the same.
	resp = f.do("POST", "/api/v1/login", "", strings.NewReader("token=wrong-token-6"), "application/x-www-form-urlencoded", attacker...)
	expect(t, resp, http.StatusTooManyRequests)
	// Another client's bad token is only a 401.
	expect(t, f.do("GET", "/api/v1/me", "wrong-token-7", nil, "", "X-Forwarded-For", "203.0.113.9"), http.StatusUnauthorized)

	e := f.waitAudit("the rate limit", func(e api.AuditEvent) bool { return e.Action == api.ActionRateLimited })
	if e.SourceIP != "198.51.100.7" || e.Status != 429 {
		t.Errorf("rate_limited audit line = %+v", e)
	}
	denied := 0
	for _, e := range f.auditLines() {
		if e.Action == api.ActionDenied && e.SourceIP == "198.51.100.7" && e.Status == 401 {
			denied++
		}
	}
	if denied != 5 {
		t.Errorf("%d denied lines for the attacker, want 5", denied)
	}
	// A proxy that is not trusted does not choose the address.
	g := newFarm(t, farmOptions{})
	expect(t, g.do("GET", "/api/v1/me", "", nil, "", "X-Forwarded-For", "203.0.113.50"), http.StatusUnauthorized)
	if e := g.waitAudit("the 401", func(e api.AuditEvent) bool { return e.Status == 401 }); e.SourceIP != "127.0.0.1" {
		t.Errorf("untrusted X-Forwarded-For was believed: %+v", e)
	}
}

// The console logs in with a form; the session cookie is HttpOnly and
// SameSite=Strict (TestSessions checks the rest); cross-site writes are
// refused.
func TestLoginCookieAndCrossOrigin(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	expect(t, f.do("POST", "/api/v1/login", "", strings.NewReader("token=nope"), "application/x-www-form-urlencoded"), http.StatusUnauthorized)
	resp := f.do("POST", "/api/v1/login", "", strings.NewReader("token="+url.QueryEscape(tokArchivist)), "application/x-www-form-urlencoded")
	b := expect(t, resp, http.StatusOK)
	if !bytes.Contains(b, []byte(nameArch)) {
		t.Errorf("login answer %s", b)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == api.SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" {
		t.Fatalf("login cookie = %+v, want HttpOnly SameSite=Strict", cookie)
	}
	me := f.do("GET", "/api/v1/me", "", nil, "", "Cookie", cookie.Name+"="+cookie.Value)
	var who struct {
		Name, Role  string
		Permissions []string
	}
	json.Unmarshal(expect(t, me, 200), &who)
	if who.Name != nameArch || who.Role != "archivist" || strings.Join(who.Permissions, ",") != "read,write" {
		t.Errorf("me = %+v", who)
	}
	// A cross-site form post carrying the cookie is refused.
	body, ctype := form(t, nil, file{"a.png", pageImage(t, 100, 100)})
	resp = f.do("POST", "/api/v1/batches", "", body, ctype, "Cookie", cookie.Name+"="+cookie.Value,
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	apiErr(t, expect(t, resp, http.StatusForbidden), "cross_origin")
	f.waitAudit("login", func(e api.AuditEvent) bool { return e.Action == api.ActionLogin && e.Actor == nameArch })
	f.waitAudit("failed login", func(e api.AuditEvent) bool { return e.Action == api.ActionDenied && e.Attempted == api.ActionLogin })
	f.waitAudit("cross-origin", func(e api.AuditEvent) bool {
		return e.Action == api.ActionDenied && e.Error == "cross-origin request refused"
	})
	// Operators see the queues and workers; archivists do not.
	expect(t, f.do("GET", "/api/v1/queues", tokArchivist, nil, ""), http.StatusForbidden)
	var q struct{ Queues []struct{ Queue string } }
	json.Unmarshal(expect(t, f.do("GET", "/api/v1/queues", tokOperator, nil, ""), 200), &q)
	var w struct{ Workers []struct{ Concurrency int } }
	json.Unmarshal(expect(t, f.do("GET", "/api/v1/workers", tokOperator, nil, ""), 200), &w)
	if len(w.Workers) != 1 || w.Workers[0].Concurrency != 2 {
		t.Errorf("workers = %+v, want the test worker", w)
	}
	// Logout expires the cookie (and the old console's token cookie).
	resp = f.do("POST", "/api/v1/logout", "", nil, "", "Cookie", cookie.Name+"="+cookie.Value)
	expect(t, resp, 200)
	if c := resp.Cookies(); len(c) != 2 || c[0].Name != api.SessionCookie || c[0].MaxAge >= 0 || c[1].MaxAge >= 0 {
		t.Errorf("logout cookies = %+v", c)
	}
}

// Every response carries the security headers; the console is Vietnamese
// first and its scripts are files (the CSP allows no inline script).
func TestConsoleAndSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	for _, path := range []string{"/", "/static/app.js", "/static/i18n.js", "/static/style.css", "/api/v1/me", "/nothing"} {
		resp := f.do("GET", path, "", nil, "")
		resp.Body.Close()
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: security headers missing: %v", path, h)
		}
		if strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code", path)
		}
	}
	resp := f.do("GET", "/", "", nil, "")
	b := expect(t, resp, 200)
	if !bytes.Contains(b, []byte(`<html lang="vi">`)) || bytes.Contains(b, []byte("<script>")) || bytes.Contains(b, []byte(" style=")) {
		t.Errorf("index.html: want lang=vi, no inline script or style")
	}
	resp = f.do("GET", "/static/app.js", "", nil, "")
	expect(t, resp, 200)
	if ct := resp.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("app.js Content-Type = %q", ct)
	}
	expect(t, f.do("GET", "/static/..%2Fconsole.go", "", nil, ""), http.StatusNotFound)
}

func TestParseTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, err string
	}{
		{"VietnameseNames", "t1 archivist Nguyễn Thị Lan\n# comment\n\n  t2\tingest  Hệ thống  Lưu trữ  \n", ""},
		{"UnknownRole", "t1 admin Lan\n", "line 1: unknown role"},
		{"NoName", "t1 archivist\n", "line 1: want TOKEN ROLE NAME"},
		{"Duplicate", "t1 archivist A\nt1 ingest B\n", "line 2: the same token as line 1"},
		{"BadCharacter", "t;1 archivist A\n", "line 1: the token may only use"},
		{"Empty", "# nothing\n", "no tokens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := api.ParseTokens(strings.NewReader(tt.file))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || tok.Len() != 2 {
				t.Errorf("ParseTokens: %v, %d tokens", err, tok.Len())
			}
			// Both are short enough to guess: serve warns about them.
			if got := strings.Join(tok.Short(), "|"); got != "Nguyễn Thị Lan|Hệ thống  Lưu trữ" {
				t.Errorf("short tokens of %q", got)
			}
		})
	}
}

// docs/openapi.yaml describes exactly the routes the server registers.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi: %q, want 3.1", doc.OpenAPI)
	}
	f := newFarm(t, farmOptions{})
	registered := map[string]bool{}
	for _, r := range f.srv.Routes() {
		key := strings.ToLower(r.Method) + " " + r.Path
		registered[key] = true
		op, ok := doc.Paths[r.Path][strings.ToLower(r.Method)].(map[string]any)
		if !ok {
			t.Errorf("%s %s is served but not in docs/openapi.yaml", r.Method, r.Path)
			continue
		}
		if op["responses"] == nil || op["operationId"] == nil {
			t.Errorf("%s %s: no operationId or responses in docs/openapi.yaml", r.Method, r.Path)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" || m == "summary" || m == "description" {
				continue
			}
			if !registered[m+" "+p] {
				t.Errorf("docs/openapi.yaml describes %s %s, which the server does not serve", strings.ToUpper(m), p)
			}
		}
	}
}

// An archivist corrects a document's header metadata: a new version with
// who made it, what was read from the page is kept, bad values are refused.
func TestCorrectDocumentMetadata(t *testing.T) {
	t.Parallel()
	f := newFarm(t, farmOptions{})
	id := f.upload(nil, file{"qd.png", pageImage(t, 300, 200)})
	f.events(id, tokIngest, 30*time.Second)
	path := "/api/v1/batches/" + id + "/documents/0/metadata"
	body := `{"issuer":"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH","number":"2145/QĐ-UBND","date":"2023-07-14","place":"Quảng Ninh",` +
		`"type":"quyết định","subject":"phê duyệt kế hoạch","secrecy":"","urgency":""}`
	expect(t, f.do("PUT", path, tokIngest, strings.NewReader(body), "application/json"), http.StatusForbidden)
	expect(t, f.do("PUT", path, tokArchivist, strings.NewReader(body), "text/plain"), http.StatusUnsupportedMediaType)
	apiErr(t, expect(t, f.do("PUT", path, tokArchivist, strings.NewReader(strings.Replace(body, "2023-07-14", "14/7/2023", 1)), "application/json"),
		http.StatusUnprocessableEntity), "bad_metadata")
	apiErr(t, expect(t, f.do("PUT", path, tokArchivist, strings.NewReader(strings.Replace(body, "quyết định", "thư tình", 1)), "application/json"),
		http.StatusUnprocessableEntity), "bad_metadata")
	expect(t, f.do("PUT", "/api/v1/batches/"+id+"/documents/7/metadata", tokArchivist, strings.NewReader(body), "application/json"), http.StatusNotFound)
	for v := 1; v <= 2; v++ {
		b := expect(t, f.do("PUT", path, tokArchivist, strings.NewReader(body), "application/json"), http.StatusOK)
		var c batch.MetadataCorrection
		if err := json.Unmarshal(b, &c); err != nil || c.Version != v || c.By != nameArch {
			t.Fatalf("correction %d = %s", v, b)
		}
	}
	var m batch.Manifest
	if err := json.Unmarshal(expect(t, f.do("GET", "/api/v1/batches/"+id, tokIngest, nil, ""), 200), &m); err != nil {
		t.Fatal(err)
	}
	d := m.Documents[0]
	var cur docmeta.Metadata
	json.Unmarshal(d.CurrentMetadata(), &cur)
	if d.Corrected == nil || d.Corrected.Version != 2 || cur.Number != "2145/QĐ-UBND" || cur.TypeCode != "QĐ" || !cur.Document {
		t.Errorf("document after correction: %+v, current %+v", d.Corrected, cur)
	}
	if len(d.Metadata) == 0 {
		t.Error("the metadata read from the page is gone")
	}
	f.waitAudit("correct_metadata", func(e api.AuditEvent) bool {
		return e.Action == "correct_metadata" && e.Actor == nameArch && e.Batch == id
	})
}
