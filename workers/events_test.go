package workers_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/queue/redistest"
	"github.com/sohoa/sohoa/storage/fs"
	"github.com/sohoa/sohoa/workers"
	"github.com/sohoa/sohoa/workers/webhook"
)

// The completion event reaches a webhook that is down at first, signed,
// once it is back; the same event is published on the ingest queue.
func TestWebhookArrivesWhenTheReceiverIsBack(t *testing.T) {
	t.Parallel()
	var (
		mu       sync.Mutex
		attempts atomic.Int32
		got      []byte
		sig      string
		tsig     string
		arrived  = make(chan struct{})
	)
	down := true
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		mu.Lock()
		defer mu.Unlock()
		if down {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		if got == nil {
			got, _ = io.ReadAll(r.Body)
			sig = r.Header.Get("X-Sohoa-Signature")
			tsig = r.Header.Get("X-Sohoa-Timestamped-Signature")
			close(arrived)
		}
	}))
	defer recv.Close()

	rdb := redistest.Start(t).Client()
	store, _ := fs.New(filepath.Join(t.TempDir(), "store"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	farm, err := workers.New(workers.Config{Store: store, Redis: rdb, Logger: log,
		NewEngine: func() (ocr.Engine, error) { return &fakeEngine{recognize: onePage("ok")}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	srv := workers.NewServer(rdb, workers.ServerConfig{Concurrency: 2, PollInterval: 50 * time.Millisecond, Logger: log,
		WebhookBackoff: func(int, error) time.Duration { return 500 * time.Millisecond }})
	if err := srv.Start(farm.Handler()); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	h := &harness{t: t, farm: farm, store: store, dir: t.TempDir()}
	id, err := farm.Submit(context.Background(), []workers.Input{h.file("a.png", pngBytes(t, testImage(t, 400, 200), 300))},
		workers.SubmitOptions{Attrs: map[string]string{workers.AttrWebhookURL: recv.URL, workers.AttrWebhookSecret: "bí mật", "title": "Lô 7"}})
	if err != nil {
		t.Fatal(err)
	}
	h.wait(id)
	// Down for a few attempts, then back.
	for attempts.Load() < 3 {
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		t.Fatalf("the webhook did not arrive after the receiver came back (%d attempts)", attempts.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	if !webhook.Verify(got, sig, "bí mật") {
		t.Errorf("signature %q does not verify", sig)
	}
	// The retry that got through was signed when it was sent.
	if err := webhook.VerifyAt(got, tsig, "bí mật", time.Now(), webhook.DefaultTolerance); err != nil {
		t.Errorf("timestamped signature %q: %v", tsig, err)
	}
	var ev webhook.Event
	if err := json.Unmarshal(got, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.BatchID != id || ev.Status != queue.BatchDone || ev.Attrs["title"] != "Lô 7" {
		t.Errorf("event = %+v", ev)
	}
	if _, leaked := ev.Attrs[workers.AttrWebhookSecret]; leaked {
		t.Error("the event carries the webhook secret")
	}
	// The same event on the ingest queue.
	insp := asynq.NewInspectorFromRedisClient(rdb)
	tasks, err := insp.ListPendingTasks(queue.QueueIngest)
	if err != nil || len(tasks) != 1 || tasks[0].Type != queue.TypeFinished {
		t.Fatalf("ingest queue: %v %v", tasks, err)
	}
	var ingested webhook.Event
	json.Unmarshal(tasks[0].Payload, &ingested)
	if ingested.ID != ev.ID {
		t.Errorf("ingest event %s, webhook event %s: want the same event", ingested.ID, ev.ID)
	}
}
