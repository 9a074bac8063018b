package webhook_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/export/webhook"
)

// Finding 7 of issue 18: a delivery carries a signed timestamp
// (X-Sohoa-Timestamped-Signature: t=<unix>,v1=<HMAC of "t.body">) so a
// receiver can refuse a replayed event; the body-only signature stays for
// one release.
func TestDeliverTimestampedSignature(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, 204)
	_, b := body(t)
	before := time.Now()
	if err := webhook.Deliver(context.Background(), r.Client(), r.URL, secret, b); err != nil {
		t.Fatal(err)
	}
	reqs, bodies := r.got()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	h := reqs[0].Header.Get(webhook.HeaderTimestampedSignature)
	ts, _, ok := strings.Cut(strings.TrimPrefix(h, "t="), ",v1=")
	sent, err := strconv.ParseInt(ts, 10, 64)
	if !strings.HasPrefix(h, "t=") || !ok || err != nil || sent < before.Unix() || sent > time.Now().Unix() {
		t.Fatalf("%s: %q, want t=<now>,v1=<hex>", webhook.HeaderTimestampedSignature, h)
	}
	if err := webhook.VerifyAt(bodies[0], h, secret, time.Now(), 5*time.Minute); err != nil {
		t.Errorf("the receiver cannot verify the delivery: %v", err)
	}
	// The same request replayed ten minutes later is refused.
	if err := webhook.VerifyAt(bodies[0], h, secret, time.Now().Add(10*time.Minute), 5*time.Minute); !errors.Is(err, webhook.ErrStale) {
		t.Errorf("a replay ten minutes later: %v, want ErrStale", err)
	}
	// The old header is still sent, for receivers not yet moved.
	if old := reqs[0].Header.Get(webhook.HeaderSignature); !webhook.Verify(bodies[0], old, secret) {
		t.Errorf("%s %q does not verify", webhook.HeaderSignature, old)
	}
}

func TestVerifyAt(t *testing.T) {
	t.Parallel()
	_, b := body(t)
	now := time.Unix(1764662400, 0)
	sig := webhook.SignAt(b, secret, now)
	_, mac, _ := strings.Cut(sig, ",v1=")
	for _, tc := range []struct {
		name   string
		body   []byte
		header string
		at     time.Time
		want   error
	}{
		{"Valid", b, sig, now, nil},
		{"FourMinutesLate", b, sig, now.Add(4 * time.Minute), nil},
		{"SixMinutesLate", b, sig, now.Add(6 * time.Minute), webhook.ErrStale},
		{"FromTheFuture", b, sig, now.Add(-6 * time.Minute), webhook.ErrStale},
		{"SpacesAndUppercase", b, "t=1764662400, v1=" + strings.ToUpper(mac), now, nil},
		{"SecondSignatureMatches", b, "t=1764662400,v1=" + strings.Repeat("0", 64) + ",v1=" + mac, now, nil},
		{"ChangedBody", append(slices.Clone(b), ' '), sig, now, webhook.ErrBadSignature},
		{"ChangedTime", b, strings.Replace(sig, "t=1764662400", "t=1764662460", 1), now, webhook.ErrBadSignature},
		{"NoTime", b, "v1=" + mac, now, webhook.ErrBadSignature},
		{"NotANumber", b, "t=soon,v1=" + mac, now, webhook.ErrBadSignature},
		{"NoSignature", b, "t=1764662400", now, webhook.ErrBadSignature},
		{"OldHeader", b, webhook.Sign(b, secret), now, webhook.ErrBadSignature},
		{"Empty", b, "", now, webhook.ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := webhook.VerifyAt(tc.body, tc.header, secret, tc.at, 5*time.Minute)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("VerifyAt = %v, want %v", err, tc.want)
			}
		})
	}
	if err := webhook.VerifyAt(b, sig, "", now, time.Minute); !errors.Is(err, webhook.ErrBadSignature) {
		t.Errorf("an empty secret verifies: %v", err)
	}
	// A vector computed with Python's hmac module (docs/events.md has it).
	got := webhook.SignAt([]byte(`{"event":"batch.finished","id":"x"}`), "một bí mật", time.Unix(1764662400, 0))
	if want := "t=1764662400,v1=8c419305e6d629d6b2d173897a6c6f5204b6d9fa25f025815adc0461502b720b"; got != want {
		t.Errorf("SignAt = %s, want %s", got, want)
	}
}
