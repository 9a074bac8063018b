package fs_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/fs"
	"github.com/sohoa/sohoa/storage/storagetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s, err := fs.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestTempFilesHiddenAndSwept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := fs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.PutBytes(ctx, s, "b/x.txt", []byte("x"), ""); err != nil {
		t.Fatal(err)
	}
	// A writer killed between create and rename leaves this behind.
	orphan := filepath.Join(dir, "b", fs.TempPrefix+"dead")
	if err := os.WriteFile(orphan, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(orphan, old, old); err != nil {
		t.Fatal(err)
	}
	for info, err := range s.List(ctx, "b/") {
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(info.Key, fs.TempPrefix) {
			t.Errorf("List shows a temporary file: %s", info.Key)
		}
	}
	if _, err := s.Get(ctx, "b/"+fs.TempPrefix+"dead"); err == nil {
		t.Error("Get of a temporary file's key succeeded")
	}
	n, err := s.Sweep(ctx, "b/", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("Sweep removed %d files, want 1", n)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("orphan still there after Sweep: %v", err)
	}
	if _, err := s.Stat(ctx, "b/x.txt"); err != nil {
		t.Errorf("Sweep removed a real object: %v", err)
	}
}
