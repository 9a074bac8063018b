package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/eval"
	"github.com/sohoa/sohoa/ocr/source/leptonica"
	"github.com/sohoa/sohoa/ocr/tesseract"
	"github.com/sohoa/sohoa/storage/batch"
	"github.com/sohoa/sohoa/storage/fs"
)

// cmdBench measures sohoa against plain tesseract on the same pages in the
// same run, the throughput of 1 and 2 worker processes, and peak memory.
// It writes a Markdown report (docs/benchmarks.md).
func cmdBench(ctx context.Context, args []string, e *env) error {
	fset := newFlagSet("bench", "[--set DIR]... [--mixed N [--seed S]] [--out FILE] [flags]", e)
	var sets multiFlag
	fset.Var(&sets, "set", "a folder of pages with .txt ground truth (repeatable; default without --mixed: samples/pages and samples/degraded)")
	corpus := fset.String("corpus", "", "also score the real scans in this folder (e.g. ../shared/corpus/real; evaluation only)")
	out := fset.String("out", "", "write the Markdown report to this file (default: stdout)")
	concurrency := fset.Int("concurrency", runtime.NumCPU(), "parallelism for both sohoa and plain tesseract")
	throughput := fset.Bool("throughput", true, "measure 1 vs 2 worker processes (needs redis-server)")
	memory := fset.Bool("memory", true, "measure peak RSS on a 600 dpi A3 colour page")
	ocrmypdf := fset.Bool("ocrmypdf", false, "also run OCRmyPDF --rotate-pages --deskew --clean on the degraded set (slow)")
	mixedN := fset.Int("mixed", 0, "also generate and measure a randomised mixed-damage set of this many pages (samples/mixed)")
	seed := fset.Uint64("seed", 0, "the mixed set's seed (default: drawn at run time from 10000 up, printed in the report)")
	mixedOut := fset.String("mixed-out", "", "keep the mixed set's pages in this folder (default: a temporary folder)")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if len(sets) == 0 && *mixedN == 0 {
		sets = multiFlag{"samples/pages", "samples/degraded"}
	}
	if _, err := exec.LookPath("tesseract"); err != nil {
		return fmt.Errorf("bench needs the tesseract command (apt-get install tesseract-ocr): %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "sohoa-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	var rep bytes.Buffer
	fmt.Fprintf(&rep, "# Benchmarks\n\nMeasured by `sohoa bench` (`make bench`) on %s: %s, %d cores, tesseract %s, sohoa %s. "+
		"Both sides run with `OMP_THREAD_LIMIT=1` and the same parallelism (%d pages at once). Regenerate with `make bench`; "+
		"every number here comes from that run.\n\n", time.Now().UTC().Format("2006-01-02"), cpuModel(), runtime.NumCPU(),
		tesseract.Version(), version, *concurrency)
	fmt.Fprintf(&rep, "CER: character error rate after NFC, folded quotes/dashes and collapsed whitespace (`ocr/eval`). "+
		"Plain tesseract is `tesseract IMAGE stdout --psm 3 -l vie` for Vietnamese pages (`-l eng` for English ones), "+
		"its best setting on each. sohoa is `sohoa run` with its defaults (`--lang vie+eng`), embedded Redis included in its time.\n\n")

	all := append([]string{}, sets...)
	if *corpus != "" {
		dirs, err := corpusDirs(*corpus)
		if err != nil {
			return err
		}
		all = append(all, dirs...)
	}
	for _, dir := range all {
		fmt.Fprintf(e.stderr, "bench: %s\n", dir)
		if err := benchSet(ctx, &rep, self, work, dir, *concurrency, *ocrmypdf && strings.Contains(dir, "degraded"), e); err != nil {
			return fmt.Errorf("bench %s: %w", dir, err)
		}
	}
	if *mixedN > 0 {
		s := *seed
		if s == 0 {
			s = evaluationSeed()
		}
		if err := benchMixed(ctx, &rep, self, work, *mixedOut, *mixedN, s, *concurrency, e); err != nil {
			return fmt.Errorf("bench mixed set (seed %d): %w", s, err)
		}
	}
	if len(sets) == 0 {
		*throughput, *memory = false, false // they read the first set's pages
	}
	if *throughput {
		fmt.Fprintf(e.stderr, "bench: throughput\n")
		if err := benchThroughput(ctx, &rep, self, work, sets[0], e); err != nil {
			return fmt.Errorf("bench throughput: %w", err)
		}
	}
	if *memory {
		fmt.Fprintf(e.stderr, "bench: memory\n")
		if err := benchMemory(ctx, &rep, self, work, sets[0]); err != nil {
			return fmt.Errorf("bench memory: %w", err)
		}
	}
	rep.WriteString(benchNotes)
	if *out == "" {
		_, err = e.stdout.Write(rep.Bytes())
		return err
	}
	return os.WriteFile(*out, rep.Bytes(), 0o644)
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// benchPage is one page's measurements.
type benchPage struct {
	name             string
	lang             string
	cerRaw, cerSohoa float64
	recRaw, recSohoa float64
	secRaw           float64
	secSohoa         float64 // cleanup + OCR for this page
	secOCRmyPDF      float64
	cerOCRmyPDF      float64
	notes            string
}

// pagesWithTruth lists images in dir that have a .txt ground truth.
func pagesWithTruth(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, en := range entries {
		ext := strings.ToLower(filepath.Ext(en.Name()))
		switch ext {
		case ".png", ".jpg", ".jpeg", ".tif", ".tiff":
		default:
			continue
		}
		if _, err := os.Stat(strings.TrimSuffix(filepath.Join(dir, en.Name()), filepath.Ext(en.Name())) + ".txt"); err == nil {
			out = append(out, filepath.Join(dir, en.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no images with a .txt ground truth in %s", dir)
	}
	return out, nil
}

func corpusDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, en := range entries {
		if en.IsDir() {
			out = append(out, filepath.Join(root, en.Name()))
		}
	}
	return out, nil
}

func truthOf(img string) string {
	b, _ := os.ReadFile(strings.TrimSuffix(img, filepath.Ext(img)) + ".txt")
	return string(b)
}

// langOf picks plain tesseract's best language for a page from its ground truth.
func langOf(truth string) string {
	p := &ocr.Page{Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{}}}}}}}
	for _, w := range strings.Fields(truth) {
		p.Blocks[0].Paragraphs[0].Lines[0].Words = append(p.Blocks[0].Paragraphs[0].Lines[0].Words, ocr.Word{Text: w})
	}
	if tesseract.LooksLike(p, "vie") {
		return "vie"
	}
	return "eng"
}

func benchSet(ctx context.Context, rep *bytes.Buffer, self, work, dir string, n int, withOCRmyPDF bool, e *env) error {
	pages, err := pagesWithTruth(dir)
	if err != nil {
		return err
	}
	res := make([]benchPage, len(pages))
	for i, p := range pages {
		res[i] = benchPage{name: filepath.Base(p), lang: langOf(truthOf(p))}
	}
	// Plain tesseract, n pages at once.
	start := time.Now()
	err = parallel(len(pages), n, func(i int) error {
		t0 := time.Now()
		cmd := exec.CommandContext(ctx, "tesseract", pages[i], "stdout", "--psm", "3", "-l", res[i].lang)
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("tesseract %s: %w", pages[i], err)
		}
		res[i].secRaw = time.Since(t0).Seconds()
		res[i].cerRaw = eval.CER(truthOf(pages[i]), string(out))
		res[i].recRaw, _ = eval.BagOfWords(truthOf(pages[i]), string(out))
		return nil
	})
	if err != nil {
		return err
	}
	rawWall := time.Since(start)

	// sohoa run on the same pages.
	// A fresh folder per set: two sets may share a base name.
	storeDir, err := os.MkdirTemp(work, "run-"+filepath.Base(dir)+"-")
	if err != nil {
		return err
	}
	start = time.Now()
	args := append([]string{"run", "--quiet", "--out", storeDir, "--concurrency", strconv.Itoa(n)}, pages...)
	cmd := exec.CommandContext(ctx, self, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitFailed {
			return fmt.Errorf("sohoa run: %w\n%s", err, stderr.String())
		}
	}
	sohoaWall := time.Since(start)
	m, err := findManifest(storeDir)
	if err != nil {
		return err
	}
	for _, pg := range m.Pages {
		i := slices.IndexFunc(res, func(b benchPage) bool { return b.name == filepath.Base(pg.Source) })
		if i < 0 {
			continue
		}
		text, _ := os.ReadFile(filepath.Join(storeDir, filepath.FromSlash(pg.Text)))
		res[i].cerSohoa = eval.CER(truthOf(pages[i]), string(text))
		res[i].recSohoa, _ = eval.BagOfWords(truthOf(pages[i]), string(text))
		var rec batch.Record
		if b, err := os.ReadFile(filepath.Join(storeDir, filepath.FromSlash(pg.Record))); err == nil && json.Unmarshal(b, &rec) == nil {
			res[i].secSohoa = rec.Timings["cleanup"] + rec.Timings["ocr"]
			res[i].notes = cleanupNotes(rec.Cleanup)
		}
		if pg.Status != "done" {
			res[i].cerSohoa, res[i].notes = 1, "failed: "+pg.Error
		}
	}
	var myWall time.Duration
	if withOCRmyPDF {
		if _, err := exec.LookPath("ocrmypdf"); err != nil {
			return errors.New("--ocrmypdf: ocrmypdf is not installed (deploy/setup-debian.sh bench)")
		}
		start = time.Now()
		err = parallel(len(pages), n, func(i int) error {
			t0 := time.Now()
			side := filepath.Join(work, fmt.Sprintf("omp-%d.txt", i))
			cmd := exec.CommandContext(ctx, "ocrmypdf", "--rotate-pages", "--deskew", "--clean", "-l", res[i].lang,
				"--image-dpi", "300", "--sidecar", side, "--output-type", "pdf", "--jobs", "1", "-q", pages[i], filepath.Join(work, fmt.Sprintf("omp-%d.pdf", i)))
			cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				res[i].cerOCRmyPDF = math.NaN()
				res[i].notes += " ocrmypdf: " + strings.TrimSpace(lastLines(string(out), 1))
				return nil
			}
			res[i].secOCRmyPDF = time.Since(t0).Seconds()
			text, _ := os.ReadFile(side)
			res[i].cerOCRmyPDF = eval.CER(truthOf(pages[i]), string(text))
			return nil
		})
		if err != nil {
			return err
		}
		myWall = time.Since(start)
	}

	fmt.Fprintf(rep, "## %s\n\n", dir)
	hdr := "| page | lang | CER tesseract | CER sohoa | word recall tesseract | word recall sohoa | s/page tesseract | s/page sohoa (cleanup+OCR) |"
	sep := "|---|---|---:|---:|---:|---:|---:|---:|"
	if withOCRmyPDF {
		hdr += " CER OCRmyPDF | s/page OCRmyPDF |"
		sep += "---:|---:|"
	}
	fmt.Fprintf(rep, "%s cleanup decisions |\n%s---|\n", hdr, sep)
	var sumRaw, sumSohoa, maxRaw, maxSohoa, sumMy float64
	for _, r := range res {
		fmt.Fprintf(rep, "| %s | %s | %.4f | %.4f | %.3f | %.3f | %.2f | %.2f |", r.name, r.lang, r.cerRaw, r.cerSohoa, r.recRaw, r.recSohoa, r.secRaw, r.secSohoa)
		if withOCRmyPDF {
			fmt.Fprintf(rep, " %.4f | %.2f |", r.cerOCRmyPDF, r.secOCRmyPDF)
			sumMy += r.cerOCRmyPDF
		}
		fmt.Fprintf(rep, " %s |\n", r.notes)
		sumRaw += r.cerRaw
		sumSohoa += r.cerSohoa
		maxRaw = max(maxRaw, r.cerRaw)
		maxSohoa = max(maxSohoa, r.cerSohoa)
	}
	k := float64(len(res))
	fmt.Fprintf(rep, "\n**%d pages.** Mean CER: tesseract **%.4f**, sohoa **%.4f**", len(res), sumRaw/k, sumSohoa/k)
	if withOCRmyPDF {
		fmt.Fprintf(rep, ", OCRmyPDF **%.4f**", sumMy/k)
	}
	fmt.Fprintf(rep, ". Worst page: tesseract %.4f, sohoa %.4f. Wall time for the set: tesseract %.1f s, sohoa %.1f s (**%.2fx** tesseract)",
		maxRaw, maxSohoa, rawWall.Seconds(), sohoaWall.Seconds(), sohoaWall.Seconds()/rawWall.Seconds())
	if withOCRmyPDF {
		fmt.Fprintf(rep, ", OCRmyPDF %.1f s", myWall.Seconds())
	}
	fmt.Fprintf(rep, ".\n\n")
	return nil
}

// cleanupNotes summarises a page's cleanup decisions for the table.
func cleanupNotes(raw json.RawMessage) string {
	var r struct {
		Rotation int     `json:"rotation"`
		Skew     float64 `json:"skew"`
		Crop     *[4]int `json:"crop"`
		Scale    float64 `json:"scale"`
		Blank    bool    `json:"blank"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return ""
	}
	var parts []string
	if r.Rotation != 0 {
		parts = append(parts, fmt.Sprintf("rotated %d°", r.Rotation))
	}
	if math.Abs(r.Skew) >= 0.05 {
		parts = append(parts, fmt.Sprintf("deskewed %.1f°", r.Skew))
	}
	if r.Crop != nil {
		parts = append(parts, "cropped")
	}
	if r.Scale != 0 && math.Abs(r.Scale-1) > 0.01 {
		parts = append(parts, fmt.Sprintf("scaled %.2fx", r.Scale))
	}
	if r.Blank {
		parts = append(parts, "blank")
	}
	return strings.Join(parts, ", ")
}

func findManifest(dir string) (*batch.Manifest, error) {
	matches, _ := filepath.Glob(filepath.Join(dir, "batches", "*", "batch.json"))
	if len(matches) != 1 {
		return nil, fmt.Errorf("want one batch in %s, found %d", dir, len(matches))
	}
	store, err := fs.New(dir)
	if err != nil {
		return nil, err
	}
	return batch.Read(context.Background(), store, filepath.Base(filepath.Dir(matches[0])))
}

// parallel runs fn(0..n-1) with at most k at once and returns the first error.
func parallel(n, k int, fn func(int) error) error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(k, 1))
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// benchThroughput runs the same 8 pages through 1 and then 2 worker
// processes (concurrency 1 each) on a private redis-server.
func benchThroughput(ctx context.Context, rep *bytes.Buffer, self, work, dir string, e *env) error {
	pages, err := pagesWithTruth(dir)
	if err != nil {
		return err
	}
	for len(pages) < 8 {
		pages = append(pages, pages...)
	}
	pages = pages[:8]
	// Distinct file names so the batch has 8 sources.
	in := filepath.Join(work, "tp-in")
	os.MkdirAll(in, 0o755)
	for i, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("p%d%s", i, filepath.Ext(p))), b, 0o644); err != nil {
			return err
		}
	}
	redisURL, stopRedis, err := startRedis(work)
	if err != nil {
		return err
	}
	defer stopRedis()

	type result struct {
		workers int
		wall    time.Duration
		busy    float64 // sum of cleanup+OCR seconds over pages
		rssKB   []int64
	}
	var results []result
	for _, nw := range []int{1, 2} {
		store := filepath.Join(work, fmt.Sprintf("tp-store-%d", nw))
		var procs []*exec.Cmd
		for w := range nw {
			cmd := exec.CommandContext(ctx, self, "worker", "--redis", redisURL, "--store", store, "--concurrency", "1",
				"--name", fmt.Sprintf("bench-%d", w), "--log-level", "warn")
			cmd.Stderr = io.Discard
			if err := cmd.Start(); err != nil {
				return err
			}
			procs = append(procs, cmd)
		}
		time.Sleep(time.Second) // workers load their models
		start := time.Now()
		sub := exec.CommandContext(ctx, self, "submit", "--redis", redisURL, "--store", store, "--wait", "--quiet", in)
		var serr bytes.Buffer
		sub.Stderr = &serr
		if err := sub.Run(); err != nil {
			return fmt.Errorf("submit with %d workers: %w\n%s", nw, err, serr.String())
		}
		r := result{workers: nw, wall: time.Since(start)}
		for _, p := range procs {
			r.rssKB = append(r.rssKB, vmHWM(p.Process.Pid))
			p.Process.Signal(syscall.SIGTERM)
			p.Wait()
		}
		m, err := findManifest(store)
		if err != nil {
			return err
		}
		for _, pg := range m.Pages {
			var rec batch.Record
			if b, err := os.ReadFile(filepath.Join(store, filepath.FromSlash(pg.Record))); err == nil && json.Unmarshal(b, &rec) == nil {
				r.busy += rec.Timings["cleanup"] + rec.Timings["ocr"]
			}
		}
		results = append(results, r)
	}
	fmt.Fprintf(rep, "## Throughput: 1 and 2 worker processes\n\nThe same 8 pages (from %s), `sohoa submit --wait` against `sohoa worker --concurrency 1` processes "+
		"sharing a private redis-server and a folder store, on this %d-core machine.\n\n", dir, runtime.NumCPU())
	fmt.Fprintf(rep, "| workers | wall time | pages/minute | speed-up | queue overhead per page | peak RSS per worker |\n|---:|---:|---:|---:|---:|---|\n")
	for _, r := range results {
		overhead := (r.wall.Seconds()*float64(r.workers) - r.busy) / 8
		var rss []string
		for _, kb := range r.rssKB {
			rss = append(rss, fmt.Sprintf("%d MB", kb/1024))
		}
		fmt.Fprintf(rep, "| %d | %.1f s | %.1f | %.2fx | %.2f s | %s |\n", r.workers, r.wall.Seconds(), 8/r.wall.Minutes(),
			results[0].wall.Seconds()/r.wall.Seconds(), overhead, strings.Join(rss, ", "))
	}
	fmt.Fprintf(rep, "\nQueue overhead per page = (wall time x workers - time spent in cleanup and OCR) / pages: the time a worker "+
		"is not reading a page (splitting, queueing, polling, storing, the manifest, model loading).\n\n")
	return nil
}

// startRedis starts a private redis-server on a free port.
func startRedis(work string) (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := filepath.Join(work, "redis")
	os.MkdirAll(dir, 0o755)
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir)
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("redis-server (apt-get install redis-server): %w", err)
	}
	url := fmt.Sprintf("redis://127.0.0.1:%d", port)
	for range 100 {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return url, func() { cmd.Process.Kill(); cmd.Wait() }, nil
}

// vmHWM is a process's peak resident set size in KB (0 if unknown).
func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// benchMemory runs sohoa on one 600 dpi A3 colour page (a sample page
// enlarged onto yellowed paper, LZW TIFF as scanners write it) and reports
// the process's peak RSS.
func benchMemory(ctx context.Context, rep *bytes.Buffer, self, work, pages string) error {
	const w, h = 7016, 9921 // A3 at 600 dpi
	f, err := os.Open(filepath.Join(pages, "quyet-dinh-clean.png"))
	if err != nil {
		return err
	}
	src, err := png.Decode(f)
	f.Close()
	if err != nil {
		return err
	}
	// The A4 300 dpi page, enlarged 2x (600 dpi), on an A3 sheet of
	// slightly uneven cream paper with a red stamp-coloured block.
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	sb := src.Bounds()
	ox, oy := (w-2*sb.Dx())/2, (h-2*sb.Dy())/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			paper := color.RGBA{uint8(238 - (x+y)/1200), uint8(228 - (x+y)/1400), 200, 255}
			c := paper
			sx, sy := (x-ox)/2, (y-oy)/2
			if sx >= 0 && sy >= 0 && sx < sb.Dx() && sy < sb.Dy() {
				g := color.GrayModel.Convert(src.At(sb.Min.X+sx, sb.Min.Y+sy)).(color.Gray).Y
				k := float64(g) / 255
				c = color.RGBA{uint8(float64(paper.R) * k), uint8(float64(paper.G) * k), uint8(float64(paper.B) * k), 255}
			}
			if x > w*3/5 && x < w*3/5+900 && y > h*3/4 && y < h*3/4+900 && (x/30+y/30)%3 == 0 {
				c = color.RGBA{200, 30, 40, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	in := filepath.Join(work, "a3-600dpi-colour.tif")
	if err := leptonica.WriteTIFF(in, []leptonica.Page{{Image: img, Compression: leptonica.LZW, DPI: 600}}); err != nil {
		return err
	}
	img = nil
	runtime.GC()
	st, _ := os.Stat(in)
	cmd := exec.CommandContext(ctx, self, "run", "--quiet", "--out", filepath.Join(work, "mem-store"), "--concurrency", "1", in)
	var serr bytes.Buffer
	cmd.Stderr = &serr
	start := time.Now()
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == exitFailed) {
		return fmt.Errorf("sohoa run: %w\n%s", err, serr.String())
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var maxKB int64
	if ru != nil {
		maxKB = ru.Maxrss
	}
	fmt.Fprintf(rep, "## Peak memory: one 600 dpi A3 colour page\n\nA %dx%d RGB TIFF, LZW (%.1f MB on disk, %d MB as RGBA in memory): "+
		"a sample page enlarged onto cream paper with a red block, as a colour scanner writes it. "+
		"`sohoa run --concurrency 1` (split, cleanup, OCR, PDF in one process): peak RSS **%d MB**, %.1f s.\n\n",
		w, h, float64(st.Size())/1e6, w*h*4>>20, maxKB/1024, time.Since(start).Seconds())
	return nil
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return runtime.GOARCH
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// benchNotes explain the tables; they hold no measurement.
const benchNotes = `## Reading the tables

- **Reading order.** The Vietnamese samples' ground truth reads an administrative document's header
  and closing block column by column; plain tesseract reads them row by row, which is most of its CER
  on clean sample pages (the body alone is near 0). sohoa reorders them (docs/store-layout.md).
- **English pages cost two readings.** sohoa reads every page in Vietnamese first and only reads a page
  again with vie+eng when its text does not look Vietnamese; the real corpus's English scans
  (scribeocr, tesseract-ocr-test) therefore take two OCR passes, plus the alternate-profile pass for
  pages under 90% mean confidence. That is the price of Vietnamese-first; Vietnamese pages take one.
- **Colour originals cost a colour version.** A page scanned in colour (stain.jpg, yellow.jpg, combo.jpg,
  ...) also gets color.jpg, its colours cut and turned as image.png and JPEG-encoded for the PDF
  (docs/pdf.md): part of the cleanup time above (go test -bench Color ./ocr/cleanup: 0.16 s for a
  straight A4 300 dpi page decoded from a JPEG, 0.26 s skewed, before encoding).
- **Held-out pages.** ` + "`make bench`" + ` also runs the sets ` + "`go run ./samples/gen -heldout`" + ` makes (not committed):
  the same documents, faces and damage as samples/ combined differently, with other skew angles, for
  checking that cleanup was not tuned to the sample pages.
- **Randomised mixed-damage set.** ` + "`--mixed N`" + ` draws N new pages at run time from a seed printed in its
  heading (` + "`samples/mixed`" + `, not committed): Vietnamese administrative documents, prose, two-column, table,
  list, English, near-empty and blank pages, typeset by Chromium in twelve fonts samples/gen does not use,
  10-14 pt, line spacing 1.0-1.8, rasterised by poppler at 150-300 dpi, then damaged with several of: quarter
  turns, skew up to 12°, blur, noise, specks, stains, grey paper, faint ink, yellowed paper, bleed-through,
  JPEG artefacts, uneven light, scanner borders; saved as PNG (8 and 16-bit), JPEG or TIFF (LZW, Deflate,
  Group 4). Each page's description (` + "`NNN-KIND.meta.json`" + `) says what was done. The report gives the CER
  distribution (mean, p90, max), the share of pages over 0.10, **review recall** (the share of those whose
  batch.json entry has ` + "`\"review\": true`" + `) and **false reviews** (the share of pages at CER ≤ 0.02 that have
  it), by kind and page by page with the page's ` + "`flags`" + ` and mean word confidence.
- **Small sets.** A few pages are dominated by fixed costs (process start, models, the PDFs and
  metadata of the finalize stage); compare wall times on the larger sets.
- **Corpus caveats** (../shared/corpus/real/SOURCES.md): deposition_01, table_05, table_09 and
  multicol_05 are multi-column or 4-up pages whose ground truth follows its own reading order (plain CER
  there mostly measures order; word recall is the fairer figure); table_05's ground truth is partial.
- **OCRmyPDF** is run as ` + "`ocrmypdf --rotate-pages --deskew --clean -l vie --image-dpi 300 --jobs 1`" + `, its text
  from ` + "`--sidecar`" + `, with the same parallelism.
`
