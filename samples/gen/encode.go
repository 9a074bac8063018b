package main

import (
	"fmt"
	"image"
	"os"
	"path/filepath"

	"github.com/sohoa/sohoa/ocr"
)

// encodePNG encodes a greyscale page with its dpi in the pHYs chunk.
func encodePNG(img image.Image, dpi int) ([]byte, error) {
	return ocr.EncodePNG(img, dpi, false)
}

// writeFileAtomic writes b to path through a temporary file in the same
// directory, synced and renamed, so readers never see half a file.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op once renamed
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", path, err)
	}
	return nil
}
