package main

// The chaos suite (docs/reliability.md): a batch of 25 pages on two
// worker processes while workers are killed with SIGKILL and restarted,
// Redis (with AOF) restarts once, and the store turns read-only for 30
// seconds. Every page must end done, listed once, with text byte-identical
// to a fault-free run, and no temporary or empty file left in the store.
//
// CI runs the short form; SOHOA_CHAOS=long kills a worker every 20 s for
// the whole batch (make chaos).

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/storage/batch"
)

// chaosInputs copies the demo and degraded sample pages into one folder.
func chaosInputs(t *testing.T, copies int) string {
	t.Helper()
	dir := t.TempDir()
	var pages []string
	for _, set := range []string{samplesDir, "../../samples/degraded"} {
		entries, err := os.ReadDir(set)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if ext := filepath.Ext(e.Name()); ext == ".png" || ext == ".jpg" {
				pages = append(pages, filepath.Join(set, e.Name()))
			}
		}
	}
	for c := 0; c < copies; c++ {
		for _, p := range pages {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%d-%s", c, filepath.Base(p))
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// textSums maps "source#index" to the SHA-256 of each page's text.
func textSums(t *testing.T, store string, m *batch.Manifest) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range m.Pages {
		b, err := os.ReadFile(filepath.Join(store, filepath.FromSlash(p.Text)))
		if err != nil {
			t.Fatalf("page %s text: %v", p.ID, err)
		}
		sum := sha256.Sum256(b)
		out[fmt.Sprintf("%s#%d", filepath.Base(p.Source), p.Index)] = hex.EncodeToString(sum[:])
	}
	return out
}

// readOnly makes dir read-only (a read-only bind mount over itself, as an
// NFS server gone read-only) and returns the function that undoes it.
func readOnly(t *testing.T, dir string) func() {
	t.Helper()
	if out, err := exec.Command("mount", "--bind", dir, dir).CombinedOutput(); err != nil {
		t.Fatalf("the storage fault needs root (mount --bind): %v %s", err, out)
	}
	if out, err := exec.Command("mount", "-o", "remount,bind,ro", dir).CombinedOutput(); err != nil {
		exec.Command("umount", dir).Run()
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	var once sync.Once
	undo := func() {
		once.Do(func() {
			// A worker reading a file through the mount at that instant
			// makes umount fail with "target is busy": try again for a
			// while, then detach it lazily (new opens see the writable
			// folder at once, open files keep the old mount until closed),
			// as an NFS server that comes back does.
			var out []byte
			var err error
			for range 50 {
				if out, err = exec.Command("umount", dir).CombinedOutput(); err == nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
			if out2, err2 := exec.Command("umount", "-l", dir).CombinedOutput(); err2 != nil {
				t.Errorf("umount %s: %v %s; umount -l: %v %s", dir, err, out, err2, out2)
			}
		})
	}
	t.Cleanup(undo)
	return undo
}

func TestChaos(t *testing.T) {
	t.Parallel()
	long := os.Getenv("SOHOA_CHAOS") == "long"
	copies := 1
	if long {
		copies = 3
	}
	in := chaosInputs(t, copies)

	// The fault-free reference run.
	ref := t.TempDir()
	var refOut string
	var wg sync.WaitGroup
	wg.Go(func() {
		stdout, stderr, code := sohoa(t, "run", "--quiet", "--out", ref, in)
		if code != 0 {
			t.Errorf("reference run exit %d\n%s\n%s", code, stdout, stderr)
		}
		refOut = stdout
	})

	r := redistest.Start(t, redistest.WithAOF())
	store := t.TempDir()
	args := func(name string) []string {
		// A short shutdown and frequent reconciling; retries as in production.
		return append(workerArgs(r.URL(), store, name), "--reconcile-every", "30s")
	}
	workers := map[string]*proc{"worker-a": start(t, "worker-a", args("worker-a")...), "worker-b": start(t, "worker-b", args("worker-b")...)}
	stdout, stderr, code := sohoa(t, "submit", "--redis", r.URL(), "--store", store, in)
	if code != 0 {
		t.Fatalf("submit exit %d\n%s", code, stderr)
	}
	id := strings.TrimSpace(stdout)
	began := time.Now()
	var events []string
	logf := func(format string, a ...any) {
		msg := fmt.Sprintf("%5.1fs  ", time.Since(began).Seconds()) + fmt.Sprintf(format, a...)
		events = append(events, msg)
		t.Log(msg)
	}
	kill := func() {
		names := []string{"worker-a", "worker-b"}
		name := names[rand.IntN(2)]
		p := workers[name]
		p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
		logf("SIGKILL %s (pid %d); restarted", name, p.cmd.Process.Pid)
		workers[name] = start(t, name, args(name)...)
	}
	done := func() bool {
		m, err := readManifestMaybe(store, id)
		return err == nil && m.Finished != nil
	}

	// Short form: kill, restart Redis, kill, store read-only for 30 s, kill.
	time.Sleep(4 * time.Second)
	kill()
	time.Sleep(4 * time.Second)
	r.Restart()
	logf("redis-server restarted (AOF)")
	time.Sleep(3 * time.Second)
	kill()
	undo := readOnly(t, store)
	logf("store read-only")
	time.Sleep(15 * time.Second)
	kill()
	time.Sleep(15 * time.Second)
	undo()
	logf("store writable again")
	for long && !done() {
		time.Sleep(20 * time.Second)
		if !done() {
			kill()
		}
	}
	m := waitDone(t, store, id, 8*time.Minute)
	logf("batch %s: %s, %d pages done of %d", id, m.Status, m.Counts.Done, m.Counts.Pages)
	wg.Wait()
	if t.Failed() {
		return
	}

	want := textSums(t, ref, mustManifest(t, ref, refOut))
	got := textSums(t, store, m)
	if m.Status != "done" || m.Counts.Done != len(want) || len(m.Pages) != len(want) {
		t.Errorf("chaos batch: status %s, counts %+v, %d pages; want done with %d pages", m.Status, m.Counts, len(m.Pages), len(want))
	}
	seen := map[string]bool{}
	for _, p := range m.Pages {
		if seen[p.ID] {
			t.Errorf("page %s listed twice", p.ID)
		}
		seen[p.ID] = true
	}
	differ := 0
	for k, sum := range want {
		if got[k] != sum {
			differ++
			t.Errorf("page %s: text differs from the fault-free run", k)
		}
	}
	checkStoreClean(t, store)
	logf("%d pages compared with the fault-free run, %d differ", len(want), differ)
	if os.Getenv("SOHOA_CHAOS_REPORT") != "" {
		os.WriteFile(os.Getenv("SOHOA_CHAOS_REPORT"), []byte(strings.Join(events, "\n")+"\n"), 0o644)
	}
}

func readManifestMaybe(store, id string) (*batch.Manifest, error) {
	b, err := os.ReadFile(filepath.Join(store, filepath.FromSlash(batch.ManifestKey(id))))
	if err != nil {
		return nil, err
	}
	var m batch.Manifest
	return &m, json.Unmarshal(b, &m)
}

func mustManifest(t *testing.T, store, runOut string) *batch.Manifest {
	t.Helper()
	mm := regexp.MustCompile(`Batch (\S+):`).FindStringSubmatch(runOut)
	if mm == nil {
		t.Fatalf("no batch id in %q", runOut)
	}
	return readManifest(t, store, mm[1])
}
