package source

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"strings"

	"golang.org/x/image/bmp"
	"golang.org/x/image/webp"
)

// goDoc is a single-page image read by Go's decoders: PNG, JPEG, GIF
// (first frame), BMP, WebP.
type goDoc struct {
	path string
	kind Kind
	lim  Limits
	info PageInfo
	jpeg jpegMeta // JPEG only
}

// openGo reads the header of f (positioned anywhere) without decoding.
func openGo(f *os.File, kind Kind, lim Limits) (*goDoc, error) {
	head := make([]byte, 256<<10)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	cfg, err := decodeConfig(kind, bufio.NewReader(f))
	if err != nil {
		return nil, decodeErr(kind, "header", err)
	}
	d := &goDoc{path: f.Name(), kind: kind, lim: lim}
	d.info = PageInfo{Width: cfg.Width, Height: cfg.Height, Color: colorName(cfg.ColorModel), Bits: 8}
	switch kind {
	case KindPNG:
		d.info.DPI = pngDPI(head)
		d.info.Bits = pngBits(head)
		if d.info.Bits == 1 && d.info.Color == "gray" {
			d.info.Color = "bilevel"
		}
	case KindJPEG:
		d.jpeg = readJPEGMeta(head)
		d.info.DPI = d.jpeg.dpi
		switch d.jpeg.components {
		case 1:
			d.info.Color = "gray"
		case 3:
			d.info.Color = "rgb"
		case 4:
			d.info.Color = "cmyk"
		}
		if d.jpeg.orientation >= 5 {
			d.info.Width, d.info.Height = d.info.Height, d.info.Width
		}
	case KindBMP:
		d.info.DPI = bmpDPI(head)
	}
	return d, nil
}

// goDecoders are the Go decoders of the kinds read in pure Go.
var goDecoders = map[Kind]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	KindPNG:  {png.DecodeConfig, png.Decode},
	KindJPEG: {jpeg.DecodeConfig, jpeg.Decode},
	KindGIF:  {gif.DecodeConfig, gif.Decode},
	KindBMP:  {bmp.DecodeConfig, bmp.Decode},
	KindWebP: {webp.DecodeConfig, webp.Decode},
}

func decodeConfig(kind Kind, r io.Reader) (image.Config, error) {
	d, ok := goDecoders[kind]
	if !ok {
		return image.Config{}, fmt.Errorf("no Go decoder for %s", kind)
	}
	return d.config(r)
}

func decode(kind Kind, r io.Reader) (image.Image, error) {
	d, ok := goDecoders[kind]
	if !ok {
		return nil, fmt.Errorf("no Go decoder for %s", kind)
	}
	return d.decode(r)
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
	f, err := os.Open(d.path)
	if err != nil {
		return nil, d.info, err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReaderSize(f, 64<<10)
	plainCMYK := d.kind == KindJPEG && d.jpeg.components == 4 && !d.jpeg.adobe
	if plainCMYK {
		// Go's decoder reads 4-component JPEGs only with an Adobe marker
		// (and then takes the values as inverted); give it one.
		r = withAdobeMarker(r)
	}
	img, err := decode(d.kind, r)
	if err != nil {
		return nil, d.info, decodeErr(d.kind, "", err)
	}
	if b := img.Bounds(); b.Dx()*b.Dy() > d.info.Width*d.info.Height {
		return nil, d.info, fmt.Errorf("%w: damaged %s: the image is larger than its header says", ErrCorrupt, d.kind.Name())
	}
	img = flatten(img, plainCMYK)
	if d.kind == KindJPEG {
		img = orient(img, d.jpeg.orientation)
	}
	return img, d.info, nil
}

// decodeErr turns a Go image decoder's error into a sentence an archivist
// can act on. part is "header" or "".
func decodeErr(kind Kind, part string, err error) error {
	name := kind.Name()
	if part != "" {
		name += " " + part
	}
	msg := err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		strings.Contains(msg, "not enough pixel data"), strings.Contains(msg, "short Huffman data"),
		strings.Contains(msg, "missing SOS marker"), strings.Contains(msg, "missing IEND"):
		return fmt.Errorf("%w: truncated %s: the image data ends early (the upload or the scan was interrupted); upload the file again",
			ErrCorrupt, name)
	case strings.Contains(msg, "invalid checksum"):
		return fmt.Errorf("%w: damaged %s: a checksum does not match, so the file was changed or damaged in transfer; upload it again",
			ErrCorrupt, name)
	case strings.Contains(msg, "unsupported"):
		return fmt.Errorf("%w: %s uses a feature this worker cannot read (%s); save it again as a plain %s, PNG or TIFF",
			ErrUnsupported, name, trimPrefix(msg), kind.Name())
	}
	return fmt.Errorf("%w: damaged %s: %s", ErrCorrupt, name, trimPrefix(msg))
}

// trimPrefix drops a Go decoder's package prefix ("png: invalid format: ").
func trimPrefix(msg string) string {
	for _, p := range []string{"png: ", "jpeg: ", "gif: ", "bmp: ", "webp: ", "tiff: ", "invalid format: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

func colorName(m color.Model) string {
	switch m {
	case color.GrayModel, color.Gray16Model:
		return "gray"
	case color.CMYKModel:
		return "cmyk"
	case color.RGBAModel, color.RGBA64Model, color.NRGBAModel, color.NRGBA64Model, color.YCbCrModel, color.NYCbCrAModel:
		return "rgb"
	}
	if _, ok := m.(color.Palette); ok {
		return "palette"
	}
	return ""
}

// flatten makes a decoded image opaque 8-bit, in place where it can:
// transparency is composited on white (paper), CMYK becomes RGB, 16-bit
// colour becomes 8-bit. invertCMYK undoes the inversion Go's JPEG decoder
// applied to a CMYK JPEG that had no Adobe marker. Gray16 is left as is.
func flatten(img image.Image, invertCMYK bool) image.Image {
	switch m := img.(type) {
	case *image.NRGBA:
		for i := 0; i+3 < len(m.Pix); i += 4 {
			p := m.Pix[i : i+4 : i+4]
			if a := uint32(p[3]); a != 255 {
				w := 255 * (255 - a)
				p[0] = uint8((uint32(p[0])*a + w + 127) / 255)
				p[1] = uint8((uint32(p[1])*a + w + 127) / 255)
				p[2] = uint8((uint32(p[2])*a + w + 127) / 255)
				p[3] = 255
			}
		}
		return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
	case *image.RGBA:
		for i := 0; i+3 < len(m.Pix); i += 4 {
			p := m.Pix[i : i+4 : i+4]
			if a := p[3]; a != 255 {
				w := 255 - a
				p[0], p[1], p[2], p[3] = p[0]+w, p[1]+w, p[2]+w, 255
			}
		}
		return m
	case *image.CMYK:
		for i := 0; i+3 < len(m.Pix); i += 4 {
			p := m.Pix[i : i+4 : i+4]
			c, mg, y, k := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
			if invertCMYK {
				c, mg, y, k = 255-c, 255-mg, 255-y, 255-k
			}
			w := 255 - k
			p[0] = uint8(((255-c)*w + 127) / 255)
			p[1] = uint8(((255-mg)*w + 127) / 255)
			p[2] = uint8(((255-y)*w + 127) / 255)
			p[3] = 255
		}
		return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
	case *image.Paletted:
		for i, c := range m.Palette {
			m.Palette[i] = onWhite(c)
		}
		return m
	case *image.NYCbCrA:
		// Composite the luma on white; the chroma of transparent parts
		// stays (it hardly matters on a scan).
		b := m.Rect
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				yi, ai := m.YOffset(x, y), m.AOffset(x, y)
				a := uint32(m.A[ai])
				m.Y[yi] = uint8((uint32(m.Y[yi])*a + 255*(255-a) + 127) / 255)
			}
		}
		return &m.YCbCr
	case *image.RGBA64, *image.NRGBA64:
		b := img.Bounds()
		out := image.NewRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := out.Pix[out.PixOffset(b.Min.X, y):]
			for x := b.Min.X; x < b.Max.X; x++ {
				c := onWhite(img.At(x, y)).(color.RGBA)
				i := 4 * (x - b.Min.X)
				row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, 255
			}
		}
		return out
	}
	return img
}

// onWhite composites c on white and returns an opaque color.RGBA.
func onWhite(c color.Color) color.Color {
	r, g, b, a := c.RGBA()
	w := 0xffff - a
	return color.RGBA{uint8((r + w) >> 8), uint8((g + w) >> 8), uint8((b + w) >> 8), 255}
}
