// Package source reads source files (scans as uploaded) into page images:
// it decides the file type by content, counts pages, checks every page's
// header against the limits before decoding it, and decodes one page at a
// time so memory stays bounded.
//
// Formats that need C libraries (multi-page TIFF, JPEG 2000) are read by a
// Backend that cmd wires in (ocr/leptonica); this package itself is pure Go.
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

// Sniff decides the kind of a file from its first bytes (512 are enough).
func Sniff(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG
	case bytes.HasPrefix(head, []byte{0xff, 0xd8, 0xff}):
		return KindJPEG
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")),
		bytes.HasPrefix(head, []byte("II+\x00")), bytes.HasPrefix(head, []byte("MM\x00+")):
		return KindTIFF
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return KindPDF
	case bytes.HasPrefix(head, []byte("\x00\x00\x00\x0cjP  \r\n\x87\n")), bytes.HasPrefix(head, []byte{0xff, 0x4f, 0xff, 0x51}):
		return KindJP2
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return KindGIF
	case bytes.HasPrefix(head, []byte("BM")) && len(head) >= 26:
		return KindBMP
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return KindWebP
	case len(head) >= 2 && head[0] == 'P' && head[1] >= '1' && head[1] <= '6':
		return KindPNM
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return KindZIP
	}
	return KindUnknown
}

// Describe names what an unknown file looks like, for error messages:
// "text/plain", "application/octet-stream", "empty file".
func Describe(head []byte) string {
	if len(head) == 0 {
		return "empty file"
	}
	ct := http.DetectContentType(head)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return ct
}

// Limits bound what a source may cost. Zero fields take the defaults.
type Limits struct {
	// MaxFileBytes per source file. Default 2 GiB.
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
}

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
	return l
}

// CheckPixels fails when a w x h page exceeds the pixel limit.
func (l Limits) CheckPixels(w, h int) error {
	l = l.WithDefaults()
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: image has no pixels (%dx%d)", ErrCorrupt, w, h)
	}
	if int64(w)*int64(h) > l.MaxPixels {
		return fmt.Errorf("%w: image %dx%d exceeds the %d-megapixel limit", ErrLimit, w, h, l.MaxPixels/1_000_000)
	}
	return nil
}

// PageInfo describes a page from its header, without decoding it.
type PageInfo struct {
	Width, Height int
	// DPI is the resolution the file records (0 if none).
	DPI int
	// Color is "bilevel", "gray", "rgb", "cmyk", "palette" (may be empty).
	Color string
	// Bits per sample (1, 8, 16), 0 if unknown.
	Bits int
}

// Document is an opened source file.
type Document interface {
	Kind() Kind
	// NumPages is the number of pages (1 for single images).
	NumPages() int
	// Info reads page i's header (0-based) without decoding it.
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
type Opener struct {
	Limits   Limits
	Backends []Backend
}

// Open opens the file at path, deciding its kind by content.
func (o *Opener) Open(ctx context.Context, path string) (Document, error) {
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
	if st.Size() > lim.MaxFileBytes {
		return nil, fmt.Errorf("%w: file is %d bytes, over the %d-byte limit per file", ErrLimit, st.Size(), lim.MaxFileBytes)
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	kind := Sniff(head)
	if kind == KindUnknown {
		return nil, fmt.Errorf("%w: not an image: %s", ErrUnsupported, Describe(head))
	}
	for _, b := range o.Backends {
		for _, k := range b.Kinds() {
			if k == kind {
				return b.Open(path, lim)
			}
		}
	}
	switch kind {
	case KindPNG, KindJPEG, KindGIF, KindBMP, KindWebP, KindTIFF:
		return openGo(path, kind, lim)
	}
	return nil, fmt.Errorf("%w: %s files are not supported by this worker", ErrUnsupported, kind)
}
