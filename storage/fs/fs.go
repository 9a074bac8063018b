// Package fs is the filesystem implementation of storage.Store: a folder on
// a local disk or a shared mount (NFS, CephFS) that every worker sees.
//
// Writes go to a temporary file beside the target (".sohoa-tmp-*"), are
// fsynced, then renamed over the target, and the directory is fsynced, so
// a reader never sees a partial file, even after a crash. A writer killed
// mid-write leaves only a temporary file, which List never shows and Sweep
// removes.
package fs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/sohoa/sohoa/storage"
)

var (
	_ storage.Store       = (*Store)(nil)
	_ storage.LocalPather = (*Store)(nil)
	_ storage.Sweeper     = (*Store)(nil)
)

// TempPrefix starts the name of every temporary file the store writes.
const TempPrefix = ".sohoa-tmp-"

// Store is a storage.Store over a directory.
type Store struct {
	root string
}

// New returns a store rooted at dir, creating dir if needed.
func New(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("create store %s: %w", abs, err)
	}
	return &Store{root: abs}, nil
}

// Root is the directory the store lives in.
func (s *Store) Root() string { return s.root }

func (s *Store) String() string { return s.root }

// LocalPath returns the file that holds key (it may not exist).
func (s *Store) LocalPath(key string) (string, error) {
	if err := storage.ValidateKey(key); err != nil {
		return "", err
	}
	if strings.HasPrefix(key, TempPrefix) || strings.Contains(key, "/"+TempPrefix) {
		return "", fmt.Errorf("%w %q: %s names are reserved for temporary files", storage.ErrInvalidKey, key, TempPrefix)
	}
	return filepath.Join(s.root, filepath.FromSlash(key)), nil
}

func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := s.LocalPath(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, mapErr(key, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("get %s: %w", key, storage.ErrNotFound)
	}
	return f, nil
}

func (s *Store) Put(ctx context.Context, key string, r io.Reader, _ storage.PutOptions) error {
	p, err := s.LocalPath(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(dir, TempPrefix+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := io.Copy(f, storage.ContextReader(ctx, r)); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("put %s: sync: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	ok = true
	return syncDir(dir)
}

func (s *Store) Stat(ctx context.Context, key string) (storage.ObjectInfo, error) {
	p, err := s.LocalPath(key)
	if err != nil {
		return storage.ObjectInfo{}, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return storage.ObjectInfo{}, mapErr(key, err)
	}
	if st.IsDir() {
		return storage.ObjectInfo{}, fmt.Errorf("stat %s: %w", key, storage.ErrNotFound)
	}
	return storage.ObjectInfo{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

func (s *Store) Delete(ctx context.Context, key string) error {
	p, err := s.LocalPath(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	// Remove now-empty parent folders up to the root, so a deleted batch
	// leaves nothing behind. Failure means "not empty" and stops the walk.
	for dir := filepath.Dir(p); dir != s.root && strings.HasPrefix(dir, s.root); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// List walks the directory under prefix. The prefix is a key prefix, not
// a folder: "batches/ab" lists "batches/abc/x" too, as S3 does.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[storage.ObjectInfo, error] {
	return func(yield func(storage.ObjectInfo, error) bool) {
		// Walk from the deepest folder the prefix names in full.
		start := s.root
		if i := strings.LastIndex(prefix, "/"); i >= 0 {
			dirKey := prefix[:i]
			if err := storage.ValidateKey(dirKey); err != nil {
				yield(storage.ObjectInfo{}, err)
				return
			}
			start = filepath.Join(s.root, filepath.FromSlash(dirKey))
		}
		err := walkSorted(start, func(p string, d iofs.DirEntry) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			rel, err := filepath.Rel(s.root, p)
			if err != nil {
				return err
			}
			key := filepath.ToSlash(rel)
			if d.IsDir() {
				// Skip folders that cannot hold a match.
				if !strings.HasPrefix(key+"/", prefix) && !strings.HasPrefix(prefix, key+"/") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(d.Name(), TempPrefix) || !strings.HasPrefix(key, prefix) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				if errors.Is(err, iofs.ErrNotExist) {
					return nil // deleted while listing
				}
				return err
			}
			if !yield(storage.ObjectInfo{Key: key, Size: info.Size(), ModTime: info.ModTime()}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) && !errors.Is(err, iofs.ErrNotExist) {
			yield(storage.ObjectInfo{}, fmt.Errorf("list %s: %w", prefix, err))
		}
	}
}

var errStop = errors.New("stop")

// walkSorted visits the tree under root depth first. Unlike
// filepath.WalkDir it orders entries by their slash-joined key, so the
// listing order matches S3's lexical key order ("a/b" before "a.b").
func walkSorted(root string, fn func(string, iofs.DirEntry) error) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i].Name(), entries[j].Name()
		if entries[i].IsDir() {
			a += "/"
		}
		if entries[j].IsDir() {
			b += "/"
		}
		return a < b
	})
	for _, e := range entries {
		p := filepath.Join(root, e.Name())
		err := fn(p, e)
		if errors.Is(err, filepath.SkipDir) {
			continue
		}
		if err != nil {
			return err
		}
		if e.IsDir() {
			if err := walkSorted(p, fn); err != nil && !errors.Is(err, iofs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// Sweep removes temporary files under prefix older than olderThan: the
// leftovers of writers that died between create and rename.
func (s *Store) Sweep(ctx context.Context, prefix string, olderThan time.Duration) (int, error) {
	start := s.root
	if prefix != "" {
		p, err := s.LocalPath(strings.TrimSuffix(prefix, "/"))
		if err != nil {
			return 0, err
		}
		start = p
	}
	n := 0
	cutoff := time.Now().Add(-olderThan)
	err := filepath.WalkDir(start, func(p string, d iofs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, iofs.ErrNotExist) {
				return nil
			}
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), TempPrefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.ModTime().After(cutoff) {
			return nil
		}
		if os.Remove(p) == nil {
			n++
		}
		return nil
	})
	if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return n, fmt.Errorf("sweep %s: %w", prefix, err)
	}
	return n, nil
}

func mapErr(key string, err error) error {
	if errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("%s: %w", key, storage.ErrNotFound)
	}
	if errors.Is(err, syscall.ENOTDIR) { // a parent is a file, so key cannot exist
		return fmt.Errorf("%s: %w", key, storage.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", key, err)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
