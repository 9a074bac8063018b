package source

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif"  // register decoder
	_ "image/jpeg" // register decoder
	_ "image/png"  // register decoder
	"io"
	"math"
	"os"
	"strings"

	_ "golang.org/x/image/bmp"  // register decoder
	_ "golang.org/x/image/tiff" // register decoder (first page only)
	_ "golang.org/x/image/webp" // register decoder
)

// goDoc is a single-page image read by Go's decoders.
type goDoc struct {
	path string
	kind Kind
	lim  Limits
	info PageInfo
}

func openGo(path string, kind Kind, lim Limits) (*goDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %s header: %s", ErrCorrupt, strings.ToUpper(string(kind)), describeDecodeErr(err))
	}
	info := PageInfo{Width: cfg.Width, Height: cfg.Height, Color: colorName(cfg.ColorModel)}
	if _, err := f.Seek(0, io.SeekStart); err == nil {
		head := make([]byte, 64<<10)
		n, _ := io.ReadFull(f, head)
		info.DPI = headerDPI(kind, head[:n])
	}
	return &goDoc{path: path, kind: kind, lim: lim, info: info}, nil
}

func (d *goDoc) Kind() Kind                   { return d.kind }
func (d *goDoc) NumPages() int                { return 1 }
func (d *goDoc) Close() error                 { return nil }
func (d *goDoc) Info(i int) (PageInfo, error) { return d.info, checkIndex(i, 1) }

func (d *goDoc) Decode(ctx context.Context, i int) (image.Image, PageInfo, error) {
	if err := checkIndex(i, 1); err != nil {
		return nil, PageInfo{}, err
	}
	if err := d.lim.CheckPixels(d.info.Width, d.info.Height); err != nil {
		return nil, d.info, err
	}
	b, err := os.ReadFile(d.path)
	if err != nil {
		return nil, d.info, err
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, d.info, fmt.Errorf("%w: %s: %s", ErrCorrupt, strings.ToUpper(string(d.kind)), describeDecodeErr(err))
	}
	return img, d.info, nil
}

func checkIndex(i, n int) error {
	if i < 0 || i >= n {
		return fmt.Errorf("page %d out of range (the file has %d)", i+1, n)
	}
	return nil
}

// describeDecodeErr turns a Go image decoder's error into a reason an
// archivist can act on.
func describeDecodeErr(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		strings.Contains(msg, "not enough pixel data"), strings.Contains(msg, "short Huffman data"),
		strings.Contains(msg, "missing SOS marker"), strings.Contains(msg, "missing IEND"):
		return "truncated file: the image data ends early (was the upload or the scan interrupted?)"
	case strings.Contains(msg, "invalid checksum"):
		return "damaged file: a checksum does not match (" + msg + ")"
	}
	return msg
}

func colorName(m color.Model) string {
	switch m {
	case color.GrayModel, color.Gray16Model:
		return "gray"
	case color.CMYKModel:
		return "cmyk"
	case color.RGBAModel, color.RGBA64Model, color.NRGBAModel, color.NRGBA64Model, color.YCbCrModel:
		return "rgb"
	}
	if _, ok := m.(color.Palette); ok {
		return "palette"
	}
	return ""
}

// headerDPI reads the resolution a PNG (pHYs) or JPEG (JFIF APP0) header
// records, or 0.
func headerDPI(kind Kind, b []byte) int {
	switch kind {
	case KindPNG:
		for i := 8; i+12 <= len(b); {
			n := int(binary.BigEndian.Uint32(b[i:]))
			typ := string(b[i+4 : i+8])
			if n < 0 || i+12+n > len(b) {
				return 0
			}
			if typ == "pHYs" && n == 9 && b[i+16] == 1 {
				return int(math.Round(float64(binary.BigEndian.Uint32(b[i+8:])) * 0.0254))
			}
			if typ == "IDAT" {
				return 0
			}
			i += 12 + n
		}
	case KindJPEG:
		// Walk the markers up to the first frame header.
		for i := 2; i+4 <= len(b); {
			if b[i] != 0xff {
				return 0
			}
			m := b[i+1]
			n := int(binary.BigEndian.Uint16(b[i+2:]))
			if m == 0xe0 && i+4+n-2 <= len(b) && n >= 14 && string(b[i+4:i+9]) == "JFIF\x00" {
				units := b[i+11]
				x := int(binary.BigEndian.Uint16(b[i+12:]))
				switch units {
				case 1:
					return x
				case 2:
					return int(math.Round(float64(x) * 2.54))
				}
				return 0
			}
			if m >= 0xc0 && m <= 0xc3 {
				return 0
			}
			i += 2 + n
		}
	}
	return 0
}
