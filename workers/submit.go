package workers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/sohoa/sohoa/ocr/source"
	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/workers/batch"
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
	// Attrs are recorded with the batch and in batch.json (title, fonds, priority...).
	Attrs map[string]string
	// OnUpload, if set, is called after each source is stored.
	OnUpload func(done, total int, name string)
	// Limits checked at submission (bytes per file, per batch).
	Limits source.Limits
}

// ErrEmptyBatch is returned when there is nothing to submit.
var ErrEmptyBatch = errors.New("no source files to submit")

// Submit stores the inputs as a new batch's sources, records the batch and
// queues the split of every source. It returns the batch ID.
func (f *Farm) Submit(ctx context.Context, inputs []Input, opt SubmitOptions) (string, error) {
	if len(inputs) == 0 {
		return "", ErrEmptyBatch
	}
	lim := opt.Limits.WithDefaults()
	now := time.Now().UTC()
	id := opt.ID
	if id == "" {
		id = batch.NewID(now)
	}
	if !batch.ValidID(id) {
		return "", fmt.Errorf("invalid batch id %q", id)
	}
	names := uniqueNames(inputs)
	refs := make([]queue.SourceRef, len(inputs))
	infos := make([]batch.Source, len(inputs))
	var total int64
	for i, in := range inputs {
		name, err := batch.CleanSourceName(names[i])
		if err != nil {
			return "", err
		}
		ref := queue.SourceRef{ID: queue.SourceID("", i), Name: name, Key: batch.SourceKey(id, name)}
		size, sum, err := f.storeSource(ctx, in, ref.Key, lim)
		if err != nil {
			return "", fmt.Errorf("upload %s: %w", name, err)
		}
		total += size
		if total > lim.MaxBatchBytes {
			return "", fmt.Errorf("upload %s: %w: the batch is over %d bytes, the limit per batch", name, source.ErrLimit, lim.MaxBatchBytes)
		}
		refs[i] = ref
		infos[i] = batch.Source{ID: ref.ID, Name: name, Key: ref.Key, Size: size, SHA256: sum}
		if opt.OnUpload != nil {
			opt.OnUpload(i+1, len(inputs), name)
		}
	}
	err := f.tracker.CreateBatch(ctx, queue.BatchInfo{ID: id, Created: now, Sources: refs, Attrs: opt.Attrs})
	if err != nil {
		return "", err
	}
	for _, s := range infos {
		j, _ := json.Marshal(s)
		if err := f.tracker.SetSourceInfo(ctx, id, s.ID, j); err != nil {
			return "", err
		}
	}
	if err := f.writeManifest(ctx, id, true); err != nil {
		return "", err
	}
	for _, ref := range refs {
		t, err := queue.NewSplitTask(queue.SplitPayload{BatchID: id, Source: ref}, f.stageFor(opt.Attrs, queue.QueueSplit))
		if err := f.enqueue(ctx, t, err); err != nil {
			return "", err
		}
	}
	f.log.Info("batch submitted", "batch", id, "sources", len(refs), "bytes", total)
	return id, nil
}

// stageFor returns the stage options for a batch, routed by its priority.
func (f *Farm) stageFor(attrs map[string]string, q string) queue.Options {
	o := f.stage(q)
	if o.Queue == "" {
		o.Queue = queue.QueueName(q, attrs["priority"])
	}
	return o
}

// pageStage returns the stage options for a page: large pages go to the
// large queue.
func (f *Farm) pageStage(attrs map[string]string, q string, p queue.PagePayload) queue.Options {
	o := f.stageFor(attrs, q)
	if p.Large {
		o.Queue = queue.QueueLarge
	}
	return o
}

// storeSource copies one input into the store, counting and hashing it.
func (f *Farm) storeSource(ctx context.Context, in Input, key string, lim source.Limits) (int64, string, error) {
	if in.Size > lim.MaxFileBytes {
		return 0, "", fmt.Errorf("%w: file is %d bytes, over the %d-byte limit per file", source.ErrLimit, in.Size, lim.MaxFileBytes)
	}
	rc, err := in.Open()
	if err != nil {
		return 0, "", err
	}
	defer rc.Close()
	h := sha256.New()
	cr := &countingReader{r: io.TeeReader(rc, h), limit: lim.MaxFileBytes}
	if err := f.store.Put(ctx, key, cr, storage.PutOptions{Size: in.Size}); err != nil {
		return 0, "", err
	}
	return cr.n, hexSum(h), nil
}

type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.limit > 0 && c.n > c.limit {
		return n, fmt.Errorf("%w: file is over the %d-byte limit per file", source.ErrLimit, c.limit)
	}
	return n, err
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// uniqueNames returns the inputs' names with duplicates made unique by a
// " (2)", " (3)" ... suffix before the extension.
func uniqueNames(inputs []Input) []string {
	seen := map[string]bool{}
	out := make([]string, len(inputs))
	for i, in := range inputs {
		name := in.Name
		ext := path.Ext(name)
		base := strings.TrimSuffix(name, ext)
		for n := 2; seen[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s (%d)%s", base, n, ext)
		}
		seen[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
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

func jitter() float64 { return rand.Float64() }
