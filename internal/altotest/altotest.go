// Package altotest validates ALTO documents in tests: it runs xmllint
// (Debian package libxml2-utils) against the ALTO 4.4 schema kept in
// ocr/alto/testdata, offline. Any package's tests may use it on the ALTO
// they produce. A missing xmllint is an error, never a skip.
package altotest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// SchemaPath is the bundled alto-4-4.xsd, in ocr/alto/testdata. It is found
// from this package's source, so it needs the source tree (as tests have).
func SchemaPath() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("altotest: cannot locate its source directory")
	}
	p := filepath.Join(filepath.Dir(file), "..", "..", "ocr", "alto", "testdata", "alto-4-4.xsd")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("altotest: the bundled ALTO schema is missing (built with -trimpath?): %w", err)
	}
	return p, nil
}

// Validate checks the ALTO file at path against the ALTO 4.4 schema. The
// error carries xmllint's messages.
func Validate(path string) error {
	return run(path, nil)
}

// ValidateBytes checks an ALTO document held in memory.
func ValidateBytes(doc []byte) error {
	return run("-", doc)
}

// Check fails t unless doc is valid ALTO 4.4.
func Check(t testing.TB, doc []byte) {
	t.Helper()
	if err := ValidateBytes(doc); err != nil {
		t.Fatal(err)
	}
}

func run(path string, stdin []byte) error {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		return fmt.Errorf("altotest: xmllint is needed to validate ALTO; install it (apt-get install libxml2-utils): %w", err)
	}
	schema, err := SchemaPath()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, xmllint, "--noout", "--nonet", "--schema", schema, path)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		name := path
		if name == "-" {
			name = "ALTO document"
		}
		return fmt.Errorf("%s is not valid ALTO 4.4: %w\n%s", name, err, strings.TrimSpace(out.String()))
	}
	return nil
}
