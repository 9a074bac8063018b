package main

// End-to-end tests: the real binary, real redis-server processes, real
// Tesseract, on the generated sample pages.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/altotest"
	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/ocr/alto"
	"github.com/sohoa/sohoa/ocr/eval"
	"github.com/sohoa/sohoa/storage/batch"
)

var sohoaBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sohoa-e2e-")
	if err != nil {
		panic(err)
	}
	sohoaBin = filepath.Join(dir, "sohoa")
	build := exec.Command("go", "build", "-o", sohoaBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building sohoa:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const samplesDir = "../../samples/pages"

// proc is a running sohoa process.
type proc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{}
	err  error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the binary with args in the background.
func start(t *testing.T, name string, args ...string) *proc {
	t.Helper()
	return startEnv(t, name, nil, args...)
}

// startEnv is start with more environment variables (KEY=VALUE).
func startEnv(t *testing.T, name string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, log: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(sohoaBin, args...)
	if env != nil {
		p.cmd.Env = append(os.Environ(), env...)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
		if t.Failed() {
			t.Logf("--- %s log ---\n%s", name, lastLines(p.log.String(), 40))
		}
	})
	return p
}

// sohoa runs the binary to completion and returns stdout, stderr and the exit code.
func sohoa(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return sohoaEnv(t, nil, args...)
}

// sohoaEnv is sohoa with more environment variables (KEY=VALUE).
func sohoaEnv(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(sohoaBin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("sohoa %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func readManifest(t *testing.T, store, id string) *batch.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(store, filepath.FromSlash(batch.ManifestKey(id))))
	if err != nil {
		t.Fatal(err)
	}
	var m batch.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// samplePages lists the demo pages (images with a .txt ground truth).
func samplePages(t *testing.T) []string {
	t.Helper()
	var out []string
	entries, err := os.ReadDir(samplesDir)
	if err != nil {
		t.Fatalf("samples: %v", err)
	}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if ext == ".png" || ext == ".jpg" {
			out = append(out, filepath.Join(samplesDir, e.Name()))
		}
	}
	if len(out) < 6 {
		t.Fatalf("samples: want at least 6 pages in %s, have %d", samplesDir, len(out))
	}
	return out
}

func groundTruth(t *testing.T, img string) string {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(img, filepath.Ext(img)) + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkStoreClean fails on temporary files under the store, and on empty
// outputs (an uploaded source is kept as it came, even empty).
func checkStoreClean(t *testing.T, store string) {
	t.Helper()
	filepath.WalkDir(store, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(d.Name(), ".sohoa-tmp-") {
			t.Errorf("temporary file left in the store: %s", p)
		}
		if info, err := d.Info(); err == nil && info.Size() == 0 && !strings.Contains(filepath.ToSlash(p), "/sources/") {
			t.Errorf("empty file in the store: %s", p)
		}
		return nil
	})
}

var idRE = regexp.MustCompile(`^\d{8}-\d{6}-[a-z0-9]{6}$`)

func TestRunSamplesCER(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	stdout, stderr, code := sohoa(t, "run", "--out", out, samplesDir)
	if code != 0 {
		t.Fatalf("run exit %d\n%s\n%s", code, stdout, stderr)
	}
	m := regexp.MustCompile(`Batch (\S+): done`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no summary line in:\n%s", stdout)
	}
	man := readManifest(t, out, m[1])
	if man.Status != "done" || man.Counts.Done != len(samplePages(t)) {
		t.Fatalf("manifest status %s counts %+v", man.Status, man.Counts)
	}
	for _, p := range man.Pages {
		img := filepath.Join(samplesDir, filepath.Base(p.Source))
		text, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p.Text)))
		if err != nil {
			t.Fatal(err)
		}
		cer := eval.CER(groundTruth(t, img), string(text))
		t.Logf("%s: CER %.4f confidence %.1f", p.Source, cer, p.Confidence)
		// ALTO: valid against the 4.4 schema, and its words read the page.
		altoFile := filepath.Join(out, filepath.FromSlash(p.ALTO))
		if err := altotest.Validate(altoFile); err != nil {
			t.Errorf("%s: ALTO does not validate: %v", p.Source, err)
		}
		f, err := os.Open(altoFile)
		if err != nil {
			t.Fatal(err)
		}
		ap, err := alto.Read(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: read ALTO: %v", p.Source, err)
		}
		if ac := eval.CER(groundTruth(t, img), ap.Text()); strings.Contains(p.Source, "clean") && ac > 0.03 {
			t.Errorf("%s: ALTO words CER %.4f > 0.03", p.Source, ac)
		}
		if strings.Contains(p.Source, "clean") && cer > 0.02 {
			t.Errorf("%s: CER %.4f > 0.02 on a clean 300 dpi page", p.Source, cer)
		}
	}
	// Each page is a document: its searchable PDF passes qpdf --check,
	// embeds its font, and pdftotext gives the page text with CER at most
	// 3% on clean pages, both in its default layout mode (which finds the
	// reading order from positions: the header columns must still come
	// out left column first, docs/pdf.md) and with -raw (the text layer's
	// order).
	if len(man.Documents) != len(man.Pages) {
		t.Fatalf("%d documents for %d single-page sources", len(man.Documents), len(man.Pages))
	}
	for _, d := range man.Documents {
		file := filepath.Join(out, filepath.FromSlash(d.PDF))
		if b, err := exec.Command("qpdf", "--check", file).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check %s: %v\n%s", d.Source, err, b)
		}
		if b, _ := exec.Command("pdffonts", file).Output(); !regexp.MustCompile(`CID TrueType\s+Identity-H\s+yes\s+\w+\s+yes`).Match(b) {
			t.Errorf("pdffonts %s: font not embedded with ToUnicode:\n%s", d.Source, b)
		}
		gt := groundTruth(t, filepath.Join(samplesDir, filepath.Base(d.Source)))
		raw, err := exec.Command("pdftotext", "-raw", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", d.Source, err)
		}
		def, err := exec.Command("pdftotext", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", d.Source, err)
		}
		rawCER, defCER := eval.CER(gt, string(raw)), eval.CER(gt, string(def))
		t.Logf("%s: pdftotext CER %.4f, pdftotext -raw CER %.4f", d.Source, defCER, rawCER)
		if strings.Contains(d.Source, "clean") && (defCER > 0.03 || rawCER > 0.03) {
			t.Errorf("%s: pdftotext CER %.4f, -raw %.4f: want <= 0.03 on a clean page", d.Source, defCER, rawCER)
		}
	}
	checkStoreClean(t, out)

	// The batch exports as a BagIt bag that an independent validator
	// (written in Python from RFC 8493) accepts.
	bag := filepath.Join(t.TempDir(), "bag")
	if o, e, code := sohoa(t, "export", "--store", out, "--out", bag, "--org", "Lưu trữ tỉnh Quảng Ninh", man.ID); code != 0 {
		t.Fatalf("export exit %d: %s %s", code, o, e)
	}
	if b, err := exec.Command("python3", "../../export/bagit/testdata/validate_bag.py", bag).CombinedOutput(); err != nil {
		t.Errorf("the bag does not validate: %v\n%s", err, b)
	}
}

// workerArgs are the flags of a test worker.
func workerArgs(redisURL, store, name string) []string {
	return []string{"worker", "--redis", redisURL, "--store", store, "--concurrency", "1", "--name", name,
		"--shutdown-timeout", "20s", "--log-level", "info"}
}

func TestTwoWorkersShareABatch(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	store := t.TempDir()
	start(t, "worker-a", workerArgs(r.URL(), store, "worker-a")...)
	start(t, "worker-b", workerArgs(r.URL(), store, "worker-b")...)
	args := append([]string{"submit", "--redis", r.URL(), "--store", store, "--wait", "--title", "hai worker"}, samplePages(t)...)
	stdout, stderr, code := sohoa(t, args...)
	if code != 0 {
		t.Fatalf("submit --wait exit %d\n%s\n%s", code, stdout, stderr)
	}
	id := strings.TrimSpace(stdout)
	if !idRE.MatchString(id) {
		t.Fatalf("submit printed %q, want only a batch id", stdout)
	}
	man := readManifest(t, store, id)
	byWorker := map[string]int{}
	for _, p := range man.Pages {
		if p.Status != "done" {
			t.Errorf("page %s: %s %s", p.ID, p.Status, p.Error)
		}
		byWorker[p.Worker]++
	}
	if byWorker["worker-a"] == 0 || byWorker["worker-b"] == 0 {
		t.Errorf("pages by worker = %v, want both workers to take pages", byWorker)
	}
	// status reads the same batch, live and from the store alone.
	out, _, code := sohoa(t, "status", "--redis", r.URL(), "--store", store, id)
	if code != 0 || !strings.Contains(out, "Status:   done") {
		t.Errorf("status exit %d:\n%s", code, out)
	}
	out, _, code = sohoa(t, "status", "--store", store, "--json", id)
	var fromStore batch.Manifest
	if code != 0 || json.Unmarshal([]byte(out), &fromStore) != nil || fromStore.Status != "done" {
		t.Errorf("status --json from the store: exit %d:\n%s", code, out)
	}
	checkStoreClean(t, store)
}

// A worker killed with SIGKILL in the middle of a page: the page is redone
// by the other worker once its lease expires (asynq: 60-160 s), nothing
// half-written stays, and the manifest lists each page once.
func TestWorkerKilledMidPage(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	store := t.TempDir()
	a := start(t, "worker-a", workerArgs(r.URL(), store, "worker-a")...)
	pages := samplePages(t)
	args := append([]string{"submit", "--redis", r.URL(), "--store", store}, pages...)
	stdout, stderr, code := sohoa(t, args...)
	if code != 0 {
		t.Fatalf("submit exit %d\n%s\n%s", code, stdout, stderr)
	}
	id := strings.TrimSpace(stdout)

	// Kill worker A as soon as it starts reading a page.
	killed := waitLog(t, a, regexp.MustCompile(`msg="ocr started".* page=(\S+)`), 60*time.Second)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-a.done
	t.Logf("killed worker-a while it read page %s", killed)
	start(t, "worker-b", workerArgs(r.URL(), store, "worker-b")...)

	man := waitDone(t, store, id, 4*time.Minute)
	seen := map[string]bool{}
	for _, p := range man.Pages {
		if seen[p.ID] {
			t.Errorf("page %s listed twice", p.ID)
		}
		seen[p.ID] = true
		if p.Status != "done" {
			t.Errorf("page %s: %s %s", p.ID, p.Status, p.Error)
		}
		if p.ID == killed && p.Worker != "worker-b" {
			t.Errorf("page %s was being read by the killed worker; finished by %q, want worker-b", p.ID, p.Worker)
		}
	}
	if len(man.Pages) != len(pages) {
		t.Errorf("manifest lists %d pages, want %d", len(man.Pages), len(pages))
	}
	checkStoreClean(t, store)
}

// waitLog waits for a line matching re in p's output and returns its first group.
func waitLog(t *testing.T, p *proc, re *regexp.Regexp, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(p.log.String()))
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				return m[1]
			}
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited before logging %q: %v", p.name, re, p.err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("%s did not log %q within %s", p.name, re, timeout)
	return ""
}

// waitDone polls batch.json until the batch has a final status.
func waitDone(t *testing.T, store, id string, timeout time.Duration) *batch.Manifest {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		b, err := os.ReadFile(filepath.Join(store, filepath.FromSlash(batch.ManifestKey(id))))
		if err == nil {
			var m batch.Manifest
			if json.Unmarshal(b, &m) == nil && m.Finished != nil {
				return &m
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("batch %s not finished within %s", id, timeout)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

var _ = io.Discard
