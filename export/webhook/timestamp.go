package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HeaderTimestampedSignature signs the time of the attempt with the body:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">", so a receiver
// can refuse a request replayed later (VerifyAt). Each attempt (retries
// too) is signed at the time it is sent. HeaderSignature, which signs the
// body only, is still sent, for one more release.
const HeaderTimestampedSignature = "X-Sohoa-Timestamped-Signature"

// DefaultTolerance is how far from the receiver's clock a signed time may
// be: enough for clocks a little apart and a slow network.
const DefaultTolerance = 5 * time.Minute

// Errors of VerifyAt.
var (
	// ErrBadSignature: the header is malformed or does not sign this body
	// with this secret.
	ErrBadSignature = errors.New("bad webhook signature")
	// ErrStale: the signature is right but its time is too far from now
	// (a replayed request, or a clock far off).
	ErrStale = errors.New("webhook signature too old or in the future")
)

// SignAt is the X-Sohoa-Timestamped-Signature of body sent at t.
func SignAt(body []byte, secret string, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(timestampMAC(ts, body, secret))
}

func timestampMAC(ts string, body []byte, secret string) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

// VerifyAt checks an X-Sohoa-Timestamped-Signature header: one of its v1
// values must be the HMAC of "<t>.<body>" with secret (compared in
// constant time), and t within tolerance of now. It returns nil,
// ErrBadSignature or ErrStale. Receivers must verify the raw body, before
// parsing it, and still deduplicate on the event id (a retry is a new
// attempt, signed anew, of the same event).
func VerifyAt(body []byte, header, secret string, now time.Time, tolerance time.Duration) error {
	if secret == "" {
		return fmt.Errorf("%w: no secret", ErrBadSignature)
	}
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	sent, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return fmt.Errorf("%w: want t=<unix time>,v1=<hex>", ErrBadSignature)
	}
	want := timestampMAC(ts, body, secret)
	ok := false
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			ok = true
		}
	}
	if !ok {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(sent, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: signed at %s, %s from now", ErrStale, time.Unix(sent, 0).UTC().Format(time.RFC3339), d.Round(time.Second))
	}
	return nil
}
