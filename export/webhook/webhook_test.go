package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/storage/batch"
)

const secret = "một bí mật"

var (
	created  = time.Date(2026, 11, 28, 8, 15, 30, 0, time.UTC)
	finished = time.Date(2026, 11, 28, 8, 16, 2, 0, time.UTC)
)

func manifest() *batch.Manifest {
	return &batch.Manifest{
		Version: 1, ID: "20261128-081530-k3f9qz", Status: "partial", Created: created, Finished: &finished,
		Attrs:     map[string]string{"title": "Hồ sơ đất đai xã Quảng La", "fonds": "UBND-HL", "priority": "normal"},
		Counts:    batch.Counts{Sources: 2, Pages: 3, Done: 2, Failed: 1, DocumentsReview: 1},
		Documents: []batch.Document{{SourceID: "0000"}},
		Producer:  "sohoa 0.1.0",
	}
}

func body(t *testing.T) (webhook.Event, []byte) {
	t.Helper()
	e := webhook.NewEvent(manifest(), "/mnt/archive", "sohoa 0.1.0", finished.Add(time.Second))
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return e, b
}

func TestNewEvent(t *testing.T) {
	t.Parallel()
	e, b := body(t)
	if len(e.ID) != 36 || e.ID == webhook.NewEvent(manifest(), "", "", time.Now()).ID {
		t.Errorf("event id %q: want a fresh UUID", e.ID)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"version": 1.0, "event": "batch.finished", "id": e.ID, "time": "2026-11-28T08:16:03Z",
		"batch_id": "20261128-081530-k3f9qz", "status": "partial",
		"counts":    map[string]any{"sources": 2.0, "pages": 3.0, "done": 2.0, "failed": 1.0, "blank": 0.0, "cancelled": 0.0},
		"documents": 1.0, "documents_review": 1.0,
		"manifest": "batches/20261128-081530-k3f9qz/batch.json",
		"store":    "/mnt/archive",
		"created":  "2026-11-28T08:15:30Z", "finished": "2026-11-28T08:16:02Z",
		"attrs":    map[string]any{"title": "Hồ sơ đất đai xã Quảng La", "fonds": "UBND-HL", "priority": "normal"},
		"producer": "sohoa 0.1.0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event JSON (-want +got):\n%s", diff)
	}
}

// receiver is an httptest server answering with the given statuses in
// turn (the last one repeats), recording each request.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	bodies   [][]byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	r := &receiver{}
	var n atomic.Int32
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.requests = append(r.requests, req)
		r.bodies = append(r.bodies, b)
		r.mu.Unlock()
		i := int(n.Add(1)) - 1
		status := statuses[min(i, len(statuses)-1)]
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "120")
		}
		if status >= 300 && status < 400 {
			w.Header().Set("Location", "https://elsewhere.example/hook")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, http.StatusText(status))
	}))
	t.Cleanup(r.Close)
	return r
}

// got returns the requests and bodies received so far.
func (r *receiver) got() ([]*http.Request, [][]byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.requests), slices.Clone(r.bodies)
}

func TestDeliverSigned(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, http.StatusNoContent)
	e, b := body(t)
	if err := webhook.Deliver(context.Background(), r.Client(), r.URL, secret, b); err != nil {
		t.Fatal(err)
	}
	reqs, bodies := r.got()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	req, got := reqs[0], bodies[0]
	if req.Method != http.MethodPost {
		t.Errorf("method %s", req.Method)
	}
	if string(got) != string(b) {
		t.Errorf("body %s, want %s", got, b)
	}
	for h, want := range map[string]string{
		"Content-Type":          "application/json",
		"User-Agent":            "sohoa/0.1.0",
		webhook.HeaderEvent:     "batch.finished",
		webhook.HeaderDelivery:  e.ID,
		webhook.HeaderSignature: webhook.Sign(b, secret),
	} {
		if v := req.Header.Get(h); v != want {
			t.Errorf("%s: %q, want %q", h, v, want)
		}
	}
	sig := req.Header.Get(webhook.HeaderSignature)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Errorf("signature %q", sig)
	}
	if !webhook.Verify(got, sig, secret) {
		t.Error("the receiver cannot verify the signature")
	}
	if webhook.Verify(got, sig, "another secret") {
		t.Error("the signature verifies with another secret")
	}
}

func TestDeliverWithoutSecret(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, http.StatusOK)
	_, b := body(t)
	if err := webhook.Deliver(context.Background(), nil, r.URL, "", b); err != nil {
		t.Fatal(err)
	}
	reqs, _ := r.got()
	if sig := reqs[0].Header.Get(webhook.HeaderSignature); sig != "" {
		t.Errorf("unsigned delivery has a signature %q", sig)
	}
}

func TestDeliverRetryThenSuccess(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, http.StatusInternalServerError, http.StatusOK)
	e, b := body(t)
	err := webhook.Deliver(context.Background(), r.Client(), r.URL, secret, b)
	if err == nil || errors.Is(err, webhook.ErrPermanent) {
		t.Fatalf("first attempt: %v, want a retryable error", err)
	}
	if !strings.Contains(err.Error(), "500") {
		t.Errorf("error %q does not name the status", err)
	}
	if err := webhook.Deliver(context.Background(), r.Client(), r.URL, secret, b); err != nil {
		t.Fatalf("second attempt: %v", err)
	}
	// Both attempts are the same delivery, for receivers to deduplicate.
	reqs, _ := r.got()
	for i, req := range reqs {
		if id := req.Header.Get(webhook.HeaderDelivery); id != e.ID {
			t.Errorf("attempt %d: delivery id %q, want %q", i+1, id, e.ID)
		}
	}
}

func TestDeliverClassifiesAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status    int
		ok        bool
		permanent bool
	}{
		{200, true, false}, {201, true, false}, {202, true, false}, {204, true, false},
		{301, false, true}, {302, false, true}, {307, false, true}, {308, false, true},
		{400, false, true}, {401, false, true}, {403, false, true}, {404, false, true}, {410, false, true}, {422, false, true},
		{408, false, false}, {429, false, false},
		{500, false, false}, {502, false, false}, {503, false, false}, {504, false, false},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			r := newReceiver(t, tc.status)
			_, b := body(t)
			err := webhook.Deliver(context.Background(), r.Client(), r.URL, secret, b)
			if (err == nil) != tc.ok {
				t.Fatalf("Deliver: %v, want success %v", err, tc.ok)
			}
			if err != nil && errors.Is(err, webhook.ErrPermanent) != tc.permanent {
				t.Errorf("Deliver: %v, permanent = %v, want %v", err, !tc.permanent, tc.permanent)
			}
			if reqs, _ := r.got(); len(reqs) != 1 {
				t.Errorf("%d requests, want 1 (no redirect followed)", len(reqs))
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, http.StatusTooManyRequests)
	_, b := body(t)
	err := webhook.Deliver(context.Background(), r.Client(), r.URL, secret, b)
	var e *webhook.Error
	if !errors.As(err, &e) || e.StatusCode != 429 || e.RetryAfter != 2*time.Minute {
		t.Fatalf("Deliver: %#v, want a 429 with Retry-After 2m", err)
	}
	if d := webhook.RetryDelay(0, err); d != 2*time.Minute {
		t.Errorf("RetryDelay(0) = %v, want the receiver's 2m", d)
	}
	if d := webhook.RetryDelay(20, err); d < 9*time.Minute {
		t.Errorf("RetryDelay(20) = %v, want the backoff (longer than Retry-After)", d)
	}
}

func TestDeliverTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	_, b := body(t)

	t.Run("Context", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := webhook.Deliver(ctx, srv.Client(), srv.URL, secret, b)
		if err == nil || errors.Is(err, webhook.ErrPermanent) {
			t.Fatalf("Deliver: %v, want a retryable error", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Deliver: %v, want a deadline error", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Deliver took %v", d)
		}
	})
	t.Run("ClientTimeout", func(t *testing.T) {
		t.Parallel()
		c := *srv.Client()
		c.Timeout = 200 * time.Millisecond
		start := time.Now()
		err := webhook.Deliver(context.Background(), &c, srv.URL, secret, b)
		if err == nil || errors.Is(err, webhook.ErrPermanent) {
			t.Fatalf("Deliver: %v, want a retryable error", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Deliver took %v", d)
		}
	})
}

func TestDeliverConnectionRefused(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, b := body(t)
	err := webhook.Deliver(context.Background(), nil, url+"/hook?token=t0p-s3cret", secret, b)
	if err == nil || errors.Is(err, webhook.ErrPermanent) {
		t.Fatalf("Deliver to a closed port: %v, want a retryable error", err)
	}
	if strings.Contains(err.Error(), "t0p-s3cret") {
		t.Errorf("the error shows the URL's query: %v", err)
	}
}

func TestDeliverUnusableInput(t *testing.T) {
	t.Parallel()
	_, b := body(t)
	for _, tc := range []struct {
		name, url string
		body      []byte
	}{
		{"NotJSON", "http://127.0.0.1:1/", []byte("hello")},
		{"NoID", "http://127.0.0.1:1/", []byte(`{"event":"batch.finished"}`)},
		{"BadURL", "http://[::1:bad/", b},
		{"NoScheme", "example.com/hook", b},
		{"NotHTTP", "ftp://example.com/hook", b},
		{"NoHost", "http:///hook", b},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := webhook.Deliver(context.Background(), nil, tc.url, secret, tc.body); !errors.Is(err, webhook.ErrPermanent) {
				t.Errorf("Deliver: %v, want a permanent error", err)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	_, b := body(t)
	sig := webhook.Sign(b, secret)
	for _, tc := range []struct {
		name           string
		body           []byte
		header, secret string
		want           bool
	}{
		{"Valid", b, sig, secret, true},
		{"UppercaseHex", b, "sha256=" + strings.ToUpper(strings.TrimPrefix(sig, "sha256=")), secret, true},
		{"SurroundingSpace", b, " " + sig + " ", secret, true},
		{"ChangedBody", append(slices.Clone(b), ' '), sig, secret, false},
		{"WrongSecret", b, sig, "secret", false},
		{"EmptySecret", b, webhook.Sign(b, ""), "", false},
		{"NoPrefix", b, strings.TrimPrefix(sig, "sha256="), secret, false},
		{"OtherAlgorithm", b, "sha1=" + strings.TrimPrefix(sig, "sha256="), secret, false},
		{"NotHex", b, "sha256=zz", secret, false},
		{"Truncated", b, sig[:len(sig)-2], secret, false},
		{"Empty", b, "", secret, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := webhook.Verify(tc.body, tc.header, tc.secret); got != tc.want {
				t.Errorf("Verify = %v, want %v", got, tc.want)
			}
		})
	}
	// A vector computed with Python's hmac module (docs/events.md has it
	// too, for receivers to test their code).
	got := webhook.Sign([]byte(`{"event":"batch.finished","id":"x"}`), "một bí mật")
	if want := "sha256=d9644098e071654da8cbacfb041e7eab07ea199ef3d5d3e864173b9c76af7c89"; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	nominal := func(n int) time.Duration {
		d := webhook.BaseDelay
		for range n {
			d *= 2
			if d >= webhook.MaxDelay {
				return webhook.MaxDelay
			}
		}
		return d
	}
	var least, most time.Duration
	for n := range webhook.Retries {
		lo, hi := nominal(n)*9/10, nominal(n)*11/10
		least += lo
		most += hi
		for range 20 {
			if d := webhook.Backoff(n); d < lo || d > hi {
				t.Fatalf("Backoff(%d) = %v, want %v..%v", n, d, lo, hi)
			}
		}
	}
	if least < 24*time.Hour {
		t.Errorf("%d retries last at least %v, want 24h or more", webhook.Retries, least)
	}
	if most > 36*time.Hour {
		t.Errorf("%d retries may last %v, want at most 36h", webhook.Retries, most)
	}
	if d := webhook.Backoff(0); d < 27*time.Second || d > 33*time.Second {
		t.Errorf("Backoff(0) = %v, want about 30s", d)
	}
	for _, n := range []int{-5, 1000, 1 << 30} {
		if d := webhook.Backoff(n); d <= 0 || d > webhook.MaxDelay*11/10 {
			t.Errorf("Backoff(%d) = %v", n, d)
		}
	}
}

// The event's counts keep the shape docs/events.md shows: every count,
// cancelled included, and no pending; receivers that decode them get
// them back.
func TestCountsWireShape(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(webhook.Counts(batch.Counts{Sources: 2, Pages: 3, Done: 2, Failed: 1, Pending: 0, Blank: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"sources":2,"pages":3,"done":2,"failed":1,"blank":1,"cancelled":0}`; string(b) != want {
		t.Errorf("counts = %s, want %s", b, want)
	}
	var back webhook.Counts
	if err := json.Unmarshal([]byte(`{"sources":2,"pages":3,"done":1,"failed":1,"blank":0,"cancelled":1}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.Cancelled != 1 || back.Done != 1 || back.Pages != 3 {
		t.Errorf("decoded counts %+v", back)
	}
}
