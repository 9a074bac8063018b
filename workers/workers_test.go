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
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/internal/farmtest"
	"github.com/sohoa/sohoa/internal/sourcetest"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

func TestBatchWithGoodAndBadFiles(t *testing.T) {
	t.Parallel()
	h := farmtest.Start(t, farmtest.Options{Recognize: farmtest.OnePage("Quyết", "định")})
	img := farmtest.Image(t, 400, 200)
	good := farmtest.PNG(t, img, 300)
	inputs := []farm.Input{
		h.File("hồ sơ/trang 1.png", good),
		h.File("notes.tif", []byte("this is a text file, not a TIFF\n")),
		h.File("scan.jpg", farmtest.JPEG(t, img)),
		h.File("truncated.png", good[:len(good)/2]),
		h.File("empty.png", nil),
	}
	id, err := h.Uploader.Submit(context.Background(), inputs, farm.SubmitOptions{Attrs: map[string]string{"title": "Lô 1"}})
	if err != nil {
		t.Fatal(err)
	}
	m := h.Wait(id)
	if m.Status != batch.StatusPartial {
		t.Errorf("status = %q, want %q", m.Status, batch.StatusPartial)
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
			if p.Status != batch.StateFailed || !strings.HasPrefix(p.Error, want) {
				t.Errorf("page of %s: status %q error %q, want failed with %q", p.Source, p.Status, p.Error, want)
			}
			continue
		}
		if p.Status != batch.StateDone {
			t.Errorf("page of %s: status %q (%s), want done", p.Source, p.Status, p.Error)
			continue
		}
		if p.Worker != "test:1" || p.Confidence != 90 || p.Words != 2 {
			t.Errorf("page of %s: worker %q confidence %v words %d", p.Source, p.Worker, p.Confidence, p.Words)
		}
		for name, key := range map[string]string{"text": p.Text, "hocr": p.HOCR, "image": p.Image} {
			b, err := storage.ReadAll(context.Background(), h.Store, key)
			if err != nil {
				t.Fatalf("%s of %s: %v", name, p.Source, err)
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != p.SHA256[name] {
				t.Errorf("%s of %s: sha256 %s, manifest says %s", name, p.Source, got, p.SHA256[name])
			}
		}
		text, _ := storage.ReadAll(context.Background(), h.Store, p.Text)
		if string(text) != "Quyết định\n" {
			t.Errorf("text of %s = %q", p.Source, text)
		}
	}
	// One searchable PDF per source with a page read; none for the rest.
	var docs []string
	for _, d := range m.Documents {
		docs = append(docs, d.Source)
		b, err := storage.ReadAll(context.Background(), h.Store, d.PDF)
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
	early, err := farm.NewTracker(h.Redis).Prebuilt(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Documents {
		if _, ok := early[d.SourceID]; !ok {
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
		got, err := storage.ReadAll(context.Background(), h.Store, m.Sources[i].Key)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("source %s not kept byte for byte (err %v)", m.Sources[i].Name, err)
		}
	}
}

func TestPanicFailsOnlyThatPage(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := farmtest.Start(t, farmtest.Options{Stages: map[string]queue.Options{queue.QueueOCR: {MaxRetry: 1}}, Recognize: func(ctx context.Context, img []byte) (*ocr.Page, error) {
		if calls.Add(1) == 1 {
			panic("index out of range [7] with length 3")
		}
		return farmtest.OnePage("ok")(ctx, img)
	}})
	// One page at a time so the first OCR call is the first page.
	img := farmtest.PNG(t, farmtest.Image(t, 400, 200), 300)
	id, err := h.Uploader.Submit(context.Background(), []farm.Input{h.File("a.png", img)}, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.Wait(id)
	if m.Pages[0].Status != batch.StateFailed || !strings.Contains(m.Pages[0].Error, "a.png, page 1: internal error in the ocr stage") {
		t.Errorf("page = %q %q, want failed with an internal error message", m.Pages[0].Status, m.Pages[0].Error)
	}
	id2, err := h.Uploader.Submit(context.Background(), []farm.Input{h.File("b.png", img)}, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m := h.Wait(id2); m.Status != batch.StatusDone {
		t.Errorf("the next batch: status %q, want done", m.Status)
	}
}

func TestTransientErrorIsRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := farmtest.Start(t, farmtest.Options{Recognize: func(ctx context.Context, img []byte) (*ocr.Page, error) {
		if calls.Add(1) == 1 {
			return nil, errors.New("connection reset by peer")
		}
		return farmtest.OnePage("ok")(ctx, img)
	}})
	id, err := h.Uploader.Submit(context.Background(), []farm.Input{h.File("a.png", farmtest.PNG(t, farmtest.Image(t, 400, 200), 300))}, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.Wait(id)
	if m.Status != batch.StatusDone {
		t.Fatalf("status %q, want done after a retry (page error %q)", m.Status, m.Pages[0].Error)
	}
	var rec batch.Record
	b, _ := storage.ReadAll(context.Background(), h.Store, m.Pages[0].Record)
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Attempt != 2 {
		t.Errorf("record attempt = %d, want 2", rec.Attempt)
	}
}

func TestPixelLimitCheckedBeforeDecoding(t *testing.T) {
	t.Parallel()
	h := farmtest.Start(t, farmtest.Options{Recognize: farmtest.OnePage("x")})
	// A valid PNG header claiming 100000x100000 pixels, and nothing else.
	hdr := farmtest.PNG(t, image.NewGray(image.Rect(0, 0, 1, 1)), 0)[:33]
	hdr[16], hdr[17], hdr[18], hdr[19] = 0x00, 0x01, 0x86, 0xa0 // width 100000
	hdr[20], hdr[21], hdr[22], hdr[23] = 0x00, 0x01, 0x86, 0xa0 // height 100000
	binary.BigEndian.PutUint32(hdr[29:], crc32.ChecksumIEEE(hdr[12:29]))
	id, err := h.Uploader.Submit(context.Background(), []farm.Input{h.File("huge.png", hdr)}, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.Wait(id)
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
	h := farmtest.Start(t, farmtest.Options{Recognize: farmtest.OnePage("Tờ", "trình")})
	img := farmtest.PNG(t, farmtest.Image(t, 400, 200), 300)
	z := sourcetest.Zip(t,
		sourcetest.ZipFile{Name: "hồ sơ 1/trang 1.png", Data: img},
		sourcetest.ZipFile{Name: "../../x", Data: img},
		sourcetest.ZipFile{Name: "__MACOSX/._trang 1.png", Data: []byte("junk")},
		sourcetest.ZipFile{Name: "trang 2.png", Data: img, Store: true},
	)
	id, err := h.Uploader.Submit(context.Background(), []farm.Input{h.File("lô 3.zip", z)}, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.Wait(id)
	var got []string
	for _, p := range m.Pages {
		got = append(got, p.Source+" "+string(p.Status))
		if p.Status == batch.StateFailed && !strings.Contains(p.Error, `lô 3.zip: entry "../../x" refused`) {
			t.Errorf("refused entry's error = %q", p.Error)
		}
	}
	want := "lô 3.zip/hồ sơ 1/trang 1.png done, lô 3.zip/trang 2.png done, lô 3.zip/../../x failed"
	if strings.Join(got, ", ") != want {
		t.Errorf("pages = %q, want %q", strings.Join(got, ", "), want)
	}
	if m.Status != batch.StatusPartial {
		t.Errorf("status %s, want partial", m.Status)
	}
	// Nothing escaped: no file named x anywhere above the store.
	filepath.WalkDir(h.Dir, func(p string, d os.DirEntry, err error) error {
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
