// Package farmtest runs a whole farm inside a test: a private
// redis-server, a folder store, the stages with a fake OCR engine on an
// in-process worker server, and the farm's roles (uploader, admin,
// reader) over them. The tests of workers, farm and api use it; real
// Tesseract runs in cmd/sohoa's end-to-end tests.
package farmtest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage/batch"
	"github.com/sohoa/sohoa/storage/fs"
	"github.com/sohoa/sohoa/workers"
)

// Options configure a test farm. The zero value reads every page as one
// line "ok".
type Options struct {
	// Recognize is the fake engine's reading of a page image. Nil:
	// OnePage("ok").
	Recognize func(ctx context.Context, img []byte) (*ocr.Page, error)
	// NewEngine replaces the fake engine altogether.
	NewEngine func() (ocr.Engine, error)
	// Stages are the options of the tasks queued (retries, timeouts).
	Stages map[string]queue.Options
	// Limits bound uploads and the pages read.
	Limits source.Limits
	// Webhooks receive every batch's completion event.
	Webhooks []webhook.Target
	// WebhookBackoff is the delay between webhook attempts. Nil: the
	// production schedule.
	WebhookBackoff func(n int, err error) time.Duration
}

// Farm is a running test farm; it stops when the test ends.
type Farm struct {
	T     *testing.T
	Redis redis.UniversalClient
	Store *fs.Store
	// StoreDir is the store's folder; Dir a folder for the test's files.
	StoreDir, Dir string
	Log           *slog.Logger
	Stages        *workers.Stages
	Uploader      *farm.Uploader
	Admin         *farm.Admin
	Reader        *farm.Reader
}

// Start starts a farm for t.
func Start(t *testing.T, o Options) *Farm {
	t.Helper()
	rdb := redistest.Start(t).Client()
	dir := t.TempDir()
	storeDir := filepath.Join(dir, "store")
	store, err := fs.New(storeDir)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	newEngine := o.NewEngine
	if newEngine == nil {
		rec := o.Recognize
		if rec == nil {
			rec = OnePage("ok")
		}
		newEngine = func() (ocr.Engine, error) { return &Engine{Read: rec}, nil }
	}
	stages, err := workers.New(workers.Config{Store: store, Redis: rdb, Logger: log, Worker: "test:1", Stages: o.Stages,
		Sources: &source.Opener{Limits: o.Limits}, NewEngine: newEngine, Webhooks: o.Webhooks,
		ColorQuality: workers.DefaultColorQuality, SecondPassBelow: workers.DefaultSecondPassBelow})
	if err != nil {
		t.Fatal(err)
	}
	srv := workers.NewServer(rdb, workers.ServerConfig{Concurrency: 2, PollInterval: 50 * time.Millisecond, Logger: log,
		WebhookBackoff: o.WebhookBackoff})
	if err := srv.Start(stages.Handler()); err != nil {
		t.Fatal(err)
	}
	cfg := farm.Config{Store: store, Redis: rdb, Stages: o.Stages, Limits: o.Limits, Name: "test:1", Logger: log}
	uploader, err := farm.NewUploader(cfg)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := farm.NewAdmin(cfg)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := farm.NewReader(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Shutdown()
		stages.Close()
		uploader.Close()
		admin.Close()
	})
	return &Farm{T: t, Redis: rdb, Store: store, StoreDir: storeDir, Dir: dir, Log: log, Stages: stages,
		Uploader: uploader, Admin: admin, Reader: reader}
}

// File writes data to a file of the test and returns it as an input
// named name.
func (f *Farm) File(name string, data []byte) farm.Input {
	f.T.Helper()
	p := filepath.Join(f.Dir, "in", filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		f.T.Fatal(err)
	}
	return farm.Input{Name: name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) { return os.Open(p) }}
}

// WaitFor waits (30 s at most) until cond holds for the batch's progress.
func (f *Farm) WaitFor(id string, cond func(farm.Progress) bool) {
	f.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.Reader.Watch(ctx, id, 50*time.Millisecond, func(p farm.Progress) bool { return !cond(p) }); err != nil {
		f.T.Fatalf("batch %s: waiting: %v", id, err)
	}
}

// Wait waits (60 s at most) for the batch to finish and returns its
// batch.json from the store.
func (f *Farm) Wait(id string) *batch.Manifest {
	f.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := f.Reader.Watch(ctx, id, 100*time.Millisecond, func(p farm.Progress) bool { return !p.Finished() })
	if err != nil {
		f.T.Fatalf("batch %s did not finish: %v", id, err)
	}
	m, err := batch.Read(ctx, f.Store, id)
	if err != nil {
		f.T.Fatal(err)
	}
	return m
}

// Engine is a fake ocr.Engine: Read reads each page.
type Engine struct {
	Read func(ctx context.Context, img []byte) (*ocr.Page, error)
}

// Recognize implements ocr.Engine.
func (e *Engine) Recognize(ctx context.Context, img []byte) (*ocr.Page, error) {
	return e.Read(ctx, img)
}

// Name implements ocr.Engine.
func (e *Engine) Name() string { return "fake 1.0" }

// Close implements ocr.Engine.
func (e *Engine) Close() error { return nil }

// OnePage reads every page as one line of words, sized like the image.
func OnePage(words ...string) func(context.Context, []byte) (*ocr.Page, error) {
	return func(_ context.Context, img []byte) (*ocr.Page, error) {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return nil, err
		}
		var ws []ocr.Word
		for i, w := range words {
			ws = append(ws, ocr.Word{Text: w, BBox: image.Rect(10+i*100, 10, 90+i*100, 40), Conf: 90})
		}
		return &ocr.Page{Width: cfg.Width, Height: cfg.Height, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{Words: ws}}}}}}}, nil
	}
}

// Image draws lines of character-sized marks (10x22 px, as 7 pt text at
// 300 dpi), so cleanup sees text (a page of bars would be blank).
func Image(t *testing.T, w, h int) image.Image {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := uint8(255)
			if y%50 >= 15 && y%50 < 37 && y+15 < h && x >= 15 && x+15 < w && (x-15)%16 < 10 {
				c = 30
			}
			img.Set(x, y, color.RGBA{c, c, c, 255})
		}
	}
	return img
}

// PNG encodes img with its resolution.
func PNG(t *testing.T, img image.Image, dpi int) []byte {
	t.Helper()
	b, err := ocr.EncodePNG(img, dpi, true)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// JPEG encodes img (no resolution recorded).
func JPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
