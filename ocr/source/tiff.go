package source

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"

	"golang.org/x/image/tiff"
)

// TIFFPage is one page directory (IFD) of a TIFF file, read without
// decoding the page.
type TIFFPage struct {
	PageInfo
	// Dir is the directory's index in the file (what libtiff calls it);
	// it differs from the page index when thumbnails are skipped.
	Dir int
	// Offset of the directory in the file.
	Offset int64
	// Compression and Photometric are the TIFF tag values.
	Compression, Photometric int
	// SamplesPerPixel (1 grey or palette, 3 RGB, 4 CMYK or RGBA).
	SamplesPerPixel int
	// Tiled is true for a page stored in tiles rather than strips.
	Tiled bool
	// Orientation is the TIFF Orientation tag (1..8, 0 when absent).
	// Decoders apply it, so PageInfo has the size after it is applied.
	Orientation int
}

// TIFF compression tag values.
const (
	tiffNone     = 1
	tiffG3       = 3
	tiffG4       = 4
	tiffLZW      = 5
	tiffOJPEG    = 6
	tiffJPEG     = 7
	tiffDeflate  = 8
	tiffPackBits = 32773
	tiffDeflate2 = 32946
)

// ReadTIFFPages reads the page directories of a TIFF file (classic or
// BigTIFF, either byte order) without decoding any page. Reduced-size
// images (thumbnails, NewSubfileType bit 0) are not pages. It reads at
// most maxPages pages and fails with ErrLimit past that, so a hostile file
// with millions of directories costs little. A directory loop or a broken
// chain after the first page ends the list (as libtiff does) unless no page
// was read.
func ReadTIFFPages(r io.ReaderAt, maxPages int) ([]TIFFPage, error) {
	var hdr [16]byte
	n, err := r.ReadAt(hdr[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if n < 8 || (hdr[2] == 43 || hdr[3] == 43) && n < 16 {
		return nil, fmt.Errorf("%w: truncated TIFF: the file ends inside its header", ErrCorrupt)
	}
	t := tiffReader{r: r}
	switch string(hdr[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("%w: damaged TIFF: bad byte-order mark", ErrCorrupt)
	}
	var next int64
	switch t.bo.Uint16(hdr[2:]) {
	case 42:
		next = int64(t.bo.Uint32(hdr[4:]))
	case 43:
		t.big = true
		next = int64(t.bo.Uint64(hdr[8:]))
	default:
		return nil, fmt.Errorf("%w: damaged TIFF: bad version number", ErrCorrupt)
	}
	var pages []TIFFPage
	seen := map[int64]bool{}
	for dir := 0; next != 0; dir++ {
		if seen[next] {
			break // a loop: libtiff stops there too
		}
		seen[next] = true
		p, n, err := t.readIFD(next)
		if err != nil {
			if len(pages) > 0 {
				break
			}
			return nil, err
		}
		p.Dir, next = dir, n
		if p.subfile&1 != 0 && (len(pages) > 0 || n != 0) {
			continue // a thumbnail or reduced-resolution copy
		}
		if len(pages) == maxPages {
			return nil, fmt.Errorf("%w: the TIFF has more than %d pages, the limit per file", ErrLimit, maxPages)
		}
		pages = append(pages, p.TIFFPage)
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: damaged TIFF: the file has no page directory", ErrCorrupt)
	}
	return pages, nil
}

type tiffReader struct {
	r   io.ReaderAt
	bo  binary.ByteOrder
	big bool
}

type tiffIFD struct {
	TIFFPage
	subfile int
}

// readIFD reads the directory at off and returns it with the next offset.
func (t tiffReader) readIFD(off int64) (tiffIFD, int64, error) {
	damaged := func(what string) error { return fmt.Errorf("%w: damaged TIFF: %s", ErrCorrupt, what) }
	countLen, entryLen, nextLen := 2, 12, 4
	if t.big {
		countLen, entryLen, nextLen = 8, 20, 8
	}
	var cb [8]byte
	if _, err := t.r.ReadAt(cb[:countLen], off); err != nil {
		return tiffIFD{}, 0, damaged("a page directory lies outside the file")
	}
	var n uint64
	if t.big {
		n = t.bo.Uint64(cb[:])
	} else {
		n = uint64(t.bo.Uint16(cb[:]))
	}
	if n == 0 || n > 4096 {
		return tiffIFD{}, 0, damaged(fmt.Sprintf("a page directory has %d entries", n))
	}
	buf := make([]byte, int(n)*entryLen+nextLen)
	if _, err := t.r.ReadAt(buf, off+int64(countLen)); err != nil {
		return tiffIFD{}, 0, damaged("a page directory is cut short")
	}
	var p tiffIFD
	p.Offset = off
	p.Compression, p.Photometric, p.SamplesPerPixel, p.Bits = tiffNone, -1, 1, 1
	var xres float64
	unit := 2
	colormap := false
	for k := range int(n) {
		e := buf[k*entryLen:]
		tag, typ := t.bo.Uint16(e), t.bo.Uint16(e[2:])
		val := e[8:]
		if t.big {
			val = e[12:]
		}
		// first is the first value of a SHORT, LONG or LONG8 entry (stored
		// in the entry itself for the tags we read).
		var first int64
		switch typ {
		case 3:
			first = int64(t.bo.Uint16(val))
		case 4:
			first = int64(t.bo.Uint32(val))
		case 16:
			first = int64(t.bo.Uint64(val))
		}
		switch tag {
		case 254:
			p.subfile = int(first)
		case 256:
			p.Width = clampInt(first)
		case 257:
			p.Height = clampInt(first)
		case 258:
			p.Bits = int(first)
			// One value per sample: past what fits in the entry, they
			// are stored at an offset.
			cnt, inline := uint64(t.bo.Uint32(e[4:])), uint64(2)
			if t.big {
				cnt, inline = t.bo.Uint64(e[4:]), 4
			}
			if typ == 3 && cnt > inline {
				var ob [8]byte
				var vo int64
				if t.big {
					vo = int64(t.bo.Uint64(val))
				} else {
					vo = int64(t.bo.Uint32(val))
				}
				if _, err := t.r.ReadAt(ob[:2], vo); err == nil {
					p.Bits = int(t.bo.Uint16(ob[:]))
				}
			}
		case 259:
			p.Compression = int(first)
		case 262:
			p.Photometric = int(first)
		case 277:
			p.SamplesPerPixel = int(first)
		case 282:
			if typ == 5 {
				var ro int64
				if t.big {
					ro = int64(t.bo.Uint64(val))
				} else {
					ro = int64(t.bo.Uint32(val))
				}
				var rb [8]byte
				if _, err := t.r.ReadAt(rb[:], ro); err == nil {
					if den := t.bo.Uint32(rb[4:]); den != 0 {
						xres = float64(t.bo.Uint32(rb[:])) / float64(den)
					}
				}
			}
		case 296:
			unit = int(first)
		case 320:
			colormap = true
		case 274:
			p.Orientation = int(first)
		case 322:
			p.Tiled = true
		}
	}
	var next int64
	if t.big {
		next = int64(t.bo.Uint64(buf[int(n)*entryLen:]))
	} else {
		next = int64(t.bo.Uint32(buf[int(n)*entryLen:]))
	}
	switch unit {
	case 2:
		p.DPI = int(math.Round(xres))
	case 3:
		p.DPI = int(math.Round(xres * 2.54))
	}
	if p.DPI < 0 || p.DPI > 100000 {
		p.DPI = 0
	}
	switch {
	case p.Photometric == 3 || colormap:
		p.Color = "palette"
	case p.Photometric == 5:
		p.Color = "cmyk"
	case p.Photometric == 2 || p.Photometric == 6 || p.SamplesPerPixel >= 3:
		p.Color = "rgb"
	case p.Bits == 1:
		p.Color = "bilevel"
	default:
		p.Color = "gray"
	}
	if p.Width <= 0 || p.Height <= 0 {
		return p, next, damaged(fmt.Sprintf("page %dx%d has no pixels", p.Width, p.Height))
	}
	if p.Orientation >= 5 && p.Orientation <= 8 {
		p.Width, p.Height = p.Height, p.Width
	}
	return p, next, nil
}

func clampInt(v int64) int {
	if v < 0 || v > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(v)
}

// tiffDoc reads every page of a classic TIFF with Go's decoder (no
// JPEG-in-TIFF, no BigTIFF); ocr/source/leptonica reads the rest.
type tiffDoc struct {
	path  string
	lim   Limits
	pages []TIFFPage
}

func openTIFF(path string, lim Limits) (*tiffDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pages, err := ReadTIFFPages(f, lim.MaxPages)
	if err != nil {
		return nil, err
	}
	return &tiffDoc{path: path, lim: lim, pages: pages}, nil
}

func (d *tiffDoc) Kind() Kind    { return KindTIFF }
func (d *tiffDoc) NumPages() int { return len(d.pages) }
func (d *tiffDoc) Close() error  { return nil }

func (d *tiffDoc) Info(i int) (PageInfo, error) {
	if err := checkIndex(i, len(d.pages)); err != nil {
		return PageInfo{}, err
	}
	return d.pages[i].PageInfo, nil
}

func (d *tiffDoc) Decode(ctx context.Context, i int) (image.Image, PageInfo, error) {
	if err := checkIndex(i, len(d.pages)); err != nil {
		return nil, PageInfo{}, err
	}
	p := d.pages[i]
	if err := d.lim.CheckPixels(p.Width, p.Height); err != nil {
		return nil, p.PageInfo, err
	}
	f, err := os.Open(d.path)
	if err != nil {
		return nil, p.PageInfo, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, p.PageInfo, err
	}
	img, err := DecodeTIFFPage(f, st.Size(), p)
	if err != nil {
		return nil, p.PageInfo, PageErr(KindTIFF, i, len(d.pages), err)
	}
	return img, p.PageInfo, nil
}

// DecodeTIFFPage decodes one page of a classic TIFF with Go's decoder
// (golang.org/x/image/tiff, which reads only a file's first page: it is
// shown a view of the file whose header points at page p). It reads
// strips and tiles; no JPEG compression, no BigTIFF. The pixel limit must
// have been checked.
func DecodeTIFFPage(r io.ReaderAt, size int64, p TIFFPage) (img image.Image, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("%w: the decoder failed on it (%v)", ErrCorrupt, rec)
		}
	}()
	switch p.Compression {
	case tiffJPEG, tiffOJPEG:
		return nil, fmt.Errorf("%w: JPEG-compressed TIFF pages need the Leptonica backend", ErrUnsupported)
	}
	var hdr [8]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return nil, err
	}
	if hdr[2] == 43 || hdr[3] == 43 {
		return nil, fmt.Errorf("%w: BigTIFF files need the Leptonica backend", ErrUnsupported)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if hdr[0] == 'M' {
		bo = binary.BigEndian
	}
	bo.PutUint32(hdr[4:], uint32(p.Offset))
	view := io.NewSectionReader(headerView{r, hdr}, 0, size)
	cfg, err := tiff.DecodeConfig(view)
	if err != nil {
		return nil, tiffErr(err)
	}
	w, h := p.Width, p.Height
	if p.Orientation >= 5 && p.Orientation <= 8 {
		w, h = h, w
	}
	if cfg.Width != w || cfg.Height != h {
		return nil, fmt.Errorf("%w: the page size does not match its directory", ErrCorrupt)
	}
	img, err = tiff.Decode(io.NewSectionReader(headerView{r, hdr}, 0, size))
	if err != nil {
		return nil, tiffErr(err)
	}
	return orient(flatten(img, false), p.Orientation), nil
}

func tiffErr(err error) error {
	msg := trimPrefix(err.Error())
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: the image data ends early (the file is truncated)", ErrCorrupt)
	case errors.As(err, new(tiff.UnsupportedError)):
		return fmt.Errorf("%w: %s", ErrUnsupported, msg)
	}
	return fmt.Errorf("%w: %s", ErrCorrupt, msg)
}

// PageErr says which page of how many failed: "TIFF page 3 of 5 is
// damaged: ...". err should wrap a sentinel.
func PageErr(kind Kind, i, n int, err error) error {
	what := "is damaged"
	switch {
	case errors.Is(err, ErrUnsupported):
		what = "cannot be read"
	case errors.Is(err, ErrLimit):
		what = "is over a limit"
	}
	return fmt.Errorf("%s page %d of %d %s: %w", kind.Name(), i+1, n, what, err)
}

// headerView is a file whose first 8 bytes are replaced.
type headerView struct {
	r   io.ReaderAt
	hdr [8]byte
}

func (h headerView) ReadAt(p []byte, off int64) (int, error) {
	n, err := h.r.ReadAt(p, off)
	for i := off; i < int64(len(h.hdr)) && i-off < int64(n); i++ {
		p[i-off] = h.hdr[i]
	}
	return n, err
}
