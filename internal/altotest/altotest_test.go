package altotest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/internal/altotest"
)

const minimal = `<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Description><MeasurementUnit>pixel</MeasurementUnit></Description><Layout><Page ID="p1" PHYSICAL_IMG_NR="1"/></Layout></alto>
`

// Not parallel: it changes PATH.
func TestMissingXmllintIsAnError(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := altotest.ValidateBytes([]byte(minimal))
	if err == nil || !strings.Contains(err.Error(), "libxml2-utils") {
		t.Errorf("ValidateBytes without xmllint: %v, want an error naming libxml2-utils", err)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.xml")
	bad := filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(good, []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.Replace(minimal, ` PHYSICAL_IMG_NR="1"`, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := altotest.Validate(good); err != nil {
		t.Errorf("Validate(good): %v", err)
	}
	err := altotest.Validate(bad)
	if err == nil || !strings.Contains(err.Error(), "PHYSICAL_IMG_NR") {
		t.Errorf("Validate(bad) = %v, want xmllint's complaint about PHYSICAL_IMG_NR", err)
	}
	if err := altotest.Validate(filepath.Join(dir, "missing.xml")); err == nil {
		t.Error("Validate of a missing file succeeded")
	}
}
