package api

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
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
}

// AuditLog appends one JSON object per line to a file opened with
// O_APPEND, fsynced after every line; writers are serialised.
type AuditLog struct {
	mu   sync.Mutex
	path string
	w    io.Writer
	f    *os.File
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

// Write appends e as one line and syncs it to disk.
func (a *AuditLog) Write(e AuditEvent) error {
	e.Time = e.Time.UTC()
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
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

// Close closes the file.
func (a *AuditLog) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.path != "" && a.f != nil {
		return a.f.Close()
	}
	return nil
}
