package bagit

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

var (
	_ Writer = (*DirWriter)(nil)
	_ Writer = (*ZipWriter)(nil)
)

// DirWriter writes a bag into a new directory. Files go to a hidden
// temporary directory beside it, each fsynced; Close renames that into
// place, so the bag appears whole or not at all.
type DirWriter struct {
	dir, tmp string
	closed   bool
}

// NewDirWriter prepares a bag at dir, which must not exist yet (its parent
// is created if needed).
func NewDirWriter(dir string) (*DirWriter, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("bag directory %s: %w", dir, err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return nil, fmt.Errorf("bag directory %s: %w", abs, os.ErrExist)
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("bag directory %s: %w", abs, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".bagit-tmp-")
	if err != nil {
		return nil, fmt.Errorf("bag directory %s: %w", abs, err)
	}
	return &DirWriter{dir: abs, tmp: tmp}, nil
}

// Dir is where the bag appears on Close.
func (d *DirWriter) Dir() string { return d.dir }

// Create creates the file name (slash-separated, relative to the bag).
func (d *DirWriter) Create(name string) (io.WriteCloser, error) {
	if d.closed {
		return nil, errors.New("bag directory already closed")
	}
	local := filepath.FromSlash(name)
	if strings.Contains(name, `\`) || !filepath.IsLocal(local) {
		return nil, fmt.Errorf("bag file %q: not a relative path inside the bag", name)
	}
	p := filepath.Join(d.tmp, local)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return syncFile{f}, nil
}

// Close moves the finished bag into place.
func (d *DirWriter) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	if _, err := os.Lstat(d.dir); err == nil {
		_ = os.RemoveAll(d.tmp)
		return fmt.Errorf("bag directory %s: %w", d.dir, os.ErrExist)
	}
	if err := os.Rename(d.tmp, d.dir); err != nil {
		_ = os.RemoveAll(d.tmp)
		return fmt.Errorf("bag directory %s: %w", d.dir, err)
	}
	if pd, err := os.Open(filepath.Dir(d.dir)); err == nil {
		_ = pd.Sync()
		pd.Close()
	}
	return nil
}

// Abort removes whatever was written; the bag directory never appears.
func (d *DirWriter) Abort() error {
	if d.closed {
		return nil
	}
	d.closed = true
	return os.RemoveAll(d.tmp)
}

type syncFile struct{ *os.File }

func (f syncFile) Close() error {
	if err := f.File.Sync(); err != nil {
		f.File.Close()
		return err
	}
	return f.File.Close()
}

// ZipWriter writes a bag as a zip stream: one top-level directory, the
// bag's base directory, holding the bag (RFC 8493 §4.2). Entries are
// streamed (sizes and CRCs follow each entry's data), so the zip can go
// straight to an HTTP response. Files already compressed (PNG, JPEG, PDF,
// zip...) are stored, others deflated.
type ZipWriter struct {
	zw   *zip.Writer
	base string
	now  time.Time
}

// NewZipWriter writes a zip to w whose top-level directory is name
// (conventionally the batch id, the zip named name + ".zip").
func NewZipWriter(w io.Writer, name string) (*ZipWriter, error) {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("bag name %q: not a single path element", name)
	}
	return &ZipWriter{zw: zip.NewWriter(w), base: name, now: time.Now()}, nil
}

// Create starts the entry for name; it ends when the next one starts.
func (z *ZipWriter) Create(name string) (io.WriteCloser, error) {
	if !filepath.IsLocal(filepath.FromSlash(name)) || strings.Contains(name, `\`) {
		return nil, fmt.Errorf("bag file %q: not a relative path inside the bag", name)
	}
	method := zip.Deflate
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".jp2", ".pdf", ".zip", ".gz", ".webp":
		method = zip.Store
	}
	w, err := z.zw.CreateHeader(&zip.FileHeader{Name: z.base + "/" + name, Method: method, Modified: z.now})
	if err != nil {
		return nil, err
	}
	return nopCloser{w}, nil
}

// Close writes the zip's central directory. It does not close the
// underlying writer.
func (z *ZipWriter) Close() error { return z.zw.Close() }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
