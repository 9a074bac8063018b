// Package s3test runs a real S3 server for tests: versitygw, an
// Apache-2.0 S3 gateway over a local folder, built once per machine (see
// Binary) and started by the test itself on a free loopback port.
//
//	srv := s3test.Start(t)          // stopped by t.Cleanup
//	bucket := srv.NewBucket(t)      // a fresh empty bucket
//	cfg, _ := s3.ParseURL(srv.URL(bucket, "farm"))
//	cfg.Getenv = srv.Getenv         // or cmd.Env = append(cmd.Env, srv.Env()...)
//	store, _ := s3.New(ctx, cfg)
//
// Stop and Start simulate an outage for chaos tests: the server is killed
// and comes back on the same address with the same data.
package s3test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Region is the region the server answers for.
const Region = "us-east-1"

// startTimeout bounds the wait for a started server to answer.
const startTimeout = 30 * time.Second

// Server is a running (or stopped) versitygw. Its methods are safe for
// concurrent use.
type Server struct {
	bin       string
	root      string // buckets are folders in it
	sidecar   string // metadata folder when root has no user xattrs
	logPath   string
	accessKey string
	secretKey string

	mu   sync.Mutex
	addr string // 127.0.0.1:PORT, kept across Stop/Start
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited

	buckets atomic.Int64
}

// Start builds versitygw if needed (Binary), starts it on a free port
// over a new temporary folder with its own random root credentials, and
// waits until it answers. t.Cleanup stops it; if the test failed, the
// server's log is printed.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	s := &Server{
		bin:       bin,
		root:      filepath.Join(dir, "buckets"),
		logPath:   filepath.Join(dir, "versitygw.log"),
		accessKey: "sohoa-test-" + randomHex(t, 4),
		secretKey: randomHex(t, 20),
	}
	if err := os.Mkdir(s.root, 0o755); err != nil {
		t.Fatal(err)
	}
	if !hasUserXattrs(s.root) {
		s.sidecar = filepath.Join(dir, "meta")
		if err := os.Mkdir(s.sidecar, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		s.Close()
		if t.Failed() {
			b, _ := os.ReadFile(s.logPath)
			t.Logf("s3test: versitygw log (%s):\n%s", s.logPath, tail(string(b), 8000))
		}
	})
	// A free port can be taken between choosing it and the server binding
	// it: try a few.
	var (
		took time.Duration
		err  error
	)
	for range 3 {
		if s.addr, err = freeAddr(); err != nil {
			t.Fatalf("s3test: %v", err)
		}
		if took, err = s.start(); err == nil || !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	if err != nil {
		t.Fatalf("s3test: %v", err)
	}
	t.Logf("s3test: versitygw serving on %s after %s", s.addr, took.Round(time.Millisecond))
	return s
}

// Endpoint is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) Endpoint() string { return "http://" + s.Addr() }

// Addr is the server's host:port.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// AccessKey and SecretKey are the server's root credentials.
func (s *Server) AccessKey() string { return s.accessKey }

func (s *Server) SecretKey() string { return s.secretKey }

// Env is the environment a client process needs: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_REGION, as KEY=VALUE strings to append to
// exec.Cmd.Env.
func (s *Server) Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + s.accessKey,
		"AWS_SECRET_ACCESS_KEY=" + s.secretKey,
		"AWS_REGION=" + Region,
	}
}

// Getenv looks a variable up in Env, for s3.Config.Getenv: an in-process
// store gets the credentials without touching the process environment
// (so tests can run in parallel).
func (s *Server) Getenv(key string) string {
	for _, kv := range s.Env() {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

// Dir is the folder that holds the buckets (one folder each).
func (s *Server) Dir() string { return s.root }

// URL is the store URL of prefix (may be empty) in bucket on this server,
// for s3.ParseURL or the sohoa command line.
func (s *Server) URL(bucket, prefix string) string {
	u := "s3://" + bucket
	if prefix != "" {
		u += "/" + strings.Trim(prefix, "/")
	}
	return u + "?endpoint=" + s.Endpoint() + "&region=" + Region
}

// NewBucket creates a new empty bucket with a unique name and returns the name.
func (s *Server) NewBucket(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("test-%d-%s", s.buckets.Add(1), randomHex(t, 3))
	s.MakeBucket(t, name)
	return name
}

// MakeBucket creates bucket name. (The posix backend's buckets are
// folders; the root account owns them.)
func (s *Server) MakeBucket(t testing.TB, name string) {
	t.Helper()
	if err := os.Mkdir(filepath.Join(s.root, name), 0o755); err != nil {
		t.Fatalf("s3test: make bucket: %v", err)
	}
}

// Stop kills the server, as a crash or an outage would: connections drop
// and new ones are refused until Start. The data stays.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-done
}

// Start restarts a stopped server on the same address with the same data
// and waits until it answers. It is a no-op on a running server.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	running := s.cmd != nil
	s.mu.Unlock()
	if running {
		return
	}
	took, err := s.start()
	if err != nil {
		t.Fatalf("s3test: restart: %v", err)
	}
	t.Logf("s3test: versitygw serving again on %s after %s", s.Addr(), took.Round(time.Millisecond))
}

// Close stops the server. Start registers it with t.Cleanup.
func (s *Server) Close() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd != nil {
		_ = cmd.Process.Kill()
		<-done
	}
}

// start runs versitygw on s.addr and waits until it answers HTTP.
func (s *Server) start() (time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	logf, err := os.OpenFile(s.logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	defer logf.Close()
	args := []string{"--port", s.addr, "--quiet", "posix"}
	if s.sidecar != "" {
		args = append(args, "--sidecar", s.sidecar)
	}
	args = append(args, s.root)
	cmd := exec.Command(s.bin, args...)
	// Only what it needs: no VGW_* or AWS_* from the developer's shell.
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"TMPDIR=" + os.TempDir(),
		"ROOT_ACCESS_KEY=" + s.accessKey,
		"ROOT_SECRET_KEY=" + s.secretKey,
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	dieWithParent(cmd)
	begin := time.Now()
	fmt.Fprintf(logf, "--- %s: starting versitygw %s\n", begin.Format(time.RFC3339Nano), strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("start %s: %w", s.bin, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()

	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-done:
			b, _ := os.ReadFile(s.logPath)
			return 0, fmt.Errorf("versitygw exited at start (%s): %s", cmd.ProcessState, tail(string(b), 2000))
		default:
		}
		// Any HTTP answer (403 without credentials) means it serves.
		resp, err := client.Get("http://" + s.addr + "/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return 0, fmt.Errorf("versitygw did not answer on %s within %s: %v", s.addr, startTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(begin)
	fmt.Fprintf(logf, "--- serving on %s after %s\n", s.addr, took.Round(time.Millisecond))
	s.cmd, s.done = cmd, done
	return took, nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
