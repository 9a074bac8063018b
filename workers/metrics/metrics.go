// Package metrics exports a worker's Prometheus metrics (all named
// sohoa_...) and serves /metrics, /healthz and /readyz. The farm reports
// to it through the workers.Observer interface; queue and batch gauges are
// read from Redis when Prometheus scrapes.
package metrics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds a worker's metrics. It implements workers.Observer.
type Metrics struct {
	reg        *prometheus.Registry
	pages      *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	confidence prometheus.Histogram
	inflight   *prometheus.GaugeVec
}

// New registers the farm's metrics (and the Go and process collectors) in
// a new registry. queues, if not nil, also exports queue depth, latency
// and paused state, and the number of batches in flight, read at scrape
// time.
func New(queues QueueSource) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sohoa_pages_processed_total",
			// The name is kept for the dashboards and alerts that use it: it counts tasks.
			Help: "Tasks finished by this worker, by stage and outcome (done, failed, retry): one count is a page for cleanup and ocr, " +
				"a source file for split, a batch for finalize, a delivery for webhook (the name is older than this meaning).",
		}, []string{"stage", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sohoa_stage_duration_seconds",
			Help:    "Time a task of each stage took on this worker.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128},
		}, []string{"stage"}),
		confidence: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sohoa_ocr_confidence",
			Help:    "Mean word confidence (0-100) of each page this worker read.",
			Buckets: []float64{10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 100},
		}),
		inflight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "sohoa_tasks_in_flight",
			Help: "Tasks this worker is running now, by stage.",
		}, []string{"stage"}),
	}
	reg.MustRegister(m.pages, m.duration, m.confidence, m.inflight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if queues != nil {
		reg.MustRegister(&queueCollector{src: queues})
	}
	return m
}

// Registry is where the metrics are registered.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// TaskStarted implements workers.Observer.
func (m *Metrics) TaskStarted(stage string) { m.inflight.WithLabelValues(stage).Inc() }

// TaskFinished implements workers.Observer: outcome is done, failed or retry.
func (m *Metrics) TaskFinished(stage, outcome string, d time.Duration) {
	m.inflight.WithLabelValues(stage).Dec()
	m.pages.WithLabelValues(stage, outcome).Inc()
	m.duration.WithLabelValues(stage).Observe(d.Seconds())
}

// PageRead implements workers.Observer.
func (m *Metrics) PageRead(confidence float64) { m.confidence.Observe(confidence) }

// QueueSource gives the queue state: asynq's Inspector and the batch tracker.
type QueueSource interface {
	Queues() ([]string, error)
	GetQueueInfo(queue string) (*asynq.QueueInfo, error)
	ActiveBatches(ctx context.Context) (int, error)
}

var (
	queueSizeDesc = prometheus.NewDesc("sohoa_queue_tasks", "Tasks in each queue by state (pending, active, scheduled, retry, archived).",
		[]string{"queue", "state"}, nil)
	queueLatencyDesc = prometheus.NewDesc("sohoa_queue_latency_seconds", "Age of the oldest pending task in each queue.",
		[]string{"queue"}, nil)
	queuePausedDesc = prometheus.NewDesc("sohoa_queue_paused", "1 if the queue is paused.", []string{"queue"}, nil)
	batchesDesc     = prometheus.NewDesc("sohoa_batches_in_flight", "Batches not finished yet.", nil, nil)
	scrapeErrDesc   = prometheus.NewDesc("sohoa_queue_scrape_errors", "1 if reading the queue state from Redis failed in this scrape.", nil, nil)
)

type queueCollector struct{ src QueueSource }

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{queueSizeDesc, queueLatencyDesc, queuePausedDesc, batchesDesc, scrapeErrDesc} {
		ch <- d
	}
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	failed := 0.0
	qs, err := c.src.Queues()
	if err != nil {
		failed = 1
	}
	for _, q := range qs {
		info, err := c.src.GetQueueInfo(q)
		if err != nil {
			failed = 1
			continue
		}
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived} {
			ch <- prometheus.MustNewConstMetric(queueSizeDesc, prometheus.GaugeValue, float64(n), q, state)
		}
		ch <- prometheus.MustNewConstMetric(queueLatencyDesc, prometheus.GaugeValue, info.Latency.Seconds(), q)
		paused := 0.0
		if info.Paused {
			paused = 1
		}
		ch <- prometheus.MustNewConstMetric(queuePausedDesc, prometheus.GaugeValue, paused, q)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n, err := c.src.ActiveBatches(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(batchesDesc, prometheus.GaugeValue, float64(n))
	} else {
		failed = 1
	}
	ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, failed)
}

// Server serves /metrics, /healthz (the process is alive) and /readyz
// (ready() returns nil: Redis answers and the worker runs).
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Serve starts the HTTP server on addr (":9090", "127.0.0.1:0").
func Serve(addr string, m *Metrics, ready func(context.Context) error) (*Server, error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, ln: ln}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener failed; /healthz stops answering, which is the signal
		}
	}()
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
