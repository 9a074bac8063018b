package workers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/internal/sourcetest"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
	"github.com/sohoa/sohoa/storage/fs"
	"github.com/sohoa/sohoa/workers"
)

// fakeEngine is an ocr.Engine whose behaviour each test sets.
type fakeEngine struct {
	recognize func(ctx context.Context, img []byte) (*ocr.Page, error)
}

func (f *fakeEngine) Recognize(ctx context.Context, img []byte) (*ocr.Page, error) {
	return f.recognize(ctx, img)
}
func (f *fakeEngine) Name() string { return "fake 1.0" }
func (f *fakeEngine) Close() error { return nil }

// onePage returns a page with one line of words, sized like the image.
func onePage(words ...string) func(context.Context, []byte) (*ocr.Page, error) {
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

type harness struct {
	t     *testing.T
	farm  *workers.Farm
	store *fs.Store
	dir   string
}

// newHarness starts Redis, a store and an in-process worker server.
func newHarness(t *testing.T, recognize func(context.Context, []byte) (*ocr.Page, error), stages map[string]queue.Options) *harness {
	t.Helper()
	rdb := redistest.Start(t).Client()
	dir := t.TempDir()
	store, err := fs.New(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	farm, err := workers.New(workers.Config{
		Store: store, Redis: rdb, Logger: log, Worker: "test:1", Stages: stages,
		NewEngine: func() (ocr.Engine, error) { return &fakeEngine{recognize: recognize}, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := workers.NewServer(rdb, workers.ServerConfig{Concurrency: 2, PollInterval: 50 * time.Millisecond, Logger: log})
	if err := srv.Start(farm.Handler()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); farm.Close() })
	return &harness{t: t, farm: farm, store: store, dir: dir}
}

func (h *harness) file(name string, data []byte) workers.Input {
	h.t.Helper()
	p := filepath.Join(h.dir, "in", filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		h.t.Fatal(err)
	}
	return workers.Input{Name: name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) { return os.Open(p) }}
}

// wait waits for the batch to finish and returns its manifest from the store.
func (h *harness) wait(id string) *batch.Manifest {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := h.farm.Tracker().Watch(ctx, id, 100*time.Millisecond, func(c queue.Counts) bool { return !c.Finished() })
	if err != nil {
		h.t.Fatalf("batch %s did not finish: %v", id, err)
	}
	b, err := storage.ReadAll(ctx, h.store, batch.ManifestKey(id))
	if err != nil {
		h.t.Fatal(err)
	}
	var m batch.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		h.t.Fatal(err)
	}
	return &m
}

// testImage draws lines of character-sized marks (10x22 px, as 7 pt
// text at 300 dpi), so cleanup sees text (a page of bars would be blank).
func testImage(t *testing.T, w, h int) image.Image {
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

func pngBytes(t *testing.T, img image.Image, dpi int) []byte {
	t.Helper()
	b, err := ocr.EncodePNG(img, dpi, true)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jpegBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBatchWithGoodAndBadFiles(t *testing.T) {
	t.Parallel()
	h := newHarness(t, onePage("Quyết", "định"), nil)
	img := testImage(t, 400, 200)
	good := pngBytes(t, img, 300)
	inputs := []workers.Input{
		h.file("hồ sơ/trang 1.png", good),
		h.file("notes.tif", []byte("this is a text file, not a TIFF\n")),
		h.file("scan.jpg", jpegBytes(t, img)),
		h.file("truncated.png", good[:len(good)/2]),
		h.file("empty.png", nil),
	}
	id, err := h.farm.Submit(context.Background(), inputs, workers.SubmitOptions{Attrs: map[string]string{"title": "Lô 1"}})
	if err != nil {
		t.Fatal(err)
	}
	m := h.wait(id)
	if m.Status != queue.BatchPartial {
		t.Errorf("status = %q, want %q", m.Status, queue.BatchPartial)
	}
	if m.Counts.Pages != 5 || m.Counts.Done != 2 || m.Counts.Failed != 3 {
		t.Errorf("counts = %+v, want 5 pages, 2 done, 3 failed", m.Counts)
	}
	if m.Attrs["title"] != "Lô 1" {
		t.Errorf("attrs = %v, want the title", m.Attrs)
	}
	wantErr := map[string]string{
		"notes.tif":     "notes.tif: not an image: text/plain",
		"truncated.png": "truncated.png, page 1: truncated PNG: the image data ends early",
		"empty.png":     "empty.png: empty file",
	}
	var order []string
	for _, p := range m.Pages {
		order = append(order, p.Source)
		if want, bad := wantErr[p.Source]; bad {
			if p.Status != queue.StateFailed || !strings.HasPrefix(p.Error, want) {
				t.Errorf("page of %s: status %q error %q, want failed with %q", p.Source, p.Status, p.Error, want)
			}
			continue
		}
		if p.Status != queue.StateDone {
			t.Errorf("page of %s: status %q (%s), want done", p.Source, p.Status, p.Error)
			continue
		}
		if p.Worker != "test:1" || p.Confidence != 90 || p.Words != 2 {
			t.Errorf("page of %s: worker %q confidence %v words %d", p.Source, p.Worker, p.Confidence, p.Words)
		}
		for name, key := range map[string]string{"text": p.Text, "hocr": p.HOCR, "image": p.Image} {
			b, err := storage.ReadAll(context.Background(), h.store, key)
			if err != nil {
				t.Fatalf("%s of %s: %v", name, p.Source, err)
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != p.SHA256[name] {
				t.Errorf("%s of %s: sha256 %s, manifest says %s", name, p.Source, got, p.SHA256[name])
			}
		}
		text, _ := storage.ReadAll(context.Background(), h.store, p.Text)
		if string(text) != "Quyết định\n" {
			t.Errorf("text of %s = %q", p.Source, text)
		}
	}
	// One searchable PDF per source with a page read; none for the rest.
	var docs []string
	for _, d := range m.Documents {
		docs = append(docs, d.Source)
		b, err := storage.ReadAll(context.Background(), h.store, d.PDF)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("document %s: %v (%d bytes)", d.Source, err, len(b))
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != d.SHA256 {
			t.Errorf("document %s: sha256 differs from the manifest", d.Source)
		}
	}
	if got := strings.Join(docs, ", "); got != "hồ sơ/trang 1.png, scan.jpg" {
		t.Errorf("documents = %q", got)
	}
	// One-page sources' documents were made when their page was read, by
	// the worker that read it, not all by finalize.
	attrs, err := h.farm.Tracker().Attrs(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Documents {
		if attrs["_prebuilt:"+d.SourceID] == "" {
			t.Errorf("document %s was not made early", d.Source)
		}
	}
	wantOrder := "hồ sơ/trang 1.png notes.tif scan.jpg truncated.png empty.png"
	if got := strings.Join(order, " "); got != wantOrder {
		t.Errorf("pages in order %q, want %q", got, wantOrder)
	}
	// The sources are kept byte for byte.
	for i, in := range inputs {
		rc, _ := in.Open()
		want, _ := io.ReadAll(rc)
		rc.Close()
		got, err := storage.ReadAll(context.Background(), h.store, m.Sources[i].Key)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("source %s not kept byte for byte (err %v)", m.Sources[i].Name, err)
		}
	}
}

func TestPanicFailsOnlyThatPage(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := newHarness(t, func(ctx context.Context, img []byte) (*ocr.Page, error) {
		if calls.Add(1) == 1 {
			panic("index out of range [7] with length 3")
		}
		return onePage("ok")(ctx, img)
	}, map[string]queue.Options{queue.QueueOCR: {MaxRetry: 1}})
	// One page at a time so the first OCR call is the first page.
	img := pngBytes(t, testImage(t, 400, 200), 300)
	id, err := h.farm.Submit(context.Background(), []workers.Input{h.file("a.png", img)}, workers.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.wait(id)
	if m.Pages[0].Status != queue.StateFailed || !strings.Contains(m.Pages[0].Error, "a.png, page 1: internal error in the ocr stage") {
		t.Errorf("page = %q %q, want failed with an internal error message", m.Pages[0].Status, m.Pages[0].Error)
	}
	id2, err := h.farm.Submit(context.Background(), []workers.Input{h.file("b.png", img)}, workers.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m := h.wait(id2); m.Status != queue.BatchDone {
		t.Errorf("the next batch: status %q, want done", m.Status)
	}
}

func TestTransientErrorIsRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := newHarness(t, func(ctx context.Context, img []byte) (*ocr.Page, error) {
		if calls.Add(1) == 1 {
			return nil, errors.New("connection reset by peer")
		}
		return onePage("ok")(ctx, img)
	}, nil)
	id, err := h.farm.Submit(context.Background(), []workers.Input{h.file("a.png", pngBytes(t, testImage(t, 400, 200), 300))}, workers.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.wait(id)
	if m.Status != queue.BatchDone {
		t.Fatalf("status %q, want done after a retry (page error %q)", m.Status, m.Pages[0].Error)
	}
	var rec batch.Record
	b, _ := storage.ReadAll(context.Background(), h.store, m.Pages[0].Record)
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Attempt != 2 {
		t.Errorf("record attempt = %d, want 2", rec.Attempt)
	}
}

func TestPixelLimitCheckedBeforeDecoding(t *testing.T) {
	t.Parallel()
	h := newHarness(t, onePage("x"), nil)
	// A valid PNG header claiming 100000x100000 pixels, and nothing else.
	hdr := pngBytes(t, image.NewGray(image.Rect(0, 0, 1, 1)), 0)[:33]
	hdr[16], hdr[17], hdr[18], hdr[19] = 0x00, 0x01, 0x86, 0xa0 // width 100000
	hdr[20], hdr[21], hdr[22], hdr[23] = 0x00, 0x01, 0x86, 0xa0 // height 100000
	binary.BigEndian.PutUint32(hdr[29:], crc32.ChecksumIEEE(hdr[12:29]))
	id, err := h.farm.Submit(context.Background(), []workers.Input{h.file("huge.png", hdr)}, workers.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.wait(id)
	want := "huge.png, page 1: image 100000x100000 exceeds the 200-megapixel limit"
	if m.Pages[0].Error != want {
		t.Errorf("error = %q, want %q", m.Pages[0].Error, want)
	}
}

// A zip's entries become sources named after the zip; an entry whose path
// leaves the archive is refused with its reason and nothing is written
// outside the store.
func TestZipEntriesBecomeSources(t *testing.T) {
	t.Parallel()
	h := newHarness(t, onePage("Tờ", "trình"), nil)
	img := pngBytes(t, testImage(t, 400, 200), 300)
	z := sourcetest.Zip(t,
		sourcetest.ZipFile{Name: "hồ sơ 1/trang 1.png", Data: img},
		sourcetest.ZipFile{Name: "../../x", Data: img},
		sourcetest.ZipFile{Name: "__MACOSX/._trang 1.png", Data: []byte("junk")},
		sourcetest.ZipFile{Name: "trang 2.png", Data: img, Store: true},
	)
	id, err := h.farm.Submit(context.Background(), []workers.Input{h.file("lô 3.zip", z)}, workers.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.wait(id)
	var got []string
	for _, p := range m.Pages {
		got = append(got, p.Source+" "+p.Status)
		if p.Status == queue.StateFailed && !strings.Contains(p.Error, `lô 3.zip: entry "../../x" refused`) {
			t.Errorf("refused entry's error = %q", p.Error)
		}
	}
	want := "lô 3.zip/hồ sơ 1/trang 1.png done, lô 3.zip/trang 2.png done, lô 3.zip/../../x failed"
	if strings.Join(got, ", ") != want {
		t.Errorf("pages = %q, want %q", strings.Join(got, ", "), want)
	}
	if m.Status != queue.BatchPartial {
		t.Errorf("status %s, want partial", m.Status)
	}
	// Nothing escaped: no file named x anywhere above the store.
	filepath.WalkDir(h.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "x" {
			t.Errorf("the refused entry was written: %s", p)
		}
		return nil
	})
	for _, s := range m.Sources {
		if s.Parent == "0000" && s.Key != "" && !strings.HasPrefix(s.Key, batch.Prefix(id)+"archives/0000/") {
			t.Errorf("entry stored at %s", s.Key)
		}
	}
}
