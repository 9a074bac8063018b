package source

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// ReadJP2Header reads a JPEG 2000 file's size, bit depth, colour and
// resolution from its header boxes and from the codestream's SIZ marker
// (a JP2 file) or from the SIZ marker alone (a raw J2K codestream),
// without decoding. The two sizes must agree: a decoder allocates from the
// codestream's, so a file that lies in its boxes is refused.
func ReadJP2Header(r io.ReaderAt, size int64) (PageInfo, error) {
	damaged := func(what string) (PageInfo, error) {
		return PageInfo{}, fmt.Errorf("%w: damaged JPEG 2000 header: %s", ErrCorrupt, what)
	}
	var head [4]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return damaged("the file is too short")
	}
	if head == [4]byte{0xff, 0x4f, 0xff, 0x51} {
		return readSIZ(r, 0)
	}
	var info PageInfo
	haveIHDR := false
	for off, boxes := int64(0), 0; off < size; boxes++ {
		if boxes > 256 {
			return damaged("too many boxes")
		}
		typ, body, end, err := readBox(r, off, size)
		if err != nil {
			return damaged(err.Error())
		}
		switch typ {
		case "jp2h":
			for sub := body; sub < end; {
				styp, sbody, send, err := readBox(r, sub, end)
				if err != nil {
					return damaged(err.Error())
				}
				switch styp {
				case "ihdr":
					var b [14]byte
					if _, err := r.ReadAt(b[:], sbody); err != nil || send-sbody < 14 {
						return damaged("the image header box is cut short")
					}
					info.Height = clampInt(int64(binary.BigEndian.Uint32(b[0:])))
					info.Width = clampInt(int64(binary.BigEndian.Uint32(b[4:])))
					info.Color = jp2Color(int(binary.BigEndian.Uint16(b[8:])))
					if b[10] != 0xff {
						info.Bits = int(b[10]&0x7f) + 1
					}
					haveIHDR = true
				case "res ":
					info.DPI = jp2Resolution(r, sbody, send)
				}
				sub = send
			}
		case "jp2c":
			if !haveIHDR {
				return damaged("the image header box is missing")
			}
			cs, err := readSIZ(r, body)
			if err != nil {
				return PageInfo{}, err
			}
			if cs.Width != info.Width || cs.Height != info.Height {
				return damaged(fmt.Sprintf("the header says %dx%d but the image data says %dx%d",
					info.Width, info.Height, cs.Width, cs.Height))
			}
			if info.Bits == 0 {
				info.Bits = cs.Bits
			}
			return info, nil
		}
		off = end
	}
	return damaged("no image data (codestream box) in the file")
}

// readBox reads the box header at off: its type, where its body starts
// and where it ends.
func readBox(r io.ReaderAt, off, limit int64) (typ string, body, end int64, err error) {
	var b [16]byte
	if _, err := r.ReadAt(b[:8], off); err != nil {
		return "", 0, 0, fmt.Errorf("a box is cut short")
	}
	n := int64(binary.BigEndian.Uint32(b[:]))
	typ, body = string(b[4:8]), off+8
	switch n {
	case 0:
		n = limit - off
	case 1:
		if _, err := r.ReadAt(b[8:16], off+8); err != nil {
			return "", 0, 0, fmt.Errorf("a box is cut short")
		}
		n, body = int64(binary.BigEndian.Uint64(b[8:])), off+16
	}
	if n < body-off || n > limit-off {
		return "", 0, 0, fmt.Errorf("box %q has a bad length", typ)
	}
	return typ, body, off + n, nil
}

// readSIZ reads the SOC and SIZ markers of a codestream at off.
func readSIZ(r io.ReaderAt, off int64) (PageInfo, error) {
	var b [43]byte
	if _, err := r.ReadAt(b[:], off); err != nil {
		return PageInfo{}, fmt.Errorf("%w: truncated JPEG 2000: the file ends inside the image header", ErrCorrupt)
	}
	if b[0] != 0xff || b[1] != 0x4f || b[2] != 0xff || b[3] != 0x51 {
		return PageInfo{}, fmt.Errorf("%w: damaged JPEG 2000 header: the image data does not start with a size marker", ErrCorrupt)
	}
	be := binary.BigEndian
	x, y := int64(be.Uint32(b[8:])), int64(be.Uint32(b[12:]))
	x0, y0 := int64(be.Uint32(b[16:])), int64(be.Uint32(b[20:]))
	if x0 >= x || y0 >= y {
		return PageInfo{}, fmt.Errorf("%w: damaged JPEG 2000 header: the image has no pixels", ErrCorrupt)
	}
	info := PageInfo{Width: clampInt(x - x0), Height: clampInt(y - y0)}
	info.Color = jp2Color(int(be.Uint16(b[40:])))
	info.Bits = int(b[42]&0x7f) + 1
	return info, nil
}

func jp2Color(components int) string {
	switch components {
	case 1:
		return "gray"
	case 3, 4:
		return "rgb"
	}
	return ""
}

// jp2Resolution reads the capture (else display) resolution box inside a
// 'res ' superbox, in dots per inch.
func jp2Resolution(r io.ReaderAt, off, end int64) int {
	dpi := 0
	for off < end {
		typ, body, next, err := readBox(r, off, end)
		if err != nil {
			return dpi
		}
		var b [10]byte
		if (typ == "resc" || (typ == "resd" && dpi == 0)) && next-body >= 10 {
			if _, err := r.ReadAt(b[:], body); err == nil {
				num, den, exp := binary.BigEndian.Uint16(b[4:]), binary.BigEndian.Uint16(b[6:]), int8(b[9])
				if den != 0 {
					v := float64(num) / float64(den) * math.Pow(10, float64(exp)) * 0.0254
					if v > 0 && v < 100000 {
						dpi = int(math.Round(v))
					}
				}
			}
		}
		off = next
	}
	return dpi
}
