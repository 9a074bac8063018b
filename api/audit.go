package api

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Audit actions (docs/api.md, "Audit log").
const (
	ActionUpload          = "upload"
	ActionDownloadText    = "download_text"
	ActionDownloadALTO    = "download_alto"
	ActionDownloadHOCR    = "download_hocr"
	ActionDownloadImage   = "download_image"
	ActionDownloadPDF     = "download_pdf"
	ActionDownloadBag     = "download_bag"
	ActionViewBatch       = "view_batch"
	ActionWatchBatch      = "watch_batch"
	ActionListBatches     = "list_batches"
	ActionRetry           = "retry"
	ActionCancel          = "cancel"
	ActionCorrectText     = "correct_text"
	ActionCorrectMetadata = "correct_metadata"
	ActionViewQueues      = "view_queues"
	ActionViewWorkers     = "view_workers"
	ActionLogin           = "login"
	ActionLogout          = "logout"
	ActionDenied          = "denied"
	ActionRateLimited     = "rate_limited"
)

// AuditEvent is one line of the audit log.
type AuditEvent struct {
	// Time of the end of the request, UTC.
	Time time.Time `json:"time"`
	// Actor and Role are the token's owner; empty when no valid token was given.
	Actor string `json:"actor"`
	Role  string `json:"role"`
	// Action is what was done (or attempted, for denied and rate_limited).
	Action string `json:"action"`
	// Attempted is the action a denied or rate-limited request asked for.
	Attempted string `json:"attempted,omitempty"`
	Batch     string `json:"batch,omitempty"`
	// Page is the page id ("0000-0001"), or the document's source id for a PDF.
	Page string `json:"page,omitempty"`
	// SourceIP is the client address (X-Forwarded-For only from a trusted proxy).
	SourceIP string `json:"source_ip"`
	// Result is "ok", or the HTTP status of a refusal or failure ("403", "413", ...).
	Result string `json:"result"`
	Status int    `json:"status"`
	// Error is the reason of a refusal or failure.
	Error  string `json:"error,omitempty"`
	Method string `json:"method"`
	Path   string `json:"path"`
	// Bytes uploaded (upload) or sent (downloads).
	Bytes     int64  `json:"bytes,omitempty"`
	UserAgent string `json:"user_agent,omitempty"`
	// Files uploaded; Version of a correction.
	Files   int `json:"files,omitempty"`
	Version int `json:"version,omitempty"`
	// Repeated, on a line that sums up refusals, is how many refusals
	// like this one (same address, caller, action and status) since Since
	// were not written one by one; the line shows the last of them.
	Repeated int       `json:"repeated,omitempty"`
	Since    time.Time `json:"since,omitzero"`
}

// Sizes the audit log cuts fields to (docs/api.md, "Audit log"), so no
// line is longer than about 3 KiB whatever a client sends. A field cut
// short ends with "…(N bytes)", N its full length.
const (
	maxAuditUserAgent = 256
	maxAuditPath      = 512
	maxAuditError     = 1024
	maxAuditField     = 256 // actor, role, action, attempted, batch, page, method, source_ip
)

// AuditLog appends one JSON object per line to a file opened with
// O_APPEND, fsynced after every line; writers are serialised.
type AuditLog struct {
	mu   sync.Mutex
	path string
	w    io.Writer
	f    *os.File
	// failing is set when a line could not be written, cleared when one is.
	failing atomic.Bool
}

// OpenAuditLog opens (creating it, mode 0640) the audit log at path for appending.
func OpenAuditLog(path string) (*AuditLog, error) {
	a := &AuditLog{path: path}
	if err := a.open(); err != nil {
		return nil, err
	}
	return a, nil
}

// NewAuditLog writes the audit log to w (not fsynced unless w is an *os.File).
func NewAuditLog(w io.Writer) *AuditLog {
	a := &AuditLog{w: w}
	if f, ok := w.(*os.File); ok {
		a.f = f
	}
	return a
}

func (a *AuditLog) open() error {
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	a.f, a.w = f, f
	return nil
}

// Reopen closes and reopens the file (after log rotation moved it).
func (a *AuditLog) Reopen() error {
	if a.path == "" {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	old := a.f
	if err := a.open(); err != nil {
		return err
	}
	return old.Close()
}

// Write appends e as one line and syncs it to disk. Fields are cut to
// the sizes above; in the JSON, the characters that end a line for some
// readers (U+0085, U+2028, U+2029) and the invisible direction controls
// (which make text read other than it is) are written \uXXXX.
func (a *AuditLog) Write(e AuditEvent) error {
	e.Time = e.Time.UTC()
	e.cut()
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	b = append(escapeInvisible(b), '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.write(b); err != nil {
		a.failing.Store(true)
		return err
	}
	a.failing.Store(false)
	return nil
}

func (a *AuditLog) write(b []byte) error {
	if _, err := a.w.Write(b); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if a.f != nil && a.path != "" {
		if err := a.f.Sync(); err != nil {
			return fmt.Errorf("audit log: sync: %w", err)
		}
	}
	return nil
}

// Failing reports whether the last line could not be written (a full
// disk, a removed mount): the server then refuses changes (503) until a
// line is written again.
func (a *AuditLog) Failing() bool { return a.failing.Load() }

// cut shortens the fields a client can make long.
func (e *AuditEvent) cut() {
	e.UserAgent = cutField(e.UserAgent, maxAuditUserAgent)
	e.Path = cutField(e.Path, maxAuditPath)
	e.Error = cutField(e.Error, maxAuditError)
	for _, f := range []*string{&e.Actor, &e.Role, &e.Action, &e.Attempted, &e.Batch, &e.Page, &e.Method, &e.SourceIP} {
		*f = cutField(*f, maxAuditField)
	}
}

// cutField cuts s to at most max bytes (on a character boundary), marked
// with "…(N bytes)".
func cutField(s string, max int) string {
	if len(s) <= max {
		return s
	}
	mark := fmt.Sprintf("…(%d bytes)", len(s))
	n := max - len(mark)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + mark
}

// escapeInvisible writes as \uXXXX, in JSON text, the characters some
// readers take for a line end (U+0085 NEL, U+2028, U+2029) and the
// bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069). They can only be inside strings, where the escape
// means the same character.
func escapeInvisible(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if invisible(r) {
			if out == nil {
				out = append(make([]byte, 0, len(b)+16), b[:i]...)
			}
			out = fmt.Appendf(out, `\u%04x`, r)
		} else if out != nil {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return b
	}
	return out
}

func invisible(r rune) bool {
	switch {
	case r == 0x85, r == 0x2028, r == 0x2029, r == 0x061C, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Close closes the file.
func (a *AuditLog) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.path != "" && a.f != nil {
		return a.f.Close()
	}
	return nil
}
