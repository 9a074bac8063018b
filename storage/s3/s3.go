// Package s3 is the storage.Store on S3-compatible object storage: AWS S3,
// MinIO, Ceph RGW, versitygw. A store is a bucket, or a prefix in one:
//
//	s3://BUCKET/PREFIX?endpoint=http://minio.lan:9000
//
// Store key k is the object PREFIX/k, the same layout as the filesystem
// store. Objects are written with single PUTs, or multipart uploads for
// large and unknown-size streams; either way an object appears whole or
// not at all. Credentials come only from the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), never from
// the URL. Transient errors are retried (Config.MaxRetries) and an
// operation that gets no answer fails after Config.Timeout instead of
// hanging. docs/s3.md covers setting up a bucket for sohoa.
package s3

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/encrypt"

	"github.com/sohoa/sohoa/storage"
)

var _ storage.Store = (*Store)(nil)

// Store is a storage.Store over an S3 bucket prefix. It is safe for
// concurrent use.
type Store struct {
	url      string // the Config as given, as a URL
	cfg      Config // with defaults filled in
	client   *minio.Client
	core     minio.Core
	prefix   string // cfg.Prefix + "/", or ""
	endpoint string // for messages
	sse      encrypt.ServerSide
}

// New connects to the bucket cfg names, with credentials from the
// environment, and checks that the bucket exists and is reachable with
// them. ctx bounds that check.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("s3 store %s: %w", cfg, err)
	}
	url := cfg.String()
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if cfg.PartSize == 0 {
		cfg.PartSize = DefaultPartSize
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	region := cfg.Region
	if region == "" {
		region = getenv("AWS_REGION")
	}
	if region == "" && cfg.Endpoint != "" {
		region = "us-east-1"
	}
	creds, err := envCredentials(getenv, cfg.IAM)
	if err != nil {
		return nil, fmt.Errorf("s3 store %s: %w", url, err)
	}

	host, secure := "s3.amazonaws.com", true
	lookup := minio.BucketLookupAuto
	if cfg.Endpoint != "" {
		u, _ := parseEndpoint(cfg.Endpoint) // validated above
		host, secure = u.Host, u.Scheme == "https"
		lookup = minio.BucketLookupPath
	}
	switch cfg.Addressing {
	case AddressingPath:
		lookup = minio.BucketLookupPath
	case AddressingVirtualHost:
		lookup = minio.BucketLookupDNS
	}

	tr, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, fmt.Errorf("s3 store %s: %w", url, err)
	}
	// A refused or black-holed connection, or a server that accepts a
	// request and never answers, fails this attempt early; minio retries
	// it, and the watchdog (cfg.Timeout) bounds the whole operation.
	tr.DialContext = (&net.Dialer{Timeout: min(10*time.Second, cfg.Timeout/2), KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = min(10*time.Second, cfg.Timeout/2)
	tr.ResponseHeaderTimeout = cfg.Timeout / 2
	if cfg.Insecure && secure {
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		tr.TLSClientConfig.InsecureSkipVerify = true // asked for with insecure=true
	}

	client, err := minio.New(host, &minio.Options{
		Creds:        creds,
		Secure:       secure,
		Transport:    tr,
		Region:       region,
		BucketLookup: lookup,
		MaxRetries:   cfg.MaxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 store %s: %w", url, err)
	}
	s := &Store{url: url, cfg: cfg, client: client, core: minio.Core{Client: client}, endpoint: cfg.Endpoint}
	if s.endpoint == "" {
		s.endpoint = "AWS S3"
	}
	if cfg.Prefix != "" {
		s.prefix = cfg.Prefix + "/"
	}
	switch cfg.SSE {
	case SSES3:
		s.sse = encrypt.NewSSE()
	case SSEKMS:
		if s.sse, err = encrypt.NewSSEKMS(cfg.SSEKMSKeyID, nil); err != nil {
			return nil, fmt.Errorf("s3 store %s: %w", url, err)
		}
	}

	if err := s.check(ctx); err != nil {
		return nil, fmt.Errorf("s3 store %s: %w", s, err)
	}
	return s, nil
}

// check lists one key of the store: it proves the bucket exists and the
// credentials may list it (s3:ListBucket), with the server's own words
// when not. (A HEAD on the bucket has no error body; versitygw even
// answers it 404, as if the bucket were missing, for an unknown access
// key, where AWS answers 403 InvalidAccessKeyId.)
func (s *Store) check(ctx context.Context) error {
	wctx, w := s.watch(ctx)
	defer w.stop()
	fetchOwner := false
	var err error
	for obj := range s.client.ListObjectsIter(wctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true, MaxKeys: 1, FetchOwner: &fetchOwner}) {
		err = obj.Err
		break
	}
	if err == nil && wctx.Err() != nil {
		err = wctx.Err()
	}
	if err == nil {
		return nil
	}
	err = s.cause(ctx, wctx, err)
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == minio.NoSuchBucket:
		return fmt.Errorf("bucket %q does not exist on %s: create it first (docs/s3.md)", s.cfg.Bucket, s.endpoint)
	case resp.StatusCode == http.StatusForbidden, resp.Code == "InvalidAccessKeyId",
		resp.Code == "XAdminUserNotFound": // versitygw's (404) answer to an unknown access key
		return fmt.Errorf("list bucket %q (are AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY right, and may they s3:ListBucket?): %w", s.cfg.Bucket, err)
	}
	return fmt.Errorf("list bucket %q: %w", s.cfg.Bucket, err)
}

// envCredentials reads the access key from the environment, or falls back
// to the instance's IAM role when iam is set.
func envCredentials(getenv func(string) string, iam bool) (*credentials.Credentials, error) {
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	switch {
	case id != "" && secret != "":
		return credentials.NewStaticV4(id, secret, getenv("AWS_SESSION_TOKEN")), nil
	case id != "":
		return nil, errors.New("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
	case secret != "":
		return nil, errors.New("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
	case iam:
		return credentials.NewIAM(""), nil
	}
	return nil, errors.New("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment " +
		"(or add iam=true to the store URL to use the instance's IAM role)")
}

// String is the store URL, without credentials (the store has none to show).
func (s *Store) String() string { return s.url }

// Config returns the store's configuration, with defaults filled in.
func (s *Store) Config() Config { return s.cfg }

// watch starts a watchdog for one operation.
func (s *Store) watch(ctx context.Context) (context.Context, *watchdog) {
	return newWatchdog(ctx, s.cfg.Timeout, &TimeoutError{Endpoint: s.endpoint, After: s.cfg.Timeout})
}

// cause replaces the error of an operation the watchdog stopped by the
// watchdog's TimeoutError.
func (s *Store) cause(parent, wctx context.Context, err error) error {
	if parent.Err() == nil && wctx.Err() != nil {
		if c := context.Cause(wctx); c != nil && !errors.Is(c, context.Canceled) {
			return c
		}
	}
	return err
}

// mapErr maps a minio error for op on key: a missing object wraps
// storage.ErrNotFound; everything else is returned wrapped as it is
// (transient errors stay retryable for the caller's queue).
func (s *Store) mapErr(op, key string, parent, wctx context.Context, err error) error {
	err = s.cause(parent, wctx, err)
	var resp minio.ErrorResponse
	if errors.As(err, &resp) {
		switch resp.Code {
		case minio.NoSuchKey:
			return fmt.Errorf("%s %s: %w", op, key, storage.ErrNotFound)
		case minio.NoSuchBucket:
			return fmt.Errorf("%s %s: bucket %q does not exist: %w", op, key, s.cfg.Bucket, err)
		}
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

func (s *Store) objectName(key string) (string, error) {
	if err := storage.ValidateKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

// Get opens the object at key for reading. The request is made here, so a
// missing key gives ErrNotFound from Get, not from the first Read.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.objectName(key)
	if err != nil {
		return nil, err
	}
	wctx, w := s.watch(ctx)
	body, _, _, err := s.core.GetObject(wctx, s.cfg.Bucket, name, minio.GetObjectOptions{})
	if err != nil {
		w.stop()
		return nil, s.mapErr("get", key, ctx, wctx, err)
	}
	w.pause() // the clock runs only inside Read
	return &object{s: s, key: key, body: body, w: w, parent: ctx, ctx: wctx}, nil
}

// object is a Get's response body under the watchdog.
type object struct {
	s         *Store
	key       string
	body      io.ReadCloser
	w         *watchdog
	parent    context.Context
	ctx       context.Context
	closed    bool
	readError error
}

func (o *object) Read(p []byte) (int, error) {
	if o.readError != nil {
		return 0, o.readError
	}
	o.w.resume()
	n, err := o.body.Read(p)
	if n > 0 {
		o.w.kick()
	}
	o.w.pause()
	if err != nil && err != io.EOF {
		o.readError = fmt.Errorf("read %s: %w", o.key, o.s.cause(o.parent, o.ctx, err))
		return n, o.readError
	}
	return n, err
}

func (o *object) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	err := o.body.Close()
	o.w.stop()
	return err
}

// Put uploads r to key. A stream of known size whose source can seek goes
// straight to the server (single PUT up to PartSize, multipart above).
// Otherwise the first PartSize bytes are buffered: a stream that ends
// within them goes up in a single PUT, a longer one as a multipart upload
// of PartSize parts. Every request whose body is buffered or seekable is
// retried on transient errors. A failed multipart upload is aborted; one
// the process could not abort (killed, network gone) is removed by the
// bucket's lifecycle rule (docs/s3.md). No object appears before the
// upload completes.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, opts storage.PutOptions) error {
	name, err := s.objectName(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	wctx, w := s.watch(ctx)
	defer w.stop()
	contentType := opts.ContentType
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	po := minio.PutObjectOptions{
		ContentType:          contentType,
		PartSize:             uint64(s.cfg.PartSize),
		ServerSideEncryption: s.sse,
		Progress:             kicker{w},
	}

	src := &source{r: r, w: w}
	body, size := io.Reader(src), opts.Size
	if seeker, ok := r.(io.Seeker); ok && size > 0 {
		base, err := seeker.Seek(0, io.SeekCurrent)
		if err == nil {
			body = &seekSource{source: src, seeker: seeker, base: base}
		} else {
			size = 0 // not really seekable (a pipe): buffer it
		}
	}
	if body == io.Reader(src) {
		// Unknown size, or a source that cannot rewind for a retry.
		buf, eof, err := readUpTo(src, s.cfg.PartSize)
		switch {
		case err != nil:
			return fmt.Errorf("put %s: read: %w", key, errors.Unwrap(err))
		case eof:
			body, size = bytes.NewReader(buf), int64(len(buf))
		default:
			body = io.MultiReader(bytes.NewReader(buf), src)
			if size <= int64(len(buf)) {
				size = -1
			}
		}
	}
	if _, err := s.client.PutObject(wctx, s.cfg.Bucket, name, body, size, po); err != nil {
		var re *readError
		if errors.As(err, &re) {
			return fmt.Errorf("put %s: read: %w", key, re.err)
		}
		return s.mapErr("put", key, ctx, wctx, err)
	}
	return nil
}

// readUpTo reads r until EOF or limit bytes. Its buffer grows with what
// it reads, never past limit, so a small object costs little memory.
func readUpTo(r io.Reader, limit int64) (b []byte, eof bool, err error) {
	b = make([]byte, 0, min(limit, 64<<10))
	for int64(len(b)) < limit {
		if len(b) == cap(b) {
			b = slices.Grow(b, int(min(int64(cap(b)), limit-int64(cap(b)))))
		}
		n, err := r.Read(b[len(b):min(int64(cap(b)), limit)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, true, nil
		}
		if err != nil {
			return nil, false, err
		}
	}
	return b, false, nil
}

// readError marks an error of the Put's source, so that it is not taken
// for a server error.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// source reads a Put's input with the watchdog paused: a slow source is
// the caller's business, not a stalled server.
type source struct {
	r io.Reader
	w *watchdog
}

func (s *source) Read(p []byte) (int, error) {
	s.w.pause()
	n, err := s.r.Read(p)
	s.w.resume()
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

// seekSource lets minio rewind the source to retry a request. minio seeks
// to offset 0; base keeps a source that did not start at 0 right.
type seekSource struct {
	*source
	seeker io.Seeker
	base   int64
}

func (s *seekSource) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekStart {
		offset += s.base
	}
	n, err := s.seeker.Seek(offset, whence)
	return n - s.base, err
}

// Stat describes the object at key.
func (s *Store) Stat(ctx context.Context, key string) (storage.ObjectInfo, error) {
	name, err := s.objectName(key)
	if err != nil {
		return storage.ObjectInfo{}, err
	}
	wctx, w := s.watch(ctx)
	defer w.stop()
	info, err := s.client.StatObject(wctx, s.cfg.Bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return storage.ObjectInfo{}, s.mapErr("stat", key, ctx, wctx, err)
	}
	return storage.ObjectInfo{Key: key, Size: info.Size, ModTime: info.LastModified}, nil
}

// Delete removes the object at key; a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	name, err := s.objectName(key)
	if err != nil {
		return err
	}
	wctx, w := s.watch(ctx)
	defer w.stop()
	err = s.client.RemoveObject(wctx, s.cfg.Bucket, name, minio.RemoveObjectOptions{})
	if err != nil {
		err = s.mapErr("delete", key, ctx, wctx, err)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		return err
	}
	return nil
}

// List yields the objects whose key starts with prefix, in the server's
// order, which S3 defines as lexical by UTF-8 bytes. It reads one page of
// keys at a time and stops asking for more when the caller stops.
// "Folder" marker objects (keys ending in "/", made by some consoles) are
// not store keys and are skipped.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[storage.ObjectInfo, error] {
	return func(yield func(storage.ObjectInfo, error) bool) {
		wctx, w := s.watch(ctx)
		defer w.stop()
		fetchOwner := false
		opts := minio.ListObjectsOptions{
			Prefix:     s.prefix + prefix,
			Recursive:  true,
			MaxKeys:    s.cfg.ListPageSize,
			FetchOwner: &fetchOwner,
		}
		for obj := range s.client.ListObjectsIter(wctx, s.cfg.Bucket, opts) {
			if obj.Err != nil {
				yield(storage.ObjectInfo{}, s.mapErr("list", prefix, ctx, wctx, obj.Err))
				return
			}
			w.kick()
			key, ok := strings.CutPrefix(obj.Key, s.prefix)
			if !ok || key == "" || strings.HasSuffix(key, "/") {
				continue
			}
			w.pause()
			more := yield(storage.ObjectInfo{Key: key, Size: obj.Size, ModTime: obj.LastModified}, nil)
			w.resume()
			if !more {
				return
			}
		}
		// minio ends the listing silently when its context ends.
		if wctx.Err() != nil {
			err := s.cause(ctx, wctx, ctx.Err())
			if err == nil {
				err = wctx.Err()
			}
			yield(storage.ObjectInfo{}, fmt.Errorf("list %s: %w", prefix, err))
		}
	}
}

// Client is the minio client the store uses, for tools and tests that
// need S3 calls the Store interface does not have (bucket policies,
// lifecycle rules).
func (s *Store) Client() *minio.Client { return s.client }
