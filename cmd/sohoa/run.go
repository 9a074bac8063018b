package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
	"github.com/sohoa/sohoa/workers"
)

func cmdRun(ctx context.Context, args []string, e *env) error {
	fset := newFlagSet("run", "--out DIR [flags] INPUT...", e)
	var (
		out         = fset.String("out", "", "folder to write results to (the store); created if missing")
		redisURL    = fset.String("redis", "", "use this Redis instead of an embedded one (other workers on it may help)")
		concurrency = fset.Int("concurrency", defaultConcurrency(), "pages processed at once")
		title       = fset.String("title", "", "batch title, recorded in batch.json")
		quiet       = fset.Bool("quiet", false, "no progress display")
		logLevel    = fset.String("log-level", "warn", "log level: debug, info, warn, error")
		webhookWait = fset.Duration("webhook-wait", 2*time.Minute, "with --webhook and no --redis: how long to keep retrying the event before exiting")
	)
	var of ocrFlags
	of.register(fset)
	var qf queueFlags
	qf.register(fset, false)
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	opts, err := qf.stageOptions()
	if err != nil {
		return err
	}
	if *out == "" {
		return usageErrorf("run: --out is required")
	}
	if fset.NArg() == 0 {
		return usageErrorf("run: give at least one file or folder to read")
	}
	cf := commonFlags{logLevel: *logLevel, logFormat: "text"}
	log, err := cf.logger(e.stderr)
	if err != nil {
		return err
	}
	inputs, err := farm.CollectInputs(fset.Args())
	if err != nil {
		return usageErrorf("run: %v", err)
	}
	closeOCR, err := of.addTo(&opts)
	if err != nil {
		return err
	}
	defer closeOCR()
	store, err := openStore(*out)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	var rdb redis.UniversalClient
	var poll time.Duration // the worker default, unless embedded
	if *redisURL == "" {
		// One machine: an in-process Redis, gone when the run ends. The
		// results are in the store; the queue state is not needed after.
		mr := miniredis.NewMiniRedis()
		if err := mr.Start(); err != nil {
			return fmt.Errorf("start embedded redis: %w", err)
		}
		defer mr.Close()
		rdb = redis.NewClient(&redis.Options{Addr: mr.Addr()})
		poll = 50 * time.Millisecond
	} else if rdb, err = openRedis(ctx, *redisURL); err != nil {
		return err
	}
	defer rdb.Close()

	stages, err := newStages(store, rdb, log, opts)
	if err != nil {
		return err
	}
	defer stages.Close()
	srv := workers.NewServer(rdb, workers.ServerConfig{Concurrency: *concurrency, PollInterval: poll, Logger: log})
	if err := srv.Start(stages.Handler()); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	defer srv.Shutdown()
	fc := farmConfig(store, rdb, log, opts.stages)
	fc.Limits = opts.sources.Limits
	uploader, err := farm.NewUploader(fc)
	if err != nil {
		return err
	}
	defer uploader.Close()
	reader, err := farm.NewReader(fc)
	if err != nil {
		return err
	}

	start := time.Now()
	attrs := map[string]string{}
	if *title != "" {
		attrs["title"] = *title
	}
	fmt.Fprintf(e.stderr, "Reading %d files with %d workers (%s)...\n", len(inputs), *concurrency, of.langs)
	id, err := uploader.Submit(ctx, inputs, farm.SubmitOptions{Attrs: attrs, Webhook: qf.hooks.target()})
	if err != nil {
		return err
	}
	if _, err := waitBatch(ctx, reader, id, e.stderr, *quiet); err != nil {
		if errors.Is(err, context.Canceled) {
			return &codeError{exitError, fmt.Errorf("interrupted; partial results are in %s", where(store, id))}
		}
		return err
	}
	m, err := reader.LiveManifest(context.WithoutCancel(ctx), id)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if qf.hooks.url != "" && *redisURL == "" {
		// The embedded queue ends with this process: deliver the event now.
		waitWebhook(ctx, rdb, e, *webhookWait)
	}
	return summarize(e.stdout, m, where(store, id), elapsed)
}

// where says where a batch's results are.
func where(s storage.Store, id string) string {
	if lp, ok := s.(storage.LocalPather); ok {
		if p, err := lp.LocalPath(batch.ManifestKey(id)); err == nil {
			return filepath.Dir(p) + string(filepath.Separator) + " (manifest: batch.json)"
		}
	}
	// An s3:// URL may end with a query (?endpoint=...): the batch's path
	// goes before it, so the result is a store URL again.
	base, query, ok := strings.Cut(s.String(), "?")
	out := strings.TrimSuffix(base, "/") + "/" + batch.Prefix(id)
	if ok {
		out += "?" + query
	}
	return out
}

// waitWebhook waits until the webhook queue is empty: the event was
// delivered (or refused for good), or the time is up.
func waitWebhook(ctx context.Context, rdb redis.UniversalClient, e *env, limit time.Duration) {
	insp := asynq.NewInspectorFromRedisClient(rdb)
	deadline := time.Now().Add(limit)
	for {
		qi, err := insp.GetQueueInfo(queue.QueueWebhook)
		if err == nil && qi.Pending+qi.Active+qi.Scheduled+qi.Retry == 0 {
			if qi.Archived > 0 {
				fmt.Fprintf(e.stderr, "warning: the webhook refused the completion event (see the log)\n")
			}
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			fmt.Fprintf(e.stderr, "warning: the completion event could not be delivered within %s; it is lost with this run's embedded queue (use --redis with a worker to keep retrying)\n", limit)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}
