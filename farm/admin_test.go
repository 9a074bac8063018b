package farm_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sohoa/sohoa/farm"
	"github.com/sohoa/sohoa/internal/farmtest"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

func TestRetryFailedPage(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	fail.Store(true)
	h := farmtest.Start(t, farmtest.Options{Stages: map[string]queue.Options{queue.QueueOCR: {MaxRetry: 1}}, Recognize: func(ctx context.Context, img []byte) (*ocr.Page, error) {
		if fail.Load() {
			return nil, errors.New("tesseract: out of memory")
		}
		return farmtest.OnePage("được")(ctx, img)
	}})
	img := farmtest.PNG(t, farmtest.Image(t, 400, 200), 300)
	id, err := h.Uploader.Submit(context.Background(), []farm.Input{h.File("a.png", img), h.File("b.png", img)}, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.Wait(id)
	if m.Status != batch.StatusFailed || m.Counts.Failed != 2 {
		t.Fatalf("before retry: status %s counts %+v, want failed with 2 failed pages", m.Status, m.Counts)
	}
	fail.Store(false)
	n, err := h.Admin.RetryFailed(context.Background(), id)
	if err != nil || n != 2 {
		t.Fatalf("RetryFailed = %d, %v; want 2 pages", n, err)
	}
	m = h.Wait(id)
	if m.Status != batch.StatusDone || m.Counts.Done != 2 || m.Counts.Failed != 0 {
		t.Fatalf("after retry: status %s counts %+v, want done", m.Status, m.Counts)
	}
	for _, p := range m.Pages {
		if p.Error != "" {
			t.Errorf("page %s keeps the old error %q after a successful retry", p.ID, p.Error)
		}
	}
	if err := h.Admin.RetryPage(context.Background(), id, "0000-0000"); !errors.Is(err, farm.ErrNotRetryable) {
		t.Errorf("retrying a done page: %v, want ErrNotRetryable", err)
	}
	if err := h.Admin.RetryPage(context.Background(), id, "0009-0000"); !errors.Is(err, farm.ErrUnknownPage) {
		t.Errorf("retrying an unknown page: %v, want ErrUnknownPage", err)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	h := farmtest.Start(t, farmtest.Options{Recognize: func(ctx context.Context, img []byte) (*ocr.Page, error) {
		<-release
		return farmtest.OnePage("x")(ctx, img)
	}})
	img := farmtest.PNG(t, farmtest.Image(t, 400, 200), 300)
	var in []farm.Input
	for _, n := range []string{"a.png", "b.png", "c.png", "d.png", "e.png"} {
		in = append(in, h.File(n, img))
	}
	id, err := h.Uploader.Submit(context.Background(), in, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Wait until pages are being read (two at most: concurrency 2, and
	// both workers are then blocked, so some files are not split yet).
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	h.Reader.Watch(ctx, id, 50*time.Millisecond, func(c farm.Progress) bool { return c.Pages < 2 })
	time.Sleep(200 * time.Millisecond)
	if err := h.Admin.Cancel(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	close(release)
	m := h.Wait(id)
	if m.Status != batch.StatusCancelled {
		t.Errorf("status = %s, want cancelled", m.Status)
	}
	// The two pages being read finish; the others are cancelled (or, for
	// files not split yet, get no pages at all).
	if m.Counts.Pending != 0 || m.Counts.Done > 2 || m.Counts.Done+m.Counts.Cancelled != m.Counts.Pages {
		t.Errorf("counts = %+v, want at most 2 done, the rest cancelled, none pending", m.Counts)
	}
	if err := h.Admin.Cancel(context.Background(), id); !errors.Is(err, farm.ErrFinished) {
		t.Errorf("cancelling twice: %v, want ErrFinished", err)
	}
}

func TestCorrectTextKeepsTheOCRText(t *testing.T) {
	t.Parallel()
	h := farmtest.Start(t, farmtest.Options{Recognize: farmtest.OnePage("Quyet", "dinh")})
	id, err := h.Uploader.Submit(context.Background(), []farm.Input{h.File("a.png", farmtest.PNG(t, farmtest.Image(t, 400, 200), 300))}, farm.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := h.Wait(id)
	ctx := context.Background()
	by := farm.Person{Name: "Nguyễn Thị Lan", Role: "archivist"}
	c1, err := h.Admin.CorrectText(ctx, id, "0000-0000", "Quyết định\r\n", by)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := h.Admin.CorrectText(ctx, id, "0000-0000", "Quyết định số 5\n", by)
	if err != nil {
		t.Fatal(err)
	}
	if c1.Version != 1 || c2.Version != 2 || c2.Base != c1.SHA256 {
		t.Errorf("versions %d, %d; base %s want %s", c1.Version, c2.Version, c2.Base, c1.SHA256)
	}
	ocrText, _ := storage.ReadAll(ctx, h.Store, m.Pages[0].Text)
	if string(ocrText) != "Quyet dinh\n" {
		t.Errorf("the OCR text changed: %q", ocrText)
	}
	v1, _ := storage.ReadAll(ctx, h.Store, c1.Text)
	if string(v1) != "Quyết định\n" {
		t.Errorf("version 1 = %q", v1)
	}
	m = h.Wait(id)
	if m.Pages[0].Corrected == nil || m.Pages[0].Corrected.Version != 2 || m.Pages[0].Corrected.By != by.Name {
		t.Errorf("manifest corrected = %+v, want version 2 by %s", m.Pages[0].Corrected, by.Name)
	}
	key, _, version := m.Pages[0].CurrentText()
	cur, err := storage.ReadAll(ctx, h.Store, key)
	if err != nil || string(cur) != "Quyết định số 5\n" || version != 2 {
		t.Errorf("current text (version %d) = %q, %v; want version 2", version, cur, err)
	}
	if _, err := h.Admin.CorrectText(ctx, id, "0007-0000", "x", by); !errors.Is(err, farm.ErrUnknownPage) {
		t.Errorf("correcting an unknown page: %v", err)
	}
}

// A batch exactly at its byte limit takes no further file, and a refused
// file leaves nothing in the store.
func TestUploadLimits(t *testing.T) {
	t.Parallel()
	h := farmtest.Start(t, farmtest.Options{Recognize: farmtest.OnePage("x")})
	ctx := context.Background()
	up, err := h.Uploader.NewUpload(farm.SubmitOptions{Limits: source.Limits{MaxBatchBytes: 10, MaxFileBytes: 8}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := up.Add(ctx, "a.png", strings.NewReader("12345678"), -1); err != nil {
		t.Fatal(err)
	}
	if _, err := up.Add(ctx, "b.png", strings.NewReader("123"), -1); !errors.Is(err, source.ErrLimit) {
		t.Errorf("a file past the batch limit: %v, want ErrLimit", err)
	}
	if _, err := up.Add(ctx, "c.png", strings.NewReader("12"), -1); err != nil {
		t.Fatalf("a file that fits exactly: %v", err)
	}
	if _, err := up.Add(ctx, "d.png", strings.NewReader("1"), -1); !errors.Is(err, source.ErrLimit) {
		t.Errorf("a file into a full batch: %v, want ErrLimit", err)
	}
	if _, err := up.Add(ctx, "e.png", strings.NewReader("123456789"), -1); !errors.Is(err, source.ErrLimit) {
		t.Errorf("a file past the file limit: %v, want ErrLimit", err)
	}
	up.Abort(ctx)
	for info, err := range h.Store.List(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("left in the store after Abort: %s", info.Key)
	}
}
