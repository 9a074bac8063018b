package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/redistest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// A worker under load: /metrics has the sohoa_ families (with histograms),
// /healthz and /readyz answer, `sohoa queues` reads the live farm, and
// SIGTERM mid-batch drains the worker: it exits 0 within its shutdown
// timeout and the other worker finishes the batch.
func TestWorkerMetricsQueuesAndGracefulShutdown(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	store := t.TempDir()
	addr := freeAddr(t)
	a := start(t, "worker-a", append(workerArgs(r.URL(), store, "worker-a"), "--metrics-addr", addr)...)
	start(t, "worker-b", workerArgs(r.URL(), store, "worker-b")...)
	pages := samplePages(t)
	stdout, stderr, code := sohoa(t, append([]string{"submit", "--redis", r.URL(), "--store", store}, pages...)...)
	if code != 0 {
		t.Fatalf("submit exit %d\n%s", code, stderr)
	}
	id := strings.TrimSpace(stdout)

	// Wait until worker A has read a page, so its metrics have samples.
	waitLog(t, a, regexp.MustCompile(`msg="page done".* page=(\S+)`), 90*time.Second)
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// The page's outcome is counted when its task returns, just after the
	// "page done" line: poll a little.
	pagesRead := regexp.MustCompile(`sohoa_pages_processed_total\{outcome="done",stage="ocr"\} [1-9]`)
	var body string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if code, body = get("/metrics"); code != 200 {
			t.Fatalf("/metrics: %d", code)
		}
		if pagesRead.MatchString(body) || time.Now().After(deadline) {
			break
		}
	}
	families := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^# TYPE (sohoa_\w+) (\w+)`).FindAllStringSubmatch(body, -1) {
		families[m[1]] = m[2]
	}
	hist := 0
	for _, typ := range families {
		if typ == "histogram" {
			hist++
		}
	}
	if len(families) < 3 || hist == 0 {
		t.Errorf("sohoa_ metric families %v: want at least 3 including a histogram", families)
	}
	if !pagesRead.MatchString(body) {
		t.Errorf("/metrics does not count the pages worker-a read:\n%s", grepLines(body, "sohoa_pages"))
	}
	if !strings.Contains(body, `sohoa_queue_tasks{queue="ocr",state="pending"}`) {
		t.Errorf("/metrics has no queue depth for ocr")
	}
	if c, _ := get("/healthz"); c != 200 {
		t.Errorf("/healthz: %d", c)
	}
	if c, _ := get("/readyz"); c != 200 {
		t.Errorf("/readyz: %d", c)
	}
	out, errOut, code := sohoa(t, "queues", "--redis", r.URL(), "--interval", "1s", "--json")
	var rows []queueRow
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil {
		t.Fatalf("queues exit %d: %s %s", code, out, errOut)
	}
	seen := map[string]bool{}
	for _, row := range rows {
		seen[row.Queue] = true
	}
	for _, q := range []string{"split", "cleanup", "ocr"} {
		if !seen[q] {
			t.Errorf("sohoa queues lists %v, want %s", seen, q)
		}
	}

	// Graceful shutdown of worker A in the middle of the batch.
	waitLog(t, a, regexp.MustCompile(`msg="(ocr started)"`), 60*time.Second)
	sent := time.Now()
	a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-a.done:
	case <-time.After(40 * time.Second): // the shutdown timeout is 20s
		t.Fatal("worker-a did not exit within its shutdown timeout after SIGTERM")
	}
	if a.cmd.ProcessState.ExitCode() != 0 {
		t.Errorf("worker-a exit code %d after SIGTERM, want 0", a.cmd.ProcessState.ExitCode())
	}
	t.Logf("worker-a exited %.1fs after SIGTERM", time.Since(sent).Seconds())
	m := waitDone(t, store, id, 3*time.Minute)
	if m.Status != "done" {
		t.Errorf("batch %s after worker-a stopped: %+v", m.Status, m.Counts)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// A bad file fails with its reason, `run` exits 3 and lists it; `failed`
// lists it, `retry` requeues it.
func TestFailedPagesExitCodeAndRetry(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	good, err := os.ReadFile(filepath.Join(samplesDir, "thong-bao-grey.png"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(in, "good.png"), good, 0o644)
	os.WriteFile(filepath.Join(in, "notes.tif"), []byte("ghi chú, không phải ảnh\n"), 0o644)
	os.WriteFile(filepath.Join(in, "cut.png"), good[:len(good)/3], 0o644)
	out := t.TempDir()
	stdout, stderr, code := sohoa(t, "run", "--quiet", "--out", out, in)
	if code != 3 {
		t.Fatalf("run exit %d, want 3 (some pages failed)\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"notes.tif: not an image: text/plain", "cut.png, page 1: truncated PNG", "partial"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("run output lacks %q:\n%s", want, stdout)
		}
	}

	// The same batch on a farm: failed lists the pages, retry requeues one.
	r := redistest.Start(t)
	store := t.TempDir()
	start(t, "worker", workerArgs(r.URL(), store, "w")...)
	stdout, stderr, code = sohoa(t, "submit", "--redis", r.URL(), "--store", store, "--wait", "--quiet", in)
	if code != 3 {
		t.Fatalf("submit --wait exit %d, want 3\n%s", code, stderr)
	}
	id := strings.TrimSpace(stdout)
	stdout, _, code = sohoa(t, "failed", "--redis", r.URL(), "--store", store, id)
	if code != 0 || strings.Count(stdout, id) != 2 || !strings.Contains(stdout, "not an image") {
		t.Errorf("failed exit %d:\n%s", code, stdout)
	}
	stdout, stderr, code = sohoa(t, "retry", "--redis", r.URL(), "--store", store, id)
	if code != 0 || !strings.Contains(stdout, "Requeued 2 failed pages") {
		t.Errorf("retry exit %d: %s %s", code, stdout, stderr)
	}
	m := waitDone(t, store, id, 2*time.Minute)
	if m.Counts.Failed != 2 || m.Counts.Done != 1 {
		t.Errorf("after retrying bad files: counts %+v, want still 2 failed, 1 done", m.Counts)
	}
	_, stderr, code = sohoa(t, "retry", "--redis", r.URL(), "--store", store, id, "0009-0000")
	if code != 1 || !strings.Contains(stderr, "unknown page") {
		t.Errorf("retry of an unknown page: exit %d %s", code, stderr)
	}
	stdout, _, code = sohoa(t, "pause", "--redis", r.URL(), "ocr")
	if code != 0 || !strings.Contains(stdout, "paused") {
		t.Errorf("pause: exit %d %s", code, stdout)
	}
	out2, _, _ := sohoa(t, "queues", "--redis", r.URL(), "--interval", "1s")
	if !regexp.MustCompile(`ocr .*PAUSED`).MatchString(out2) {
		t.Errorf("queues does not show ocr paused:\n%s", out2)
	}
	sohoa(t, "resume", "--redis", r.URL(), "ocr")
}
