// Package leptonica is the source.Backend on Leptonica (and through it
// libtiff and OpenJPEG): every page of a TIFF, whatever its compression
// (CCITT G3/G4, LZW, Deflate, PackBits, JPEG), depth (1, 2, 4, 8, 16 bit)
// and colour (grey, RGB, palette, CMYK); JPEG 2000 (JP2 files and raw J2K
// codestreams); PNM. It is the only package besides ocr/tesseract that
// uses cgo.
//
// Headers are read before anything is decoded: in Go (source.ReadTIFFPages,
// source.ReadJP2Header) when the file is opened, then again by Leptonica
// right before a page is decoded, and a page over the pixel limit is never
// handed to a decoder. Each decoded PIX is copied into a Go image in one
// pass and freed at once.
package leptonica

/*
#cgo pkg-config: lept
#include <stdlib.h>
#include "lept.h"
*/
import "C"

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"
	"strings"
	"sync"
	"unsafe"

	"github.com/sohoa/sohoa/ocr/source"
)

var _ source.Backend = Backend{}

var initOnce sync.Once

func initLept() { initOnce.Do(func() { C.sohoa_init() }) }

// Backend opens TIFF, JPEG 2000 and PNM files with Leptonica. The zero
// value returns pages in their own colour.
type Backend struct {
	// Gray makes Decode return 8-bit grey (*image.Gray) for every page,
	// converted (Rec. 601 luma, transparency on white) while copying out
	// of Leptonica: a colour page then costs a quarter of the memory of an
	// RGBA copy. PageInfo.Color still names the page's own colour. The
	// farm's cleanup works in grey, so it should set Gray.
	Gray bool
}

// Kinds are the kinds this backend reads.
func (Backend) Kinds() []source.Kind {
	return []source.Kind{source.KindTIFF, source.KindJP2, source.KindPNM}
}

// Open reads the file's headers (every page directory of a TIFF) without
// decoding any page.
func (b Backend) Open(path string, limits source.Limits) (source.Document, error) {
	initLept()
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
	head := make([]byte, source.SniffLen)
	n, _ := io.ReadFull(f, head)
	d := &document{gray: b.Gray, path: path, kind: source.Sniff(head[:n]), lim: lim}
	switch d.kind {
	case source.KindTIFF:
		if d.pages, err = source.ReadTIFFPages(f, lim.MaxPages); err != nil {
			return nil, err
		}
	case source.KindJP2:
		info, err := source.ReadJP2Header(f, st.Size())
		if err != nil {
			return nil, err
		}
		d.pages = []source.TIFFPage{{PageInfo: info}}
	case source.KindPNM:
		info, err := readPNMHeader(head[:n])
		if err != nil {
			return nil, err
		}
		d.pages = []source.TIFFPage{{PageInfo: info}}
	default:
		return nil, fmt.Errorf("%w: %s files are not read by Leptonica here", source.ErrUnsupported, d.kind.Name())
	}
	return d, nil
}

// document is an opened file. For JP2 and PNM, pages holds the one page.
type document struct {
	gray  bool
	path  string
	kind  source.Kind
	lim   source.Limits
	pages []source.TIFFPage
}

func (d *document) Kind() source.Kind { return d.kind }
func (d *document) NumPages() int     { return len(d.pages) }
func (d *document) Close() error      { return nil }

func (d *document) Info(i int) (source.PageInfo, error) {
	if i < 0 || i >= len(d.pages) {
		return source.PageInfo{}, fmt.Errorf("page %d out of range (the file has %d)", i+1, len(d.pages))
	}
	return d.pages[i].PageInfo, nil
}

// Decode decodes page i: Leptonica reads its header again, the pixel
// limit is checked, and only then is the page decoded.
func (d *document) Decode(ctx context.Context, i int) (image.Image, source.PageInfo, error) {
	info, err := d.Info(i)
	if err != nil {
		return nil, info, err
	}
	if err := ctx.Err(); err != nil {
		return nil, info, err
	}
	if err := d.lim.CheckPixels(info.Width, info.Height); err != nil {
		return nil, info, err
	}
	p := d.pages[i]
	if d.kind == source.KindTIFF && p.Tiled {
		// Leptonica 1.82 reads strips only; Go's decoder reads tiles.
		img, err := d.decodeGo(p)
		if err != nil {
			return nil, info, source.PageErr(d.kind, i, len(d.pages), err)
		}
		return img, info, nil
	}
	img, dpi, err := d.decodeLept(p)
	if err != nil {
		if d.kind == source.KindTIFF {
			err = source.PageErr(d.kind, i, len(d.pages), err)
		}
		return nil, info, err
	}
	if dpi > 0 {
		info.DPI = dpi
	}
	if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
		info.Width, info.Height = b.Dx(), b.Dy()
	}
	return img, info, nil
}

func (d *document) decodeGo(p source.TIFFPage) (image.Image, error) {
	f, err := os.Open(d.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	img, err := source.DecodeTIFFPage(f, st.Size(), p)
	if err != nil {
		if p.Compression == 7 {
			return nil, fmt.Errorf("%w: tiled JPEG-compressed pages cannot be read; save the TIFF with strips (tiffcp -s)", source.ErrUnsupported)
		}
		return nil, err
	}
	if d.gray {
		return toGray(img), nil
	}
	return img, nil
}

// decodeLept decodes page p with Leptonica and copies it into a Go image.
func (d *document) decodeLept(p source.TIFFPage) (image.Image, int, error) {
	cpath := C.CString(d.path)
	defer C.free(unsafe.Pointer(cpath))
	kind := C.int(C.SOHOA_OTHER)
	switch d.kind {
	case source.KindTIFF:
		kind = C.SOHOA_TIFF
	case source.KindJP2:
		kind = C.SOHOA_JP2
	}
	var status, w, h C.int
	var msg [512]C.char
	pix := C.sohoa_read(cpath, kind, C.int(p.Dir), C.int64_t(d.lim.MaxPixels), C.int(p.Width), C.int(p.Height),
		&status, &w, &h, &msg[0], C.int(len(msg)))
	if pix == nil {
		return nil, 0, readErr(d.kind, int(status), int(w), int(h), C.GoString(&msg[0]), d.lim, d.kind == source.KindTIFF)
	}
	defer C.pixDestroy(&pix)
	// libtiff leaves min-is-white pages of 2, 4 or 16 bits as stored.
	invert := d.kind == source.KindTIFF && p.Photometric == 0 && p.Bits != 1 && p.Bits != 8
	img, err := toImage(pix, d.gray, invert)
	if err != nil {
		return nil, 0, err
	}
	return img, int(C.pixGetXRes(pix)), nil
}

// readErr turns a failed sohoa_read into a sentence. inPage drops the
// "damaged TIFF" that source.PageErr's "TIFF page 2 of 3 is damaged" says.
func readErr(kind source.Kind, status, w, h int, msg string, lim source.Limits, inPage bool) error {
	reason := leptMessage(msg)
	damaged := "damaged " + kind.Name() + ": "
	if inPage {
		damaged = ""
	}
	switch status {
	case C.SOHOA_NOFILE:
		return fmt.Errorf("open %s file: %s", kind.Name(), reason)
	case C.SOHOA_TOOBIG:
		return lim.CheckPixels(w, h)
	case C.SOHOA_BADHEADER:
		if reason == "" {
			reason = "no details"
		}
		return fmt.Errorf("%w: %sits header cannot be read (%s)", source.ErrCorrupt, damaged, reason)
	case C.SOHOA_MISMATCH:
		return fmt.Errorf("%w: %sits headers disagree on the image size (%dx%d here)", source.ErrCorrupt, damaged, w, h)
	}
	switch {
	case reason == "":
		reason = "the image data cannot be decoded (damaged or truncated)"
	case strings.Contains(reason, "read fail at line"), strings.Contains(reason, "failed to read tiffdata"):
		reason = "the image data is damaged or ends early (" + reason + "); scan or upload the page again"
	}
	return fmt.Errorf("%w: %s%s", source.ErrCorrupt, damaged, reason)
}

// leptMessage makes Leptonica's messages ("Error in pixReadFromTiffStream:
// spp = 1, read fail at line 5\n") one short line.
func leptMessage(msg string) string {
	var parts []string
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(line)
		if i := strings.Index(line, ": "); i >= 0 && (strings.HasPrefix(line, "Error in ") ||
			strings.HasPrefix(line, "Warning in ") || strings.HasPrefix(line, "Info in ")) {
			line = line[i+2:]
		}
		if line != "" && !strings.HasPrefix(line, "[INFO]") && !contains(parts, line) {
			parts = append(parts, line)
		}
	}
	// The first message is the cause; the rest are the callers giving up.
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return strings.Join(parts, "; ")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// toImage copies a PIX into a Go image in one pass: *image.Gray for 1 to 8
// bit grey (1 bit: Leptonica's 1 is black), *image.Gray16 for 16 bit,
// *image.RGBA for colour (opaque: alpha on white), *image.Paletted for a
// colour colormap; all *image.Gray when gray is set.
func toImage(pix *C.PIX, gray, invert bool) (image.Image, error) {
	w, h, d := int(C.pixGetWidth(pix)), int(C.pixGetHeight(pix)), int(C.pixGetDepth(pix))
	r := image.Rect(0, 0, w, h)
	cmap := C.pixGetColormap(pix)
	var palette color.Palette
	if cmap != nil {
		n := int(C.pixcmapGetCount(cmap))
		allGray := true
		for i := range n {
			var cr, cg, cb C.l_int32
			C.pixcmapGetColor(cmap, C.l_int32(i), &cr, &cg, &cb)
			palette = append(palette, color.RGBA{uint8(cr), uint8(cg), uint8(cb), 255})
			allGray = allGray && cr == cg && cg == cb
		}
		if allGray {
			gray = true
		}
	}
	var (
		img    image.Image
		dst    []byte
		stride int
		mode   C.int = C.SOHOA_GRAY8
	)
	switch {
	case gray || (d <= 8 && cmap == nil):
		g := image.NewGray(r)
		img, dst, stride = g, g.Pix, g.Stride
	case cmap != nil:
		for len(palette) < 1<<min(d, 8) {
			palette = append(palette, color.RGBA{255, 255, 255, 255})
		}
		m := image.NewPaletted(r, palette)
		img, dst, stride, mode = m, m.Pix, m.Stride, C.SOHOA_INDEX
	case d == 16:
		g := image.NewGray16(r)
		img, dst, stride, mode = g, g.Pix, g.Stride, C.SOHOA_GRAY16
	case d == 32:
		m := image.NewRGBA(r)
		img, dst, stride, mode = m, m.Pix, m.Stride, C.SOHOA_RGBA
	default:
		return nil, fmt.Errorf("%w: unexpected pixel depth %d", source.ErrUnsupported, d)
	}
	if len(dst) == 0 {
		return nil, fmt.Errorf("%w: image has no pixels", source.ErrCorrupt)
	}
	inv := C.int(0)
	if invert {
		inv = 1
	}
	if C.sohoa_copy(pix, (*C.uint8_t)(unsafe.Pointer(&dst[0])), C.int(stride), mode, inv) != 0 {
		return nil, fmt.Errorf("%w: unexpected pixel depth %d", source.ErrUnsupported, d)
	}
	return img, nil
}

// toGray converts an image Go decoded (a tiled TIFF page) to grey.
func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Pix[(y-b.Min.Y)*g.Stride+x-b.Min.X] = color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
		}
	}
	return g
}

// readPNMHeader reads a PNM header (P1..P6: width height [maxval]; P7:
// WIDTH, HEIGHT, DEPTH, MAXVAL lines).
func readPNMHeader(head []byte) (source.PageInfo, error) {
	bad := func(what string) (source.PageInfo, error) {
		return source.PageInfo{}, fmt.Errorf("%w: damaged PNM header: %s", source.ErrCorrupt, what)
	}
	if len(head) < 3 {
		return bad("the file is too short")
	}
	typ := head[1]
	info := source.PageInfo{Bits: 8, Color: "gray"}
	if typ == '7' {
		depth := 0
		for _, line := range bytes.Split(head, []byte("\n")) {
			f := strings.Fields(string(line))
			if len(f) == 1 && f[0] == "ENDHDR" {
				break
			}
			if len(f) != 2 {
				continue
			}
			var v int
			fmt.Sscan(f[1], &v)
			switch f[0] {
			case "WIDTH":
				info.Width = v
			case "HEIGHT":
				info.Height = v
			case "DEPTH":
				depth = v
			case "MAXVAL":
				if v > 255 {
					info.Bits = 16
				}
			}
		}
		if depth >= 3 {
			info.Color = "rgb"
		}
	} else {
		var nums []int
		for i := 2; i < len(head) && len(nums) < 3; {
			c := head[i]
			switch {
			case c == '#':
				for i < len(head) && head[i] != '\n' {
					i++
				}
			case c >= '0' && c <= '9':
				v := 0
				for i < len(head) && head[i] >= '0' && head[i] <= '9' {
					if v < 1<<30 {
						v = v*10 + int(head[i]-'0')
					}
					i++
				}
				nums = append(nums, v)
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				i++
			default:
				return bad("unexpected characters in the header")
			}
		}
		if len(nums) < 2 {
			return bad("no image size")
		}
		info.Width, info.Height = nums[0], nums[1]
		switch typ {
		case '1', '4':
			info.Bits, info.Color = 1, "bilevel"
		case '3', '6':
			info.Color = "rgb"
		}
		if len(nums) == 3 && nums[2] > 255 {
			info.Bits = 16
		}
	}
	if info.Width <= 0 || info.Height <= 0 {
		return bad(fmt.Sprintf("image %dx%d has no pixels", info.Width, info.Height))
	}
	return info, nil
}
