package source_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/sourcetest"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/ocr/source/leptonica"
	"github.com/sohoa/sohoa/ocr/source/poppler"
)

// The committed seeds (testdata/fuzz/<target>/) are small broken files:
// truncated PNG, JPEG and TIFF, text, random bytes, header bombs, an
// encrypted PDF, zips with ../ entries and a zip bomb. `go test` runs them;
// `go test -fuzz=FuzzOpenDecode` mutates them.

func FuzzSniff(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("%PDF-1.4"))
	f.Add([]byte("P5 1 1 255\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		k := source.Sniff(b)
		if len(b) > source.SniffLen && source.Sniff(b[:source.SniffLen]) != k {
			t.Fatalf("Sniff looked past SniffLen bytes")
		}
		if k == source.KindUnknown && source.Describe(b) == "" {
			t.Fatalf("Describe gave nothing")
		}
	})
}

// fuzzLimits keep one input cheap: a fuzzer must not be able to make the
// decoders allocate much.
var fuzzLimits = source.Limits{MaxFileBytes: 4 << 20, MaxPixels: 4_000_000, MaxPages: 20, MaxArchiveEntries: 50, MaxArchiveBytes: 16 << 20}

func FuzzOpenDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add(sourcetest.BlockJPEG(16, 16, 4, func(bx, by, c int) uint8 { return uint8(bx*40 + c*20) }, sourcetest.JPEGOptions{Orientation: 6}))
	f.Add(sourcetest.TIFF(sourcetest.RawPage{Width: 4, Height: 4, Bits: 8, Samples: 1, Photometric: 1, Data: make([]byte, 16)}))
	pdf, err := poppler.New(poppler.Config{Timeout: 20 * time.Second, MaxMemory: 1 << 30})
	if err != nil {
		f.Fatal(err)
	}
	o := &source.Opener{Limits: fuzzLimits, Backends: []source.Backend{leptonica.Backend{}, pdf}}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "in")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		doc, err := o.Open(ctx, path)
		if err != nil {
			checkErr(t, err)
			return
		}
		defer doc.Close()
		for i := range doc.NumPages() {
			info, err := doc.Info(i)
			if err != nil {
				checkErr(t, err)
				continue
			}
			if fuzzLimits.CheckPixels(info.Width, info.Height) != nil {
				continue // the split stage stops such a page here
			}
			img, _, err := doc.Decode(ctx, i)
			if err != nil {
				checkErr(t, err)
				continue
			}
			if s := img.Bounds().Size(); int64(s.X)*int64(s.Y) > fuzzLimits.MaxPixels {
				t.Fatalf("page %d decoded to %v, over the pixel limit", i+1, s)
			}
		}
	})
}

// checkErr fails unless err is one the worker treats as the file's fault,
// with a message.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, source.ErrCorrupt) && !errors.Is(err, source.ErrLimit) && !errors.Is(err, source.ErrUnsupported) {
		t.Fatalf("error without a sentinel: %v", err)
	}
	if len(err.Error()) < 20 {
		t.Fatalf("message too short to act on: %q", err)
	}
}

func FuzzReadArchive(f *testing.F) {
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "in.zip")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := source.ReadArchive(path, fuzzLimits, func(e source.ArchiveEntry) error {
			if !filepath.IsLocal(e.Name) || strings.Contains(e.Name, `\`) || strings.Contains(e.Name, ":") {
				t.Fatalf("unsafe name handed over: %q", e.Name)
			}
			_, err := io.Copy(io.Discard, e.Reader)
			return err
		})
		if err != nil {
			checkErr(t, err)
		}
	})
}

// TestSeedsAreSmall keeps the committed corpus small and broken-file-like.
func TestSeedsAreSmall(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/fuzz/*/*")
	if len(files) < 10 {
		t.Fatalf("want the committed seed corpus, found %d files", len(files))
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 128<<10 || !bytes.HasPrefix(b, []byte("go test fuzz v1\n")) {
			t.Errorf("%s: not a small fuzz seed", p)
		}
	}
}
