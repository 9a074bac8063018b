package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"

	"github.com/sohoa/sohoa/ocr"
)

// encodeJPEG encodes img at quality q with a JFIF APP0 segment recording
// dpi (the standard library writes none, and readers then assume 72 dpi).
func encodeJPEG(img image.Image, q, dpi int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return withJFIF(buf.Bytes(), dpi)
}

// withJFIF inserts (or replaces) the JFIF APP0 segment right after SOI,
// with the density in dots per inch.
func withJFIF(b []byte, dpi int) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, errors.New("jfif: not a JPEG stream")
	}
	if dpi <= 0 || dpi > 0xFFFF {
		return nil, fmt.Errorf("jfif: density %d out of range", dpi)
	}
	rest := b[2:]
	if len(rest) >= 4 && rest[0] == 0xFF && rest[1] == 0xE0 {
		n := int(binary.BigEndian.Uint16(rest[2:]))
		if 2+n > len(rest) {
			return nil, errors.New("jfif: truncated APP0")
		}
		rest = rest[2+n:]
	}
	app0 := []byte{
		0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0,
		1, 1, // version 1.01
		1, // units: dots per inch
		byte(dpi >> 8), byte(dpi), byte(dpi >> 8), byte(dpi),
		0, 0, // no thumbnail
	}
	out := make([]byte, 0, len(b)+len(app0))
	out = append(out, 0xFF, 0xD8)
	out = append(out, app0...)
	return append(out, rest...), nil
}

// jfifDPI reads the density of a JFIF APP0 segment in dpi, or 0.
func jfifDPI(b []byte) int {
	if len(b) < 20 || b[2] != 0xFF || b[3] != 0xE0 || string(b[6:11]) != "JFIF\x00" || b[13] != 1 {
		return 0
	}
	return int(binary.BigEndian.Uint16(b[14:]))
}

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
