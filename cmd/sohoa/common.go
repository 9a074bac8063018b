package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/cleanup"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/ocr/tesseract"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
	"github.com/sohoa/sohoa/storage/fs"
	"github.com/sohoa/sohoa/storage/s3"
	"github.com/sohoa/sohoa/workers"
)

// newFlagSet makes a subcommand's flag set that reports errors instead of exiting.
func newFlagSet(name, usage string, e *env) *flag.FlagSet {
	fset := flag.NewFlagSet(name, flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	fset.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: sohoa %s %s\n\nFlags:\n", name, usage)
		fset.PrintDefaults()
	}
	return fset
}

// parseFlags parses args; -h is not an error.
func parseFlags(fset *flag.FlagSet, args []string) error {
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &codeError{exitOK, errors.New("")}
		}
		return &codeError{exitUsage, errors.New("")}
	}
	return nil
}

// common flags shared by several subcommands.
type commonFlags struct {
	redisURL  string
	store     string
	logLevel  string
	logFormat string
}

// register adds the common flags; logLevel is the command's default log level.
func (c *commonFlags) register(fset *flag.FlagSet, logLevel string) {
	def := os.Getenv("SOHOA_REDIS")
	fset.StringVar(&c.redisURL, "redis", def, "Redis URL: redis://[:password@]host:port/db, rediss:// for TLS (env SOHOA_REDIS)")
	fset.StringVar(&c.store, "store", os.Getenv("SOHOA_STORE"), "shared store: a folder, or s3://BUCKET/PREFIX?endpoint=... with AWS_* credentials in the environment (env SOHOA_STORE)")
	fset.StringVar(&c.logLevel, "log-level", envOr("SOHOA_LOG_LEVEL", logLevel), "log level: debug, info, warn, error (env SOHOA_LOG_LEVEL)")
	fset.StringVar(&c.logFormat, "log-format", envOr("SOHOA_LOG_FORMAT", "text"), "log format: text or json (env SOHOA_LOG_FORMAT)")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func (c *commonFlags) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usageErrorf("--log-level %q: want debug, info, warn or error", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageErrorf("--log-format %q: want text or json", c.logFormat)
}

func (c *commonFlags) openRedis(ctx context.Context) (redis.UniversalClient, error) {
	if c.redisURL == "" {
		return nil, usageErrorf("--redis is required (or set SOHOA_REDIS)")
	}
	return openRedis(ctx, c.redisURL)
}

func (c *commonFlags) openStore() (storage.Store, error) {
	if c.store == "" {
		return nil, usageErrorf("--store is required (or set SOHOA_STORE)")
	}
	return openStore(c.store)
}

// openStore opens the shared store: a folder, or an S3 bucket
// ("s3://BUCKET/PREFIX?endpoint=...", credentials from AWS_* variables;
// docs/s3.md).
func openStore(spec string) (storage.Store, error) {
	if strings.HasPrefix(spec, "s3://") {
		cfg, err := s3.ParseURL(spec)
		if err != nil {
			return nil, usageErrorf("--store: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return s3.New(ctx, cfg)
	}
	if strings.Contains(spec, "://") {
		return nil, usageErrorf("--store %q: a folder or an s3:// URL is expected", spec)
	}
	return fs.New(spec)
}

// ocrFlags configure the OCR engine.
type ocrFlags struct {
	langs      string
	psm        int
	secondPass float64
	noOSD      bool
	color      int
}

func (o *ocrFlags) register(fset *flag.FlagSet) {
	fset.StringVar(&o.langs, "lang", envOr("SOHOA_LANG", "vie+eng"), "Tesseract languages, in priority order (env SOHOA_LANG)")
	fset.IntVar(&o.psm, "psm", 3, "Tesseract page segmentation mode (3: automatic)")
	fset.Float64Var(&o.secondPass, "second-pass-below", envFloat("SOHOA_SECOND_PASS_BELOW", workers.DefaultSecondPassBelow), "read a page again from the alternate cleanup (binarised) when its mean word confidence is below this; 0 turns it off (env SOHOA_SECOND_PASS_BELOW)")
	fset.IntVar(&o.color, "color-quality", envInt("SOHOA_COLOR_QUALITY", workers.DefaultColorQuality), "JPEG quality (1-100) of the colour version kept of a colour original, which the PDFs show; 0 keeps none, PDFs are then grey (env SOHOA_COLOR_QUALITY)")
	fset.BoolVar(&o.noOSD, "no-orientation", os.Getenv("SOHOA_NO_ORIENTATION") == "true", "do not detect pages scanned sideways or upside down (env SOHOA_NO_ORIENTATION=true)")
}

// cleanupOptions makes the cleanup options: orientation detection through
// a pool of Tesseract OSD instances (close it when done).
func (o *ocrFlags) cleanupOptions() (cleanup.Options, func(), error) {
	if o.noOSD {
		return cleanup.Options{}, func() {}, nil
	}
	if err := tesseract.CheckLanguages([]string{"osd"}, ""); err != nil {
		return cleanup.Options{}, nil, err
	}
	pool, err := tesseract.NewOSDPool(tesseract.OSDConfig{})
	if err != nil {
		return cleanup.Options{}, nil, err
	}
	return cleanup.Options{Orientation: pool}, func() { pool.Close() }, nil
}

// addTo gives the stages their OCR engines and cleanup options; close
// releases the orientation detector.
func (o *ocrFlags) addTo(opts *stageOptions) (close func(), err error) {
	if opts.engine, opts.block, opts.digits, err = o.engines(); err != nil {
		return nil, err
	}
	cleanOpts, closeOSD, err := o.cleanupOptions()
	if err != nil {
		return nil, err
	}
	if o.color < 0 || o.color > 100 {
		closeOSD()
		return nil, usageErrorf("--color-quality %d: want 1 to 100, or 0 for no colour version", o.color)
	}
	if o.secondPass < 0 || o.secondPass > 100 {
		closeOSD()
		return nil, usageErrorf("--second-pass-below %g: want 1 to 100, or 0 for no second reading", o.secondPass)
	}
	// 0 turns either off, on the command line, in the environment and in
	// workers.Config alike.
	opts.cleanup, opts.secondPass, opts.color = cleanOpts, o.secondPass, o.color
	return closeOSD, nil
}

// envFloat is a flag's default from the environment: the value of k if
// it is set to a number (0 included, which turns a setting off), else def.
func envFloat(k string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(k), 64); err == nil {
		return v
	}
	return def
}

// engines returns the OCR engine factory, one for reading small regions
// (a document's stamp) as a single block of text (PSM 6), and one for
// reading a handwritten number or day again as digits on one line (PSM 7,
// digits only; docs/metadata.md).
func (o *ocrFlags) engines() (page, block, digits func() (ocr.Engine, error), err error) {
	cfg := tesseract.Config{Languages: strings.Split(o.langs, "+"), PSM: o.psm}
	if err := tesseract.CheckLanguages(cfg.Languages, ""); err != nil {
		return nil, nil, nil, err
	}
	bcfg := cfg
	bcfg.PSM = 6
	// English's model reads handwritten digits better than Vietnamese's
	// (6 of 8 against 2 of 8 on the real scans, docs/metadata.md).
	dcfg := cfg
	dcfg.PSM, dcfg.Languages, dcfg.Whitelist = 7, cfg.Languages[:1], "0123456789"
	if slices.Contains(cfg.Languages, "eng") {
		dcfg.Languages = []string{"eng"}
	}
	return func() (ocr.Engine, error) { return tesseract.New(cfg) }, func() (ocr.Engine, error) { return tesseract.New(bcfg) },
		func() (ocr.Engine, error) { return tesseract.New(dcfg) }, nil
}

func defaultConcurrency() int { return runtime.NumCPU() }

// progressPrinter shows a batch's progress: a bar redrawn in place on a
// terminal, a line every few seconds otherwise.
type progressPrinter struct {
	w     io.Writer
	tty   bool
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer) *progressPrinter {
	return &progressPrinter{w: w, start: time.Now(), tty: isTerminal(w)}
}

func (p *progressPrinter) update(c farm.Progress) {
	now := time.Now()
	finished := c.Done + c.Failed + c.Cancelled
	elapsed := now.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(finished) / elapsed
	}
	line := fmt.Sprintf("%d/%d pages  done %d  failed %d  %.2f pages/s", finished, c.Pages, c.Done, c.Failed, rate)
	if c.Split < c.Sources {
		line += fmt.Sprintf("  (reading files %d/%d)", c.Split, c.Sources)
	} else if rate > 0 && finished < c.Pages {
		eta := time.Duration(float64(c.Pages-finished)/rate) * time.Second
		line += "  ETA " + eta.Round(time.Second).String()
	}
	if p.tty {
		const width = 30
		fill := 0
		if c.Pages > 0 {
			fill = width * finished / c.Pages
		}
		fmt.Fprintf(p.w, "\r\033[K[%s%s] %s", strings.Repeat("#", fill), strings.Repeat(".", width-fill), line)
		p.shown = true
		return
	}
	if now.Sub(p.last) >= 5*time.Second || finished == c.Pages && c.Split >= c.Sources {
		fmt.Fprintln(p.w, line)
		p.last = now
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}

func (p *progressPrinter) finish() {
	if p.tty && p.shown {
		fmt.Fprintln(p.w)
	}
}

// waitBatch follows a batch until it finishes, showing progress on w.
func waitBatch(ctx context.Context, r *farm.Reader, id string, w io.Writer, quiet bool) (farm.Progress, error) {
	var prog *progressPrinter
	if !quiet {
		prog = newProgress(w)
		defer prog.finish()
	}
	var final farm.Progress
	err := r.Watch(ctx, id, time.Second, func(c farm.Progress) bool {
		if prog != nil {
			prog.update(c)
		}
		final = c
		return !c.Finished()
	})
	return final, err
}

// summarize prints the outcome of a finished batch and returns the error
// that gives the exit code.
func summarize(w io.Writer, m *batch.Manifest, where string, elapsed time.Duration) error {
	c := m.Counts
	fmt.Fprintf(w, "Batch %s: %s. %d pages: %d done, %d failed", m.ID, m.Status, c.Pages, c.Done, c.Failed)
	if c.Blank > 0 {
		fmt.Fprintf(w, ", %d blank", c.Blank)
	}
	if elapsed > 0 {
		fmt.Fprintf(w, ", in %s (%.2f pages/s)", elapsed.Round(100*time.Millisecond), float64(c.Pages)/elapsed.Seconds())
	}
	fmt.Fprintln(w, ".")
	for _, a := range m.Alerts {
		fmt.Fprintf(w, "!!! ATTENTION: %s\n", a)
	}
	if where != "" {
		fmt.Fprintf(w, "Results: %s\n", where)
	}
	var failed []batch.Page
	for _, p := range m.Pages {
		if p.Status == batch.StateFailed {
			failed = append(failed, p)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintln(w, "Failed pages:")
		for i, p := range failed {
			if i == 20 {
				fmt.Fprintf(w, "  ... and %d more (see batch.json)\n", len(failed)-20)
				break
			}
			fmt.Fprintf(w, "  - %s\n", p.Error)
		}
	}
	switch m.Status {
	case batch.StatusDone:
		return nil
	case batch.StatusCancelled:
		return &codeError{exitCancelled, errors.New("")}
	}
	return &codeError{exitFailed, errors.New("")}
}

// stageOptions are the optional parts of the stages a command runs
// (worker, run).
type stageOptions struct {
	engine     func() (ocr.Engine, error)
	block      func() (ocr.Engine, error)
	digits     func() (ocr.Engine, error)
	cleanup    cleanup.Options
	secondPass float64
	color      int
	name       string
	stages     map[string]queue.Options
	observer   workers.Observer
	webhooks   []webhook.Target
	sources    *source.Opener
	memory     int64
}

// newStages makes the stages a worker process runs.
func newStages(store storage.Store, rdb redis.UniversalClient, log *slog.Logger, o stageOptions) (*workers.Stages, error) {
	return workers.New(workers.Config{
		Store: store, Redis: rdb, Logger: log, NewEngine: o.engine, NewBlockEngine: o.block, NewDigitEngine: o.digits, Worker: o.name, Stages: o.stages,
		Observer: o.observer, Webhooks: o.webhooks, Sources: o.sources, MemoryBudget: o.memory, Producer: producer(),
		Cleanup: o.cleanup, SecondPassBelow: o.secondPass, ColorQuality: o.color,
	})
}

// farmConfig is what the farm's roles (uploader, admin, reader) of a
// command are built from: the store, Redis, and the options of the tasks
// they queue (zero: the defaults).
func farmConfig(store storage.Store, rdb redis.UniversalClient, log *slog.Logger, stages map[string]queue.Options) farm.Config {
	return farm.Config{Store: store, Redis: rdb, Logger: log, Stages: stages, Producer: producer()}
}

// producer names sohoa in manifests and events.
func producer() string { return "sohoa " + version }
