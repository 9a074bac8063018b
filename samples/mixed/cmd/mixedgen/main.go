// Command mixedgen writes a randomised mixed-damage evaluation set (see
// samples/mixed):
//
//	go run ./samples/mixed/cmd/mixedgen -seed 7 -n 40 -out /tmp/mixed-7
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/sohoa/sohoa/samples/mixed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mixedgen:", err)
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mixedgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 0, "the set's seed (required; 1-999 for development, 10000 and above are kept for evaluation)")
	n := fs.Int("n", 100, "number of pages")
	first := fs.Int("first", 0, "index of the first page (-first 17 -n 1 makes page 17 alone)")
	out := fs.String("out", "", "output folder (required)")
	kinds := fs.String("kinds", "", "only these kinds, comma-separated ("+kindList()+")")
	clean := fs.Bool("clean", false, "no damage")
	parallel := fs.Int("parallel", 0, "pages made at once (default: CPUs)")
	quiet := fs.Bool("quiet", false, "no progress")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *seed == 0 || *out == "" {
		fs.Usage()
		return errors.New("-seed and -out are required")
	}
	opts := mixed.Options{Seed: *seed, N: *n, First: *first, Out: *out, Clean: *clean, Parallel: *parallel}
	if *kinds != "" {
		for k := range strings.SplitSeq(*kinds, ",") {
			opts.Kinds = append(opts.Kinds, mixed.Kind(strings.TrimSpace(k)))
		}
	}
	if !*quiet {
		opts.Progress = func(done, total int, p *mixed.Page) {
			fmt.Fprintf(stderr, "[%d/%d] %s %s %d dpi %s: %s\n", done, total, p.Image, p.Variant, p.DPI, p.Format, p.DamageSummary())
		}
	}
	set, err := mixed.Generate(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d pages, seed %d (%s), in %s\n", len(set.Pages), set.Seed, set.Version, *out)
	return nil
}

func kindList() string {
	var s []string
	for _, k := range mixed.Kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}
