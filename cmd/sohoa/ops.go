package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
)

// opsCommand is what an operations command needs: the store and Redis,
// the Reader, and the Admin if it steers batches.
type opsCommand struct {
	args   []string
	rdb    redis.UniversalClient
	admin  *farm.Admin
	reader *farm.Reader
}

func openOps(ctx context.Context, name, usage string, args []string, e *env, steers bool) (*opsCommand, error) {
	fset := newFlagSet(name, usage, e)
	var cf commonFlags
	cf.register(fset, "warn")
	if err := parseFlags(fset, args); err != nil {
		return nil, err
	}
	log, err := cf.logger(e.stderr)
	if err != nil {
		return nil, err
	}
	store, err := cf.openStore()
	if err != nil {
		return nil, err
	}
	rdb, err := cf.openRedis(ctx)
	if err != nil {
		return nil, err
	}
	fc := farmConfig(store, rdb, log, nil)
	ops := &opsCommand{args: fset.Args(), rdb: rdb}
	if ops.reader, err = farm.NewReader(fc); err == nil && steers {
		ops.admin, err = farm.NewAdmin(fc)
	}
	if err != nil {
		rdb.Close()
		return nil, err
	}
	return ops, nil
}

func (o *opsCommand) close() {
	if o.admin != nil {
		o.admin.Close()
	}
	o.rdb.Close()
}

func cmdFailed(ctx context.Context, args []string, e *env) error {
	ops, err := openOps(ctx, "failed", "--redis URL --store DIR [BATCH...]", args, e, false)
	if err != nil {
		return err
	}
	defer ops.close()
	ids := ops.args
	if len(ids) == 0 {
		list, _, err := ops.reader.Batches(ctx, 0, 1000)
		if err != nil {
			return err
		}
		for _, b := range list {
			ids = append(ids, b.ID)
		}
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	n := 0
	for _, id := range ids {
		m, err := ops.reader.LiveManifest(ctx, id)
		if err != nil {
			return fmt.Errorf("batch %s: %w", id, err)
		}
		for _, p := range m.Pages {
			if p.Status == batch.StateFailed {
				if n == 0 {
					fmt.Fprintln(tw, "BATCH\tPAGE\tERROR")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", id, p.ID, p.Error)
				n++
			}
		}
	}
	tw.Flush()
	if n == 0 {
		fmt.Fprintln(e.stdout, "No failed pages.")
	}
	// Tasks that failed for good outside any page (should be rare).
	insp := asynq.NewInspectorFromRedisClient(ops.rdb)
	defer insp.Close()
	qs, _ := insp.Queues()
	for _, q := range qs {
		tasks, err := insp.ListArchivedTasks(q, asynq.PageSize(100))
		if err != nil {
			continue
		}
		for _, t := range tasks {
			if t.Type == queue.TypeFinalize {
				fmt.Fprintf(e.stdout, "archived task %s in queue %s: %s (retry it with: sohoa retry BATCH)\n", t.ID, q, t.LastErr)
			}
		}
	}
	return nil
}

func cmdRetry(ctx context.Context, args []string, e *env) error {
	ops, err := openOps(ctx, "retry", "--redis URL --store DIR BATCH [PAGE-ID...]", args, e, true)
	if err != nil {
		return err
	}
	defer ops.close()
	rest := ops.args
	if len(rest) == 0 {
		return usageErrorf("retry: give a batch id, and optionally page ids (default: every failed page)")
	}
	id := rest[0]
	if !batch.ValidID(id) {
		return usageErrorf("retry: %q is not a batch id", id)
	}
	if len(rest) == 1 {
		n, err := ops.admin.RetryFailed(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Requeued %d failed pages of batch %s.\n", n, id)
		return nil
	}
	for _, p := range rest[1:] {
		if err := ops.admin.RetryPage(ctx, id, p); err != nil {
			if errors.Is(err, farm.ErrUnknownPage) || errors.Is(err, farm.ErrNotRetryable) {
				return &codeError{exitError, err}
			}
			return err
		}
		fmt.Fprintf(e.stdout, "Requeued page %s of batch %s.\n", p, id)
	}
	return nil
}

func cmdCancel(ctx context.Context, args []string, e *env) error {
	ops, err := openOps(ctx, "cancel", "--redis URL --store DIR BATCH", args, e, true)
	if err != nil {
		return err
	}
	defer ops.close()
	rest := ops.args
	if len(rest) != 1 || !batch.ValidID(rest[0]) {
		return usageErrorf("cancel: give one batch id")
	}
	if err := ops.admin.Cancel(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Batch %s is being cancelled: pages in flight finish, the rest are not read.\n", rest[0])
	return nil
}

func cmdPause(ctx context.Context, args []string, e *env) error {
	return pauseResume(ctx, "pause", args, e)
}
func cmdResume(ctx context.Context, args []string, e *env) error {
	return pauseResume(ctx, "resume", args, e)
}

func pauseResume(ctx context.Context, verb string, args []string, e *env) error {
	fset := newFlagSet(verb, "--redis URL QUEUE...", e)
	var cf commonFlags
	cf.register(fset, "warn")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() == 0 {
		return usageErrorf("%s: give one or more queue names (sohoa queues lists them)", verb)
	}
	rdb, err := cf.openRedis(ctx)
	if err != nil {
		return err
	}
	defer rdb.Close()
	insp := asynq.NewInspectorFromRedisClient(rdb)
	for _, q := range fset.Args() {
		if verb == "pause" {
			err = insp.PauseQueue(q)
		} else {
			err = insp.UnpauseQueue(q)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", verb, q, err)
		}
		fmt.Fprintf(e.stdout, "Queue %s %sd.\n", q, verb)
	}
	return nil
}

func cmdRepair(ctx context.Context, args []string, e *env) error {
	ops, err := openOps(ctx, "repair", "--redis URL --store DIR BATCH...", args, e, true)
	if err != nil {
		return err
	}
	defer ops.close()
	rest := ops.args
	if len(rest) == 0 {
		return usageErrorf("repair: give one or more batch ids")
	}
	for _, id := range rest {
		if !batch.ValidID(id) {
			return usageErrorf("repair: %q is not a batch id", id)
		}
		rep, err := ops.admin.Repair(ctx, id)
		if err != nil {
			return fmt.Errorf("repair %s: %w", id, err)
		}
		fmt.Fprintf(e.stdout, "Batch %s:", id)
		if rep.Rebuilt {
			fmt.Fprint(e.stdout, " state rebuilt from the store;")
		}
		fmt.Fprintf(e.stdout, " %d files to split again, %d pages requeued", len(rep.Split), len(rep.Requeued))
		if rep.Finalize {
			fmt.Fprint(e.stdout, ", finalize queued")
		}
		fmt.Fprintln(e.stdout, ".")
	}
	return nil
}
