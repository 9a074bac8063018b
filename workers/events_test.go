package workers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/internal/farmtest"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
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

	h := farmtest.Start(t, farmtest.Options{WebhookBackoff: func(int, error) time.Duration { return 500 * time.Millisecond }})
	id, err := h.Uploader.Submit(context.Background(), []farm.Input{h.File("a.png", farmtest.PNG(t, farmtest.Image(t, 400, 200), 300))},
		farm.SubmitOptions{Attrs: map[string]string{"title": "Lô 7"}, Webhook: webhook.Target{URL: recv.URL, Secret: "bí mật"}})
	if err != nil {
		t.Fatal(err)
	}
	h.Wait(id)
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
	if ev.BatchID != id || ev.Status != batch.StatusDone || ev.Attrs["title"] != "Lô 7" {
		t.Errorf("event = %+v", ev)
	}
	for k, v := range ev.Attrs {
		if strings.Contains(k, "webhook") || v == "bí mật" {
			t.Errorf("the event carries the webhook (attribute %s)", k)
		}
	}
	// The secret is kept apart from the batch's attributes.
	if m, err := h.Reader.Manifest(context.Background(), id); err != nil || len(m.Attrs) != 1 {
		t.Errorf("batch attributes %v (%v), want the title only", m.Attrs, err)
	}
	// The same event on the ingest queue.
	insp := asynq.NewInspectorFromRedisClient(h.Redis)
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
