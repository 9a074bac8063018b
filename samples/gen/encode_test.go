package main

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

func TestEncodeJPEGRecordsDensity(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 16, 8))
	for _, dpi := range []int{150, 300, 600} {
		b, err := encodeJPEG(img, 85, dpi)
		if err != nil {
			t.Fatal(err)
		}
		if got := jfifDPI(b); got != dpi {
			t.Errorf("jfifDPI = %d, want %d", got, dpi)
		}
		m, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("decode with JFIF segment: %v", err)
		}
		if m.Bounds() != img.Bounds() {
			t.Errorf("bounds %v, want %v", m.Bounds(), img.Bounds())
		}
	}
}

func TestWithJFIFReplacesExisting(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	once, err := withJFIF(buf.Bytes(), 72)
	if err != nil {
		t.Fatal(err)
	}
	twice, err := withJFIF(once, 300)
	if err != nil {
		t.Fatal(err)
	}
	if len(twice) != len(once) {
		t.Errorf("second APP0 was added, not replaced: %d bytes, want %d", len(twice), len(once))
	}
	if got := jfifDPI(twice); got != 300 {
		t.Errorf("jfifDPI = %d, want 300", got)
	}
	if _, err := withJFIF([]byte("not a jpeg"), 300); err == nil {
		t.Error("withJFIF accepted a non-JPEG stream")
	}
}
