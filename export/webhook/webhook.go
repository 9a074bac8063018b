// Package webhook tells downstream systems that a batch finished: the
// event payload (Event, JSON), its HMAC-SHA256 signature of the time and
// the body (SignAt, VerifyAt; the body-only Sign and Verify are deprecated) and
// one signed HTTP delivery attempt (Deliver). Retrying is the caller's job
// (an Asynq task on queue "webhook", with Backoff or RetryDelay between
// attempts), so delivery is at least once: receivers deduplicate on the
// event id. docs/events.md is the contract for receivers.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	mrand "math/rand/v2"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/storage/batch"
)

// Version of the Event format. It changes only when a field changes
// meaning or disappears; new fields do not change it.
const Version = 1

// Target is a receiver of completion events: its URL, and the secret
// that signs what it is sent.
type Target struct {
	URL    string
	Secret string
}

// EventBatchFinished is the event sent when a batch reaches a final status
// (done, partial, failed, cancelled).
const EventBatchFinished = "batch.finished"

// HTTP headers of a delivery.
const (
	HeaderSignature = "X-Sohoa-Signature" // "sha256=<hex HMAC-SHA256 of the body>"; deprecated, see HeaderTimestampedSignature
	HeaderEvent     = "X-Sohoa-Event"     // the event type, "batch.finished"
	HeaderDelivery  = "X-Sohoa-Delivery"  // the event id, the same on every retry
)

// Event is the JSON body of a webhook delivery, and the payload of the
// Asynq task "batch:finished" on queue "ingest".
type Event struct {
	// Version of this format (1).
	Version int `json:"version"`
	// Event type: "batch.finished".
	Event string `json:"event"`
	// ID identifies this event; every retry of it carries the same ID.
	ID string `json:"id"`
	// Time the event was made (UTC).
	Time time.Time `json:"time"`
	// BatchID is the finished batch.
	BatchID string `json:"batch_id"`
	// Status is the batch's final status: done, partial, failed or cancelled.
	Status batch.Status `json:"status"`
	Counts Counts       `json:"counts"`
	// Documents is how many searchable PDFs the batch has.
	Documents int `json:"documents"`
	// DocumentsReview is how many of the documents have header fields a
	// person must check (metadata.review in batch.json).
	DocumentsReview int `json:"documents_review"`
	// Manifest is the store key of the batch's batch.json.
	Manifest string `json:"manifest"`
	// Store describes the shared store the keys are relative to (a folder,
	// or s3://bucket/prefix), never with credentials.
	Store string `json:"store"`
	// Created and Finished are the batch's times (UTC).
	Created  time.Time `json:"created"`
	Finished time.Time `json:"finished"`
	// Attrs are the batch attributes given at submission (title, fonds, priority).
	Attrs map[string]string `json:"attrs,omitempty"`
	// Producer is the software that sent the event, "sohoa 0.1.0".
	Producer string `json:"producer"`
}

// Counts are the page counts of a finished batch: batch.json's counts,
// each of them always in the event (cancelled too) but pending, which is
// 0 once a batch has finished.
type Counts batch.Counts

// MarshalJSON writes the counts as docs/events.md shows them.
func (c Counts) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"sources":%d,"pages":%d,"done":%d,"failed":%d,"blank":%d,"cancelled":%d}`,
		c.Sources, c.Pages, c.Done, c.Failed, c.Blank, c.Cancelled), nil
}

// NewEvent makes the batch.finished event of the batch manifest m, read
// from the store described by store. producer is "sohoa <version>". It
// gets a new random ID: make the event once and keep its JSON for every
// retry.
func NewEvent(m *batch.Manifest, store, producer string, now time.Time) Event {
	e := Event{
		Version: Version, Event: EventBatchFinished, ID: NewID(), Time: now.UTC(),
		BatchID: m.ID, Status: m.Status,
		Counts:          Counts(m.Counts),
		Documents:       len(m.Documents),
		DocumentsReview: m.Counts.DocumentsReview,
		Manifest:        batch.ManifestKey(m.ID),
		Store:           store,
		Created:         m.Created.UTC(),
		Producer:        producer,
	}
	if m.Finished != nil {
		e.Finished = m.Finished.UTC()
	}
	if len(m.Attrs) > 0 {
		e.Attrs = maps.Clone(m.Attrs)
	}
	return e
}

// NewID makes an event id: a random UUID (version 4).
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

const signaturePrefix = "sha256="

// Sign is the X-Sohoa-Signature of body: "sha256=" and the hex
// HMAC-SHA256 of the body with the shared secret as key.
func Sign(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return signaturePrefix + hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether header (an X-Sohoa-Signature value) signs body
// with secret. It compares in constant time. An empty secret verifies
// nothing. Receivers must verify the raw body, before parsing it.
func Verify(body []byte, header, secret string) bool {
	if secret == "" {
		return false
	}
	got, ok := strings.CutPrefix(strings.TrimSpace(header), signaturePrefix)
	if !ok {
		return false
	}
	sig, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(sig, mac.Sum(nil))
}

// ErrPermanent is wrapped by delivery errors that retrying will not fix:
// the receiver refused the event (4xx other than 408 and 429), answered
// with a redirect, or the URL or body is unusable. Other errors (5xx, 408,
// 429, timeouts, refused connections) are worth retrying.
var ErrPermanent = errors.New("permanent webhook failure")

// Timeout bounds one delivery attempt (connecting, sending, the answer).
const Timeout = 30 * time.Second

// Error is a failed delivery that got an HTTP answer.
type Error struct {
	StatusCode int
	// RetryAfter is the receiver's Retry-After (429 or 503), 0 if none.
	RetryAfter time.Duration
	// Body is the start of the answer, for logs.
	Body string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("webhook answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Is makes errors.Is(err, ErrPermanent) true for answers retrying will not change.
func (e *Error) Is(target error) bool { return target == ErrPermanent && permanentStatus(e.StatusCode) }

func permanentStatus(code int) bool {
	switch {
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests:
		return false
	case code >= 300 && code < 500:
		return true
	}
	return false
}

// Deliver POSTs body, an Event's JSON, to url once, signed with secret (an
// empty secret sends no signature). client may be nil (http.DefaultClient's
// transport); redirects are never followed, and the attempt is bounded by
// Timeout. A 2xx answer is success; errors wrapping ErrPermanent are not
// worth retrying, any other error is.
//
// The headers X-Sohoa-Event and X-Sohoa-Delivery come from the body's
// "event" and "id", and the User-Agent "sohoa/<version>" from its
// "producer".
func Deliver(ctx context.Context, client *http.Client, url, secret string, body []byte) error {
	var head struct {
		Event    string `json:"event"`
		ID       string `json:"id"`
		Producer string `json:"producer"`
	}
	if err := json.Unmarshal(body, &head); err != nil || head.Event == "" || head.ID == "" {
		return fmt.Errorf("deliver webhook: the body is not an event with an event type and id: %w", ErrPermanent)
	}
	if u, err := neturl.Parse(url); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("deliver webhook %s: the URL is not an http(s) URL: %w", head.ID, ErrPermanent)
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("deliver webhook %s: %w: %w", head.ID, ErrPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent(head.Producer))
	req.Header.Set(HeaderEvent, head.Event)
	req.Header.Set(HeaderDelivery, head.ID)
	if secret != "" {
		req.Header.Set(HeaderTimestampedSignature, SignAt(body, secret, time.Now()))
		req.Header.Set(HeaderSignature, Sign(body, secret)) // deprecated: dropped in the next release
	}
	c := http.Client{Timeout: Timeout}
	if client != nil {
		c = *client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		// Leave the URL's query (often a token) and password out of logs.
		if ue, ok := errors.AsType[*neturl.Error](err); ok {
			ue.URL = redact(req.URL)
		}
		return fmt.Errorf("deliver webhook %s: %w", head.ID, err)
	}
	defer resp.Body.Close()
	start, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	e := &Error{StatusCode: resp.StatusCode, Body: strings.TrimSpace(strings.ToValidUTF8(string(start), "�"))}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Body = "redirect to " + resp.Header.Get("Location") + " not followed: configure the final URL"
	}
	return fmt.Errorf("deliver webhook %s: %w", head.ID, e)
}

// redact is u without its user info and query.
func redact(u *neturl.URL) string {
	c := *u
	c.User, c.RawQuery, c.ForceQuery = nil, "", false
	return c.String()
}

func userAgent(producer string) string {
	f := strings.Fields(producer)
	if len(f) < 2 || f[0] != "sohoa" {
		return "sohoa"
	}
	return "sohoa/" + f[1]
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Retry schedule: the first retry after about BaseDelay, doubling up to
// MaxDelay, for Retries retries: at least 24 hours in all.
const (
	BaseDelay = 30 * time.Second
	MaxDelay  = 10 * time.Minute
	// Retries is the suggested Asynq MaxRetry for webhook tasks.
	Retries = 170
	// MaxRetryAfter caps how long a receiver's Retry-After can delay a retry.
	MaxRetryAfter = time.Hour
)

// Backoff is the delay before retry attempt+1, attempt being how many
// retries were already made (Asynq's n: 0 after the first failure):
// BaseDelay·2^attempt capped at MaxDelay, then ±10% jitter so receivers
// that failed together are not retried together.
func Backoff(attempt int) time.Duration {
	attempt = max(attempt, 0)
	d := float64(MaxDelay)
	if attempt < 30 {
		d = math.Min(float64(BaseDelay)*math.Pow(2, float64(attempt)), float64(MaxDelay))
	}
	return time.Duration(d * (0.9 + 0.2*mrand.Float64()))
}

// RetryDelay is Backoff, or the receiver's Retry-After when that is longer
// (up to MaxRetryAfter). It fits asynq.Config.RetryDelayFunc:
//
//	func(n int, err error, _ *asynq.Task) time.Duration { return webhook.RetryDelay(n, err) }
func RetryDelay(attempt int, err error) time.Duration {
	d := Backoff(attempt)
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > d {
		d = min(e.RetryAfter, MaxRetryAfter)
	}
	return d
}
