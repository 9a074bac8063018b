package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/hibiken/asynq"
)

// queueRow is one queue's line in `sohoa queues`.
type queueRow struct {
	Queue     string  `json:"queue"`
	Paused    bool    `json:"paused"`
	Pending   int     `json:"pending"`
	Active    int     `json:"active"`
	Scheduled int     `json:"scheduled"`
	Retry     int     `json:"retry"`
	Archived  int     `json:"archived"`
	Latency   float64 `json:"latency_seconds"`
	// PerMinute is tasks processed per minute over the sampling interval.
	PerMinute     float64 `json:"per_minute"`
	FailedPerMin  float64 `json:"failed_per_minute"`
	ProcessedDay  int     `json:"processed_today"`
	FailedDay     int     `json:"failed_today"`
	MemoryUsageKB int64   `json:"memory_kb"`
}

func cmdQueues(ctx context.Context, args []string, e *env) error {
	fset := newFlagSet("queues", "--redis URL [--interval 5s] [--watch] [--json]", e)
	var cf commonFlags
	cf.register(fset, "warn")
	interval := fset.Duration("interval", 5*time.Second, "sampling interval for the rates")
	watch := fset.Bool("watch", false, "refresh every interval until interrupted")
	asJSON := fset.Bool("json", false, "print JSON")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	rdb, err := cf.openRedis(ctx)
	if err != nil {
		return err
	}
	defer rdb.Close()
	insp := asynq.NewInspectorFromRedisClient(rdb)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	prev, err := sampleQueues(insp)
	if err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(*interval):
		}
		cur, err := sampleQueues(insp)
		if err != nil {
			return err
		}
		rows := queueRows(prev, cur, *interval)
		if *asJSON {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(rows); err != nil {
				return err
			}
		} else {
			if *watch {
				fmt.Fprint(e.stdout, "\033[H\033[2J")
			}
			printQueues(e, rows, *interval)
		}
		if !*watch {
			return nil
		}
		prev = cur
	}
}

type queueSample map[string]*asynq.QueueInfo

func sampleQueues(insp *asynq.Inspector) (queueSample, error) {
	names, err := insp.Queues()
	if err != nil {
		return nil, fmt.Errorf("list queues: %w", err)
	}
	s := queueSample{}
	for _, q := range names {
		info, err := insp.GetQueueInfo(q)
		if err != nil {
			return nil, fmt.Errorf("queue %s: %w", q, err)
		}
		s[q] = info
	}
	return s, nil
}

func queueRows(prev, cur queueSample, dt time.Duration) []queueRow {
	var rows []queueRow
	for q, c := range cur {
		r := queueRow{Queue: q, Paused: c.Paused, Pending: c.Pending, Active: c.Active, Scheduled: c.Scheduled,
			Retry: c.Retry, Archived: c.Archived, Latency: c.Latency.Seconds(), ProcessedDay: c.Processed,
			FailedDay: c.Failed, MemoryUsageKB: c.MemoryUsage / 1024}
		if p, ok := prev[q]; ok {
			r.PerMinute = float64(c.ProcessedTotal-p.ProcessedTotal) / dt.Minutes()
			r.FailedPerMin = float64(c.FailedTotal-p.FailedTotal) / dt.Minutes()
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b queueRow) int { return stageOrder(a.Queue) - stageOrder(b.Queue) })
	return rows
}

// stageOrder lists queues in pipeline order, then others by name.
func stageOrder(q string) int {
	for i, s := range []string{"split", "split-high", "cleanup", "cleanup-high", "large", "ocr", "ocr-high", "finalize", "finalize-high"} {
		if q == s {
			return i
		}
	}
	return 100
}

func printQueues(e *env, rows []queueRow, dt time.Duration) {
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "No queues yet (nothing was ever submitted to this Redis).")
		return
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "QUEUE\tPENDING\tACTIVE\tSCHEDULED\tRETRY\tARCHIVED\tLATENCY\tDONE/MIN\tFAILED/MIN\tTODAY\tSTATE\t")
	for _, r := range rows {
		state := "running"
		if r.Paused {
			state = "PAUSED"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%.1f\t%.1f\t%d\t%s\t\n", r.Queue, r.Pending, r.Active, r.Scheduled,
			r.Retry, r.Archived, time.Duration(r.Latency*float64(time.Second)).Round(time.Second), r.PerMinute,
			r.FailedPerMin, r.ProcessedDay, state)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "Rates over the last %s. LATENCY: age of the oldest pending task. ARCHIVED: tasks that failed for good (sohoa failed).\n", dt)
}
