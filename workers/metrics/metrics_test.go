package metrics_test

import (
	"context"
	"image"
	"image/color"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/storage/fs"
	"github.com/sohoa/sohoa/workers"
	"github.com/sohoa/sohoa/workers/metrics"
)

// engine reads every page as one word.
type engine struct{}

func (engine) Recognize(_ context.Context, img []byte) (*ocr.Page, error) {
	w := ocr.Word{Text: "trang", BBox: image.Rect(10, 10, 90, 40), Conf: 90}
	return &ocr.Page{Width: 400, Height: 200, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{Words: []ocr.Word{w}}}}}}}}, nil
}
func (engine) Name() string { return "test 1.0" }
func (engine) Close() error { return nil }

// page is a PNG page with lines of marks.
func page(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 400, 200))
	for y := range 200 {
		for x := range 400 {
			c := uint8(250)
			if y%50 >= 15 && y%50 < 37 && x >= 15 && x < 385 && (x-15)%16 < 10 {
				c = 30
			}
			img.SetGray(x, y, color.Gray{Y: c})
		}
	}
	b, err := ocr.EncodePNG(img, 300, true)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Finding 8 of issue 18: sohoa_pages_processed_total counts tasks, and its
// HELP says so: a batch of three one-page files counts 3 for ocr and for
// split, and 1 for finalize (one per batch, not its pages).
func TestPagesProcessedCountsTasks(t *testing.T) {
	t.Parallel()
	rdb := redistest.Start(t).Client()
	store, err := fs.New(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := metrics.New(nil)
	stages, err := workers.New(workers.Config{Store: store, Redis: rdb, Logger: log, Observer: m,
		NewEngine: func() (ocr.Engine, error) { return engine{}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer stages.Close()
	uploader, err := farm.NewUploader(farm.Config{Store: store, Redis: rdb, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer uploader.Close()
	srv := workers.NewServer(rdb, workers.ServerConfig{Concurrency: 2, PollInterval: 50 * time.Millisecond, Logger: log})
	if err := srv.Start(stages.Handler()); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	ms, err := metrics.Serve("127.0.0.1:0", m, func(context.Context) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()

	png := page(t)
	var inputs []farm.Input
	for _, name := range []string{"a.png", "b.png", "c.png"} {
		inputs = append(inputs, farm.Input{Name: name, Size: int64(len(png)), Open: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(string(png))), nil
		}})
	}
	if _, err := uploader.Submit(context.Background(), inputs, farm.SubmitOptions{}); err != nil {
		t.Fatal(err)
	}
	finalized := regexp.MustCompile(`(?m)^sohoa_pages_processed_total\{outcome="done",stage="finalize"\} (\d+)$`)
	var body string
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get("http://" + ms.Addr() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body = string(b)
		if finalized.MatchString(body) || time.Now().After(deadline) {
			break
		}
	}
	for stage, want := range map[string]string{"split": "3", "ocr": "3", "finalize": "1"} {
		re := regexp.MustCompile(`(?m)^sohoa_pages_processed_total\{outcome="done",stage="` + stage + `"\} (\d+)$`)
		if got := re.FindStringSubmatch(body); got == nil || got[1] != want {
			t.Errorf("stage %s: %v, want %s", stage, got, want)
		}
	}
	help := regexp.MustCompile(`(?m)^# HELP sohoa_pages_processed_total (.*)$`).FindStringSubmatch(body)
	if help == nil || !strings.Contains(help[1], "a batch for finalize") || !strings.Contains(help[1], "a source file for split") {
		t.Errorf("HELP %q: want it to say what one count is for each stage", help)
	}
}
