package main

import (
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/redistest"
	"github.com/sohoa/sohoa/internal/s3test"
)

// Finding 7 of issue 18: a tokens file that others, or a group other than
// the server's own, can read is loaded with a warning, or refused with
// --strict-perms (exit 2); a private one loads silently.
func TestServeTokensFilePermissions(t *testing.T) {
	t.Parallel()
	r := redistest.Start(t)
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.WriteFile(tokens, []byte("perm-test-archivist-Yk3mQ9wL2pV7 archivist Lan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(tokens, 0o644) // whatever the umask
	args := func(extra ...string) []string {
		return append([]string{"serve", "--redis", r.URL(), "--store", filepath.Join(dir, "store"), "--addr", freeAddr(t),
			"--tokens", tokens, "--audit-log", filepath.Join(dir, "audit.log")}, extra...)
	}
	_, stderr, code := sohoa(t, args("--strict-perms")...)
	if code != 2 || !strings.Contains(stderr, "readable by group or others") || !strings.Contains(stderr, "0644") {
		t.Errorf("--strict-perms with a 0644 tokens file: exit %d\n%s", code, stderr)
	}

	warned := regexp.MustCompile(`level=WARN msg="(the tokens file can be read by group or others)[^"]*".*mode=0644`)
	p := start(t, "serve-0644", args()...)
	waitLog(t, p, warned, 20*time.Second)

	// Read by a group other than the server's own: warned too.
	os.Chmod(tokens, 0o640)
	if err := os.Chown(tokens, os.Getuid(), os.Getgid()+4); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := sohoa(t, args("--strict-perms")...); code != 2 || !strings.Contains(stderr, "0640") {
		t.Errorf("--strict-perms with a 0640 tokens file of another group: exit %d\n%s", code, stderr)
	}
	// 0640 for the server's own group (a Kubernetes Secret for the pod's
	// group, a root:sohoa file for the sohoa user), or 0600: loaded silently.
	os.Chown(tokens, os.Getuid(), os.Getgid())
	addr := freeAddr(t)
	a := args("--strict-perms")
	a[6] = addr
	p = start(t, "serve-0640", a...)
	waitServing(t, "http://"+addr, p)
	if strings.Contains(p.log.String(), "tokens file can be read") {
		t.Errorf("a 0640 tokens file of the server's group was warned about:\n%s", p.log.String())
	}
}

// Finding 7 of issue 18: no message shows a Redis password, whether the
// URL does not parse, names a database that is not a number, or cannot be
// reached; nor a sentinel_password.
func TestRedisURLSecretsAreNotShown(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, url, secret string }{
		{"BadEscape", "redis://lan:Mk9-secret-PASS@127.0.0.1:1/%zz", "Mk9-secret-PASS"},
		{"SpaceInHost", "redis://lan:Mk9-secret-PASS@127.0.0.1 1/0", "Mk9-secret-PASS"},
		{"BadDatabase", "redis://:Mk9-secret-PASS@127.0.0.1:1/x", "Mk9-secret-PASS"},
		{"Unreachable", "redis://:Mk9-secret-PASS@127.0.0.1:1/0", "Mk9-secret-PASS"},
		{"SentinelUnreachable", "redis-sentinel://:Mk9-secret-PASS@127.0.0.1:1/0?master=m&sentinel_password=Sx7-sentinel-SECRET", "Sx7-sentinel-SECRET"},
		{"SentinelBadPort", "redis-sentinel://:pw@127.0.0.1:x/0?master=m&sentinel_password=Sx7-sentinel-SECRET", "Sx7-sentinel-SECRET"},
		{"SentinelNoMaster", "redis-sentinel://127.0.0.1:1/0?sentinel_password=Sx7-sentinel-SECRET", "Sx7-sentinel-SECRET"},
		{"UnknownScheme", "rediss+x://lan:Mk9-secret-PASS@127.0.0.1:1/0", "Mk9-secret-PASS"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := sohoa(t, "queues", "--redis", tt.url)
			if code == 0 {
				t.Fatalf("sohoa queues with %s worked", tt.url)
			}
			if strings.Contains(stdout+stderr, tt.secret) || strings.Contains(stdout+stderr, strings.ToLower(tt.secret)) {
				t.Errorf("the secret is shown:\n%s%s", stdout, stderr)
			}
			if !strings.Contains(stderr, "redis") && !strings.Contains(stderr, "Redis") {
				t.Errorf("the error does not say what is wrong: %s", stderr)
			}
			t.Logf("exit %d: %s", code, strings.TrimSpace(stderr))
		})
	}
}

// Finding 8 of issue 18: sohoa run --out s3://…?endpoint=… prints where
// the results are with the batch's path before the query, not after it.
func TestRunOnS3PrintsTheResultsPath(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	url := srv.URL(bucket, "chiến dịch 2026")
	page := filepath.Join(samplesDir, "cong-van-clean.png")
	stdout, stderr, code := sohoaEnv(t, srv.Env(), "run", "--out", url, page)
	if code != 0 {
		t.Fatalf("run --out %s: exit %d\n%s\n%s", url, code, stdout, stderr)
	}
	base, query, _ := strings.Cut(url, "?")
	m := regexp.MustCompile(`(?m)^Results: (s3://[^?\s]+)/batches/(\d{8}-\d{6}-\w+)/\?(\S+)$`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("run did not print the results' path as %s/batches/ID/?%s:\n%s", base, query, stdout)
	}
	if p, err := neturl.PathUnescape(m[1]); err != nil || p != base || m[3] != query {
		t.Errorf("results at %s ? %s, want %s ? %s", m[1], m[3], base, query)
	}
	// The path printed is where the manifest is.
	if got := s3Manifest(t, openS3(t, srv, m[1]+"?"+m[3]), m[2]); got.ID != m[2] {
		t.Errorf("manifest %s at the printed path", got.ID)
	}
}
