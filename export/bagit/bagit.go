// Package bagit exports a finished batch from the shared store as a BagIt
// bag (RFC 8493, BagIt 1.0), the packaging archives use to transfer and
// keep digital objects with their checksums.
//
// The bag's payload keeps the store's layout under data/: data/batch.json,
// data/pages/<page-id>/{text.txt,hocr.html,alto.xml,image.png,page.json},
// the latest corrected text of a page with its record
// (corrections/text.v<N>.txt and .json), data/documents/<source-id>.pdf
// and, on request, data/sources/... The files are the ones batch.json
// lists (never a listing of the store), and each is checked against the
// SHA-256 batch.json records for it while it is copied. Tag files:
// bagit.txt, bag-info.txt, manifest-sha256.txt and tagmanifest-sha256.txt.
// docs/formats.md describes the bag.
//
// A bag goes to a Writer: a directory (DirWriter, which appears whole or
// not at all) or a zip stream (ZipWriter, which never needs to know a size
// in advance, so it can stream to an HTTP response).
package bagit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
)

// ErrChecksum is returned (wrapped) when a file in the store does not match
// the SHA-256 (or size) batch.json records for it: the store was changed
// after the file was written. The bag written so far must be discarded.
var ErrChecksum = errors.New("checksum mismatch")

// ErrNotFinished is returned (wrapped) for a batch whose status is not
// final yet (queued, running, cancelling).
var ErrNotFinished = errors.New("batch not finished")

// Tag file names.
const (
	FileBagIt       = "bagit.txt"
	FileBagInfo     = "bag-info.txt"
	FileManifest    = "manifest-sha256.txt"
	FileTagManifest = "tagmanifest-sha256.txt"
)

// Writer receives the files of a bag, one at a time, each named by its
// slash-separated path relative to the bag's base directory ("bagit.txt",
// "data/pages/0000-0000/text.txt"). Export closes each file before it
// creates the next.
type Writer interface {
	Create(name string) (io.WriteCloser, error)
}

// Options tune an export. The zero value exports everything but the sources.
type Options struct {
	// IncludeSources adds the original files (sources[].key) under data/sources/.
	IncludeSources bool
	// SourceOrganization is bag-info.txt's Source-Organization (the archive
	// or agency). Empty: left out.
	SourceOrganization string
	// Version is sohoa's version, for Bag-Software-Agent ("sohoa <Version>").
	// Empty: "sohoa" alone.
	Version string
	// Now is the bagging time (its date is Bagging-Date). Zero: time.Now().
	Now time.Time
	// Info is more bag-info.txt metadata, written in order after the
	// standard elements (e.g. Contact-Name, or document metadata). Labels
	// must not contain ':' or line breaks, nor start or end with
	// whitespace; Payload-Oxum, Bagging-Date, Bag-Size and Bag-Count are
	// computed and refused here.
	Info []Field
}

// Field is one bag-info.txt metadata element.
type Field struct {
	Label, Value string
}

// Result describes an exported bag.
type Result struct {
	// Files are the payload files in the order they were written.
	Files []File
	// Octets and Streams are the payload's total size and file count
	// (bag-info.txt's Payload-Oxum "<Octets>.<Streams>").
	Octets  int64
	Streams int
	// Verified counts the payload files checked against a SHA-256 in batch.json.
	Verified int
}

// File is one payload file of a bag.
type File struct {
	// Path in the bag, "data/pages/0000-0000/text.txt".
	Path string
	// Key in the store it was copied from.
	Key    string
	Size   int64
	SHA256 string
}

// Oxum is the bag's Payload-Oxum.
func (r *Result) Oxum() string { return fmt.Sprintf("%d.%d", r.Octets, r.Streams) }

// expect is a checksum (or size) batch.json records for a file, and where.
type expect struct {
	shaField  string // where batch.json records the SHA-256: "pages[3].sha256.text"
	sha256    string // "": not recorded
	sizeField string // where it records the size: "sources[0].size"
	size      int64  // -1: not recorded
}

type entry struct {
	key, path string
	want      []expect
}

// Export writes the bag of batch batchID to w. It does not finish w: on
// success, Close it (the zip's central directory, the directory's rename
// into place); on error, discard it (DirWriter.Abort, or drop the zip
// stream, which is then incomplete). The batch must be finished.
func Export(ctx context.Context, store storage.Store, batchID string, w Writer, opt Options) (*Result, error) {
	if !batch.ValidID(batchID) {
		return nil, fmt.Errorf("export batch %q: not a batch id", batchID)
	}
	if err := checkInfo(opt.Info); err != nil {
		return nil, fmt.Errorf("export batch %s: %w", batchID, err)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	m, raw, err := batch.ReadRaw(ctx, store, batchID)
	if err != nil {
		return nil, fmt.Errorf("export %w", err)
	}
	if !m.Status.Final() {
		return nil, fmt.Errorf("export batch %s: status %q: %w", batchID, m.Status, ErrNotFinished)
	}
	entries, err := payload(m, opt.IncludeSources)
	if err != nil {
		return nil, fmt.Errorf("export batch %s: %w", batchID, err)
	}

	res := &Result{}
	tags := map[string]string{} // tag file -> SHA-256
	if tags[FileBagIt], err = writeTag(w, FileBagIt, "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"); err != nil {
		return nil, fmt.Errorf("export batch %s: %w", batchID, err)
	}
	// batch.json is the copy read above, so the bag holds the manifest
	// every other file was checked against.
	f, err := writeFile(w, "data/batch.json", batch.ManifestKey(batchID), bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("export batch %s: %w", batchID, err)
	}
	res.add(f, false)
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("export batch %s: %w", batchID, err)
		}
		f, err := copyEntry(ctx, store, w, e)
		if err != nil {
			return nil, fmt.Errorf("export batch %s: %w", batchID, err)
		}
		res.add(f, len(e.want) > 0)
	}

	info := bagInfo(m, res, now, opt)
	if tags[FileBagInfo], err = writeTag(w, FileBagInfo, info); err != nil {
		return nil, fmt.Errorf("export batch %s: %w", batchID, err)
	}
	var man strings.Builder
	files := slices.Clone(res.Files)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	for _, f := range files {
		fmt.Fprintf(&man, "%s  %s\n", f.SHA256, encodePath(f.Path))
	}
	if tags[FileManifest], err = writeTag(w, FileManifest, man.String()); err != nil {
		return nil, fmt.Errorf("export batch %s: %w", batchID, err)
	}
	var tm strings.Builder
	for _, name := range []string{FileBagIt, FileBagInfo, FileManifest} {
		fmt.Fprintf(&tm, "%s  %s\n", tags[name], name)
	}
	if _, err := writeTag(w, FileTagManifest, tm.String()); err != nil {
		return nil, fmt.Errorf("export batch %s: %w", batchID, err)
	}
	return res, nil
}

func (r *Result) add(f File, verified bool) {
	r.Files = append(r.Files, f)
	r.Octets += f.Size
	r.Streams++
	if verified {
		r.Verified++
	}
}

// payload lists the files batch.json names, in the order sources, pages,
// documents; a key named twice is copied once and checked against every
// checksum recorded for it.
func payload(m *batch.Manifest, sources bool) ([]entry, error) {
	prefix := batch.Prefix(m.ID)
	var entries []entry
	index := map[string]int{}
	// keyField says where batch.json names the key, for messages.
	add := func(key, keyField string, want expect) error {
		if key == "" {
			return nil
		}
		if err := storage.ValidateKey(key); err != nil {
			return fmt.Errorf("batch.json's %s: %w", keyField, err)
		}
		rel, ok := strings.CutPrefix(key, prefix)
		if !ok || rel == "batch.json" {
			return fmt.Errorf("batch.json's %s: %s is not a file of the batch (outside %s)", keyField, key, prefix)
		}
		i, seen := index[key]
		if !seen {
			i = len(entries)
			index[key] = i
			entries = append(entries, entry{key: key, path: "data/" + rel})
		}
		if want.sha256 != "" || want.size >= 0 {
			entries[i].want = append(entries[i].want, want)
		}
		return nil
	}
	none := expect{size: -1}
	if sources {
		for i, s := range m.Sources {
			f := fmt.Sprintf("sources[%d]", i)
			if err := add(s.Key, f+".key", expect{f + ".sha256", s.SHA256, f + ".size", s.Size}); err != nil {
				return nil, err
			}
		}
	}
	for i, p := range m.Pages {
		f := fmt.Sprintf("pages[%d]", i)
		for _, o := range []struct{ name, key string }{
			{"text", p.Text}, {"hocr", p.HOCR}, {"alto", p.ALTO}, {"image", p.Image}, {"color", p.Color}, {"record", p.Record},
		} {
			if err := add(o.key, f+"."+o.name, expect{f + ".sha256." + o.name, p.SHA256[o.name], "", -1}); err != nil {
				return nil, err
			}
		}
		// The latest correction by a person, and its record (who, when) beside it.
		if c := p.Corrected; c != nil && c.Text != "" {
			if err := add(c.Text, f+".corrected.text", expect{f + ".corrected.sha256", c.SHA256, "", -1}); err != nil {
				return nil, err
			}
			if err := add(c.RecordKey(), f+".corrected.text (its record)", none); err != nil {
				return nil, err
			}
		}
	}
	for i, d := range m.Documents {
		f := fmt.Sprintf("documents[%d]", i)
		if err := add(d.PDF, f+".pdf", expect{f + ".sha256", d.SHA256, "", -1}); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// copyEntry copies one store object into the bag, hashing it on the way,
// and checks it against what batch.json records.
func copyEntry(ctx context.Context, store storage.Store, w Writer, e entry) (File, error) {
	rc, err := store.Get(ctx, e.key)
	if err != nil {
		return File{}, err // names the key
	}
	defer rc.Close()
	f, err := writeFile(w, e.path, e.key, storage.ContextReader(ctx, rc))
	if err != nil {
		return File{}, err
	}
	for _, x := range e.want {
		if x.sha256 != "" && !strings.EqualFold(x.sha256, f.SHA256) {
			return File{}, fmt.Errorf("%w: %s has SHA-256 %s but batch.json's %s is %s: the store was changed after the batch was written",
				ErrChecksum, e.key, f.SHA256, x.shaField, x.sha256)
		}
		if x.size >= 0 && x.size != f.Size {
			return File{}, fmt.Errorf("%w: %s has %d bytes but batch.json's %s is %d: the store was changed after the batch was written",
				ErrChecksum, e.key, f.Size, x.sizeField, x.size)
		}
	}
	return f, nil
}

func writeFile(w Writer, path, key string, r io.Reader) (File, error) {
	out, err := w.Create(path)
	if err != nil {
		return File{}, fmt.Errorf("create %s: %w", path, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if err != nil {
		out.Close()
		return File{}, fmt.Errorf("copy %s to %s: %w", key, path, err)
	}
	if err := out.Close(); err != nil {
		return File{}, fmt.Errorf("write %s: %w", path, err)
	}
	return File{Path: path, Key: key, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeTag(w Writer, name, content string) (string, error) {
	f, err := writeFile(w, name, "", strings.NewReader(content))
	return f.SHA256, err
}

// encodePath percent-encodes the characters RFC 8493 §2.1.3 requires in a
// manifest's file path: CR, LF and %.
func encodePath(p string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(p)
}

// Labels computed by Export, which RFC 8493 §2.2.2 says must not repeat.
var computedLabels = []string{"Payload-Oxum", "Bagging-Date", "Bag-Size", "Bag-Count"}

func checkInfo(fields []Field) error {
	for _, f := range fields {
		l := f.Label
		switch {
		case l == "":
			return errors.New("bag-info.txt: empty label")
		case strings.ContainsAny(l, ":\r\n"):
			return fmt.Errorf("bag-info.txt: label %q contains ':' or a line break", l)
		case strings.TrimSpace(l) != l:
			return fmt.Errorf("bag-info.txt: label %q starts or ends with whitespace", l)
		case !utf8.ValidString(l) || !utf8.ValidString(f.Value):
			return fmt.Errorf("bag-info.txt: %q is not UTF-8", l)
		}
		for _, c := range computedLabels {
			if strings.EqualFold(l, c) {
				return fmt.Errorf("bag-info.txt: %s is computed by the export", c)
			}
		}
	}
	return nil
}

func bagInfo(m *batch.Manifest, res *Result, now time.Time, opt Options) string {
	agent := "sohoa"
	if opt.Version != "" {
		agent += " " + opt.Version
	}
	fields := []Field{}
	if opt.SourceOrganization != "" {
		fields = append(fields, Field{"Source-Organization", opt.SourceOrganization})
	}
	if title := m.Attrs["title"]; title != "" {
		fields = append(fields, Field{"External-Description", title})
	}
	fields = append(fields,
		Field{"External-Identifier", m.ID},
		Field{"Bagging-Date", now.Format(time.DateOnly)},
		Field{"Bag-Size", humanSize(res.Octets)},
		Field{"Payload-Oxum", res.Oxum()},
		Field{"Bag-Software-Agent", agent},
	)
	fields = append(fields, opt.Info...)
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(fold(f.Label, f.Value))
	}
	return b.String()
}

// lineWidth is RFC 8493's recommended longest bag-info.txt line.
const lineWidth = 79

// fold formats one bag-info.txt element. A value too long for one line is
// folded at spaces: the space becomes a line break followed by one space
// (so unfolding by removing the line break restores it); a line break in
// the value starts a continuation line. A word longer than a line stays
// whole, and the first word always stays on the label's line.
func fold(label, value string) string {
	value = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(value), "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	b.WriteString(label + ":")
	col := utf8.RuneCountInString(label) + 1
	for i, line := range strings.Split(value, "\n") {
		if i > 0 {
			b.WriteString("\n")
			col = 0
		}
		for j, word := range strings.Split(strings.TrimRight(line, " \t"), " ") {
			n := utf8.RuneCountInString(word)
			if j > 0 && col+1+n > lineWidth {
				b.WriteString("\n")
				col = 0
			}
			// The space that separates words, or indents a continuation line.
			b.WriteString(" " + word)
			col += 1 + n
		}
	}
	b.WriteString("\n")
	return b.String()
}

// humanSize is Bag-Size: decimal units, as RFC 8493's "260 GB".
func humanSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for q := n / unit; q >= unit; q /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
