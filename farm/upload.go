package farm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/sohoa/sohoa/export/webhook"
	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// Input is one source file to submit.
type Input struct {
	// Name is the source name recorded in the manifest (a relative path).
	Name string
	// Size in bytes if known, else -1.
	Size int64
	// Open opens the file's content.
	Open func() (io.ReadCloser, error)
}

// SubmitOptions are a batch's settings.
type SubmitOptions struct {
	// ID to use; empty makes a new one.
	ID string
	// Attrs are recorded with the batch and in batch.json (title, fonds,
	// priority: queue.PriorityNormal or queue.PriorityHigh).
	Attrs map[string]string
	// Webhook is the batch's own receiver of its completion event, if any
	// (docs/events.md).
	Webhook webhook.Target
	// OnUpload, if set, is called after each source is stored.
	OnUpload func(done, total int, name string)
	// Limits checked at submission (bytes per file, per batch). Zero: the
	// Uploader's (Config.Limits).
	Limits source.Limits
}

// Uploader stores new batches' files in the store, records the batches
// and queues the split of their files.
type Uploader struct {
	store     storage.Store
	tracker   *Tracker
	manifests *Manifests
	client    *queue.Client
	limits    source.Limits
	log       *slog.Logger
}

// NewUploader returns an Uploader. Close it when done.
func NewUploader(cfg Config) (*Uploader, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	tr := NewTracker(cfg.Redis)
	return &Uploader{store: cfg.Store, tracker: tr, manifests: newManifests(cfg, tr), client: queue.NewClient(cfg.Redis, cfg.Stages),
		limits: cfg.Limits, log: cfg.Logger.With("worker", cfg.Name)}, nil
}

// Close releases the queue client (not the Redis client, which the caller owns).
func (u *Uploader) Close() error { return u.client.Close() }

// ErrEmptyBatch is returned when there is nothing to submit.
var ErrEmptyBatch = errors.New("no source files to submit")

// Submit stores the inputs as a new batch's sources, records the batch and
// queues the split of every source. It returns the batch ID.
func (u *Uploader) Submit(ctx context.Context, inputs []Input, opt SubmitOptions) (string, error) {
	if len(inputs) == 0 {
		return "", ErrEmptyBatch
	}
	up, err := u.NewUpload(opt)
	if err != nil {
		return "", err
	}
	for i, in := range inputs {
		if in.Size > up.lim.MaxFileBytes {
			up.Abort(context.WithoutCancel(ctx))
			return "", fmt.Errorf("upload %s: %w: file is %d bytes, over the %d-byte limit per file", in.Name, source.ErrLimit, in.Size, up.lim.MaxFileBytes)
		}
		rc, err := in.Open()
		if err != nil {
			up.Abort(context.WithoutCancel(ctx))
			return "", err
		}
		name, err := up.Add(ctx, in.Name, rc, in.Size)
		rc.Close()
		if err != nil {
			up.Abort(context.WithoutCancel(ctx))
			return "", err
		}
		if opt.OnUpload != nil {
			opt.OnUpload(i+1, len(inputs), name)
		}
	}
	return up.Commit(ctx)
}

// Upload is a batch being uploaded: sources are streamed into the store
// one by one (Add), then the batch is recorded and queued (Commit). The
// HTTP API streams multipart uploads through it.
type Upload struct {
	up    *Uploader
	id    string
	now   time.Time
	attrs map[string]string
	hook  webhook.Target
	lim   source.Limits
	refs  []queue.SourceRef
	infos []batch.Source
	// seen holds the names taken (lower case); next, for a name given
	// more than once, the suffix number to try next, so making names
	// unique costs the same for the 2nd copy as for the 2,000th.
	seen  map[string]bool
	next  map[string]int
	total int64
	done  bool
}

// NewUpload starts a batch upload.
func (u *Uploader) NewUpload(opt SubmitOptions) (*Upload, error) {
	now := time.Now().UTC()
	id := opt.ID
	if id == "" {
		id = batch.NewID(now)
	}
	if !batch.ValidID(id) {
		return nil, fmt.Errorf("invalid batch id %q", id)
	}
	lim := opt.Limits
	if lim == (source.Limits{}) {
		lim = u.limits // the farm's configured limits
	}
	return &Upload{up: u, id: id, now: now, attrs: opt.Attrs, hook: opt.Webhook, lim: lim.WithDefaults(), seen: map[string]bool{}, next: map[string]int{}}, nil
}

// ID is the batch id the upload will have.
func (u *Upload) ID() string { return u.id }

// Bytes is the number of bytes uploaded so far.
func (u *Upload) Bytes() int64 { return u.total }

// Add streams one source into the store under name (made unique within
// the batch) and returns the name used. size is the length if known, or -1.
// Over a limit it fails with an error wrapping source.ErrLimit.
func (u *Upload) Add(ctx context.Context, name string, r io.Reader, size int64) (string, error) {
	clean, err := batch.CleanSourceName(name)
	if err != nil {
		return "", err
	}
	clean = u.unique(clean)
	room := u.lim.MaxBatchBytes - u.total
	if room <= 0 {
		return "", fmt.Errorf("upload %s: %w: the batch is already at the %d-byte limit per batch", clean, source.ErrLimit, u.lim.MaxBatchBytes)
	}
	ref := queue.SourceRef{ID: batch.SourceID("", len(u.refs)), Name: clean, Key: batch.SourceKey(u.id, clean)}
	lr := &limitReader{r: r, limit: min(u.lim.MaxFileBytes, room), perFile: u.lim.MaxFileBytes, perBatch: u.lim.MaxBatchBytes}
	n, sum, err := storage.PutSum(ctx, u.up.store, ref.Key, lr, storage.PutOptions{Size: size})
	if err != nil {
		// A failed Put stores nothing; Delete also removes the folders
		// made for it.
		u.up.store.Delete(context.WithoutCancel(ctx), ref.Key)
		return "", fmt.Errorf("upload %s: %w", clean, err)
	}
	u.total += n
	u.refs = append(u.refs, ref)
	u.infos = append(u.infos, batch.Source{ID: ref.ID, Name: clean, Key: ref.Key, Size: n, SHA256: sum})
	return clean, nil
}

// unique returns name, or "name (n).ext" with the first n from 2 that
// makes it unique in the upload (case-insensitively), and takes it.
func (u *Upload) unique(name string) string {
	key := strings.ToLower(name)
	if u.seen[key] {
		ext := path.Ext(name)
		base := strings.TrimSuffix(name, ext)
		n := max(u.next[key], 2)
		for ; u.seen[strings.ToLower(fmt.Sprintf("%s (%d)%s", base, n, ext))]; n++ {
		}
		u.next[key] = n + 1
		name = fmt.Sprintf("%s (%d)%s", base, n, ext)
	}
	u.seen[strings.ToLower(name)] = true
	return name
}

// SetAttr sets a batch attribute before Commit (a form field that came
// after the files).
func (u *Upload) SetAttr(name, value string) {
	if u.attrs == nil {
		u.attrs = map[string]string{}
	}
	u.attrs[name] = value
}

// Attr returns a batch attribute set so far.
func (u *Upload) Attr(name string) string { return u.attrs[name] }

// Commit records the batch and queues the split of every source.
func (u *Upload) Commit(ctx context.Context) (string, error) {
	if len(u.refs) == 0 {
		return "", ErrEmptyBatch
	}
	up := u.up
	info := BatchInfo{ID: u.id, Created: u.now, Sources: u.refs, Attrs: u.attrs, Webhook: u.hook}
	if err := up.tracker.CreateBatch(ctx, info); err != nil {
		return "", err
	}
	u.done = true
	for _, s := range u.infos {
		if err := up.tracker.SetSourceInfo(ctx, u.id, s); err != nil {
			return "", err
		}
	}
	if err := up.manifests.Write(ctx, u.id, true); err != nil {
		return "", err
	}
	for _, ref := range u.refs {
		if err := up.client.Split(ctx, queue.SplitPayload{BatchID: u.id, Source: ref, Priority: u.attrs["priority"]}); err != nil {
			return "", err
		}
	}
	up.log.Info("batch submitted", "batch", u.id, "sources", len(u.refs), "bytes", u.total)
	return u.id, nil
}

// Abort removes the sources uploaded so far (a failed or refused upload).
func (u *Upload) Abort(ctx context.Context) {
	if u.done {
		return
	}
	for _, r := range u.refs {
		u.up.store.Delete(ctx, r.Key)
	}
	u.refs, u.infos = nil, nil
}

// limitReader fails once more than limit bytes come through it, naming
// the per-file or the per-batch limit, whichever limit is.
type limitReader struct {
	r                 io.Reader
	n                 int64
	limit             int64
	perFile, perBatch int64
}

func (c *limitReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		if c.limit == c.perFile {
			return n, fmt.Errorf("%w: file is over the %d-byte limit per file", source.ErrLimit, c.perFile)
		}
		return n, fmt.Errorf("%w: the batch is over the %d-byte limit per batch", source.ErrLimit, c.perBatch)
	}
	return n, err
}

// SourceExtensions are the file extensions taken from folders. A file
// named on the command line is always taken; its type is decided by content.
var SourceExtensions = []string{".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".pdf", ".jp2", ".j2k", ".jpx", ".jpf",
	".webp", ".bmp", ".gif", ".pnm", ".pgm", ".ppm", ".pbm", ".zip"}

// CollectInputs turns command-line paths into inputs. A file is taken as
// is, named by its base name. A folder is walked recursively; files with a
// SourceExtensions extension are taken (hidden files and folders skipped),
// named "<folder>/<path inside it>", in lexical order.
func CollectInputs(paths []string) ([]Input, error) {
	var out []Input
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, fileInput(p, filepath.Base(p), st.Size()))
			continue
		}
		root := filepath.Clean(p)
		base := filepath.Base(root)
		if base == "." || base == "/" {
			if abs, err := filepath.Abs(root); err == nil {
				base = filepath.Base(abs)
			}
		}
		n := 0
		err = filepath.WalkDir(root, func(fp string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if fp != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() || !hasSourceExt(d.Name()) {
				return nil
			}
			rel, err := filepath.Rel(root, fp)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			out = append(out, fileInput(fp, path.Join(base, filepath.ToSlash(rel)), info.Size()))
			n++
			return nil
		})
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: no page images in this folder (looked for %s)", p, strings.Join(SourceExtensions, " "))
		}
	}
	return out, nil
}

func hasSourceExt(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range SourceExtensions {
		if e == ext {
			return true
		}
	}
	return false
}

func fileInput(p, name string, size int64) Input {
	return Input{Name: name, Size: size, Open: func() (io.ReadCloser, error) { return os.Open(p) }}
}
