package queue

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/hibiken/asynq"
)

// Task type names. They are part of the Redis contract between workers of
// different versions: never rename one.
const (
	TypeSplit    = "source:split"
	TypeCleanup  = "page:cleanup"
	TypeOCR      = "page:ocr"
	TypeFinalize = "batch:finalize"
)

// Queue names, one per stage.
const (
	QueueSplit    = "split"
	QueueCleanup  = "cleanup"
	QueueOCR      = "ocr"
	QueueFinalize = "finalize"
	// QueueLarge takes the cleanup and OCR of pages over the large-page
	// size (e.g. A3 at 600 dpi), so a few workers with more memory can
	// serve it (docs/operations.md).
	QueueLarge = "large"
)

// Stages lists the stage queues in pipeline order.
var Stages = []string{QueueSplit, QueueCleanup, QueueOCR, QueueFinalize}

// SourceRef names one source file of a batch.
type SourceRef struct {
	// ID orders the source within its batch: "0003", or "0003.0001" for the
	// second entry of a zip that was source 0003.
	ID string `json:"id"`
	// Name is the source's name as the user gave it (a relative path).
	Name string `json:"name"`
	// Key is the store key of the original bytes.
	Key string `json:"key"`
}

// SplitPayload asks a worker to turn a source file into pages.
type SplitPayload struct {
	BatchID string    `json:"batch_id"`
	Source  SourceRef `json:"source"`
	// Priority is the batch's priority (PriorityNormal or PriorityHigh);
	// the tasks that follow go to its queues. Empty: normal.
	Priority string `json:"priority,omitempty"`
}

// PagePayload names one page of a batch; the cleanup and OCR stages take it.
type PagePayload struct {
	BatchID string    `json:"batch_id"`
	PageID  string    `json:"page_id"`
	Source  SourceRef `json:"source"`
	// Index is the 0-based page within its source.
	Index int `json:"index"`
	// SourcePages is how many pages the source has (0: not known, as in a
	// page requeued by repair or retry). A one-page source's document is
	// made as soon as its page is read.
	SourcePages int `json:"source_pages,omitempty"`
	// Large pages go to QueueLarge for cleanup and OCR.
	Large bool `json:"large,omitempty"`
	// Priority is the batch's priority, as in SplitPayload.
	Priority string `json:"priority,omitempty"`
	// Cleanup is what the cleanup stage decided, passed on to OCR so the
	// page record holds every step (set on page:ocr tasks only).
	Cleanup json.RawMessage `json:"cleanup,omitempty"`
}

// FinalizePayload asks a worker to complete a finished batch.
type FinalizePayload struct {
	BatchID string `json:"batch_id"`
}

// Options are the enqueue settings the farm uses for one stage.
type Options struct {
	// MaxRetry is how many times a failing task is retried; 0: never (it
	// fails at once).
	MaxRetry int
	// Timeout bounds one run of the task; 0: the stage's default.
	Timeout time.Duration
	// Queue overrides the stage's queue (priority routing, large pages);
	// "": the stage's.
	Queue string
}

// DefaultOptions are the retry and timeout settings per stage.
var DefaultOptions = map[string]Options{
	QueueSplit:    {MaxRetry: 5, Timeout: 30 * time.Minute},
	QueueCleanup:  {MaxRetry: 5, Timeout: 10 * time.Minute},
	QueueOCR:      {MaxRetry: 5, Timeout: 15 * time.Minute},
	QueueFinalize: {MaxRetry: 10, Timeout: 60 * time.Minute},
}

// Task IDs are derived from the batch and the source or page, so queueing
// the same work twice is refused while the first task is held (asynq
// keeps a task's ID taken while it is queued, retried or archived). Repair
// and retry find and delete tasks by them.

// SplitTaskID is the ID of the split task of a batch's source.
func SplitTaskID(batchID, sourceID string) string { return "split:" + batchID + ":" + sourceID }

// CleanupTaskID is the ID of the cleanup task of a batch's page.
func CleanupTaskID(batchID, pageID string) string { return "cleanup:" + batchID + ":" + pageID }

// OCRTaskID is the ID of the OCR task of a batch's page.
func OCRTaskID(batchID, pageID string) string { return "ocr:" + batchID + ":" + pageID }

// FinalizeTaskID is the ID of a batch's finalize task.
func FinalizeTaskID(batchID string) string { return "finalize:" + batchID }

// NewSplitTask makes a source:split task.
func NewSplitTask(p SplitPayload, o Options) (*asynq.Task, error) {
	return newTask(TypeSplit, p, SplitTaskID(p.BatchID, p.Source.ID), QueueSplit, o)
}

// NewCleanupTask makes a page:cleanup task.
func NewCleanupTask(p PagePayload, o Options) (*asynq.Task, error) {
	return newTask(TypeCleanup, p, CleanupTaskID(p.BatchID, p.PageID), QueueCleanup, o)
}

// NewOCRTask makes a page:ocr task.
func NewOCRTask(p PagePayload, o Options) (*asynq.Task, error) {
	return newTask(TypeOCR, p, OCRTaskID(p.BatchID, p.PageID), QueueOCR, o)
}

// NewFinalizeTask makes a batch:finalize task.
func NewFinalizeTask(p FinalizePayload, o Options) (*asynq.Task, error) {
	return newTask(TypeFinalize, p, FinalizeTaskID(p.BatchID), QueueFinalize, o)
}

func newTask(typ string, payload any, id, queue string, o Options) (*asynq.Task, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", typ, err)
	}
	if o.Queue != "" {
		queue = o.Queue
	}
	opts := []asynq.Option{asynq.TaskID(id), asynq.Queue(queue), asynq.MaxRetry(o.MaxRetry)}
	if o.Timeout > 0 {
		opts = append(opts, asynq.Timeout(o.Timeout))
	}
	return asynq.NewTask(typ, b, opts...), nil
}

// Decode unmarshals a task's payload into v with a clear error.
func Decode(t *asynq.Task, v any) error {
	if err := json.Unmarshal(t.Payload(), v); err != nil {
		return fmt.Errorf("decode %s payload: %w", t.Type(), err)
	}
	return nil
}

// Priorities a batch may have. A high-priority batch's tasks go to the
// stage's "<stage>-high" queue (e.g. "ocr-high"), which workers favour
// (twice the weight; strictly first only with --strict-priority).
const (
	PriorityNormal = "normal"
	PriorityHigh   = "high"
)

// QueueName is the queue for a stage at a priority.
func QueueName(stage, priority string) string {
	if priority == PriorityHigh {
		return stage + "-high"
	}
	return stage
}

// Completion events.
const (
	// TypeWebhook delivers a batch's completion event to a webhook URL
	// (queue "webhook", retried with backoff for about a day).
	TypeWebhook  = "batch:webhook"
	QueueWebhook = "webhook"
	// TypeFinished is the completion event published for downstream Go
	// services on queue "ingest", which sohoa workers never serve. Its
	// payload is the event JSON (docs/events.md).
	TypeFinished = "batch:finished"
	QueueIngest  = "ingest"
)

// WebhookPayload asks a worker to POST a completion event.
type WebhookPayload struct {
	BatchID string `json:"batch_id"`
	URL     string `json:"url"`
	// Secret says where the signing secret is: "batch" (the batch's own
	// webhook, from submit --webhook-secret) or "config" (the worker's
	// --webhook-secret). The secret itself is not put in the task.
	Secret  string          `json:"secret"`
	EventID string          `json:"event_id"`
	Body    json.RawMessage `json:"body"`
}

// NewWebhookTask makes a batch:webhook task.
func NewWebhookTask(p WebhookPayload, maxRetry int) (*asynq.Task, error) {
	return newTask(TypeWebhook, p, "webhook:"+p.BatchID+":"+p.EventID+":"+shortHash(p.URL), QueueWebhook,
		Options{MaxRetry: maxRetry, Timeout: time.Minute})
}

// NewFinishedTask makes the batch:finished event task for downstream consumers.
func NewFinishedTask(eventID string, body []byte) *asynq.Task {
	return asynq.NewTask(TypeFinished, body, asynq.TaskID("finished:"+eventID), asynq.Queue(QueueIngest), asynq.MaxRetry(25))
}

func shortHash(s string) string {
	h := fnv.New64a()
	h.Write([]byte(s))
	return fmt.Sprintf("%x", h.Sum64())
}
