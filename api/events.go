package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/storage/batch"
)

// ProgressEvent is the data of one Server-Sent Event of
// GET /batches/{id}/events: where the batch stands.
type ProgressEvent struct {
	Batch  string       `json:"batch"`
	Status batch.Status `json:"status"`
	progressCounts
	// Version increases with every change of the batch.
	Version int64 `json:"version"`
	// Final is true for the last event: the status is final
	// (done, partial, failed, cancelled) and the stream ends.
	Final bool `json:"final"`
}

func progressEvent(id string, p farm.Progress) ProgressEvent {
	return ProgressEvent{Batch: id, Status: p.Status, progressCounts: countsOf(p), Version: p.Version, Final: p.Finished()}
}

// Progress turns the event back into the batch's progress.
func (e ProgressEvent) Progress() farm.Progress {
	p := farm.Progress{Split: e.Split, Status: e.Status, Version: e.Version}
	p.Sources, p.Pages, p.Done, p.Failed, p.Cancelled, p.Pending = e.Sources, e.Pages, e.Done, e.Failed, e.Cancelled, e.Pending
	return p
}

// manifestEvent is the one event of a batch Redis no longer knows (its
// batch.json in the store says where it stands).
func manifestEvent(m *batch.Manifest) ProgressEvent {
	c := m.Counts
	return ProgressEvent{Batch: m.ID, Status: m.Status, progressCounts: progressCounts{Sources: c.Sources, Split: c.Sources,
		Pages: c.Pages, Done: c.Done, Failed: c.Failed, Cancelled: c.Cancelled, Pending: c.Pending}, Final: m.Finished != nil}
}

// RetryMillis is the reconnection delay the event stream asks of clients.
const RetryMillis = 3000

// events streams the batch's progress as Server-Sent Events: the current
// state first, then one event per change, a comment line as heartbeat
// when idle; the stream ends after the event with the final status.
func (s *Server) events(w http.ResponseWriter, r *http.Request, rq *request) {
	id, ok := s.batchParam(w, r, rq)
	if !ok {
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	var stored *batch.Manifest
	_, err := s.reader.Progress(ctx, id)
	if errors.Is(err, farm.ErrUnknownBatch) {
		stored, err = s.storedManifest(ctx, id)
	}
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	if !s.takeStream(rq.tokenSum) {
		w.Header().Set("Retry-After", "10")
		s.refuse(w, rq, http.StatusTooManyRequests, "too_many_streams",
			fmt.Sprintf("this token already has %d event streams open, the most one token may; close one, or try again soon", s.cfg.MaxStreamsPerToken))
		return
	}
	defer s.releaseStream(rq.tokenSum)
	select {
	case s.streams <- struct{}{}:
		defer func() { <-s.streams }()
	default:
		w.Header().Set("Retry-After", "10")
		s.refuse(w, rq, http.StatusServiceUnavailable, "busy", "too many event streams are open; try again soon")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	write := func(s string) error {
		if _, err := fmt.Fprint(w, s); err != nil {
			return err
		}
		return rc.Flush()
	}
	send := func(ev ProgressEvent) error {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		return write(fmt.Sprintf("id: %d\ndata: %s\n\n", ev.Version, b))
	}
	if err := write(fmt.Sprintf("retry: %d\n\n", RetryMillis)); err != nil {
		return
	}
	if stored != nil {
		send(manifestEvent(stored))
		return
	}

	updates := make(chan farm.Progress)
	watchErr := make(chan error, 1)
	go func() {
		watchErr <- s.reader.Watch(ctx, id, s.cfg.Poll, func(c farm.Progress) bool {
			select {
			case updates <- c:
				return !c.Finished()
			case <-ctx.Done():
				return false
			}
		})
	}()
	heartbeat := time.NewTicker(s.cfg.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case c := <-updates:
			if send(progressEvent(id, c)) != nil || c.Finished() {
				return
			}
		case <-heartbeat.C:
			if write(": keep-alive\n\n") != nil {
				return
			}
		case err := <-watchErr:
			if err != nil && !ctxErr(ctx, err) {
				rq.err = err.Error()
				s.log.Warn("event stream ended", "batch", id, "error", err)
			}
			return
		case <-s.done():
			return
		case <-ctx.Done():
			return
		}
	}
}

// takeStream counts an event stream of the token whose SHA-256 is sum,
// unless the token already has MaxStreamsPerToken open.
func (s *Server) takeStream(sum [32]byte) bool {
	s.streamsMu.Lock()
	defer s.streamsMu.Unlock()
	if s.tokenStreams[sum] >= s.cfg.MaxStreamsPerToken {
		return false
	}
	s.tokenStreams[sum]++
	return true
}

func (s *Server) releaseStream(sum [32]byte) {
	s.streamsMu.Lock()
	defer s.streamsMu.Unlock()
	if s.tokenStreams[sum]--; s.tokenStreams[sum] <= 0 {
		delete(s.tokenStreams, sum)
	}
}
