package s3

import (
	"context"
	"fmt"
	"net/http/httptrace"
	"sync"
	"time"
)

// TimeoutError is the cause of an operation that waited Config.Timeout on
// the server without progress. It matches context.DeadlineExceeded with
// errors.Is. It is transient: a job queue should retry the task.
type TimeoutError struct {
	Endpoint string
	After    time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("no progress from S3 server %s for %s", e.Endpoint, e.After)
}

// Timeout reports true, as net.Error does.
func (e *TimeoutError) Timeout() bool { return true }

func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// watchdog cancels its context when the operation makes no progress for d
// while it is running (not paused). Time spent in the caller's code is
// paused. Progress is an answer from the server, a byte of a response
// body, or a byte of a request body sent, but only while the server is
// answering: the bytes of a request that retries one that got no answer
// do not count, so a server that takes requests and never answers cannot
// keep an operation alive by its retries.
type watchdog struct {
	mu      sync.Mutex
	timer   *time.Timer
	d       time.Duration
	left    time.Duration // of d, when the clock last stopped or restarted
	since   time.Time     // when the clock last (re)started
	paused  int
	pending bool // a request was sent and has no answer yet
	stalled bool // a request went unanswered: sending is no progress
	cancel  context.CancelCauseFunc
}

func newWatchdog(ctx context.Context, d time.Duration, cause error) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{d: d, left: d, since: time.Now(), cancel: cancel}
	w.timer = time.AfterFunc(d, func() { cancel(cause) })
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:              func(string) { w.request() },
		GotFirstResponseByte: w.answered,
	})
	return ctx, w
}

// request records the start of an HTTP request (a first try or a retry).
func (w *watchdog) request() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pending {
		w.stalled = true
	}
	w.pending = true
}

// answered records the first byte of an answer: the server is alive.
func (w *watchdog) answered() {
	w.mu.Lock()
	w.pending, w.stalled = false, false
	w.mu.Unlock()
	w.kick()
}

// sent records request body bytes on their way to the server.
func (w *watchdog) sent() {
	w.mu.Lock()
	stalled := w.stalled
	w.mu.Unlock()
	if !stalled {
		w.kick()
	}
}

// kick records progress: the clock starts again from d.
func (w *watchdog) kick() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.left = w.d
	if w.paused == 0 {
		w.since = time.Now()
		w.timer.Reset(w.d)
	}
}

// pause stops the clock until the matching resume.
func (w *watchdog) pause() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.paused == 0 {
		w.timer.Stop()
		w.left -= time.Since(w.since)
	}
	w.paused++
}

// resume restarts the clock with the time that was left.
func (w *watchdog) resume() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.paused--
	if w.paused == 0 {
		w.since = time.Now()
		w.timer.Reset(max(w.left, 0))
	}
}

// stop ends the operation and releases its context.
func (w *watchdog) stop() {
	w.mu.Lock()
	w.timer.Stop()
	w.paused = 1 << 30 // no later kick or resume restarts the timer
	w.mu.Unlock()
	w.cancel(context.Canceled)
}

// kicker is an io.Reader for minio's Progress option: minio reads from it
// as many bytes as it has sent.
type kicker struct{ w *watchdog }

func (k kicker) Read(p []byte) (int, error) {
	k.w.sent()
	return len(p), nil
}
