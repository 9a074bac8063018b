package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/storage/batch"
)

// A receiver checks the signature of the time and the raw body before
// trusting it (refusing a request replayed later), and deduplicates on the
// event id: sohoa delivers at least once.
func ExampleVerifyAt() {
	const secret = "shared secret from the sohoa configuration"
	var (
		mu   sync.Mutex
		seen = map[string]bool{}
	)
	receiver := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		sig := r.Header.Get(webhook.HeaderTimestampedSignature)
		if err := webhook.VerifyAt(body, sig, secret, time.Now(), webhook.DefaultTolerance); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized) // 4xx: sohoa stops retrying
			return
		}
		var e webhook.Event
		if err := json.Unmarshal(body, &e); err != nil {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		mu.Lock()
		dup := seen[e.ID]
		seen[e.ID] = true
		mu.Unlock()
		if !dup {
			fmt.Printf("batch %s finished: %s, %d of %d pages done; manifest %s\n",
				e.BatchID, e.Status, e.Counts.Done, e.Counts.Pages, e.Manifest)
		}
		w.WriteHeader(http.StatusNoContent) // 2xx, also for a duplicate
	})
	srv := httptest.NewServer(receiver)
	defer srv.Close()

	// The sending side: make the event once, deliver its JSON (again on retry).
	finished := time.Date(2026, 11, 28, 8, 16, 2, 0, time.UTC)
	m := &batch.Manifest{ID: "20261128-081530-k3f9qz", Status: "done", Finished: &finished,
		Counts: batch.Counts{Pages: 3, Done: 3}}
	body, _ := json.Marshal(webhook.NewEvent(m, "/mnt/archive", "sohoa 0.1.0", time.Now()))
	for range 2 { // a retry after a lost answer delivers the same event again
		if err := webhook.Deliver(context.Background(), nil, srv.URL, secret, body); err != nil {
			fmt.Println(err)
		}
	}
	err := webhook.Deliver(context.Background(), nil, srv.URL, "wrong secret", body)
	var e *webhook.Error
	if errors.As(err, &e) {
		fmt.Printf("%d %s, permanent: %v\n", e.StatusCode, e.Body, errors.Is(err, webhook.ErrPermanent))
	}
	// Output:
	// batch 20261128-081530-k3f9qz finished: done, 3 of 3 pages done; manifest batches/20261128-081530-k3f9qz/batch.json
	// 401 bad signature, permanent: true
}
