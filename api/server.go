// Package api is the farm's HTTP API and web console (sohoa serve): batch
// upload, progress (Server-Sent Events), results, retries, cancellation
// and text corrections under /api/v1, for people (the console, in
// Vietnamese and English, served from embedded files) and for archive
// systems. Callers present bearer tokens from a tokens file; every upload,
// download, change and refusal goes to an append-only audit log.
// docs/api.md describes the API, docs/openapi.yaml specifies it.
package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/export/bagit"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// Config configures a Server. The farm's roles, Store, Inspector, Tokens
// and Audit are required; the zero value of every other field is
// documented on it.
type Config struct {
	// Uploader stores uploaded batches and queues them.
	Uploader *farm.Uploader
	// Admin cancels batches, retries pages and records corrections.
	Admin *farm.Admin
	// Reader reads where batches stand and their manifests.
	Reader *farm.Reader
	// Store is the shared store the batches' files are served from.
	Store storage.Store
	// Inspector reads the queues and the workers (GET /queues, /workers).
	Inspector *asynq.Inspector
	// Redis keeps the console's sessions (the farm's Redis).
	Redis redis.UniversalClient
	// Tokens are the accepted bearer tokens; SetTokens replaces them.
	Tokens *Tokens
	// Audit receives one event per upload, download, change and refusal.
	Audit *AuditLog
	// Limits bound uploads (bytes per file and per batch). Zero: the
	// defaults of source.Limits; give the farm's.
	Limits source.Limits
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For (client address) and X-Forwarded-Proto are believed.
	// None: the connection's address is the client's.
	TrustedProxies []netip.Prefix
	// Organization is the bag's Source-Organization (GET .../bag).
	Organization string
	// Version of sohoa, for the bag's Bag-Software-Agent.
	Version string
	// BagInfo adds bag-info.txt elements for a batch (document metadata). Nil: none.
	BagInfo func(*batch.Manifest) []bagit.Field
	// MaxFailures failed authentications from one address within
	// FailureWindow make its further bad tokens wait (429); valid tokens
	// are always served. Default 5 per minute.
	MaxFailures   int
	FailureWindow time.Duration
	// MaxTextBytes bounds a corrected text. Default 4 MiB.
	MaxTextBytes int64
	// Heartbeat is how often an idle event stream gets a comment line.
	// Default 15s.
	Heartbeat time.Duration
	// Poll is how often an event stream also polls Redis (besides its
	// notifications). Default 2s.
	Poll time.Duration
	// MaxStreams bounds the event streams open at once (each holds a Redis
	// connection), MaxStreamsPerToken those of one token (its sessions
	// included). Default 256 and 16.
	MaxStreams         int
	MaxStreamsPerToken int
	// SessionTTL is how long a console login (session) lasts. Default 12h.
	SessionTTL time.Duration
	// RefusalWindow and RefusalBurst: of the refusals with the same
	// address, caller, action and status, the first RefusalBurst in a
	// RefusalWindow are written to the audit log one by one, the others
	// counted on one line at the end of the window. Default 5 a minute.
	RefusalWindow time.Duration
	RefusalBurst  int
	// A request body must come at MinBodyRate bytes a second on average,
	// after a grace of BodyGrace (UploadGrace for uploads); slower, the
	// connection is cut (408). Defaults 8 KiB/s, 10 s, 60 s.
	MinBodyRate int64
	BodyGrace   time.Duration
	UploadGrace time.Duration
	// HeaderTimeout bounds the time a request's headers take. Default 10 s.
	HeaderTimeout time.Duration
	// MaxConnections bounds the connections open at once (Listener);
	// more wait to be accepted. Default 1024.
	MaxConnections int
	// MaxUploadFiles bounds the files of one upload. Default DefaultMaxUploadFiles.
	MaxUploadFiles int
	// Logger; default slog.Default().
	Logger *slog.Logger
	// Now is the clock (tests). Default time.Now.
	Now func() time.Time
}

// Server serves the API and the console. Create it with New.
type Server struct {
	cfg      Config
	uploader *farm.Uploader
	admin    *farm.Admin
	reader   *farm.Reader
	store    storage.Store
	tokens   atomic.Pointer[Tokens]
	audit    *AuditLog
	log      *slog.Logger
	limits   source.Limits
	failures *failures
	insp     *asynq.Inspector
	routes   []route
	handler  http.Handler
	streams  chan struct{}
	// tokenStreams counts the open event streams of each token (by its SHA-256).
	streamsMu    sync.Mutex
	tokenStreams map[[32]byte]int
	refusals     *refusals
	sessions     *sessions
	stop         chan struct{}
	stopOnce     sync.Once
	flushed      chan struct{} // closed when the last refusal counts are written
}

// New checks cfg, fills in defaults and returns a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Uploader == nil || cfg.Admin == nil || cfg.Reader == nil {
		return nil, errors.New("api: Config.Uploader, Admin and Reader are required")
	}
	if cfg.Store == nil {
		return nil, errors.New("api: Config.Store is required")
	}
	if cfg.Inspector == nil {
		return nil, errors.New("api: Config.Inspector is required")
	}
	if cfg.Redis == nil {
		return nil, errors.New("api: Config.Redis is required (console sessions)")
	}
	if cfg.Tokens == nil {
		return nil, errors.New("api: Config.Tokens is required")
	}
	if cfg.Audit == nil {
		return nil, errors.New("api: Config.Audit is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxFailures <= 0 {
		cfg.MaxFailures = 5
	}
	if cfg.FailureWindow <= 0 {
		cfg.FailureWindow = time.Minute
	}
	if cfg.MaxTextBytes <= 0 {
		cfg.MaxTextBytes = 4 << 20
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.MaxStreams <= 0 {
		cfg.MaxStreams = 256
	}
	if cfg.MaxStreamsPerToken <= 0 {
		cfg.MaxStreamsPerToken = DefaultMaxStreamsPerToken
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = DefaultSessionTTL
	}
	if cfg.RefusalWindow <= 0 {
		cfg.RefusalWindow = time.Minute
	}
	if cfg.RefusalBurst <= 0 {
		cfg.RefusalBurst = 5
	}
	if cfg.MinBodyRate <= 0 {
		cfg.MinBodyRate = DefaultMinBodyRate
	}
	if cfg.BodyGrace <= 0 {
		cfg.BodyGrace = DefaultBodyGrace
	}
	if cfg.UploadGrace <= 0 {
		cfg.UploadGrace = DefaultUploadGrace
	}
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = DefaultHeaderTimeout
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	if cfg.MaxUploadFiles <= 0 {
		cfg.MaxUploadFiles = DefaultMaxUploadFiles
	}
	s := &Server{
		cfg:          cfg,
		uploader:     cfg.Uploader,
		admin:        cfg.Admin,
		reader:       cfg.Reader,
		store:        cfg.Store,
		audit:        cfg.Audit,
		log:          cfg.Logger.With("component", "api"),
		limits:       cfg.Limits.WithDefaults(),
		failures:     newFailures(cfg.MaxFailures, cfg.FailureWindow, cfg.Now),
		insp:         cfg.Inspector,
		streams:      make(chan struct{}, cfg.MaxStreams),
		tokenStreams: map[[32]byte]int{},
		refusals:     newRefusals(cfg.RefusalWindow, cfg.RefusalBurst),
		sessions:     &sessions{rdb: cfg.Redis, ttl: cfg.SessionTTL, now: cfg.Now},
		stop:         make(chan struct{}),
		flushed:      make(chan struct{}),
	}
	s.tokens.Store(cfg.Tokens)
	s.routes = s.apiRoutes()
	s.handler = s.buildHandler()
	go s.flushRefusals()
	return s, nil
}

// SetTokens replaces the accepted tokens (the tokens file was reloaded).
func (s *Server) SetTokens(t *Tokens) { s.tokens.Store(t) }

// Handler is the server's HTTP handler: the API under /api/v1 and the console.
func (s *Server) Handler() http.Handler { return s.handler }

// Close ends the event streams (call it when the HTTP server shuts down,
// so it does not wait for them) and writes the counts of repeated
// refusals to the audit log. The roles, the inspector and Redis stay open.
func (s *Server) Close() error {
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.flushed
	return nil
}

// route is one API endpoint.
type route struct {
	method, path string
	// perm is what the caller's role must allow; public routes need no token.
	perm   perm
	public bool
	// action is audited for every call (success or failure); "" audits
	// only refusals.
	action string
	// queryToken accepts the token as ?access_token= (EventSource cannot
	// send headers).
	queryToken bool
	h          func(w http.ResponseWriter, r *http.Request, rq *request)
}

// Route is a registered endpoint: its method and path pattern, as in
// docs/openapi.yaml ("GET", "/api/v1/batches/{id}").
type Route struct{ Method, Path string }

// Routes lists the API's endpoints.
func (s *Server) Routes() []Route {
	out := make([]Route, len(s.routes))
	for i, r := range s.routes {
		out[i] = Route{r.method, r.path}
	}
	return out
}

const prefix = "/api/v1"

func (s *Server) apiRoutes() []route {
	return []route{
		{method: "POST", path: prefix + "/login", public: true, h: s.login},
		{method: "POST", path: prefix + "/logout", public: true, h: s.logout},
		{method: "GET", path: prefix + "/me", perm: permRead, h: s.me},
		{method: "GET", path: prefix + "/batches", perm: permRead, action: ActionListBatches, h: s.listBatches},
		{method: "POST", path: prefix + "/batches", perm: permWrite, action: ActionUpload, h: s.upload},
		{method: "GET", path: prefix + "/batches/{id}", perm: permRead, action: ActionViewBatch, h: s.getBatch},
		{method: "GET", path: prefix + "/batches/{id}/events", perm: permRead, action: ActionWatchBatch, queryToken: true, h: s.events},
		{method: "GET", path: prefix + "/batches/{id}/bag", perm: permRead, action: ActionDownloadBag, h: s.bag},
		{method: "POST", path: prefix + "/batches/{id}/cancel", perm: permWrite, action: ActionCancel, h: s.cancel},
		{method: "POST", path: prefix + "/batches/{id}/retry", perm: permWrite, action: ActionRetry, h: s.retryFailed},
		{method: "GET", path: prefix + "/batches/{id}/pages/{n}/text", perm: permRead, action: ActionDownloadText, h: s.pageText},
		{method: "PUT", path: prefix + "/batches/{id}/pages/{n}/text", perm: permWrite, action: ActionCorrectText, h: s.correctText},
		{method: "GET", path: prefix + "/batches/{id}/pages/{n}/alto", perm: permRead, action: ActionDownloadALTO, h: s.pageFile("alto")},
		{method: "GET", path: prefix + "/batches/{id}/pages/{n}/hocr", perm: permRead, action: ActionDownloadHOCR, h: s.pageFile("hocr")},
		{method: "GET", path: prefix + "/batches/{id}/pages/{n}/image", perm: permRead, action: ActionDownloadImage, h: s.pageFile("image")},
		{method: "GET", path: prefix + "/batches/{id}/pages/{n}/color", perm: permRead, action: ActionDownloadImage, h: s.pageFile("color")},
		{method: "POST", path: prefix + "/batches/{id}/pages/{n}/retry", perm: permWrite, action: ActionRetry, h: s.retryPage},
		{method: "GET", path: prefix + "/batches/{id}/documents/{n}/pdf", perm: permRead, action: ActionDownloadPDF, h: s.documentPDF},
		{method: "PUT", path: prefix + "/batches/{id}/documents/{n}/metadata", perm: permWrite, action: ActionCorrectMetadata, h: s.correctMetadata},
		{method: "GET", path: prefix + "/queues", perm: permOps, action: ActionViewQueues, h: s.queues},
		{method: "GET", path: prefix + "/workers", perm: permOps, action: ActionViewWorkers, h: s.workersInfo},
	}
}

func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	// One handler per path, dispatching on the method, so a wrong method
	// gets a JSON 405 with Allow.
	byPath := map[string][]route{}
	var paths []string
	for _, rt := range s.routes {
		if byPath[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		byPath[rt.path] = append(byPath[rt.path], rt)
	}
	for _, p := range paths {
		rts := byPath[p]
		mux.Handle(p, s.dispatch(rts))
	}
	mux.HandleFunc(prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint: see docs/api.md")
	})
	s.consoleRoutes(mux)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := s.clientIP(r)
		s.writeAudit(AuditEvent{Action: ActionDenied, SourceIP: ip, Status: http.StatusForbidden,
			Error: "cross-origin request refused", Method: r.Method, Path: auditPath(r), UserAgent: r.UserAgent()})
		writeError(w, http.StatusForbidden, "cross_origin", "cross-origin requests are refused")
	}))
	return securityHeaders(cop.Handler(mux))
}

// dispatch picks the route for the request's method.
func (s *Server) dispatch(rts []route) http.Handler {
	var allow []string
	byMethod := map[string]http.Handler{}
	for _, rt := range rts {
		allow = append(allow, rt.method)
		byMethod[rt.method] = s.wrap(rt)
		if rt.method == http.MethodGet && !rt.queryToken { // not HEAD on an event stream
			allow = append(allow, http.MethodHead)
			byMethod[http.MethodHead] = byMethod[rt.method]
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := byMethod[r.Method]; ok {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", fmt.Sprintf("%s is not allowed here (allowed: %s)", r.Method, strings.Join(allow, ", ")))
	})
}

// request is what a handler knows about the call, and what it tells the audit log.
type request struct {
	id Identity
	// tokenSum is the SHA-256 of the caller's token (through its session
	// for the console): per-token quotas count by it.
	tokenSum [32]byte
	ip       string
	batch    string
	page     string
	bytes    int64 // uploaded; downloads are counted by the response writer
	files    int
	version  int
	err      string // why the call failed, for the audit log
	// abort cuts the connection after auditing: the response failed after
	// its status was sent.
	abort bool
}

// wrap authenticates and authorises the caller, runs the handler and audits the call.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := &request{ip: s.clientIP(r)}
		rec := &recorder{ResponseWriter: w}
		s.bodyLimit(w, r, rt)
		if !rt.public {
			if !s.authenticate(rec, r, rq, rt) {
				return
			}
		}
		if rt.changes() && s.audit.Failing() {
			// Fail closed: a change that could not be audited is not made.
			rec.Header().Set("Retry-After", "30")
			s.refuse(rec, rq, http.StatusServiceUnavailable, "audit_unavailable",
				"the audit log cannot be written, so no change is taken now; try again later")
			if rt.action == "" {
				s.writeAudit(AuditEvent{Actor: rq.id.Name, Role: rq.id.Role, Action: ActionDenied, Attempted: rt.attempt(),
					SourceIP: rq.ip, Status: http.StatusServiceUnavailable, Error: rq.err, Method: r.Method, Path: auditPath(r), UserAgent: r.UserAgent()})
				return
			}
		} else {
			rt.h(rec, r, rq)
		}
		if rq.abort {
			defer panic(http.ErrAbortHandler) // after the audit line
		}
		if rt.action == "" {
			return
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		bytes := rq.bytes
		if bytes == 0 && r.Method == http.MethodGet && status < 400 {
			bytes = rec.n
		}
		s.writeAudit(AuditEvent{Actor: rq.id.Name, Role: rq.id.Role, Action: rt.action, Batch: rq.batch, Page: rq.page,
			SourceIP: rq.ip, Status: status, Error: rq.err, Method: r.Method, Path: auditPath(r), Bytes: bytes,
			UserAgent: r.UserAgent(), Files: rq.files, Version: rq.version})
	})
}

// authenticate finds the caller's identity and checks its role; on
// failure it writes the refusal (401, 403 or 429), audits it and returns false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, rq *request, rt route) bool {
	deny := func(status int, action, code, msg string) bool {
		s.writeAudit(AuditEvent{Actor: rq.id.Name, Role: rq.id.Role, Action: action, Attempted: rt.attempt(), Batch: validOr(r.PathValue("id")),
			SourceIP: rq.ip, Status: status, Error: msg, Method: r.Method, Path: auditPath(r), UserAgent: r.UserAgent()})
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sohoa"`)
		}
		writeError(w, status, code, msg)
		return false
	}
	tok, from := bearerToken(r, rt.queryToken)
	if sid := sessionID(r); tok == "" && r.Header.Get("Authorization") == "" && sid != "" {
		// The console's session, when no token is given (a session never
		// counts as a failed attempt: its id cannot be guessed).
		sum, err := s.sessions.lookup(r.Context(), sid)
		if errors.Is(err, errNoSession) {
			return deny(http.StatusUnauthorized, ActionDenied, "session_ended", err.Error())
		}
		if err != nil {
			s.log.Error("session lookup failed", "error", err)
			w.Header().Set("Retry-After", "10")
			return deny(http.StatusServiceUnavailable, ActionDenied, "unavailable", "the session store (Redis) cannot be read; try again soon")
		}
		id, ok := s.tokens.Load().lookupSum(sum)
		if !ok {
			return deny(http.StatusUnauthorized, ActionDenied, "session_ended", "the session's token is no longer valid; log in again")
		}
		rq.id, rq.tokenSum = id, sum
		if !rt.perm.allows(id.Role) {
			return deny(http.StatusForbidden, ActionDenied, "forbidden", fmt.Sprintf("the %s role may not do this", id.Role))
		}
		return true
	}
	if tok == "" {
		return deny(http.StatusUnauthorized, ActionDenied, "unauthenticated", "a token is required (Authorization: Bearer TOKEN)")
	}
	id, ok := s.tokens.Load().lookup(tok)
	if !ok {
		// Only bad tokens wait: a valid one from the same address (people
		// behind one NAT or proxy) is always served.
		if wait, blocked := s.failures.blocked(rq.ip); blocked {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			return deny(http.StatusTooManyRequests, ActionRateLimited, "rate_limited", rateLimitedMsg)
		}
		s.failures.fail(rq.ip)
		return deny(http.StatusUnauthorized, ActionDenied, "invalid_token", "the token ("+from+") is not valid")
	}
	rq.id, rq.tokenSum = id, sha256.Sum256([]byte(tok))
	if !rt.perm.allows(id.Role) {
		return deny(http.StatusForbidden, ActionDenied, "forbidden", fmt.Sprintf("the %s role may not do this", id.Role))
	}
	return true
}

// rateLimitedMsg answers a bad token from an address that sent too many.
const rateLimitedMsg = "too many failed authentication attempts from this address; try again later (valid tokens are still accepted)"

// changes reports whether the route changes something (refused while
// the audit log cannot be written). Logging out only takes rights away.
func (rt route) changes() bool {
	return rt.method != http.MethodGet && rt.path != prefix+"/logout"
}

// attempt names what a refused call asked for, for the audit log.
func (rt route) attempt() string {
	if rt.action != "" {
		return rt.action
	}
	return strings.ToLower(rt.method) + " " + strings.TrimPrefix(rt.path, prefix+"/")
}

// bearerToken finds the token in the Authorization header or (if
// allowed) the access_token query parameter, and says where. A request
// with an Authorization header is judged by it alone.
func bearerToken(r *http.Request, query bool) (tok, from string) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, t, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(t), "Authorization header"
		}
		return "", ""
	}
	if query {
		if t := r.URL.Query().Get("access_token"); t != "" {
			return t, "access_token"
		}
	}
	return "", ""
}

// clientIP is the client's address: the connection's, or, from a trusted
// proxy, the last address in X-Forwarded-For that is not a trusted proxy.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(addr) {
		return host
	}
	xff := r.Header.Values("X-Forwarded-For")
	var hops []string
	for _, v := range xff {
		for h := range strings.SplitSeq(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			return host // a forged or garbled header: keep the proxy's address
		}
		if !s.trusted(a.Unmap()) {
			return a.Unmap().String()
		}
	}
	return host
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// secure reports whether the client reached us over HTTPS.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	if a, err := netip.ParseAddr(host); err == nil && s.trusted(a) {
		return strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
	}
	return false
}

// writeAudit writes e to the audit log; refusals go through the
// refusal counter (refusals.go), so repeated ones are counted, not
// written one by one. A line that cannot be written goes to the
// server's log in full.
func (s *Server) writeAudit(e AuditEvent) {
	e.Time = s.cfg.Now()
	switch {
	case e.Status >= 400:
		e.Result = strconv.Itoa(e.Status)
	case e.Error != "":
		e.Result = "error" // failed after a success status was sent
	default:
		e.Result = "ok"
	}
	if e.Status >= 400 {
		write, due := s.refusals.note(e)
		for _, d := range due {
			s.auditLine(d)
		}
		if !write {
			return
		}
	}
	s.auditLine(e)
}

func (s *Server) auditLine(e AuditEvent) {
	if err := s.audit.Write(e); err != nil {
		e.cut()
		s.log.Error("audit log write failed; the event is here instead", "error", err, "event", e)
	}
}

// flushRefusals writes the counts of refusals whose window ended, every
// window, and all of them when the server stops.
func (s *Server) flushRefusals() {
	t := time.NewTicker(s.cfg.RefusalWindow)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			for _, e := range s.refusals.flush(s.cfg.Now(), false) {
				s.auditLine(e)
			}
		case <-s.stop:
			for _, e := range s.refusals.flush(s.cfg.Now(), true) {
				s.auditLine(e)
			}
			close(s.flushed)
			return
		}
	}
}

// auditPath is the request path (never the query, which may hold a
// token), cut to a sane length.
func auditPath(r *http.Request) string {
	p := r.URL.EscapedPath()
	if len(p) > 512 {
		p = p[:512] + "..."
	}
	return p
}

// validOr returns id if it is a valid batch id, else "".
func validOr(id string) string {
	if batch.ValidID(id) {
		return id
	}
	return ""
}

// recorder remembers the status and counts the bytes of a response.
type recorder struct {
	http.ResponseWriter
	status int
	n      int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.n += int64(n)
	return n, err
}

// ReadFrom keeps the server's sendfile path for downloads.
func (r *recorder) ReadFrom(src io.Reader) (int64, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := io.Copy(r.ResponseWriter, src)
	r.n += n
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// apiError is the body of every error response.
type apiError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	if !utf8.ValidString(msg) {
		msg = strings.ToValidUTF8(msg, "?")
	}
	writeJSON(w, status, apiError{Error: msg, Code: code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error": "could not encode the response", "code": "internal"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// Content-Security-Policy of the console's pages, and of everything else
// (API responses are data: nothing in them may run).
const (
	consoleCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
		"font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	apiCSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
)

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if strings.HasPrefix(r.URL.Path, prefix+"/") || r.URL.Path == prefix {
			h.Set("Content-Security-Policy", apiCSP)
			h.Set("Cache-Control", "no-store")
		} else {
			h.Set("Content-Security-Policy", consoleCSP)
		}
		next.ServeHTTP(w, r)
	})
}

// done is closed when the server stops (event streams end).
func (s *Server) done() <-chan struct{} { return s.stop }

// ctxErr reports whether err is the request going away (client gone, server stopping).
func ctxErr(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// DefaultMaxUploadFiles is the default of Config.MaxUploadFiles.
const DefaultMaxUploadFiles = 2000

// DefaultMaxStreamsPerToken is the default of Config.MaxStreamsPerToken.
const DefaultMaxStreamsPerToken = 16

// DefaultSessionTTL is the default of Config.SessionTTL.
const DefaultSessionTTL = 12 * time.Hour
