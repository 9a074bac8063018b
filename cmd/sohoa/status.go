package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

func cmdStatus(ctx context.Context, args []string, e *env) error {
	fset := newFlagSet("status", "--redis URL --store DIR [--json] BATCH", e)
	var cf commonFlags
	cf.register(fset, "warn")
	asJSON := fset.Bool("json", false, "print the batch manifest (batch.json) with live counts")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() != 1 {
		return usageErrorf("status: give one batch id")
	}
	id := fset.Arg(0)
	if !batch.ValidID(id) {
		return usageErrorf("status: %q is not a batch id", id)
	}
	log, err := cf.logger(e.stderr)
	if err != nil {
		return err
	}
	store, err := cf.openStore()
	if err != nil {
		return err
	}
	var m *batch.Manifest
	if cf.redisURL != "" {
		// The live manifest; the store's when Redis no longer knows the batch.
		rdb, err := cf.openRedis(ctx)
		if err != nil {
			return err
		}
		defer rdb.Close()
		reader, err := farm.NewReader(farmConfig(store, rdb, log, nil))
		if err != nil {
			return err
		}
		m, err = reader.Manifest(ctx, id)
		if errors.Is(err, farm.ErrUnknownBatch) {
			return fmt.Errorf("batch %s: not found in Redis or in the store", id)
		}
		if err != nil {
			return err
		}
	} else {
		// No Redis given: the store's manifest.
		m, err = batch.Read(ctx, store, id)
		if errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("batch %s: not found in Redis or in the store", id)
		}
		if err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	c := m.Counts
	fmt.Fprintf(e.stdout, "Batch:    %s\nStatus:   %s\nCreated:  %s\n", m.ID, m.Status, m.Created.Local().Format("2006-01-02 15:04:05"))
	if m.Finished != nil {
		fmt.Fprintf(e.stdout, "Finished: %s (%s)\n", m.Finished.Local().Format("2006-01-02 15:04:05"), m.Finished.Sub(m.Created).Round(1e8))
	}
	if t := m.Attrs["title"]; t != "" {
		fmt.Fprintf(e.stdout, "Title:    %s\n", t)
	}
	for _, a := range m.Alerts {
		fmt.Fprintf(e.stdout, "!!! ATTENTION: %s\n", a)
	}
	fmt.Fprintf(e.stdout, "Sources:  %d\nPages:    %d (done %d, failed %d, pending %d, blank %d)\n", c.Sources, c.Pages, c.Done, c.Failed, c.Pending, c.Blank)
	for _, p := range m.Pages {
		if p.Status == batch.StateFailed {
			fmt.Fprintf(e.stdout, "  failed: %s\n", p.Error)
		}
	}
	fmt.Fprintf(e.stdout, "Manifest: %s\n", batch.ManifestKey(id))
	return nil
}
