package source

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ArchiveEntry is one file of a zip archive, handed to ReadArchive's
// callback.
type ArchiveEntry struct {
	// Name is the entry's path inside the archive, cleaned: relative,
	// slash-separated, no "." or ".." parts ("hop 1/trang 01.tif").
	// Backslashes count as separators; bytes that are not UTF-8 are
	// written %XX.
	Name string
	// Size is the uncompressed size the archive declares. It is not
	// trusted: Reader counts what it actually produces.
	Size     int64
	Modified time.Time
	// Reader reads the entry's content. It fails with an error wrapping
	// ErrLimit once the entry passes Limits.MaxFileBytes or the archive
	// passes Limits.MaxArchiveBytes, and with ErrCorrupt when the data is
	// damaged. It is valid only during the callback.
	Reader io.Reader
}

// RefusedEntry is a zip entry ReadArchive did not hand to its callback, or
// one whose reading failed, and why.
type RefusedEntry struct {
	// Name is the entry's name as stored (bytes that are not UTF-8 are
	// written %XX).
	Name string
	// Reason is a sentence for the archivist: "the path climbs out of the
	// archive (..)".
	Reason string
	// Metadata is true for operating-system files that are not scans
	// (__MACOSX/, .DS_Store, Thumbs.db, desktop.ini): worth a log line,
	// not a failed page.
	Metadata bool
}

// ReadArchive expands the zip file at path: it calls fn for each file
// entry, in the archive's order, with a reader of its content. Directories
// are skipped. Entries that are unsafe or unreadable are not passed to fn
// but returned as refused, with the reason:
//   - a path that is absolute (/x, C:\x, \\server\x) or climbs out (../x,
//     a\..\..\x), a name with control characters (C0, C1) or invisible
//     direction controls, over 768 bytes, or with a part over 255 bytes;
//   - a symbolic link, a password-protected entry, an unknown compression
//     method, a second entry with the same cleaned name;
//   - a zip inside the zip (nested archives are not expanded: upload the
//     inner zip on its own);
//   - operating-system metadata (Metadata set).
//
// An entry whose reader failed (damaged data, or over the per-file limit)
// while fn read it is refused too if fn returns that failure; fn must then
// discard what it wrote of it. The archive fails as a whole (error wraps
// ErrLimit, ErrCorrupt or ErrUnsupported) when it is not a readable zip,
// has more than Limits.MaxArchiveEntries entries (counted before anything is
// read, so a forged central directory costs nothing), expands past
// Limits.MaxArchiveBytes, or is an Office document. Any other error fn
// returns stops the expansion and is returned as is.
func ReadArchive(path string, limits Limits, fn func(ArchiveEntry) error) ([]RefusedEntry, error) {
	lim := limits.WithDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > lim.MaxFileBytes {
		return nil, fmt.Errorf("%w: the zip is %d bytes, over the %d-byte limit per file", ErrLimit, st.Size(), lim.MaxFileBytes)
	}
	n, err := countZipEntries(f, st.Size(), lim.MaxArchiveEntries)
	if err != nil {
		return nil, err
	}
	if n > lim.MaxArchiveEntries {
		return nil, fmt.Errorf("%w: the zip has more than %d entries, the limit per archive; split it into smaller zips",
			ErrLimit, lim.MaxArchiveEntries)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // insecure names are refused one by one below
		return nil, fmt.Errorf("%w: damaged zip: %s; create the zip again", ErrCorrupt, strings.TrimPrefix(err.Error(), "zip: "))
	}
	if kind := officeDocument(zr.File); kind != "" {
		return nil, fmt.Errorf("%w: %s, not a zip of scans; save it as PDF and upload that", ErrUnsupported, kind)
	}

	var refused []RefusedEntry
	refuse := func(name, reason string) { refused = append(refused, RefusedEntry{Name: name, Reason: reason}) }
	seen := map[string]bool{}
	// Entries that share their compressed data (a zip bomb that reaches
	// any ratio without one entry passing it) add up to more than the file.
	var packed uint64
	for _, zf := range zr.File {
		packed += min(zf.CompressedSize64, 1<<62)
	}
	if packed > uint64(st.Size()) {
		return nil, fmt.Errorf("%w: the zip's entries share their data (their compressed sizes add up to %d bytes, more than the %d-byte file): a zip bomb",
			ErrLimit, packed, st.Size())
	}
	total := &archiveBudget{left: lim.MaxArchiveBytes, limit: lim.MaxArchiveBytes, ratio: lim.MaxArchiveRatio}
	for _, zf := range zr.File {
		raw := escapeName(zf.Name)
		if zf.Mode().IsDir() || strings.HasSuffix(strings.ReplaceAll(zf.Name, `\`, "/"), "/") {
			continue
		}
		name, reason := cleanEntryName(zf.Name)
		switch {
		case reason != "":
			refuse(raw, reason)
			continue
		case isMetadata(name):
			refused = append(refused, RefusedEntry{Name: raw, Reason: "operating-system metadata, not a scan (skipped)", Metadata: true})
			continue
		case zf.Mode()&fs.ModeSymlink != 0:
			refuse(raw, "a symbolic link, not a file")
			continue
		case zf.Flags&1 != 0:
			refuse(raw, "the entry is password protected; create the zip again without a password")
			continue
		case zf.Method != zip.Store && zf.Method != zip.Deflate:
			refuse(raw, fmt.Sprintf("compressed with method %d, which this worker cannot read; create the zip again with standard (Deflate) compression", zf.Method))
			continue
		case seen[name]:
			refuse(raw, "a second entry with the same name")
			continue
		}
		seen[name] = true
		rc, err := zf.Open()
		if err != nil {
			refuse(raw, "damaged entry: "+strings.TrimPrefix(err.Error(), "zip: "))
			continue
		}
		er := &entryReader{r: rc, left: lim.MaxFileBytes, limit: lim.MaxFileBytes, total: total, name: name,
			packed: int64(min(zf.CompressedSize64, 1<<62))}
		br := bufio.NewReaderSize(er, 4096)
		head, _ := br.Peek(8)
		if Sniff(head) == KindZIP {
			rc.Close()
			refuse(raw, "a zip inside the zip: nested archives are not expanded; upload the inner zip on its own")
			continue
		}
		err = fn(ArchiveEntry{Name: name, Size: int64(zf.UncompressedSize64), Modified: zf.Modified, Reader: br})
		rc.Close()
		switch {
		case total.over:
			return refused, total.failed
		case err != nil && er.failed != nil:
			refuse(raw, strings.TrimPrefix(describeSentinel(er.failed), "zip: "))
		case err != nil:
			return refused, err
		}
	}
	return refused, nil
}

// describeSentinel drops the sentinel's text from an error message.
func describeSentinel(err error) string {
	s := err.Error()
	for _, e := range []error{ErrLimit, ErrCorrupt, ErrUnsupported} {
		s = strings.Replace(s, e.Error()+": ", "", 1)
	}
	return s
}

// archiveBudget is the bytes an archive may still expand to.
type archiveBudget struct {
	left, limit int64
	ratio       int64 // most times its compressed size an entry may expand to
	over        bool
	failed      error
}

// entryReader counts what an entry actually expands to.
type entryReader struct {
	r           io.Reader
	left, limit int64
	packed      int64 // the entry's compressed size
	total       *archiveBudget
	name        string
	failed      error
}

// overRatio reports whether expanded bytes from packed ones pass the ratio
// (past ArchiveRatioFloor).
func overRatio(expanded, packed, ratio int64) bool {
	return expanded > ArchiveRatioFloor && expanded/ratio > packed
}

func (e *entryReader) Read(p []byte) (int, error) {
	if e.failed != nil {
		return 0, e.failed
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	e.total.left -= int64(n)
	expanded := e.limit - e.left
	switch {
	case e.total.left < 0:
		e.total.over = true
		e.failed = fmt.Errorf("%w: the zip expands to more than %d bytes, the limit per archive (a zip bomb?)", ErrLimit, e.total.limit)
		e.total.failed = e.failed
	case e.left < 0:
		e.failed = fmt.Errorf("%w: the file expands to more than %d bytes, the limit per file", ErrLimit, e.limit)
	case overRatio(expanded, e.packed, e.total.ratio):
		e.failed = fmt.Errorf("%w: the file expands to more than %d times its compressed size (%d bytes so far from %d): "+
			"refused as a zip bomb; zip such files with less compression or upload them unzipped", ErrLimit, e.total.ratio, expanded, e.packed)
	case err != nil && !errors.Is(err, io.EOF):
		e.failed = fmt.Errorf("%w: damaged entry: %s", ErrCorrupt, strings.TrimPrefix(err.Error(), "zip: "))
	}
	if e.failed != nil {
		return 0, e.failed
	}
	return n, err
}

// Limits of an entry's name: what a source name may be (batch.CleanSourceName).
const (
	maxEntryName    = 768
	maxEntrySegment = 255
)

// cleanEntryName makes a zip entry name a safe relative path, or says why
// it cannot be one.
func cleanEntryName(raw string) (string, string) {
	name := escapeName(raw)
	if len(name) > maxEntryName {
		return "", fmt.Sprintf("the name is longer than %d bytes", maxEntryName)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", "the name contains control characters"
		}
		if r == 0x200E || r == 0x200F || r == 0x061C || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
			return "", "the name contains an invisible direction control, which makes it read other than it is"
		}
	}
	name = strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(name, "/") || (len(name) >= 2 && name[1] == ':' && isLetter(name[0])) {
		return "", "the path is absolute (it would be written outside the upload)"
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", "the path climbs out of the archive (..)"
		}
		if len(part) > maxEntrySegment {
			return "", fmt.Sprintf("a folder or file name in the path is longer than %d bytes", maxEntrySegment)
		}
		if strings.Contains(part, ":") {
			return "", "the name contains a colon (a drive letter or an alternate data stream)"
		}
	}
	name = path.Clean(name)
	if name == "." || name == "" {
		return "", "the entry has no name"
	}
	return name, ""
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// escapeName writes the bytes of s that are not UTF-8 as %XX.
func escapeName(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, "%%%02X", s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func isMetadata(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, "._") ||
		base == ".DS_Store" || strings.EqualFold(base, "Thumbs.db") || strings.EqualFold(base, "desktop.ini")
}

// officeDocument names the Office or OpenDocument format a zip is, or "".
func officeDocument(files []*zip.File) string {
	for _, f := range files {
		switch f.Name {
		case "[Content_Types].xml":
			return "an Office document (Word, Excel or PowerPoint)"
		case "mimetype":
			return "an OpenDocument or EPUB file"
		}
	}
	return ""
}

// countZipEntries counts the central directory records a zip reader would
// load, stopping past limit, without trusting the count the file declares.
// It finds the directory as archive/zip does (from the end record, or the
// zip64 one) and walks both places archive/zip may read it from.
func countZipEntries(r io.ReaderAt, size int64, limit int) (int, error) {
	damaged := fmt.Errorf("%w: damaged zip: the table of contents (central directory) is missing; the upload may be incomplete", ErrCorrupt)
	tail := min(size, 65*1024)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	p := -1
	for i := len(buf) - 22; i >= 0; i-- {
		if buf[i] == 'P' && buf[i+1] == 'K' && buf[i+2] == 5 && buf[i+3] == 6 {
			p = i
			break
		}
	}
	if p < 0 {
		return 0, damaged
	}
	le := binary.LittleEndian
	end := size - tail + int64(p)
	records := uint64(le.Uint16(buf[p+10:]))
	dirSize := uint64(le.Uint32(buf[p+12:]))
	dirOff := uint64(le.Uint32(buf[p+16:]))
	if records == 0xffff || dirSize == 0xffff || dirOff == 0xffffffff {
		var loc [20]byte
		if end >= 20 {
			if _, err := r.ReadAt(loc[:], end-20); err == nil && string(loc[:4]) == "PK\x06\x07" {
				p64 := int64(le.Uint64(loc[8:]))
				var e64 [56]byte
				if _, err := r.ReadAt(e64[:], p64); err != nil || string(e64[:4]) != "PK\x06\x06" {
					return 0, damaged
				}
				end, dirSize, dirOff = p64, le.Uint64(e64[40:]), le.Uint64(e64[48:])
			}
		}
	}
	if dirSize > uint64(size) || dirOff > uint64(size) {
		return 0, damaged
	}
	count := 0
	for _, start := range []int64{end - int64(dirSize), int64(dirOff)} {
		if start < 0 || start >= size {
			continue
		}
		br := bufio.NewReader(io.NewSectionReader(r, start, size-start))
		n := 0
		var h [46]byte
		for n <= limit {
			if _, err := io.ReadFull(br, h[:]); err != nil || string(h[:4]) != "PK\x01\x02" {
				break
			}
			skip := int(le.Uint16(h[28:])) + int(le.Uint16(h[30:])) + int(le.Uint16(h[32:]))
			if _, err := br.Discard(skip); err != nil {
				break
			}
			n++
		}
		count = max(count, n)
	}
	return count, nil
}
