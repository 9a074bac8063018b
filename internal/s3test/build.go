package s3test

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
	"sync"
	"testing"
	"time"
)

// Versitygw is the versitygw release the harness builds.
const (
	VersitygwVersion = "v1.8.0"
	versitygwPackage = "github.com/versity/versitygw/cmd/versitygw"
)

// BinaryEnv names an environment variable that, when set, is the path of
// a versitygw binary to use instead of building one.
const BinaryEnv = "SOHOA_VERSITYGW"

var binary struct {
	sync.Mutex
	path string
	err  error // a failed build is not tried again by this test binary
}

// Binary returns the path of a versitygw binary. The first call on a
// machine builds it with `go install` into the user's cache folder
// ($XDG_CACHE_HOME or ~/.cache)/sohoa/bin/versitygw-VERSION, which takes a
// minute or two (it downloads its modules through the Go module proxy);
// later calls, from any test binary, reuse it. A lock file serialises
// concurrent builds by several test packages. A failed build is a test
// failure with the go command's output, never a skip.
func Binary(t testing.TB) string {
	t.Helper()
	binary.Lock()
	defer binary.Unlock()
	if binary.path != "" {
		return binary.path
	}
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	if p := os.Getenv(BinaryEnv); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("s3test: %s=%s is not an executable: %v", BinaryEnv, p, err)
		}
		binary.path = p
		return p
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatalf("s3test: no cache folder to keep versitygw in (set XDG_CACHE_HOME or HOME, or %s): %v", BinaryEnv, err)
	}
	dir := filepath.Join(cache, "sohoa", "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("s3test: %v", err)
	}
	path := filepath.Join(dir, "versitygw-"+VersitygwVersion)
	if isExecutable(path) {
		binary.path = path
		return path
	}

	unlock, err := lockFile(path + ".lock")
	if err != nil {
		t.Fatalf("s3test: lock %s: %v", path+".lock", err)
	}
	defer unlock()
	if isExecutable(path) { // built by another test binary while we waited
		binary.path = path
		return path
	}
	start := time.Now()
	if err := build(dir, path); err != nil {
		binary.err = fmt.Errorf("s3test: build versitygw %s (needs the Go toolchain and the Go module proxy, or set %s to a versitygw binary): %w",
			VersitygwVersion, BinaryEnv, err)
		t.Fatal(binary.err)
	}
	t.Logf("s3test: built versitygw %s into %s in %s", VersitygwVersion, path, time.Since(start).Round(100*time.Millisecond))
	binary.path = path
	return path
}

func build(dir, path string) error {
	goCmd, err := goTool()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(dir, ".build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "install", versitygwPackage+"@"+VersitygwVersion)
	cmd.Dir = tmp // outside any module: `go install pkg@version` ignores go.mod
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=", "GOWORK=off", "GO111MODULE=on")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s install %s@%s: %w\n%s", goCmd, versitygwPackage, VersitygwVersion, err, tail(out.String(), 4000))
	}
	built := filepath.Join(tmp, "versitygw")
	if runtime.GOOS == "windows" {
		built += ".exe"
	}
	return os.Rename(built, path)
}

// goTool finds the go command: on PATH (go test puts its own GOROOT/bin
// first), else in GOROOT.
func goTool() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	for _, root := range []string{os.Getenv("GOROOT"), runtime.GOROOT(), "/usr/local/go"} {
		if root == "" {
			continue
		}
		if p := filepath.Join(root, "bin", "go"); isExecutable(p) {
			return p, nil
		}
	}
	return "", errors.New("the go command is not on PATH nor in GOROOT")
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return s
}
