package api

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
)

// meResponse describes the caller (GET /me, POST /login).
type meResponse struct {
	Name        string   `json:"name"`
	Role        string   `json:"role"`
	Permissions []string `json:"permissions"`
}

func (s *Server) me(w http.ResponseWriter, _ *http.Request, rq *request) {
	writeJSON(w, http.StatusOK, meResponse{Name: rq.id.Name, Role: rq.id.Role, Permissions: permissions(rq.id.Role)})
}

// login checks a token sent by the console's login form and opens a
// session: a random id kept in Redis (sessions.go), set as a __Host-
// cookie (Secure, HttpOnly, SameSite=Strict). Failures count toward the
// address's rate limit like any bad token. Over plain HTTP to a host
// other than this machine it is refused: the browser would drop the
// Secure cookie.
func (s *Server) login(w http.ResponseWriter, r *http.Request, rq *request) {
	audit := func(action string, status int, msg string) {
		s.writeAudit(AuditEvent{Actor: rq.id.Name, Role: rq.id.Role, Action: action, Attempted: attemptedLogin(action),
			SourceIP: rq.ip, Status: status, Error: msg, Method: r.Method, Path: auditPath(r), UserAgent: r.UserAgent()})
	}
	if !s.cookieWorks(r) {
		msg := "log in over HTTPS: the session cookie is only kept over HTTPS (or on this machine, http://localhost); put sohoa serve behind a TLS reverse proxy (docs/operations.md)"
		audit(ActionDenied, http.StatusForbidden, msg)
		writeError(w, http.StatusForbidden, "https_required", msg)
		return
	}
	tok, err := loginToken(w, r)
	if errors.Is(err, errSlowBody) {
		w.Header().Set("Connection", "close")
		audit(ActionDenied, http.StatusRequestTimeout, err.Error())
		writeError(w, http.StatusRequestTimeout, "slow_body", err.Error())
		return
	}
	if err != nil {
		audit(ActionDenied, http.StatusBadRequest, err.Error())
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	id, ok := s.tokens.Load().lookup(tok)
	if !ok {
		if wait, blocked := s.failures.blocked(rq.ip); blocked {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			audit(ActionRateLimited, http.StatusTooManyRequests, rateLimitedMsg)
			writeError(w, http.StatusTooManyRequests, "rate_limited", rateLimitedMsg)
			return
		}
		s.failures.fail(rq.ip)
		msg := "the token is not valid"
		audit(ActionDenied, http.StatusUnauthorized, msg)
		w.Header().Set("WWW-Authenticate", `Bearer realm="sohoa"`)
		writeError(w, http.StatusUnauthorized, "invalid_token", msg)
		return
	}
	rq.id = id
	sid, err := s.sessions.create(r.Context(), sha256.Sum256([]byte(tok)))
	if err != nil {
		s.log.Error("login failed", "error", err)
		audit(ActionDenied, http.StatusServiceUnavailable, "the session store (Redis) cannot be written")
		w.Header().Set("Retry-After", "10")
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the session store (Redis) cannot be written; try again soon")
		return
	}
	s.setSessionCookie(w, sid)
	audit(ActionLogin, http.StatusOK, "")
	writeJSON(w, http.StatusOK, meResponse{Name: id.Name, Role: id.Role, Permissions: permissions(id.Role)})
}

func attemptedLogin(action string) string {
	if action == ActionLogin {
		return ""
	}
	return ActionLogin
}

// errLoginBody is the error for a login request without a token.
type errLoginBody string

func (e errLoginBody) Error() string { return string(e) }

// loginToken reads the token from a form (token=...) or JSON ({"token": ...}) body.
func loginToken(w http.ResponseWriter, r *http.Request) (string, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4096))
	if errors.Is(err, errSlowBody) {
		return "", err
	}
	if err != nil {
		return "", errLoginBody("the login request is too large")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var tok string
	switch mt {
	case "application/json":
		var v struct {
			Token string `json:"token"`
		}
		if json.Unmarshal(body, &v) != nil {
			return "", errLoginBody("the login request is not JSON")
		}
		tok = v.Token
	case "application/x-www-form-urlencoded":
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return "", errLoginBody("the login form is malformed")
		}
		tok = q.Get("token")
	default:
		return "", errLoginBody("send the token as a form (token=...) or JSON ({\"token\": ...})")
	}
	if tok == "" {
		return "", errLoginBody("the token is missing")
	}
	return tok, nil
}

// logout ends the session (in Redis: the cookie is worth nothing after,
// even if a copy of it was kept) and expires the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) {
	if sid := sessionID(r); sid != "" {
		if sum, err := s.sessions.lookup(r.Context(), sid); err == nil {
			rq.id, _ = s.tokens.Load().lookupSum(sum)
		}
		if err := s.sessions.end(r.Context(), sid); err != nil {
			s.fail(w, rq, err)
			return
		}
	} else if tok, _ := bearerToken(r, false); tok != "" {
		rq.id, _ = s.tokens.Load().lookup(tok)
	}
	s.setSessionCookie(w, "")
	s.writeAudit(AuditEvent{Actor: rq.id.Name, Role: rq.id.Role, Action: ActionLogout, SourceIP: rq.ip, Status: http.StatusOK,
		Method: r.Method, Path: auditPath(r), UserAgent: r.UserAgent()})
	writeJSON(w, http.StatusOK, struct{}{})
}

// queueInfo is one queue in GET /queues.
type queueInfo struct {
	Queue     string  `json:"queue"`
	Paused    bool    `json:"paused"`
	Size      int     `json:"size"`
	Pending   int     `json:"pending"`
	Active    int     `json:"active"`
	Scheduled int     `json:"scheduled"`
	Retry     int     `json:"retry"`
	Archived  int     `json:"archived"`
	Completed int     `json:"completed"`
	Latency   float64 `json:"latency_seconds"`
	Processed int     `json:"processed_today"`
	Failed    int     `json:"failed_today"`
}

func (s *Server) queues(w http.ResponseWriter, _ *http.Request, rq *request) {
	names, err := s.insp.Queues()
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	slices.Sort(names)
	out := []queueInfo{}
	for _, q := range names {
		qi, err := s.insp.GetQueueInfo(q)
		if err != nil {
			s.fail(w, rq, err)
			return
		}
		out = append(out, queueInfo{Queue: q, Paused: qi.Paused, Size: qi.Size, Pending: qi.Pending, Active: qi.Active,
			Scheduled: qi.Scheduled, Retry: qi.Retry, Archived: qi.Archived, Completed: qi.Completed,
			Latency: qi.Latency.Seconds(), Processed: qi.Processed, Failed: qi.Failed})
	}
	writeJSON(w, http.StatusOK, map[string]any{"queues": out})
}

// workerInfo is one worker process in GET /workers.
type workerInfo struct {
	ID             string         `json:"id"`
	Host           string         `json:"host"`
	PID            int            `json:"pid"`
	Concurrency    int            `json:"concurrency"`
	Queues         map[string]int `json:"queues"`
	StrictPriority bool           `json:"strict_priority"`
	Started        time.Time      `json:"started"`
	Status         string         `json:"status"`
	Active         []activeTask   `json:"active"`
}

type activeTask struct {
	Queue   string    `json:"queue"`
	Type    string    `json:"type"`
	TaskID  string    `json:"task_id"`
	Started time.Time `json:"started"`
}

func (s *Server) workersInfo(w http.ResponseWriter, _ *http.Request, rq *request) {
	srvs, err := s.insp.Servers()
	if err != nil {
		s.fail(w, rq, err)
		return
	}
	slices.SortFunc(srvs, func(a, b *asynq.ServerInfo) int { return a.Started.Compare(b.Started) })
	out := []workerInfo{}
	for _, si := range srvs {
		wi := workerInfo{ID: si.ID, Host: si.Host, PID: si.PID, Concurrency: si.Concurrency, Queues: si.Queues,
			StrictPriority: si.StrictPriority, Started: si.Started.UTC(), Status: si.Status, Active: []activeTask{}}
		for _, a := range si.ActiveWorkers {
			wi.Active = append(wi.Active, activeTask{Queue: a.Queue, Type: a.TaskType, TaskID: a.TaskID, Started: a.Started.UTC()})
		}
		out = append(out, wi)
	}
	writeJSON(w, http.StatusOK, map[string]any{"workers": out})
}
