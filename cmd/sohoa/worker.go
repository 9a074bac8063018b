package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/workers"
	"github.com/sohoa/sohoa/workers/metrics"
)

func cmdWorker(ctx context.Context, args []string, e *env) error {
	fset := newFlagSet("worker", "--redis URL --store DIR [flags]", e)
	var cf commonFlags
	cf.register(fset, "info")
	var of ocrFlags
	of.register(fset)
	var (
		concurrency = fset.Int("concurrency", envInt("SOHOA_CONCURRENCY", defaultConcurrency()), "tasks run at once (env SOHOA_CONCURRENCY; default: the number of CPUs)")
		queues      = fset.String("queues", os.Getenv("SOHOA_QUEUES"), "queues to serve, with optional weights: \"ocr:5,cleanup:3\" (env SOHOA_QUEUES; default: every stage)")
		name        = fset.String("name", envOr("SOHOA_WORKER_NAME", workers.DefaultWorkerName()), "worker name in page records (env SOHOA_WORKER_NAME)")
		shutdown    = fset.Duration("shutdown-timeout", envDuration("SOHOA_SHUTDOWN_TIMEOUT", 60*time.Second), "on SIGTERM, how long pages in flight may take to finish before they are requeued (env SOHOA_SHUTDOWN_TIMEOUT)")
		strict      = fset.Bool("strict-priority", os.Getenv("SOHOA_STRICT_PRIORITY") == "true", "serve higher-weight queues strictly first (env SOHOA_STRICT_PRIORITY=true)")
		metricsAddr = fset.String("metrics-addr", os.Getenv("SOHOA_METRICS_ADDR"), "serve Prometheus /metrics, /healthz and /readyz on this address, e.g. :9090 (env SOHOA_METRICS_ADDR)")
		reconcile   = fset.Duration("reconcile-every", envDuration("SOHOA_RECONCILE_EVERY", 2*time.Minute), "how often one of the workers checks batches in flight for lost tasks and requeues them; 0 turns it off (env SOHOA_RECONCILE_EVERY)")
	)
	var qf queueFlags
	qf.register(fset, true)
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return usageErrorf("worker: unexpected arguments %q", fset.Args())
	}
	log, err := cf.logger(e.stderr)
	if err != nil {
		return err
	}
	qs, err := parseQueues(*queues)
	if err != nil {
		return err
	}
	opts, err := qf.stageOptions()
	if err != nil {
		return err
	}
	closeOCR, err := of.addTo(&opts)
	if err != nil {
		return err
	}
	defer closeOCR()
	store, err := cf.openStore()
	if err != nil {
		return err
	}
	rdb, err := cf.openRedis(ctx)
	if err != nil {
		return err
	}
	defer rdb.Close()
	fc := farmConfig(store, rdb, log, opts.stages)
	fc.Name = *name
	reader, err := farm.NewReader(fc)
	if err != nil {
		return err
	}
	insp := asynq.NewInspectorFromRedisClient(rdb)
	defer insp.Close()
	m := metrics.New(queueSource{insp, reader})
	opts.name, opts.observer, opts.webhooks = *name, m, qf.hooks.targets()
	stages, err := newStages(store, rdb, log, opts)
	if err != nil {
		return err
	}
	defer stages.Close()
	srv := workers.NewServer(rdb, workers.ServerConfig{Concurrency: *concurrency, Queues: qs, StrictPriority: *strict,
		ShutdownTimeout: *shutdown, Logger: log})
	if err := srv.Start(stages.Handler()); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	var stopping atomic.Bool
	if *metricsAddr != "" {
		ms, err := metrics.Serve(*metricsAddr, m, func(ctx context.Context) error {
			if stopping.Load() {
				return errors.New("shutting down")
			}
			return rdb.Ping(ctx).Err()
		})
		if err != nil {
			srv.Shutdown()
			return fmt.Errorf("--metrics-addr %s: %w", *metricsAddr, err)
		}
		defer ms.Close()
		log.Info("metrics served", "addr", ms.Addr())
	}
	rctx, stopReconciler := context.WithCancel(ctx)
	defer stopReconciler()
	if *reconcile > 0 {
		// The reconciler repairs batches in flight (one worker at a time).
		admin, err := farm.NewAdmin(fc)
		if err != nil {
			srv.Shutdown()
			return err
		}
		defer admin.Close()
		go admin.RunReconciler(rctx, *reconcile)
	}
	log.Info("worker started", "name", *name, "concurrency", *concurrency, "store", store.String(), "langs", of.langs)

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	select {
	case <-ctx.Done():
	case s := <-sigs:
		log.Info("shutting down: finishing pages in flight", "signal", s.String(), "timeout", shutdown.String())
	}
	// A second signal quits at once; pages in flight come back to the
	// queue when their lease expires.
	go func() {
		s := <-sigs
		log.Warn("second signal: exiting now", "signal", s.String())
		os.Exit(exitError)
	}()
	stopping.Store(true)
	stopReconciler()
	srv.Stop()
	srv.Shutdown()
	log.Info("worker stopped")
	return nil
}

// queueSource gives the metrics the queue state: asynq's inspector for
// the queues, the farm's reader for the batches in flight.
type queueSource struct {
	*asynq.Inspector
	*farm.Reader
}

// envDuration, envInt and envInt64 are, like envFloat, a flag's default
// from the environment: the value of k if it is set to one (0 and
// negatives included: 0 turns a setting that can be off off, as on the
// command line, and the flag's checks refuse what is out of range), else
// def.
func envDuration(k string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(k)); err == nil {
		return v
	}
	return def
}

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return v
	}
	return def
}

// parseQueues reads "ocr:5,cleanup:3" or "ocr,cleanup" (weight 1 each).
func parseQueues(s string) (map[string]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]int{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, hasW := strings.Cut(part, ":")
		weight := 1
		if hasW {
			n, err := strconv.Atoi(w)
			if err != nil || n <= 0 {
				return nil, usageErrorf("--queues %q: weight of %q must be a positive number", s, name)
			}
			weight = n
		}
		out[name] = weight
	}
	return out, nil
}
