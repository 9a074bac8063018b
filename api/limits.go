package api

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"golang.org/x/net/netutil"
)

// Defaults of the connection and body limits (docs/api.md, "Limits").
const (
	DefaultMinBodyRate    = 8 << 10 // bytes a second
	DefaultBodyGrace      = 10 * time.Second
	DefaultUploadGrace    = 60 * time.Second
	DefaultHeaderTimeout  = 10 * time.Second
	DefaultMaxConnections = 1024
	// idleTimeout is how long a kept-alive connection may wait for its
	// next request.
	idleTimeout = 2 * time.Minute
)

// HTTPServer is the http.Server to run the handler with: request headers
// must come within HeaderTimeout, idle connections close after two
// minutes, headers are at most 64 KiB. It has no write timeout (downloads
// and event streams last); bodies are bounded per request (rateBody).
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.HeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Listener bounds the connections open at once through ln to
// MaxConnections: past it, new ones wait to be accepted.
func (s *Server) Listener(ln net.Listener) net.Listener {
	return netutil.LimitListener(ln, s.cfg.MaxConnections)
}

// errSlowBody is the error of a request body that came too slowly.
var errSlowBody = errors.New("the request body came too slowly")

// rateBody reads a request body that must come at rate bytes a second on
// average after a grace: it moves the connection's read deadline to
// start + grace + read/rate as bytes come, so a client that trickles its
// body (one byte every 20 s) is cut off after the grace. At the end of
// the body the deadline is lifted (the answer may take long).
type rateBody struct {
	r        io.ReadCloser
	rc       *http.ResponseController
	start    time.Time
	grace    time.Duration
	rate     int64
	n        int64
	deadline time.Time
	slow     bool
}

func newRateBody(w http.ResponseWriter, body io.ReadCloser, grace time.Duration, rate int64) *rateBody {
	b := &rateBody{r: body, rc: http.NewResponseController(w), start: time.Now(), grace: grace, rate: rate}
	b.extend()
	return b
}

// extend moves the deadline to what the bytes read so far allow.
func (b *rateBody) extend() {
	d := b.start.Add(b.grace + time.Duration(float64(b.n)/float64(b.rate)*float64(time.Second)))
	if d.Sub(b.deadline) < 100*time.Millisecond {
		return
	}
	b.deadline = d
	b.rc.SetReadDeadline(d) // not supported: no limit, as before
}

func (b *rateBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	switch {
	case err == nil:
		b.extend()
	case errors.Is(err, io.EOF):
		b.rc.SetReadDeadline(time.Time{})
	case errors.Is(err, os.ErrDeadlineExceeded):
		b.slow = true
		err = fmt.Errorf("%w (%d bytes in %s; at least %d bytes a second are needed after %s)", errSlowBody,
			b.n, time.Since(b.start).Round(time.Second), b.rate, b.grace)
	}
	return n, err
}

func (b *rateBody) Close() error { return b.r.Close() }

// bodyLimit wraps the request's body in a rateBody, with the upload grace
// for uploads.
func (s *Server) bodyLimit(w http.ResponseWriter, r *http.Request, rt route) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	grace := s.cfg.BodyGrace
	if rt.method == http.MethodPost && rt.path == prefix+"/batches" {
		grace = s.cfg.UploadGrace
	}
	r.Body = newRateBody(w, r.Body, grace, s.cfg.MinBodyRate)
}

// slowBody answers a request whose body came too slowly (408) and closes
// the connection; it reports whether err was that.
func (s *Server) slowBody(w http.ResponseWriter, rq *request, err error) bool {
	if !errors.Is(err, errSlowBody) {
		return false
	}
	w.Header().Set("Connection", "close")
	s.refuse(w, rq, http.StatusRequestTimeout, "slow_body", err.Error())
	return true
}
