package source

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"math"
)

// jpegMeta is what a JPEG's markers say before the image data.
type jpegMeta struct {
	components  int  // from the frame header: 1 grey, 3 colour, 4 CMYK/YCCK
	adobe       bool // has an Adobe APP14 marker
	orientation int  // EXIF orientation 1..8 (0: none)
	dpi         int  // JFIF density, else EXIF resolution
}

// readJPEGMeta walks the markers in head up to the first scan.
func readJPEGMeta(b []byte) jpegMeta {
	var m jpegMeta
	exifDPI := 0
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			break
		}
		mk := b[i+1]
		if mk == 0xff { // fill byte
			i++
			continue
		}
		if mk == 0xd8 || (mk >= 0xd0 && mk <= 0xd7) || mk == 0x01 {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 {
			break
		}
		seg := b[i+4 : min(len(b), i+2+n)]
		switch {
		case mk == 0xe0 && len(seg) >= 12 && string(seg[:5]) == "JFIF\x00":
			x := int(binary.BigEndian.Uint16(seg[8:]))
			switch seg[7] {
			case 1:
				m.dpi = x
			case 2:
				m.dpi = int(math.Round(float64(x) * 2.54))
			}
		case mk == 0xe1 && len(seg) >= 14 && string(seg[:6]) == "Exif\x00\x00":
			m.orientation, exifDPI = readExif(seg[6:])
		case mk == 0xee && len(seg) >= 12 && string(seg[:5]) == "Adobe":
			m.adobe = true
		case mk >= 0xc0 && mk <= 0xcf && mk != 0xc4 && mk != 0xc8 && mk != 0xcc:
			if len(seg) >= 6 {
				m.components = int(seg[5])
			}
		case mk == 0xda: // start of scan: the metadata is over
			i = len(b)
			continue
		}
		i += 2 + n
	}
	if m.dpi == 0 {
		m.dpi = exifDPI
	}
	if m.orientation < 1 || m.orientation > 8 {
		m.orientation = 1
	}
	return m
}

// readExif reads the orientation and resolution from IFD0 of an EXIF TIFF
// structure.
func readExif(t []byte) (orientation, dpi int) {
	if len(t) < 8 {
		return 0, 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, 0
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0, 0
	}
	n := int(bo.Uint16(t[off:]))
	var xres float64
	unit := 2
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			break
		}
		tag, typ := bo.Uint16(t[e:]), bo.Uint16(t[e+2:])
		switch tag {
		case 0x0112: // Orientation, SHORT
			if typ == 3 {
				orientation = int(bo.Uint16(t[e+8:]))
			}
		case 0x0128: // ResolutionUnit, SHORT
			if typ == 3 {
				unit = int(bo.Uint16(t[e+8:]))
			}
		case 0x011a: // XResolution, RATIONAL at an offset
			v := int(bo.Uint32(t[e+8:]))
			if typ == 5 && v >= 0 && v+8 <= len(t) {
				if den := bo.Uint32(t[v+4:]); den != 0 {
					xres = float64(bo.Uint32(t[v:])) / float64(den)
				}
			}
		}
	}
	switch unit {
	case 2:
		dpi = int(math.Round(xres))
	case 3:
		dpi = int(math.Round(xres * 2.54))
	}
	if dpi < 0 || dpi > 100000 {
		dpi = 0
	}
	return orientation, dpi
}

// withAdobeMarker puts an Adobe APP14 segment (transform 0: CMYK) right
// after the SOI marker of the JPEG stream r.
func withAdobeMarker(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	soi, err := br.Peek(2)
	if err != nil || soi[0] != 0xff || soi[1] != 0xd8 {
		return br
	}
	br.Discard(2)
	app14 := []byte{0xff, 0xd8, 0xff, 0xee, 0x00, 0x0e, 'A', 'd', 'o', 'b', 'e', 0x00, 0x64, 0, 0, 0, 0, 0}
	return io.MultiReader(bytes.NewReader(app14), br)
}

// pngDPI reads the resolution of a PNG's pHYs chunk (0 if none).
func pngDPI(b []byte) int {
	for i := 8; i+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if n < 0 || n > len(b) || i+12+n > len(b) {
			return 0
		}
		if typ == "pHYs" && n == 9 && b[i+16] == 1 {
			dpi := int(math.Round(float64(binary.BigEndian.Uint32(b[i+8:])) * 0.0254))
			if dpi > 100000 {
				return 0
			}
			return dpi
		}
		if typ == "IDAT" {
			return 0
		}
		i += 12 + n
	}
	return 0
}

// pngBits is the bit depth from a PNG's IHDR.
func pngBits(b []byte) int {
	if len(b) < 8+8+13 || string(b[12:16]) != "IHDR" {
		return 0
	}
	return int(b[24])
}

// bmpDPI reads a BMP's horizontal resolution (pixels per metre).
func bmpDPI(b []byte) int {
	if len(b) < 42 || binary.LittleEndian.Uint32(b[14:]) < 40 {
		return 0
	}
	ppm := int32(binary.LittleEndian.Uint32(b[38:]))
	if ppm <= 0 || ppm > 4_000_000 {
		return 0
	}
	return int(math.Round(float64(ppm) * 0.0254))
}
