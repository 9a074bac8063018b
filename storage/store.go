// Package storage owns the shared store: the place where sources, page
// images, texts and manifests live, shared by every worker of a farm.
//
// A Store is addressed by keys: slash-separated relative paths such as
// "batches/01J.../pages/0000-0000/text.txt". The interface is shaped like
// object storage (whole objects written atomically, read as streams, listed
// by prefix) so the filesystem store (storage/fs) and the S3 store
// (storage/s3) are interchangeable. Only cmd wires a concrete backend.
package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrNotFound is returned (wrapped) by every backend when a key does not exist.
var ErrNotFound = errors.New("not found")

// ErrInvalidKey is returned (wrapped) for a key that could escape the store
// or that a backend could not represent.
var ErrInvalidKey = errors.New("invalid store key")

// Store is a shared object store.
//
// Put is atomic: a reader sees either the previous object or the whole new
// one, never a part. Implementations are safe for concurrent use.
type Store interface {
	// Get opens the object at key. A missing key gives an error wrapping ErrNotFound.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Put stores everything read from r under key, replacing any object there.
	Put(ctx context.Context, key string, r io.Reader, opts PutOptions) error
	// Stat describes the object at key. A missing key gives ErrNotFound.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// Delete removes the object at key. Deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List yields every object whose key starts with prefix, in lexical key order.
	List(ctx context.Context, prefix string) iter.Seq2[ObjectInfo, error]
	// String describes the store for logs and messages (never with credentials).
	String() string
}

// PutOptions are optional hints for Put.
type PutOptions struct {
	// ContentType is recorded where the backend supports it (S3); may be empty.
	ContentType string
	// Size is the length of the stream if known, or -1/0 if unknown. A
	// backend may use it to choose a single or a multipart upload.
	Size int64
}

// ObjectInfo describes one stored object.
type ObjectInfo struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// LocalPather is implemented by stores whose objects are files on this
// machine. Readers that need a file path (image decoders, PDF tools) use it
// to avoid copying the object to a temporary file.
type LocalPather interface {
	LocalPath(key string) (string, error)
}

// Sweeper is implemented by stores that can leave temporary files behind
// when a writer dies mid-write (the filesystem store). Sweep removes those
// under prefix that are older than olderThan and reports how many it removed.
type Sweeper interface {
	Sweep(ctx context.Context, prefix string, olderThan time.Duration) (int, error)
}

// ValidateKey reports whether key is a safe store key: relative, slash
// separated, no empty, "." or ".." segments, no backslashes or control
// characters, valid UTF-8, at most 1024 bytes.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty", ErrInvalidKey)
	case len(key) > 1024:
		return fmt.Errorf("%w: longer than 1024 bytes", ErrInvalidKey)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w %q: not UTF-8", ErrInvalidKey, key)
	case strings.HasPrefix(key, "/"):
		return fmt.Errorf("%w %q: absolute", ErrInvalidKey, key)
	case strings.ContainsRune(key, '\\'):
		return fmt.Errorf("%w %q: contains a backslash", ErrInvalidKey, key)
	}
	for _, r := range key {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w %q: contains a control character", ErrInvalidKey, key)
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch seg {
		case "", ".", "..":
			return fmt.Errorf("%w %q: has an empty, \".\" or \"..\" segment", ErrInvalidKey, key)
		}
	}
	return nil
}

// ReadAll reads the whole object at key. Use it for small objects only
// (manifests, records, texts); stream images.
func ReadAll(ctx context.Context, s Store, key string) ([]byte, error) {
	rc, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return b, nil
}

// PutBytes stores b under key.
func PutBytes(ctx context.Context, s Store, key string, b []byte, contentType string) error {
	return s.Put(ctx, key, bytes.NewReader(b), PutOptions{ContentType: contentType, Size: int64(len(b))})
}

// PutBytesSum is PutBytes, returning the SHA-256 (hex) of b, which
// manifests record for every output.
func PutBytesSum(ctx context.Context, s Store, key string, b []byte, contentType string) (string, error) {
	if err := PutBytes(ctx, s, key, b, contentType); err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// PutSum stores what r holds under key, as Put, and returns how many bytes
// it stored and their SHA-256 (hex): a file kept byte for byte and
// checksummed in one pass.
func PutSum(ctx context.Context, s Store, key string, r io.Reader, opt PutOptions) (int64, string, error) {
	h := sha256.New()
	c := &counter{r: io.TeeReader(r, h)}
	if err := s.Put(ctx, key, c, opt); err != nil {
		return 0, "", err
	}
	return c.n, hex.EncodeToString(h.Sum(nil)), nil
}

type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ContextReader reads from r until ctx ends, then fails with ctx's error:
// a long copy (an upload, an export) stops when its request is cancelled.
func ContextReader(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
