// Package workers runs the pipeline's stages: it turns a batch's source
// files into pages, cleans each page image, reads it with OCR and writes
// the outputs and the batch manifest to the shared store, then finishes
// the batch and announces it. Each stage is an Asynq task handler (the
// tasks are package queue's; Stages.Handler routes them) and NewServer
// makes the server that runs them; any number of worker processes on any
// number of machines run them against one Redis and one store.
//
// Every stage is idempotent (a task may run twice: Asynq is at-least-once)
// and every write is atomic. A page that cannot be read fails alone, with
// a message naming the file, the page and the reason; the rest of the
// batch goes on. Submitting, steering and reading batches are package
// farm's roles, not the workers'.
package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/semaphore"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/cleanup"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
)

// Config configures the Stages. Store and Redis are required; the zero
// value of every other field is documented on it.
type Config struct {
	Store storage.Store
	Redis redis.UniversalClient
	// NewEngine makes one OCR engine; the stages keep one per concurrent
	// task. Nil: pages cannot be read (the OCR stage fails its tasks).
	NewEngine func() (ocr.Engine, error)
	// NewBlockEngine makes an engine that reads an image as one block of
	// text (Tesseract PSM 6), used on small regions such as a document's
	// stamp. Nil: such regions are read with NewEngine only.
	NewBlockEngine func() (ocr.Engine, error)
	// NewDigitEngine makes an engine that reads a handwritten number or
	// day of a document's header again, as digits on one line (Tesseract
	// PSM 7, digits only), to offer a value for review. Nil: no second
	// reading.
	NewDigitEngine func() (ocr.Engine, error)
	// Sources opens source files. Nil: pure-Go formats with default limits.
	Sources *source.Opener
	// Cleanup options for the cleanup stage.
	Cleanup cleanup.Options
	// SecondPassBelow: a page whose mean word confidence (0..100) is
	// below it is read again from the alternate cleanup profile and the
	// more confident reading kept. 0 turns it off (as --second-pass-below
	// 0 does); sohoa's default is DefaultSecondPassBelow.
	SecondPassBelow float64
	// ColorQuality is the JPEG quality (1..100) of color.jpg, the colour
	// version of a page whose original is in colour. 0 keeps no colour
	// version (PDFs are then greyscale), as --color-quality 0 does;
	// sohoa's default is DefaultColorQuality.
	ColorQuality int
	// Worker names this process in page records. Default "host:pid".
	Worker string
	// Logger; default slog.Default().
	Logger *slog.Logger
	// Stages holds the options (retries, timeouts) of the tasks the stages
	// queue, by stage (see queue.NewClient). Nil: queue.DefaultOptions.
	Stages map[string]queue.Options
	// Producer names the software in manifests. Default "sohoa".
	Producer string
	// ManifestLease bounds how long one writer may hold a batch's manifest
	// lease. Default 60s.
	ManifestLease time.Duration
	// LargePixels: pages with more pixels go to the "large" queue for
	// cleanup and OCR. Default 60 megapixels (an A3 page at 600 dpi is 70).
	LargePixels int64
	// Observer is told about every task (metrics). Nil: nobody.
	Observer Observer
	// MemoryBudget bounds the memory that page images being decoded and
	// cleaned may take at once in this process, estimated from each page's
	// header (about 11 bytes per pixel for colour, 4 for grey, measured
	// peaks of Leptonica and Go's decoders). A page over the budget runs
	// alone. Default 1.5 GiB.
	MemoryBudget int64
	// Webhooks receive every batch's completion event (besides a batch's
	// own webhook given at submission).
	Webhooks []webhook.Target
	// HTTPClient delivers webhooks. Nil: a client with webhook.Timeout.
	HTTPClient *http.Client
	// KeepEngineOrder keeps the OCR engine's reading order. By default the
	// side-by-side columns of a Vietnamese administrative document's
	// header and closing block are read left column first (ocr.FixColumns).
	KeepEngineOrder bool
}

// Defaults of the settings that can be off (0 turns them off, in Config
// as on the command line).
const (
	DefaultColorQuality    = 85
	DefaultSecondPassBelow = 90
)

// Observer receives the stages' events, for metrics.
type Observer interface {
	TaskStarted(stage string)
	// TaskFinished reports a task's outcome: done, failed or retry.
	TaskFinished(stage, outcome string, d time.Duration)
	// PageRead reports a page's mean word confidence (0..100).
	PageRead(confidence float64)
}

type nopObserver struct{}

func (nopObserver) TaskStarted(string)                         {}
func (nopObserver) TaskFinished(string, string, time.Duration) {}
func (nopObserver) PageRead(float64)                           {}

// Stages runs the pipeline's stages: Handler routes each task type to its
// handler. Make it with New.
type Stages struct {
	cfg          Config
	store        storage.Store
	tracker      *farm.Tracker
	manifests    *farm.Manifests
	client       *queue.Client
	log          *slog.Logger
	sources      *source.Opener
	engines      *enginePool
	blockEngines *enginePool
	digitEngines *enginePool
	memory       *semaphore.Weighted
}

// New checks cfg, fills in defaults and returns the Stages.
func New(cfg Config) (*Stages, error) {
	if cfg.Store == nil {
		return nil, errors.New("workers: Config.Store is required")
	}
	if cfg.Redis == nil {
		return nil, errors.New("workers: Config.Redis is required")
	}
	if cfg.Worker == "" {
		cfg.Worker = DefaultWorkerName()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Producer == "" {
		cfg.Producer = "sohoa"
	}
	if cfg.ManifestLease == 0 {
		cfg.ManifestLease = 60 * time.Second
	}
	if cfg.LargePixels == 0 {
		cfg.LargePixels = 60_000_000
	}
	if cfg.ColorQuality < 0 || cfg.ColorQuality > 100 {
		return nil, fmt.Errorf("colour JPEG quality %d: want 1 to 100, or 0 for no colour version", cfg.ColorQuality)
	}
	if cfg.SecondPassBelow < 0 || cfg.SecondPassBelow > 100 {
		return nil, fmt.Errorf("second pass below confidence %g: want 1 to 100, or 0 for no second pass", cfg.SecondPassBelow)
	}
	if cfg.MemoryBudget == 0 {
		cfg.MemoryBudget = 3 << 29 // 1.5 GiB
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	manifests, err := farm.NewManifests(farm.Config{Store: cfg.Store, Redis: cfg.Redis, Producer: cfg.Producer,
		Name: cfg.Worker, ManifestLease: cfg.ManifestLease, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	src := cfg.Sources
	if src == nil {
		src = &source.Opener{}
	}
	f := &Stages{
		cfg:       cfg,
		store:     cfg.Store,
		tracker:   farm.NewTracker(cfg.Redis),
		manifests: manifests,
		client:    queue.NewClient(cfg.Redis, cfg.Stages),
		log:       cfg.Logger.With("worker", cfg.Worker),
		sources:   src,
		memory:    semaphore.NewWeighted(cfg.MemoryBudget),
	}
	if cfg.NewEngine != nil {
		f.engines = &enginePool{newEngine: cfg.NewEngine}
	}
	if cfg.NewBlockEngine != nil {
		f.blockEngines = &enginePool{newEngine: cfg.NewBlockEngine}
	}
	if cfg.NewDigitEngine != nil {
		f.digitEngines = &enginePool{newEngine: cfg.NewDigitEngine}
	}
	return f, nil
}

// DefaultWorkerName is "host:pid".
func DefaultWorkerName() string {
	h, err := os.Hostname()
	if err != nil {
		h = "unknown"
	}
	return fmt.Sprintf("%s:%d", h, os.Getpid())
}

// Close releases the OCR engines and the queue client (not the Redis
// client, which the caller owns).
func (f *Stages) Close() error {
	for _, p := range []*enginePool{f.engines, f.blockEngines, f.digitEngines} {
		if p != nil {
			p.close()
		}
	}
	return f.client.Close()
}

// Handler routes each task type to its stage.
func (f *Stages) Handler() asynq.Handler {
	mux := asynq.NewServeMux()
	mux.HandleFunc(queue.TypeSplit, f.observe("split", f.handleSplit))
	mux.HandleFunc(queue.TypeCleanup, f.observe("cleanup", f.pageTask("cleanup", f.cleanupPage)))
	mux.HandleFunc(queue.TypeOCR, f.observe("ocr", f.pageTask("ocr", f.ocrPage)))
	mux.HandleFunc(queue.TypeFinalize, f.observe("finalize", f.handleFinalize))
	mux.HandleFunc(queue.TypeWebhook, f.observe("webhook", f.handleWebhook))
	return mux
}

// observe reports each task of a stage to the Observer.
func (f *Stages) observe(stage string, h asynq.HandlerFunc) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		f.cfg.Observer.TaskStarted(stage)
		err := h(ctx, t)
		outcome := "done"
		if err != nil {
			outcome = "retry"
			retried, _ := asynq.GetRetryCount(ctx)
			maxRetry, _ := asynq.GetMaxRetry(ctx)
			if errors.Is(err, asynq.SkipRetry) || retried >= maxRetry {
				outcome = "failed"
			}
			f.log.Warn("task failed", "stage", stage, "task", t.ResultWriter().TaskID(), "attempt", retried+1,
				"outcome", outcome, "error", err)
		}
		f.cfg.Observer.TaskFinished(stage, outcome, time.Since(start))
		return err
	}
}

// ServerConfig configures the Asynq server a worker process runs.
type ServerConfig struct {
	// Concurrency is the number of tasks run at once. Default: the number of CPUs.
	Concurrency int
	// Queues to take work from, with weights. Default: DefaultQueues.
	Queues map[string]int
	// StrictPriority serves higher-weight queues strictly first.
	StrictPriority bool
	// ShutdownTimeout is how long pages in flight may take to finish on
	// shutdown before they are returned to the queue. Default 60s.
	ShutdownTimeout time.Duration
	// PollInterval is how often an idle worker looks for tasks. Default
	// 250ms: a page's next stage is picked up at once (asynq's own default,
	// 1s with jitter, left workers idle up to 1.5s between stages; one
	// poll is one small Lua script, cheap for Redis at farm sizes).
	PollInterval time.Duration
	// WebhookBackoff is the delay before webhook retry n+1. Nil:
	// webhook.RetryDelay (30 s doubling to 10 minutes, for about a day).
	WebhookBackoff func(n int, err error) time.Duration
	Logger         *slog.Logger
}

// DefaultQueues are the queues a worker serves by default, with weights:
// later stages first (finalize 6, ocr 5, cleanup 3, split 2) so pages in
// flight finish before new ones start; the "-high" queues of urgent
// batches at twice the weight; "large" and "webhook" at 1.
func DefaultQueues() map[string]int {
	return map[string]int{
		queue.QueueFinalize + "-high": 12, queue.QueueOCR + "-high": 10, queue.QueueCleanup + "-high": 6, queue.QueueSplit + "-high": 4,
		queue.QueueFinalize: 6, queue.QueueOCR: 5, queue.QueueCleanup: 3, queue.QueueSplit: 2,
		queue.QueueLarge: 1, queue.QueueWebhook: 1,
	}
}

// NewServer makes the Asynq server a worker process runs the Stages' Handler on.
func NewServer(rdb redis.UniversalClient, sc ServerConfig) *asynq.Server {
	backoff := sc.WebhookBackoff
	if backoff == nil {
		backoff = webhook.RetryDelay
	}
	delay := func(n int, err error, t *asynq.Task) time.Duration {
		if t != nil && t.Type() == queue.TypeWebhook {
			return backoff(n, err)
		}
		return retryDelay(n, err, t)
	}
	if sc.Concurrency <= 0 {
		sc.Concurrency = runtime.NumCPU()
	}
	if len(sc.Queues) == 0 {
		sc.Queues = DefaultQueues()
	}
	if sc.ShutdownTimeout == 0 {
		sc.ShutdownTimeout = 60 * time.Second
	}
	if sc.PollInterval == 0 {
		sc.PollInterval = 250 * time.Millisecond
	}
	if sc.Logger == nil {
		sc.Logger = slog.Default()
	}
	return asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Concurrency:              sc.Concurrency,
		Queues:                   sc.Queues,
		StrictPriority:           sc.StrictPriority,
		ShutdownTimeout:          sc.ShutdownTimeout,
		TaskCheckInterval:        sc.PollInterval,
		DelayedTaskCheckInterval: 2 * time.Second,
		Logger:                   asynqLogger{sc.Logger},
		LogLevel:                 asynq.WarnLevel,
		RetryDelayFunc:           delay,
	})
}

// retryDelay backs off 2s, 4s, 8s ... up to 5 minutes, with jitter: long
// enough to ride out a store or Redis outage, short enough for a batch.
func retryDelay(n int, _ error, _ *asynq.Task) time.Duration {
	d := 2 * time.Second << min(n, 8)
	d = min(d, 5*time.Minute)
	return d/2 + time.Duration(float64(d/2)*rand.Float64())
}

// enginePool keeps OCR engines for reuse: an engine is expensive to start
// and not safe for concurrent use, so each running task borrows one.
type enginePool struct {
	newEngine func() (ocr.Engine, error)
	mu        sync.Mutex
	free      []ocr.Engine
	closed    bool
}

func (p *enginePool) get() (ocr.Engine, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errors.New("the OCR engines are closed (the worker is stopping)")
	}
	if n := len(p.free); n > 0 {
		e := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return e, nil
	}
	p.mu.Unlock()
	return p.newEngine()
}

// put gives an engine back; after close it is closed instead.
func (p *enginePool) put(e ocr.Engine) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		e.Close()
		return
	}
	p.free = append(p.free, e)
}

// close closes the idle engines now and the others as their tasks give
// them back: a task still reading when the worker stops (past its
// shutdown timeout) keeps its engine until it is done, instead of having
// it freed under it.
func (p *enginePool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, e := range p.free {
		e.Close()
	}
	p.free = nil
}

type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Fatal(args ...any) {
	a.l.Error(fmt.Sprint(args...), "component", "asynq")
	os.Exit(1)
}
