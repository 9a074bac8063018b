package tesseract

import (
	"context"
	"image"
	"sync"
	"syscall"
	"testing"

	"github.com/sohoa/sohoa/ocr"
)

// Engines started at the same time must leave the process's stderr where
// it was: gosseract points fd 2 at /dev/null while it initialises, and two
// unserialised initialisations could leave it there for good.
func TestConcurrentStartKeepsStderr(t *testing.T) {
	fd2 := func() syscall.Stat_t {
		var st syscall.Stat_t
		if err := syscall.Fstat(2, &st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	before := fd2()
	img := image.NewGray(image.Rect(0, 0, 64, 32))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	page, err := ocr.EncodePNG(img, 300, true)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		engines := make([]*Engine, 4)
		for i := range engines {
			wg.Go(func() {
				e, err := New(Config{Languages: []string{"vie", "eng"}})
				if err != nil {
					t.Error(err)
					return
				}
				engines[i] = e
				// The first recognition is where gosseract would initialise.
				if _, err := e.Recognize(context.Background(), page); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, e := range engines {
			if e != nil {
				e.Close()
			}
		}
		if after := fd2(); after.Dev != before.Dev || after.Ino != before.Ino {
			t.Fatalf("round %d: stderr now points elsewhere (dev %d ino %d, was dev %d ino %d): log lines are being lost",
				round, after.Dev, after.Ino, before.Dev, before.Ino)
		}
	}
}
