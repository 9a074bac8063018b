package leptonica

/*
#include <stdlib.h>
#include "lept.h"
*/
import "C"

import (
	"fmt"
	"image"
	"image/draw"
	"unsafe"
)

// Compression is how WriteTIFF compresses a page.
type Compression int

// TIFF compressions Leptonica writes.
const (
	None     Compression = C.IFF_TIFF
	PackBits Compression = C.IFF_TIFF_PACKBITS
	G3       Compression = C.IFF_TIFF_G3 // bilevel only
	G4       Compression = C.IFF_TIFF_G4 // bilevel only
	LZW      Compression = C.IFF_TIFF_LZW
	ZIP      Compression = C.IFF_TIFF_ZIP
	JPEG     Compression = C.IFF_TIFF_JPEG // 8-bit grey and colour only
)

// Page is one page for WriteTIFF.
type Page struct {
	Image       image.Image
	Compression Compression
	// DPI is recorded as the page's resolution (0: none).
	DPI int
	// Bilevel writes a grey image as 1 bit per pixel (below 128 is
	// black); G3 and G4 imply it.
	Bilevel bool
}

// WriteTIFF writes pages as one multi-page TIFF file at path. An
// *image.Gray page is written as 8-bit grey (1-bit when Bilevel, G3 or
// G4), *image.Gray16 as 16-bit grey, *image.Paletted as an 8-bit palette
// image, anything else as 24-bit RGB. It is how tests and tools make
// TIFF files; the farm only reads them.
func WriteTIFF(path string, pages []Page) error {
	initLept()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	for i, p := range pages {
		bilevel := p.Bilevel || p.Compression == G3 || p.Compression == G4
		pix, err := newPix(p.Image, bilevel, p.DPI)
		if err != nil {
			return fmt.Errorf("write tiff page %d: %w", i+1, err)
		}
		mode := C.CString("a")
		if i == 0 {
			C.free(unsafe.Pointer(mode))
			mode = C.CString("w")
		}
		var msg [512]C.char
		bad := C.sohoa_write_tiff(cpath, pix, C.int(p.Compression), mode, &msg[0], C.int(len(msg)))
		C.free(unsafe.Pointer(mode))
		C.pixDestroy(&pix)
		if bad != 0 {
			return fmt.Errorf("write tiff page %d: %s", i+1, leptMessage(C.GoString(&msg[0])))
		}
	}
	return nil
}

// WriteJP2 writes img as a JPEG 2000 (JP2) file at path: 8-bit grey for an
// *image.Gray, else RGB. quality is Leptonica's: 100 lossless, else a
// signal-to-noise ratio (34 is its default).
func WriteJP2(path string, img image.Image, dpi, quality int) error {
	initLept()
	pix, err := newPix(img, false, dpi)
	if err != nil {
		return fmt.Errorf("write jp2: %w", err)
	}
	defer C.pixDestroy(&pix)
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var msg [512]C.char
	if C.sohoa_write_jp2(cpath, pix, C.int(quality), &msg[0], C.int(len(msg))) != 0 {
		return fmt.Errorf("write jp2: %s", leptMessage(C.GoString(&msg[0])))
	}
	return nil
}

// newPix copies a Go image into a new PIX.
func newPix(img image.Image, bilevel bool, dpi int) (*C.PIX, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return nil, fmt.Errorf("empty image")
	}
	var (
		src    []byte
		stride int
		depth  = 32
		mode   C.int
	)
	switch m := img.(type) {
	case *image.Gray:
		g := image.NewGray(image.Rect(0, 0, w, h))
		draw.Draw(g, g.Rect, m, b.Min, draw.Src)
		src, stride, depth, mode = g.Pix, g.Stride, 8, C.SOHOA_GRAY8
		if bilevel {
			depth = 1
		}
	case *image.Gray16:
		g := image.NewGray16(image.Rect(0, 0, w, h))
		draw.Draw(g, g.Rect, m, b.Min, draw.Src)
		src, stride, depth, mode = g.Pix, g.Stride, 16, C.SOHOA_GRAY16
	case *image.Paletted:
		if len(m.Palette) > 256 {
			return nil, fmt.Errorf("palette of %d colours", len(m.Palette))
		}
		src, stride, depth, mode = m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, 8, C.SOHOA_INDEX
	default:
		rgba := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
		src, stride, mode = rgba.Pix, rgba.Stride, C.SOHOA_RGBA
	}
	pix := C.pixCreate(C.l_int32(w), C.l_int32(h), C.l_int32(depth))
	if pix == nil {
		return nil, fmt.Errorf("cannot allocate a %dx%d image", w, h)
	}
	if C.sohoa_fill(pix, (*C.uint8_t)(unsafe.Pointer(&src[0])), C.int(stride), mode) != 0 {
		C.pixDestroy(&pix)
		return nil, fmt.Errorf("cannot copy the image")
	}
	if p, ok := img.(*image.Paletted); ok {
		cmap := C.pixcmapCreate(8)
		for _, c := range p.Palette {
			r, g, b, _ := c.RGBA()
			C.pixcmapAddColor(cmap, C.l_int32(r>>8), C.l_int32(g>>8), C.l_int32(b>>8))
		}
		C.pixSetColormap(pix, cmap)
	}
	if depth == 32 {
		C.pixSetSpp(pix, 3)
	}
	if dpi > 0 {
		C.pixSetResolution(pix, C.l_int32(dpi), C.l_int32(dpi))
	}
	return pix, nil
}
