package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/queue"
)

func cmdSubmit(ctx context.Context, args []string, e *env) error {
	fset := newFlagSet("submit", "--redis URL --store DIR [--wait] [flags] INPUT...", e)
	var cf commonFlags
	cf.register(fset, "warn")
	var (
		wait     = fset.Bool("wait", false, "show progress until the batch is finished and exit like 'run'")
		title    = fset.String("title", "", "batch title, recorded in batch.json")
		fonds    = fset.String("fonds", "", "fonds or collection code, recorded in batch.json")
		priority = fset.String("priority", queue.PriorityNormal, "normal or high: high batches are favoured (twice the weight on every worker; docs/operations.md, Priorities)")
		quiet    = fset.Bool("quiet", false, "no progress display with --wait")
	)
	var qf queueFlags
	qf.register(fset, false)
	var cl clientFlags
	cl.register(fset)
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() == 0 {
		return usageErrorf("submit: give at least one file or folder")
	}
	if *priority != queue.PriorityNormal && *priority != queue.PriorityHigh {
		return usageErrorf("submit: --priority %q: want normal or high", *priority)
	}
	if cl.server != "" { // through the HTTP API of sohoa serve (client.go)
		return cl.submit(ctx, e, fset.Args(), submitFields{title: *title, fonds: *fonds, priority: *priority, webhook: qf.hooks.url}, *wait, *quiet)
	}
	log, err := cf.logger(e.stderr)
	if err != nil {
		return err
	}
	stages, limits, err := qf.uploadOptions()
	if err != nil {
		return err
	}
	inputs, err := farm.CollectInputs(fset.Args())
	if err != nil {
		return usageErrorf("submit: %v", err)
	}
	store, err := cf.openStore()
	if err != nil {
		return err
	}
	rdb, err := cf.openRedis(ctx)
	if err != nil {
		return err
	}
	defer rdb.Close()
	fc := farmConfig(store, rdb, log, stages)
	fc.Limits = limits
	uploader, err := farm.NewUploader(fc)
	if err != nil {
		return err
	}
	defer uploader.Close()

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	attrs := map[string]string{"priority": *priority}
	if *title != "" {
		attrs["title"] = *title
	}
	if *fonds != "" {
		attrs["fonds"] = *fonds
	}
	start := time.Now()
	opt := farm.SubmitOptions{Attrs: attrs, Webhook: qf.hooks.target()}
	if !*quiet && len(inputs) > 1 {
		tty := isTerminal(e.stderr)
		last := time.Now()
		opt.OnUpload = func(done, total int, name string) {
			switch {
			case tty:
				fmt.Fprintf(e.stderr, "\r\033[Kuploaded %d/%d files: %s", done, total, name)
				if done == total {
					fmt.Fprintln(e.stderr)
				}
			case done == total || time.Since(last) > 5*time.Second:
				fmt.Fprintf(e.stderr, "uploaded %d/%d files\n", done, total)
				last = time.Now()
			}
		}
	}
	id, err := uploader.Submit(ctx, inputs, opt)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, id)
	if !*wait {
		return nil
	}
	reader, err := farm.NewReader(fc)
	if err != nil {
		return err
	}
	if _, err := waitBatch(ctx, reader, id, e.stderr, *quiet); err != nil {
		if errors.Is(err, context.Canceled) {
			return &codeError{exitError, fmt.Errorf("stopped waiting; batch %s goes on (sohoa status %s)", id, id)}
		}
		return err
	}
	m, err := reader.LiveManifest(context.WithoutCancel(ctx), id)
	if err != nil {
		return err
	}
	return summarize(e.stderr, m, where(store, id), time.Since(start))
}
