// Package source reads source files (scans as uploaded) into page images:
// it decides the file type by content, never by name, counts pages, checks
// every page's header against the limits before decoding it, and decodes
// one page at a time so memory stays bounded. It also expands zip archives
// into source files (ReadArchive), refusing entries that would escape.
//
// Formats that need C libraries or external programs are read by Backends
// that cmd wires in: ocr/source/leptonica (TIFF with every compression,
// JPEG 2000, PNM) and ocr/source/poppler (PDF). This package itself is pure Go: it
// reads PNG, JPEG, GIF, BMP, WebP and TIFF (all pages, but not JPEG-in-TIFF)
// by itself.
//
// Every error a Document or Opener returns for a bad file wraps
// ErrUnsupported, ErrLimit or ErrCorrupt and reads as a sentence an
// archivist can act on once the sentinel's text is dropped ("encrypted
// PDF: the file is password protected; remove the password and upload it
// again").
package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"net/http"
	"os"
	"strings"
)

// Errors a source can fail with. They are permanent: retrying the same
// file gives the same answer. Messages say which file, page and why.
var (
	// ErrUnsupported: the file is not a page image or document we read.
	ErrUnsupported = errors.New("unsupported file")
	// ErrLimit: the file or a page exceeds a configured limit.
	ErrLimit = errors.New("limit exceeded")
	// ErrCorrupt: the file is damaged, truncated or encrypted.
	ErrCorrupt = errors.New("unreadable file")
)

// Kind is a file type decided by content.
type Kind string

// Kinds the farm knows.
const (
	KindUnknown Kind = ""
	KindPNG     Kind = "png"
	KindJPEG    Kind = "jpeg"
	KindTIFF    Kind = "tiff"
	KindPDF     Kind = "pdf"
	KindJP2     Kind = "jp2"
	KindGIF     Kind = "gif"
	KindBMP     Kind = "bmp"
	KindWebP    Kind = "webp"
	KindPNM     Kind = "pnm"
	KindZIP     Kind = "zip"
)

// SniffLen is how many leading bytes Sniff needs to decide every kind (a
// PDF may have up to 1 KiB of junk before its header, as readers tolerate).
const SniffLen = 1024 + 8

// Sniff decides the kind of a file from its first bytes (SniffLen are
// enough; fewer may leave a PDF with leading junk unknown).
func Sniff(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG
	case bytes.HasPrefix(head, []byte{0xff, 0xd8, 0xff}):
		return KindJPEG
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")),
		bytes.HasPrefix(head, []byte("II+\x00")), bytes.HasPrefix(head, []byte("MM\x00+")):
		return KindTIFF
	case bytes.HasPrefix(head, []byte("\x00\x00\x00\x0cjP  \r\n\x87\n")), // JP2 signature box
		bytes.HasPrefix(head, []byte{0xff, 0x4f, 0xff, 0x51}): // raw J2K codestream: SOC, SIZ
		return KindJP2
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return KindGIF
	case isBMP(head):
		return KindBMP
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return KindWebP
	case len(head) >= 3 && head[0] == 'P' && head[1] >= '1' && head[1] <= '7' && isSpace(head[2]):
		return KindPNM
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return KindZIP
	}
	// PDF readers accept a header anywhere in the first KiB.
	if i := bytes.Index(head[:min(len(head), SniffLen)], []byte("%PDF-")); i >= 0 && i <= 1024 {
		return KindPDF
	}
	return KindUnknown
}

// isBMP checks a BMP file header: "BM", reserved words zero, and a known
// DIB header size. Text that starts with "BM" is not taken for one.
func isBMP(h []byte) bool {
	if len(h) < 18 || h[0] != 'B' || h[1] != 'M' || h[6]|h[7]|h[8]|h[9] != 0 {
		return false
	}
	switch uint32(h[14]) | uint32(h[15])<<8 | uint32(h[16])<<16 | uint32(h[17])<<24 {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// Describe names what an unknown file looks like, for error messages:
// "text/plain", "application/octet-stream", "empty file", or a format we
// recognise but do not read ("DjVu document").
func Describe(head []byte) string {
	if len(head) == 0 {
		return "empty file"
	}
	for _, f := range otherFormats {
		if bytes.HasPrefix(head, []byte(f.magic)) {
			return f.name
		}
	}
	ct := http.DetectContentType(head)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return ct
}

// otherFormats are files archivists upload by mistake, named so the
// message says what the file is.
var otherFormats = []struct{ magic, name string }{
	{"AT&TFORM", "DjVu document"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document (.doc, .xls)"},
	{"Rar!\x1a\x07", "RAR archive"},
	{"7z\xbc\xaf\x27\x1c", "7-Zip archive"},
	{"\x1f\x8b", "gzip archive"},
	{"{\\rtf", "RTF document"},
	{"\x00\x00\x00\x18ftypheic", "HEIC photo"},
	{"\x00\x00\x00\x1cftypheic", "HEIC photo"},
	{"\x00\x00\x00\x18ftypmif1", "HEIF photo"},
	{"8BPS", "Photoshop document"},
	{"II\xbc", "JPEG XR image"},
	{"\xff\x0a", "JPEG XL image"},
	{"\x00\x00\x00\x0cJXL ", "JPEG XL image"},
	{"\x97JB2\r\n\x1a\n", "JBIG2 image"},
}

// Limits bound what a source may cost. Zero fields take the defaults.
// Suggested configuration names (flags / environment): see docs/inputs.md.
type Limits struct {
	// MaxFileBytes per source file, and per file expanded from a zip.
	// Default 2 GiB.
	MaxFileBytes int64
	// MaxPixels per page (width x height), checked from the header before
	// decoding. Default 200 megapixels (an A2 page at 600 dpi is 140).
	MaxPixels int64
	// MaxPages per source file. Default 5000.
	MaxPages int
	// MaxBatchBytes over all sources of a batch. Default 50 GiB.
	MaxBatchBytes int64
	// MaxArchiveEntries per zip file. Default 20000.
	MaxArchiveEntries int
	// MaxArchiveBytes is the total uncompressed size of a zip file's
	// entries, counted as they are read (not trusted from the headers).
	// Default 20 GiB.
	MaxArchiveBytes int64
	// MaxArchiveRatio is how many times its compressed size a zip entry
	// (and a zip as a whole, to its file size) may expand to, once past
	// ArchiveRatioFloor: more is a zip bomb, not scans. Default 200
	// (deflate cannot pass about 1032).
	MaxArchiveRatio int64
}

// ArchiveRatioFloor is what an entry (or a zip) may expand to whatever
// its ratio: a small file of one colour compresses a thousandfold and is
// harmless.
const ArchiveRatioFloor = 16 << 20

// WithDefaults fills zero fields.
func (l Limits) WithDefaults() Limits {
	if l.MaxFileBytes == 0 {
		l.MaxFileBytes = 2 << 30
	}
	if l.MaxPixels == 0 {
		l.MaxPixels = 200_000_000
	}
	if l.MaxPages == 0 {
		l.MaxPages = 5000
	}
	if l.MaxBatchBytes == 0 {
		l.MaxBatchBytes = 50 << 30
	}
	if l.MaxArchiveEntries == 0 {
		l.MaxArchiveEntries = 20000
	}
	if l.MaxArchiveBytes == 0 {
		l.MaxArchiveBytes = 20 << 30
	}
	if l.MaxArchiveRatio == 0 {
		l.MaxArchiveRatio = 200
	}
	return l
}

// CheckPixels fails when a w x h page exceeds the pixel limit.
func (l Limits) CheckPixels(w, h int) error {
	l = l.WithDefaults()
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: image has no pixels (%dx%d)", ErrCorrupt, w, h)
	}
	if int64(w)*int64(h) > l.MaxPixels {
		return fmt.Errorf("%w: image %dx%d exceeds the %s limit", ErrLimit, w, h, megapixels(l.MaxPixels))
	}
	return nil
}

// CheckPages fails when a file has more than the page limit.
func (l Limits) CheckPages(n int) error {
	l = l.WithDefaults()
	if n > l.MaxPages {
		return fmt.Errorf("%w: the file has %d pages, over the %d-page limit per file", ErrLimit, n, l.MaxPages)
	}
	return nil
}

func megapixels(n int64) string {
	if n >= 1_000_000 && n%1_000_000 == 0 {
		return fmt.Sprintf("%d-megapixel", n/1_000_000)
	}
	if n >= 1_000_000 {
		return fmt.Sprintf("%.1f-megapixel", float64(n)/1e6)
	}
	return fmt.Sprintf("%d-pixel", n)
}

// PageInfo describes a page from its header, without decoding it.
type PageInfo struct {
	Width, Height int
	// DPI is the resolution the file records (0 if none).
	DPI int
	// Color is "bilevel", "gray", "rgb", "cmyk", "palette" (may be empty).
	// It describes the source; Decode may return a plainer image (grey for
	// a colour page when a backend is set to save memory).
	Color string
	// Bits per sample (1, 8, 16), 0 if unknown.
	Bits int
}

// Document is an opened source file.
type Document interface {
	Kind() Kind
	// NumPages is the number of pages (1 for single images).
	NumPages() int
	// Info reads page i's header (0-based) without decoding it. Width and
	// Height are those of the image Decode returns (after EXIF rotation).
	Info(i int) (PageInfo, error)
	// Decode decodes page i. It checks the pixel limit first.
	Decode(ctx context.Context, i int) (image.Image, PageInfo, error)
	Close() error
}

// Backend opens the kinds it supports (e.g. Leptonica for TIFF and JPEG 2000).
type Backend interface {
	Kinds() []Kind
	Open(path string, limits Limits) (Document, error)
}

// Opener opens source files. The zero value reads the pure-Go formats.
// Backends are tried in order before the pure-Go readers.
type Opener struct {
	Limits   Limits
	Backends []Backend
}

// Open opens the file at path, deciding its kind by content. The file's
// name is not looked at.
func (o *Opener) Open(ctx context.Context, path string) (doc Document, err error) {
	lim := o.Limits.WithDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%w: a folder, not a file", ErrUnsupported)
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("%w: empty file: the upload has no content (0 bytes); upload the file again", ErrCorrupt)
	}
	if st.Size() > lim.MaxFileBytes {
		return nil, fmt.Errorf("%w: the file is %d bytes, over the %d-byte limit per file", ErrLimit, st.Size(), lim.MaxFileBytes)
	}
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	kind := Sniff(head)
	switch kind {
	case KindUnknown:
		return nil, fmt.Errorf("%w: not an image: %s (the content is not a scan, a PDF or a zip, whatever the file's name says)",
			ErrUnsupported, Describe(head))
	case KindZIP:
		// The split stage expands zips with ReadArchive before they get here.
		return nil, fmt.Errorf("%w: a zip archive, not a scan: its files should have been expanded from it as sources, and were not", ErrUnsupported)
	}
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("%w: damaged %s: the decoder failed on it (%v)", ErrCorrupt, kind.Name(), r)
		}
	}()
	for _, b := range o.Backends {
		for _, k := range b.Kinds() {
			if k == kind {
				d, err := b.Open(path, lim)
				if err != nil {
					return nil, err
				}
				return safeDoc{d}, nil
			}
		}
	}
	switch kind {
	case KindPNG, KindGIF, KindBMP, KindWebP, KindJPEG:
		d, err := openGo(f, kind, lim)
		if err != nil {
			return nil, err
		}
		return safeDoc{d}, nil
	case KindTIFF:
		d, err := openTIFF(path, lim)
		if err != nil {
			return nil, err
		}
		return safeDoc{d}, nil
	}
	return nil, fmt.Errorf("%w: %s files are not read by this worker (it needs the %s backend)", ErrUnsupported, kind.Name(), kind.backend())
}

// Name is the kind as archivists call it: "PNG", "JPEG 2000".
func (k Kind) Name() string {
	switch k {
	case KindJP2:
		return "JPEG 2000"
	case KindWebP:
		return "WebP"
	case KindUnknown:
		return "unknown"
	}
	return strings.ToUpper(string(k))
}

func (k Kind) backend() string {
	if k == KindPDF {
		return "Poppler (PDF)"
	}
	return "Leptonica"
}

// safeDoc turns a panic in a decoder into ErrCorrupt: third-party
// decoders may panic on hostile input.
type safeDoc struct{ Document }

func (d safeDoc) Info(i int) (info PageInfo, err error) {
	defer d.recover(&err)
	return d.Document.Info(i)
}

func (d safeDoc) Decode(ctx context.Context, i int) (img image.Image, info PageInfo, err error) {
	defer d.recover(&err)
	if err := ctx.Err(); err != nil {
		return nil, PageInfo{}, err
	}
	return d.Document.Decode(ctx, i)
}

func (d safeDoc) recover(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: damaged %s: the decoder failed on it (%v)", ErrCorrupt, d.Kind().Name(), r)
	}
}

// checkIndex fails for a page index outside 0..n-1.
func checkIndex(i, n int) error {
	if i < 0 || i >= n {
		return fmt.Errorf("page %d out of range (the file has %d)", i+1, n)
	}
	return nil
}
