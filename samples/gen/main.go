// Command gen renders the project's sample page images: fictional
// Vietnamese administrative documents laid out as Decree 30/2020/NĐ-CP
// prescribes, printed on A4 at 300 dpi, with deterministic degradations,
// and writes their ground truth (text in reading order, header metadata),
// a manifest and a README.
//
//	go run ./samples/gen -out samples
//
// Output is byte-for-byte reproducible: fixed seeds, no clocks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("gen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "samples", "output root; sets go to its pages/, degraded/ and documents/")
	only := fl.String("only", "", "comma-separated output names to render (for development; skips MANIFEST.tsv and README.md)")
	workers := fl.Int("j", runtime.NumCPU(), "pages rendered in parallel")
	heldOut := fl.Bool("heldout", false, "render the held-out evaluation pages instead (never into samples/; no README.md)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fl.Args())
	}

	docs := corpus()
	ids := make([]string, 0, len(docs))
	for id := range docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := validateDoc(id, docs[id]); err != nil {
			return err
		}
	}

	jobs := plan()
	if *heldOut {
		if filepath.Clean(*out) == "samples" {
			return fmt.Errorf("-heldout: the held-out pages are not committed; give another -out folder")
		}
		jobs = heldOutPlan()
	}
	if *only != "" {
		want := strings.Split(*only, ",")
		jobs = slices.DeleteFunc(jobs, func(j job) bool { return !slices.Contains(want, j.Name) })
		if len(jobs) == 0 {
			return fmt.Errorf("-only %q matches no output", *only)
		}
	}
	for _, set := range []string{"pages", "degraded", "documents"} {
		if err := os.MkdirAll(filepath.Join(*out, set), 0o755); err != nil {
			return fmt.Errorf("make output directory: %w", err)
		}
	}

	lib := newFontLib()
	outs := make([]output, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, *workers) {
		wg.Go(func() {
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				outs[i], errs[i] = runJob(lib, docs, *out, jobs[i])
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, o := range outs {
		fmt.Fprintf(stdout, "%-40s %4d dpi %dx%d %s\n", o.File, o.DPI, o.Width, o.Height, o.Font)
	}
	if *only != "" {
		return nil
	}
	if err := writeFileAtomic(filepath.Join(*out, "MANIFEST.tsv"), manifest(outs)); err != nil {
		return err
	}
	if *heldOut {
		return nil
	}
	return writeFileAtomic(filepath.Join(*out, "README.md"), []byte(readme))
}

// manifest lists the outputs as tab-separated values with a header row.
func manifest(outs []output) []byte {
	var b strings.Builder
	b.WriteString("file\tset\tkind\tdoc_type\tfont\tdpi\twidth\theight\n")
	for _, o := range outs {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", o.File, o.Set, o.Kind, o.Type, o.Font, o.DPI, o.Width, o.Height)
	}
	return []byte(b.String())
}
