package s3_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minio/minio-go/v7"

	"github.com/sohoa/sohoa/internal/s3test"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/s3"
	"github.com/sohoa/sohoa/storage/storagetest"
)

// newStore returns a store on a fresh bucket of srv, under a prefix so
// that the prefix handling is exercised too. edit may change the config.
func newStore(t *testing.T, srv *s3test.Server, edit func(*s3.Config)) *s3.Store {
	t.Helper()
	cfg, err := s3.ParseURL(srv.URL(srv.NewBucket(t), "farm/a"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Getenv = srv.Getenv
	if edit != nil {
		edit(&cfg)
	}
	s, err := s3.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	storagetest.Run(t, func(t *testing.T) storage.Store {
		return newStore(t, srv, nil)
	})
}

// The whole bucket as a store (no prefix) must pass too.
func TestConformanceNoPrefix(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	storagetest.Run(t, func(t *testing.T) storage.Store {
		return newStore(t, srv, func(c *s3.Config) { c.Prefix = "" })
	})
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url string
		want      s3.Config
	}{
		{"AWS", "s3://archive", s3.Config{Bucket: "archive"}},
		{"Prefix", "s3://archive/sohoa/farm-1/", s3.Config{Bucket: "archive", Prefix: "sohoa/farm-1"}},
		{"UnicodePrefix", "s3://archive/h%E1%BB%93%20s%C6%A1", s3.Config{Bucket: "archive", Prefix: "hồ sơ"}},
		{"MinIO", "s3://archive/p?endpoint=http://minio.lan:9000&region=hn-1",
			s3.Config{Bucket: "archive", Prefix: "p", Endpoint: "http://minio.lan:9000", Region: "hn-1"}},
		{"VirtualHost", "s3://archive?endpoint=https://s3.example.vn&path_style=false",
			s3.Config{Bucket: "archive", Endpoint: "https://s3.example.vn", Addressing: s3.AddressingVirtualHost}},
		{"PathStyleOnAWS", "s3://archive?path_style=true", s3.Config{Bucket: "archive", Addressing: s3.AddressingPath}},
		{"SSES3", "s3://archive?sse=AES256", s3.Config{Bucket: "archive", SSE: s3.SSES3}},
		{"SSEKMS", "s3://archive?sse=aws:kms&sse_kms_key=arn:aws:kms:ap-southeast-1:1:key/k",
			s3.Config{Bucket: "archive", SSE: s3.SSEKMS, SSEKMSKeyID: "arn:aws:kms:ap-southeast-1:1:key/k"}},
		{"SSEKMSDefaultKey", "s3://archive?sse=aws%3Akms", s3.Config{Bucket: "archive", SSE: s3.SSEKMS}},
		{"Tuning", "s3://archive?timeout=30s&max_retries=3&insecure=true&iam=true",
			s3.Config{Bucket: "archive", Timeout: 30 * time.Second, MaxRetries: 3, Insecure: true, IAM: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := s3.ParseURL(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b func(string) string) bool { return a == nil && b == nil })); diff != "" {
				t.Errorf("ParseURL(%q) mismatch (-want +got):\n%s", tc.url, diff)
			}
			// String gives a URL that parses back to the same config.
			again, err := s3.ParseURL(got.String())
			if err != nil {
				t.Fatalf("ParseURL(String()=%q): %v", got.String(), err)
			}
			if diff := cmp.Diff(got, again, cmp.Comparer(func(a, b func(string) string) bool { return a == nil && b == nil })); diff != "" {
				t.Errorf("round trip through %q mismatch (-want +got):\n%s", got.String(), diff)
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	t.Parallel()
	const secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
	for _, tc := range []struct {
		name, url, want string
	}{
		{"UserPassword", "s3://AKIAEXAMPLE:" + secret + "@archive/p", "credentials in the URL are refused"},
		{"UserOnly", "s3://AKIAEXAMPLE@archive", "credentials in the URL are refused"},
		{"EndpointUserPassword", "s3://archive?endpoint=http://minio:" + secret + "@minio.lan:9000", "credentials in the URL are refused"},
		{"SecretOption", "s3://archive?secret_key=" + secret, "credentials come only from the environment"},
		{"AccessKeyOption", "s3://archive?access_key=AKIAEXAMPLE", "credentials come only from the environment"},
		{"TokenOption", "s3://archive?aws_session_token=" + secret, "credentials come only from the environment"},
		{"Scheme", "http://archive/p", `scheme "http"`},
		{"NoScheme", "archive/p", `scheme ""`},
		{"NoBucket", "s3:///p", "no bucket"},
		{"Opaque", "s3:archive", "want s3://BUCKET/PREFIX"},
		{"BadBucket", "s3://Archive_Bucket", "bucket"},
		{"BadPrefix", "s3://archive/a//b", "prefix"},
		{"DotDotPrefix", "s3://archive/a/../b", "prefix"},
		{"UnknownOption", "s3://archive?endpont=http://x:9000", `unknown option "endpont"`},
		{"RepeatedOption", "s3://archive?region=a&region=b", "given 2 times"},
		{"EndpointScheme", "s3://archive?endpoint=minio.lan:9000", "want http://host:port"},
		{"EndpointPath", "s3://archive?endpoint=http://minio.lan:9000/bucket", "only a scheme, host and port"},
		{"BadBool", "s3://archive?path_style=yes", "want true or false"},
		{"BadSSE", "s3://archive?sse=aes", `sse="aes"`},
		{"KMSKeyWithoutKMS", "s3://archive?sse=AES256&sse_kms_key=k", "sse_kms_key needs sse=aws:kms"},
		{"BadTimeout", "s3://archive?timeout=10", "positive duration"},
		{"NegativeTimeout", "s3://archive?timeout=-1s", "positive duration"},
		{"BadRetries", "s3://archive?max_retries=0", "1 or more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := s3.ParseURL(tc.url)
			if err == nil {
				t.Fatalf("ParseURL(%q) succeeded", tc.url)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseURL(%q) error = %q, want it to say %q", tc.url, err, tc.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("ParseURL error shows the secret: %q", err)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	ctx := context.Background()
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name   string
		bucket string
		getenv func(string) string
		want   string
	}{
		{"NoCredentials", bucket, env(), "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
		{"NoSecret", bucket, env("AWS_ACCESS_KEY_ID", srv.AccessKey()), "AWS_SECRET_ACCESS_KEY is not"},
		{"NoKeyID", bucket, env("AWS_SECRET_ACCESS_KEY", srv.SecretKey()), "AWS_ACCESS_KEY_ID is not"},
		{"WrongSecret", bucket, env("AWS_ACCESS_KEY_ID", srv.AccessKey(), "AWS_SECRET_ACCESS_KEY", "not-the-secret-0123456789"), "are AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY right"},
		{"UnknownKey", bucket, env("AWS_ACCESS_KEY_ID", "nobody", "AWS_SECRET_ACCESS_KEY", srv.SecretKey()), "are AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY right"},
		{"MissingBucket", "no-such-bucket", srv.Getenv, `bucket "no-such-bucket" does not exist`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := s3.ParseURL(srv.URL(tc.bucket, "p"))
			if err != nil {
				t.Fatal(err)
			}
			cfg.Getenv = tc.getenv
			s, err := s3.New(ctx, cfg)
			if err == nil {
				t.Fatalf("New succeeded: %v", s)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New error = %q, want it to say %q", err, tc.want)
			}
			for _, secret := range []string{srv.SecretKey(), "not-the-secret-0123456789"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("New error shows a secret: %q", err)
				}
			}
		})
	}
}

// The command line leaves Getenv nil: credentials come from the process
// environment. (Not parallel: it sets environment variables.)
func TestCredentialsFromEnvironment(t *testing.T) {
	srv := s3test.Start(t)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_SESSION_TOKEN", "")
	cfg, err := s3.ParseURL(srv.URL(srv.NewBucket(t), "p"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := s3.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.PutBytes(context.Background(), s, "k", []byte("v"), ""); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{srv.SecretKey(), srv.AccessKey()} {
		if strings.Contains(s.String(), secret) || strings.Contains(fmt.Sprintf("%v %+v", s, s.Config()), secret) {
			t.Errorf("store description shows a credential: %s", s)
		}
	}
	if want := srv.URL(cfg.Bucket, "p"); s.String() != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	s := newStore(t, srv, nil)
	ctx := context.Background()
	rc, err := s.Get(ctx, "pages/missing.png")
	if !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Get(missing) = %v, %v; want ErrNotFound from Get itself", rc, err)
	}
	if !strings.Contains(err.Error(), "pages/missing.png") {
		t.Errorf("Get error %q does not name the key", err)
	}
	if _, err := s.Stat(ctx, "pages/missing.png"); !errors.Is(err, storage.ErrNotFound) || !strings.Contains(err.Error(), "pages/missing.png") {
		t.Errorf("Stat(missing) = %v, want ErrNotFound naming the key", err)
	}
	// A bucket deleted under a running store is not "not found": it is a
	// configuration error that must not look like a missing page.
	if err := s.Client().RemoveBucket(ctx, s.Config().Bucket); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "pages/missing.png"); errors.Is(err, storage.ErrNotFound) || err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("Get with the bucket gone = %v, want a bucket error, not ErrNotFound", err)
	}
}

func TestPrefixesAreSeparate(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	ctx := context.Background()
	open := func(prefix string) *s3.Store {
		cfg, err := s3.ParseURL(srv.URL(bucket, prefix))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Getenv = srv.Getenv
		s, err := s3.New(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, ab, root := open("farm/a"), open("farm/ab"), open("")
	for _, s := range []*s3.Store{a, ab} {
		if err := storage.PutBytes(ctx, s, "batches/x/batch.json", []byte(s.String()), ""); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"batches/x/batch.json"}, keys(t, a, "")); diff != "" {
		t.Errorf("store farm/a lists (-want +got):\n%s", diff)
	}
	want := []string{"farm/a/batches/x/batch.json", "farm/ab/batches/x/batch.json"}
	if diff := cmp.Diff(want, keys(t, root, "")); diff != "" {
		t.Errorf("the bucket holds (-want +got):\n%s", diff)
	}
}

func TestListPages(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	s := newStore(t, srv, func(c *s3.Config) { c.ListPageSize = 2 })
	ctx := context.Background()
	var want []string
	for i := range 7 {
		k := fmt.Sprintf("p/%02d", i)
		want = append(want, k)
		if err := storage.PutBytes(ctx, s, k, []byte(k), ""); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(want, keys(t, s, "p/")); diff != "" {
		t.Errorf("List across pages (-want +got):\n%s", diff)
	}
	var got []string
	for info, err := range s.List(ctx, "p/") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, info.Key)
		if len(got) == 3 {
			break
		}
	}
	if diff := cmp.Diff(want[:3], got); diff != "" {
		t.Errorf("List stopped after 3 (-want +got):\n%s", diff)
	}
}

// Streams bigger than a part go up as multipart uploads, whether their
// size is known or not; a multipart object's ETag ends in "-<parts>".
func TestMultipart(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	s := newStore(t, srv, func(c *s3.Config) { c.PartSize = s3.MinPartSize })
	ctx := context.Background()
	data := make([]byte, 2*s3.MinPartSize+12345) // three parts
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		r    io.Reader
		size int64
	}{
		{"UnknownSize", io.MultiReader(bytes.NewReader(data)), -1},
		{"UnknownSizeZero", io.MultiReader(bytes.NewReader(data)), 0},
		{"KnownSizeStream", io.MultiReader(bytes.NewReader(data)), int64(len(data))},
		{"KnownSizeSeekable", bytes.NewReader(data), int64(len(data))},
	} {
		key := "mp/" + tc.name
		if err := s.Put(ctx, key, tc.r, storage.PutOptions{Size: tc.size, ContentType: "image/tiff"}); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := storage.ReadAll(ctx, s, key)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s: read back %d bytes, want the %d written", tc.name, len(got), len(data))
		}
		info, err := s.Client().StatObject(ctx, s.Config().Bucket, s.Config().Prefix+"/"+key, minio.StatObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(info.ETag, "-3") {
			t.Errorf("%s: ETag %q, want a 3-part multipart upload", tc.name, info.ETag)
		}
		if info.ContentType != "image/tiff" {
			t.Errorf("%s: content type %q, want image/tiff", tc.name, info.ContentType)
		}
	}
	// No multipart upload is left behind.
	for u := range s.Client().ListIncompleteUploads(ctx, s.Config().Bucket, "", true) {
		t.Errorf("incomplete upload left: %+v", u)
	}
}

// A seekable source that does not start at offset 0 is uploaded from
// where it stands, also when a request is retried from the start.
func TestPutFromMidStream(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	s := newStore(t, srv, nil)
	ctx := context.Background()
	r := strings.NewReader("HEADER|the page")
	if _, err := r.Seek(int64(len("HEADER|")), io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "k", r, storage.PutOptions{Size: int64(r.Len())}); err != nil {
		t.Fatal(err)
	}
	if got, err := storage.ReadAll(ctx, s, "k"); err != nil || string(got) != "the page" {
		t.Errorf("got %q, %v; want %q", got, err, "the page")
	}
}

func TestServerSideEncryption(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	s := newStore(t, srv, func(c *s3.Config) { c.SSE = s3.SSES3 })
	ctx := context.Background()
	if err := storage.PutBytes(ctx, s, "secret.txt", []byte("hồ sơ mật"), "text/plain"); err != nil {
		t.Fatal(err)
	}
	if got, err := storage.ReadAll(ctx, s, "secret.txt"); err != nil || string(got) != "hồ sơ mật" {
		t.Errorf("got %q, %v", got, err)
	}
}

// A reader that pauses between reads (the caller is busy) longer than
// the timeout keeps its connection: only time waiting on the server counts.
func TestSlowConsumerIsNotATimeout(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	const timeout = time.Second
	s := newStore(t, srv, func(c *s3.Config) { c.Timeout = timeout })
	ctx := context.Background()
	data := bytes.Repeat([]byte("trang "), 100_000)
	if err := storage.PutBytes(ctx, s, "k", data, ""); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Get(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	first := make([]byte, 10)
	if _, err := io.ReadFull(rc, first); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * timeout)
	rest, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read after a pause: %v", err)
	}
	if got := append(first, rest...); !bytes.Equal(got, data) {
		t.Errorf("got %d bytes, want %d", len(got), len(data))
	}
	// A slow Put source (a client uploading slowly) is not a timeout either.
	slow := &slowReader{data: data[:1000], delay: 3 * timeout / 2}
	if err := s.Put(ctx, "slow", slow, storage.PutOptions{Size: -1}); err != nil {
		t.Fatalf("Put from a slow source: %v", err)
	}
}

// slowReader gives data in two reads, each after delay.
type slowReader struct {
	data  []byte
	delay time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	time.Sleep(s.delay)
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// The server goes away (crash, restart, network cut): every call returns
// an error within a bounded time, never hangs, never claims "not found";
// when the server is back, the same store works again.
func TestOutage(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	const timeout = 5 * time.Second
	s := newStore(t, srv, func(c *s3.Config) { c.Timeout = timeout })
	ctx := context.Background()
	if err := storage.PutBytes(ctx, s, "before", []byte("kept"), ""); err != nil {
		t.Fatal(err)
	}

	srv.Stop(t)
	// Connection refused is retried (MaxRetries, backoff up to 1s), then
	// returned; the watchdog cuts it at the timeout anyway.
	const bound = timeout + 5*time.Second
	var wg sync.WaitGroup
	for _, op := range []struct {
		name string
		do   func() error
	}{
		{"Put", func() error { return storage.PutBytes(ctx, s, "during", []byte("x"), "") }},
		{"PutStream", func() error {
			return s.Put(ctx, "during", io.MultiReader(bytes.NewReader(make([]byte, 1<<20))), storage.PutOptions{Size: -1})
		}},
		{"Get", func() error { _, err := s.Get(ctx, "before"); return err }},
		{"Stat", func() error { _, err := s.Stat(ctx, "before"); return err }},
		{"Delete", func() error { return s.Delete(ctx, "before") }},
		{"List", func() error {
			for _, err := range s.List(ctx, "") {
				if err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		wg.Go(func() { // all at once: each takes seconds of retries
			start := time.Now()
			err := op.do()
			took := time.Since(start)
			t.Logf("%s with the server down: %v after %s", op.name, err, took.Round(time.Millisecond))
			if err == nil {
				t.Errorf("%s succeeded with the server down", op.name)
			}
			if errors.Is(err, storage.ErrNotFound) {
				t.Errorf("%s: server down reported as not found: %v", op.name, err)
			}
			if took > bound {
				t.Errorf("%s took %s to fail, want at most %s", op.name, took, bound)
			}
		})
	}
	wg.Wait()

	srv.Start(t)
	if got, err := storage.ReadAll(ctx, s, "before"); err != nil || string(got) != "kept" {
		t.Errorf("after restart, got %q, %v; want %q", got, err, "kept")
	}
	if err := storage.PutBytes(ctx, s, "after", []byte("x"), ""); err != nil {
		t.Errorf("Put after restart: %v", err)
	}
}

// A server that accepts connections and never answers (overloaded, a
// half-open connection, a stuck proxy) makes calls fail after Timeout.
func TestHungServer(t *testing.T) {
	t.Parallel()
	const timeout = time.Second
	release := make(chan struct{})
	var hanging atomic.Bool // false until the store is made
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hanging.Load() && r.URL.Query().Get("list-type") == "2" { // New's bucket check
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, `<ListBucketResult><Name>bucket</Name><IsTruncated>false</IsTruncated></ListBucketResult>`)
			return
		}
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/partial") {
			w.Header().Set("Content-Length", "1000")
			w.Header().Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("the first bytes"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hung.Close)
	t.Cleanup(func() { close(release) })
	env := func(k string) string {
		return map[string]string{"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"}[k]
	}
	ctx := context.Background()
	cfg := s3.Config{Bucket: "bucket", Endpoint: hung.URL, Timeout: timeout, Getenv: env}
	s, err := s3.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hanging.Store(true)

	check := func(name string, do func() error) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			err := do()
			took := time.Since(start)
			t.Logf("%s on a hung server: %v after %s", name, err, took.Round(time.Millisecond))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("%s error = %v, want a timeout (context.DeadlineExceeded)", name, err)
			}
			var te *s3.TimeoutError
			if !errors.As(err, &te) {
				t.Errorf("%s error = %v, want an *s3.TimeoutError", name, err)
			}
			if took < timeout/2 || took > timeout+2*time.Second {
				t.Errorf("%s failed after %s, want about %s", name, took, timeout)
			}
		})
	}
	check("Put", func() error { return storage.PutBytes(ctx, s, "k", []byte("x"), "") })
	check("Get", func() error { _, err := s.Get(ctx, "k"); return err })
	check("Stat", func() error { _, err := s.Stat(ctx, "k"); return err })
	check("Delete", func() error { return s.Delete(ctx, "k") })
	check("List", func() error {
		for _, err := range s.List(ctx, "") {
			if err != nil {
				return err
			}
		}
		return nil
	})
	check("ReadStalledBody", func() error {
		rc, err := s.Get(ctx, "partial")
		if err != nil {
			return fmt.Errorf("get: %w (want the error from Read)", err)
		}
		defer rc.Close()
		_, err = io.ReadAll(rc)
		return err
	})
	check("New", func() error {
		_, err := s3.New(ctx, s3.Config{Bucket: "other", Endpoint: hung.URL, Timeout: timeout, Getenv: env})
		return err
	})
}

func keys(t *testing.T, s storage.Store, prefix string) []string {
	t.Helper()
	var ks []string
	for info, err := range s.List(context.Background(), prefix) {
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, info.Key)
	}
	return ks
}

// A server with a self-signed certificate is refused with the TLS error,
// unless insecure=true says to skip verification. (minio-go 7.4.1 retries
// certificate errors as it would a network error, since Go wraps them in
// *tls.CertificateVerificationError: the error comes after its retries.)
func TestInsecureTLS(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<ListBucketResult><Name>bucket</Name><IsTruncated>false</IsTruncated></ListBucketResult>`)
	}))
	t.Cleanup(srv.Close)
	env := func(k string) string {
		return map[string]string{"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"}[k]
	}
	ctx := context.Background()
	start := time.Now()
	_, err := s3.New(ctx, s3.Config{Bucket: "bucket", Endpoint: srv.URL, Getenv: env})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("New with a self-signed certificate = %v, want a certificate error", err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("a certificate error took %s", took)
	}
	if _, err := s3.New(ctx, s3.Config{Bucket: "bucket", Endpoint: srv.URL, Getenv: env, Insecure: true}); err != nil {
		t.Errorf("New with insecure=true: %v", err)
	}
}
