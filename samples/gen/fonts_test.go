package main

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestMissingFontNamesPackage(t *testing.T) {
	t.Parallel()
	lib := newFontLib()
	lib.specs = []familySpec{{"Test Serif", [4]fontFile{
		{"/nonexistent/TestSerif.ttf", "fonts-test-serif"},
	}}}
	_, err := lib.family("Test Serif")
	if err == nil || !strings.Contains(err.Error(), "fonts-test-serif") {
		t.Errorf("error %v does not name the Debian package", err)
	}
	if _, err := lib.family("No Such Serif"); err == nil {
		t.Error("unknown family accepted")
	}
}

// TestMissingGlyphFails needs the installed Liberation Serif; without it
// the test fails (naming the package to install) rather than skipping.
func TestMissingGlyphFails(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(familySpecs[0].files[0].path); err != nil {
		t.Fatalf("font needed for this test: %v (install fonts-liberation2)", err)
	}
	fc, err := newFaceCache(newFontLib(), famLiberation, pageDPI)
	if err != nil {
		t.Fatal(err)
	}
	f := fc.get(regular, 14)
	if err := f.check("Quyết định số 57/2025/NQ-HĐND, ngày 05 tháng 3"); err != nil {
		t.Errorf("Vietnamese text: %v", err)
	}
	// U+1F600 (an emoji) is not in Liberation Serif.
	if err := f.check("ký \U0001F600"); !errors.Is(err, errNoGlyph) {
		t.Errorf("check of a character without a glyph = %v, want errNoGlyph", err)
	}
	// A combining mark would need shaping; the corpus is NFC so it never
	// needs one, but control characters must be refused outright.
	if err := f.check("a\tb"); err == nil {
		t.Error("control character accepted")
	}
}
