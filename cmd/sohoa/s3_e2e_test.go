package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/internal/s3test"
	"github.com/sohoa/sohoa/ocr/eval"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
	"github.com/sohoa/sohoa/storage/s3"
)

// openS3 opens the store at url in-process with the server's credentials.
func openS3(t *testing.T, srv *s3test.Server, url string) storage.Store {
	t.Helper()
	cfg, err := s3.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Getenv = srv.Getenv
	st, err := s3.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func s3Manifest(t *testing.T, st storage.Store, id string) *batch.Manifest {
	t.Helper()
	b, err := storage.ReadAll(context.Background(), st, batch.ManifestKey(id))
	if err != nil {
		t.Fatal(err)
	}
	var m batch.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// Two workers and submit --wait on an S3 store (versitygw): every page
// done by both workers, the bucket holds the manifest and the outputs
// under the same layout as a folder store, and the text is right. Then
// the S3 server goes down for 30 s in the middle of a second batch, which
// completes once it is back, without anyone doing anything.
func TestS3StoreFarmAndOutage(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	url := srv.URL(bucket, "campaign-2026")
	st := openS3(t, srv, url)
	r := redistest.Start(t)
	env := srv.Env()
	startEnv(t, "worker-a", env, workerArgs(r.URL(), url, "worker-a")...)
	startEnv(t, "worker-b", env, workerArgs(r.URL(), url, "worker-b")...)

	pages := samplePages(t)
	stdout, stderr, code := sohoaEnv(t, env, append([]string{"submit", "--redis", r.URL(), "--store", url, "--wait"}, pages...)...)
	if code != 0 {
		t.Fatalf("submit --wait on S3: exit %d\n%s\n%s", code, stdout, stderr)
	}
	id := strings.TrimSpace(stdout)
	m := s3Manifest(t, st, id)
	byWorker := map[string]int{}
	for _, p := range m.Pages {
		byWorker[p.Worker]++
		if p.Status != "done" {
			t.Errorf("page %s: %s %s", p.ID, p.Status, p.Error)
			continue
		}
		for _, key := range []string{p.Text, p.HOCR, p.ALTO, p.Image, p.Record} {
			if !strings.HasPrefix(key, batch.Prefix(id)+"pages/"+p.ID+"/") {
				t.Errorf("page %s: output key %s is not in the store layout", p.ID, key)
			}
			if _, err := st.Stat(context.Background(), key); err != nil {
				t.Errorf("page %s: %v", p.ID, err)
			}
		}
		text, err := storage.ReadAll(context.Background(), st, p.Text)
		if err != nil {
			t.Fatal(err)
		}
		if cer := eval.CER(groundTruth(t, samplesDir+"/"+path.Base(p.Source)), string(text)); strings.Contains(p.Source, "clean") && cer > 0.02 {
			t.Errorf("%s: CER %.4f on S3", p.Source, cer)
		}
	}
	if byWorker["worker-a"] == 0 || byWorker["worker-b"] == 0 {
		t.Errorf("pages by worker %v: want both", byWorker)
	}
	if len(m.Documents) == 0 || m.Documents[0].PDF == "" {
		t.Errorf("no searchable PDF on S3: %+v", m.Documents)
	}
	// The sources are in the bucket under the same keys as in a folder store.
	for _, s := range m.Sources {
		if _, err := st.Stat(context.Background(), s.Key); err != nil {
			t.Errorf("source %s: %v", s.Key, err)
		}
	}

	// export reads the batch from S3 into a valid bag.
	bag := t.TempDir() + "/bag"
	if o, e, code := sohoaEnv(t, env, "export", "--store", url, "--out", bag, id); code != 0 {
		t.Fatalf("export from S3: exit %d %s %s", code, o, e)
	}
	if b, err := exec.Command("python3", "../../export/bagit/testdata/validate_bag.py", bag).CombinedOutput(); err != nil {
		t.Errorf("the bag exported from S3 does not validate: %v\n%s", err, b)
	}

	// The store fails for 30 s mid-batch.
	stdout, stderr, code = sohoaEnv(t, env, append([]string{"submit", "--redis", r.URL(), "--store", url}, pages...)...)
	if code != 0 {
		t.Fatalf("submit: exit %d\n%s", code, stderr)
	}
	id2 := strings.TrimSpace(stdout)
	// Wait until the batch is under way (a page done), then stop S3.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		out, _, _ := sohoaEnv(t, env, "status", "--redis", r.URL(), "--store", url, id2)
		if mm := regexp.MustCompile(`done ([1-9])`).FindStringSubmatch(out); mm != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	srv.Stop(t)
	t.Log("S3 server stopped")
	time.Sleep(30 * time.Second)
	srv.Start(t)
	t.Log("S3 server back")
	for deadline := time.Now().Add(5 * time.Minute); ; {
		out, _, _ := sohoaEnv(t, env, "status", "--redis", r.URL(), "--store", url, id2)
		if strings.Contains(out, "Status:   done") {
			break
		}
		if strings.Contains(out, "Status:   partial") || strings.Contains(out, "Status:   failed") || time.Now().After(deadline) {
			t.Fatalf("after the S3 outage the batch did not finish done:\n%s", out)
		}
		time.Sleep(time.Second)
	}
	m2 := s3Manifest(t, st, id2)
	if m2.Status != "done" || m2.Counts.Done != len(pages) {
		t.Errorf("after the outage: %s %+v", m2.Status, m2.Counts)
	}
}
