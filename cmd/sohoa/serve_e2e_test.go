package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/ocr/eval"
)

// sohoa serve with a real worker and real Tesseract: an archivist uploads
// a page over HTTP, follows its events to the end, an ingest system reads
// the text (CER against the ground truth), the audit log names who
// uploaded what; `sohoa submit --server --wait` works the same way as the
// Redis path; SIGTERM stops the server cleanly.
func TestServeUploadEventsTextAndSubmit(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	store := t.TempDir()
	dir := t.TempDir()
	const (
		archivist = "e2e-archivist-Yk3mQ9wL2pV7"
		ingest    = "e2e-ingest-Hc5tR8nB1xZ4"
		lan       = "Nguyễn Thị Lan"
	)
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte("# e2e\n"+archivist+" archivist "+lan+"\n"+ingest+" ingest Hệ thống Lưu trữ\n"), 0o600)
	audit := filepath.Join(dir, "audit.log")
	addr := freeAddr(t)
	base := "http://" + addr
	srv := start(t, "serve", "serve", "--redis", r.URL(), "--store", store, "--addr", addr, "--tokens", tokens,
		"--audit-log", audit, "--log-level", "info")
	start(t, "worker", append(workerArgs(r.URL(), store, "worker-a"), "--concurrency", "2")...)
	waitServing(t, base, srv)

	// `sohoa submit --server --wait`, the token from the environment, at
	// the same time as the upload below.
	type result struct {
		stdout, stderr string
		code           int
	}
	submitted := make(chan result, 1)
	go func() {
		cmd := exec.Command(sohoaBin, "submit", "--server", base, "--wait", "--title", "Công văn", filepath.Join(samplesDir, "cong-van-clean.png"))
		cmd.Env = append(os.Environ(), "SOHOA_TOKEN="+archivist)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			code = -1
			errb.WriteString(err.Error())
		}
		submitted <- result{out.String(), errb.String(), code}
	}()

	// Upload as the archivist.
	img := filepath.Join(samplesDir, "quyet-dinh-clean.png")
	data, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("title", "Quyết định giao đất")
	fw, _ := mw.CreateFormFile("file", "quyet-dinh-clean.png")
	fw.Write(data)
	mw.Close()
	resp := call(t, "POST", base+"/api/v1/batches", archivist, &body, mw.FormDataContentType())
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, readAll(resp))
	}
	var up struct{ ID string }
	json.NewDecoder(resp.Body).Decode(&up)
	resp.Body.Close()
	if !idRE.MatchString(up.ID) {
		t.Fatalf("upload id %q", up.ID)
	}

	// Follow the events until the final one.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/batches/"+up.ID+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+archivist)
	start := time.Now()
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, ct)
	}
	var last api.ProgressEvent
	var firstAfter time.Duration
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		d, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if firstAfter == 0 {
			firstAfter = time.Since(start)
		}
		if err := json.Unmarshal([]byte(d), &last); err != nil {
			t.Fatalf("event %q: %v", d, err)
		}
	}
	resp.Body.Close()
	if firstAfter > 5*time.Second {
		t.Errorf("first event after %s, want it at once", firstAfter)
	}
	if !last.Final || last.Status != "done" || last.Done != 1 {
		t.Fatalf("the stream ended with %+v", last)
	}
	t.Logf("upload done in %s", time.Since(start).Round(100*time.Millisecond))

	// An ingest system reads the text.
	resp = call(t, "GET", base+"/api/v1/batches/"+up.ID+"/pages/0/text", ingest, nil, "")
	text := readAll(resp)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("text: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cer := eval.CER(groundTruth(t, img), text)
	t.Logf("CER over HTTP %.4f", cer)
	if cer > 0.02 {
		t.Errorf("CER %.4f > 0.02 on a clean page read through the API", cer)
	}
	// Ingest may read but not upload.
	resp = call(t, "POST", base+"/api/v1/batches", ingest, strings.NewReader(""), "multipart/form-data; boundary=x")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("upload with an ingest token: %d", resp.StatusCode)
	}
	resp.Body.Close()

	// The audit log has the upload with the archivist's name.
	var found bool
	for deadline := time.Now().Add(5 * time.Second); !found && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, _ := os.ReadFile(audit)
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var e api.AuditEvent
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatalf("audit line %q: %v", line, err)
			}
			if e.Action == "upload" && e.Batch == up.ID && e.Actor == lan && e.Role == "archivist" && e.Result == "ok" {
				found = true
			}
		}
	}
	if !found {
		b, _ := os.ReadFile(audit)
		t.Errorf("no audit line for the upload of %s by %s:\n%s", up.ID, lan, b)
	}

	// submit --server --wait: the id on stdout, exit 0 when every page is done.
	select {
	case res := <-submitted:
		id := strings.TrimSpace(res.stdout)
		if res.code != 0 || !idRE.MatchString(id) {
			t.Fatalf("submit --server --wait: exit %d, stdout %q\n%s", res.code, res.stdout, res.stderr)
		}
		if !strings.Contains(res.stderr, "Batch "+id+": done") || !strings.Contains(res.stderr, "uploaded 1 files") {
			t.Errorf("submit --server --wait stderr:\n%s", res.stderr)
		}
		m := readManifest(t, store, id)
		if m.Attrs["title"] != "Công văn" || m.Counts.Done != 1 {
			t.Errorf("submitted batch: attrs %v counts %+v", m.Attrs, m.Counts)
		}
	case <-time.After(3 * time.Minute):
		t.Fatal("submit --server --wait did not finish")
	}
	// A bad token: exit 1 with the server's reason.
	_, stderr, code := sohoa(t, "submit", "--server", base, "--token", "wrong", filepath.Join(samplesDir, "cong-van-clean.png"))
	if code != 1 || !strings.Contains(stderr, "refused the token") {
		t.Errorf("submit with a bad token: exit %d: %s", code, stderr)
	}

	// SIGHUP reloads the tokens file: a new token works, a removed one no longer does.
	const newOperator = "e2e-operator-Jq8sW2dF6"
	os.WriteFile(tokens, []byte(archivist+" archivist "+lan+"\n"+newOperator+" operator Phạm Minh Đức\n"), 0o600)
	srv.cmd.Process.Signal(syscall.SIGHUP)
	reloaded := false
	for deadline := time.Now().Add(10 * time.Second); !reloaded && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp := call(t, "GET", base+"/api/v1/me", newOperator, nil, "")
		reloaded = resp.StatusCode == http.StatusOK && strings.Contains(readAll(resp), "Phạm Minh Đức")
	}
	if !reloaded {
		t.Error("the new token was not accepted after SIGHUP")
	}
	if resp := call(t, "GET", base+"/api/v1/me", ingest, nil, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a removed token after SIGHUP: %d, want 401", resp.StatusCode)
	} else {
		resp.Body.Close()
	}

	// SIGTERM: the server stops at once and exits 0.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-srv.done:
		if c := srv.cmd.ProcessState.ExitCode(); c != 0 {
			t.Errorf("serve exit code %d after SIGTERM", c)
		}
	case <-time.After(15 * time.Second):
		t.Error("serve did not stop within 15s of SIGTERM")
	}
	checkStoreClean(t, store)
}

// waitServing waits until the server answers.
func waitServing(t *testing.T, base string, p *proc) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/api/v1/me")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
				return
			}
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited: %v", p.err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not answer on %s", base)
}

func call(t *testing.T, method, url, token string, body io.Reader, ctype string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
