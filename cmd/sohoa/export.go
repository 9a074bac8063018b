package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sohoa/sohoa/export/bagit"
	"github.com/sohoa/sohoa/ocr/docmeta"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

func cmdExport(ctx context.Context, args []string, e *env) error {
	fset := newFlagSet("export", "--store S --out PATH [--format bag|zip] [--sources] BATCH", e)
	var cf commonFlags
	cf.register(fset, "warn")
	var (
		out     = fset.String("out", "", "where to write: a folder for --format bag, a file for --format zip")
		format  = fset.String("format", "bag", "bag (a BagIt folder), zip (a BagIt bag in one zip file) or csv (one row per document: its header metadata, for a catalogue)")
		sources = fset.Bool("sources", false, "include the original files (sources/) in the payload")
		org     = fset.String("org", os.Getenv("SOHOA_ORGANIZATION"), "Source-Organization for bag-info.txt (env SOHOA_ORGANIZATION)")
		quiet   = fset.Bool("quiet", false, "no progress display")
	)
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() != 1 || !batch.ValidID(fset.Arg(0)) {
		return usageErrorf("export: give one batch id")
	}
	if *out == "" {
		return usageErrorf("export: --out is required")
	}
	if _, err := os.Stat(*out); err == nil {
		return usageErrorf("export: %s already exists; choose a new path", *out)
	}
	store, err := cf.openStore()
	if err != nil {
		return err
	}
	id := fset.Arg(0)
	m, err := readStoredManifest(ctx, store, id)
	if err != nil {
		return err
	}
	if *format == "csv" {
		return exportCSV(m, *out, e)
	}
	opt := bagit.Options{IncludeSources: *sources, SourceOrganization: *org, Version: version, Info: documentInfo(m)}
	var w bagit.Writer
	var finish func() error
	var abort func()
	switch *format {
	case "bag":
		dw, err := bagit.NewDirWriter(*out)
		if err != nil {
			return err
		}
		w, finish, abort = dw, dw.Close, func() { dw.Abort() }
	case "zip":
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(*out), filepath.Ext(*out))
		zw, err := bagit.NewZipWriter(f, name)
		if err != nil {
			f.Close()
			os.Remove(*out)
			return err
		}
		w = zw
		finish = func() error {
			if err := zw.Close(); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}
		abort = func() { f.Close(); os.Remove(*out) }
	default:
		return usageErrorf("export: --format %q: want bag, zip or csv", *format)
	}
	pw := &progressWriter{w: w}
	if !*quiet {
		stop := pw.report(e.stderr)
		defer stop()
	}
	start := time.Now()
	res, err := bagit.Export(ctx, store, id, pw, opt)
	if err == nil {
		err = finish()
	}
	if err != nil {
		abort()
		if errors.Is(err, bagit.ErrNotFinished) {
			return fmt.Errorf("batch %s is not finished yet; export it when its status is final (sohoa status %s)", id, id)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Exported batch %s to %s: %d payload files, %d bytes (Payload-Oxum %s), %d checked against batch.json, in %s.\n",
		id, *out, res.Streams, res.Octets, res.Oxum(), res.Verified, time.Since(start).Round(100*time.Millisecond))
	return nil
}

// progressWriter counts the files and bytes written to a bag.
type progressWriter struct {
	w     bagit.Writer
	files atomic.Int64
	bytes atomic.Int64
}

func (p *progressWriter) Create(name string) (io.WriteCloser, error) {
	wc, err := p.w.Create(name)
	if err != nil {
		return nil, err
	}
	p.files.Add(1)
	return countingWC{wc, &p.bytes}, nil
}

type countingWC struct {
	io.WriteCloser
	n *atomic.Int64
}

func (c countingWC) Write(b []byte) (int, error) {
	n, err := c.WriteCloser.Write(b)
	c.n.Add(int64(n))
	return n, err
}

// report prints progress every 2 seconds until stop is called.
func (p *progressWriter) report(w io.Writer) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintf(w, "exported %d files, %.1f MB\n", p.files.Load(), float64(p.bytes.Load())/1e6)
			}
		}
	}()
	return func() { close(done) }
}

// readStoredManifest reads a batch's batch.json from the store.
func readStoredManifest(ctx context.Context, store storage.Store, id string) (*batch.Manifest, error) {
	m, err := batch.Read(ctx, store, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("batch %s: no batch.json in %s", id, store)
	}
	return m, err
}

// documentInfo gives bag-info.txt one "Document" line per document whose
// header was read: source | type and number | date | issuer | subject.
func documentInfo(m *batch.Manifest) []bagit.Field {
	var out []bagit.Field
	for _, d := range m.Documents {
		var md docmeta.Metadata
		if json.Unmarshal(d.CurrentMetadata(), &md) != nil || !md.Document {
			continue
		}
		parts := []string{d.Source, strings.TrimSpace(md.Type + " " + md.Number), md.Date,
			strings.ReplaceAll(md.Issuer, "\n", " - "), md.Subject}
		out = append(out, bagit.Field{Label: "Document", Value: strings.Join(parts, " | ")})
	}
	return out
}

// exportCSV writes one row per document: the batch and document columns,
// then the header metadata and the national standard's fields.
func exportCSV(m *batch.Manifest, out string, e *env) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(append([]string{"batch_id", "source_id", "source", "pdf", "pages"}, docmeta.CSVHeader()...))
	rows := 0
	for _, d := range m.Documents {
		var md docmeta.Metadata
		_ = json.Unmarshal(d.CurrentMetadata(), &md)
		w.Write(append([]string{m.ID, d.SourceID, d.Source, d.PDF, strconv.Itoa(len(d.Pages))}, md.CSVRow(len(d.Pages), "vi")...))
		rows++
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Exported %d documents of batch %s to %s.\n", rows, m.ID, out)
	return nil
}
