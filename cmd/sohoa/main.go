// Command sohoa is the digitisation farm: one binary with subcommands to
// run the whole farm on one machine, run workers, submit batches, follow
// them, serve the HTTP API and export results. See docs/cli.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/sohoa/sohoa/ocr/tesseract"
)

func main() {
	if err := tesseract.EnsureProcessEnv(); err != nil {
		fmt.Fprintf(os.Stderr, "sohoa: warning: could not set OMP_THREAD_LIMIT=1 (OCR will be slower): %v\n", err)
	}
	err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// Exit codes (docs/cli.md).
const (
	exitOK        = 0
	exitError     = 1 // the command could not do its work
	exitUsage     = 2 // bad flags or arguments
	exitFailed    = 3 // the batch finished, but some (or all) pages failed
	exitCancelled = 4 // the batch was cancelled
)

// exitError carries an exit code up to main.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &codeError{exitUsage, fmt.Errorf(format, args...)}
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ce *codeError
	if errors.As(err, &ce) {
		if ce.err != nil && ce.err.Error() != "" {
			fmt.Fprintf(stderr, "sohoa: %v\n", ce.err)
		}
		return ce.code
	}
	fmt.Fprintf(stderr, "sohoa: %v\n", err)
	return exitError
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env *env) error
}

// env is what a subcommand talks to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func commands() []command {
	return []command{
		{"run", "OCR files or folders on this machine and wait for the results", cmdRun},
		{"worker", "run a worker that takes tasks from a shared Redis", cmdWorker},
		{"submit", "store files as a new batch and queue it for the workers", cmdSubmit},
		{"status", "show where a batch stands", cmdStatus},
		{"export", "write a finished batch as a BagIt bag", cmdExport},
		{"queues", "show queue depth, latency and rates", cmdQueues},
		{"failed", "list failed pages", cmdFailed},
		{"retry", "queue failed pages again", cmdRetry},
		{"cancel", "cancel a batch", cmdCancel},
		{"repair", "requeue what a batch lost (rebuilding it from the store if Redis lost it)", cmdRepair},
		{"pause", "pause queues (workers stop taking their tasks)", cmdPause},
		{"resume", "resume paused queues", cmdResume},
		{"serve", "serve the HTTP API and the web console", cmdServe},
		{"bench", "measure sohoa against plain tesseract (docs/benchmarks.md)", cmdBench},
		{"version", "print the version", cmdVersion},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	args, err := applyConfigFile(args)
	if err != nil {
		return err
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		if len(args) == 0 {
			return &codeError{exitUsage, errors.New("")}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], e)
		}
	}
	printUsage(stderr)
	return usageErrorf("unknown command %q", args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "sohoa %s: bulk digitisation farm (OCR for Vietnamese archives)\n\nUsage: sohoa COMMAND [flags] [args]\n\nCommands:\n", version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'sohoa COMMAND -h' for a command's flags. Documentation: docs/cli.md\n")
}

var version = "0.1.0-dev"

func cmdVersion(_ context.Context, _ []string, e *env) error {
	fmt.Fprintf(e.stdout, "sohoa %s (tesseract %s)\n", version, tesseract.Version())
	return nil
}
