// Package sourcetest makes source files for tests, byte by byte, so the
// tests of ocr/source and its backends need no committed binaries: JPEGs
// Go's encoder cannot write (CMYK, Adobe-inverted CMYK, YCCK, with EXIF
// orientation), hand-built TIFFs (CMYK, tiled, header bombs, thousands of
// pages), PDFs of scanned or text pages, and zips with any entry names.
package sourcetest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// Write writes data to a file named name in a new temporary folder and
// returns its path.
func Write(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Gray is a w x h grey test page: a gradient with dark bars, so pixels
// differ from their neighbours.
func Gray(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8((x*3 + y*5) % 256)
			if (x/4)%3 == 0 {
				v /= 4
			}
			g.Pix[y*g.Stride+x] = v
		}
	}
	return g
}

// RGB is a w x h colour test page.
func RGB(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := m.PixOffset(x, y)
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = uint8(x*7), uint8(y*11), uint8((x+y)*3), 255
		}
	}
	return m
}

// JPEGOptions shape a BlockJPEG.
type JPEGOptions struct {
	// Adobe adds an Adobe APP14 marker with this transform: 0 CMYK (or
	// RGB), 1 YCbCr, 2 YCCK. Without it a 4-component JPEG is plain CMYK.
	Adobe     bool
	Transform byte
	// DPI adds a JFIF APP0 marker with this density (dots per inch).
	DPI int
	// Orientation adds an EXIF APP1 marker with this orientation (1..8).
	Orientation int
}

// BlockJPEG writes a baseline JPEG of w x h pixels and comps components
// (1, 3 or 4, none subsampled) whose every 8x8 block is one flat value per
// component: value(bx, by, c). Flat blocks need only DC coefficients, so
// the encoder is a few lines and the decoded pixels are exact. The
// samples are written as given: for Adobe CMYK pass 255-ink.
func BlockJPEG(w, h, comps int, value func(bx, by, c int) uint8, opt JPEGOptions) []byte {
	var b bytes.Buffer
	seg := func(marker byte, body []byte) {
		b.Write([]byte{0xff, marker, byte((len(body) + 2) >> 8), byte(len(body) + 2)})
		b.Write(body)
	}
	b.Write([]byte{0xff, 0xd8})
	if opt.DPI > 0 {
		seg(0xe0, []byte{'J', 'F', 'I', 'F', 0, 1, 1, 1, byte(opt.DPI >> 8), byte(opt.DPI), byte(opt.DPI >> 8), byte(opt.DPI), 0, 0})
	}
	if opt.Orientation > 0 {
		seg(0xe1, EXIF(opt.Orientation))
	}
	if opt.Adobe {
		seg(0xee, []byte{'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, opt.Transform})
	}
	dqt := make([]byte, 65)
	for i := 1; i < 65; i++ {
		dqt[i] = 1
	}
	seg(0xdb, dqt)
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(comps)}
	for c := range comps {
		sof = append(sof, byte(c+1), 0x11, 0)
	}
	seg(0xc0, sof)
	// DC table: categories 0..11, all 4-bit codes. AC table: EOB only, "0".
	dc := []byte{0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	for v := range 12 {
		dc = append(dc, byte(v))
	}
	seg(0xc4, dc)
	seg(0xc4, []byte{0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00})
	sos := []byte{byte(comps)}
	for c := range comps {
		sos = append(sos, byte(c+1), 0x00)
	}
	seg(0xda, append(sos, 0, 63, 0))

	var bw bitWriter
	pred := make([]int, comps)
	for by := range (h + 7) / 8 {
		for bx := range (w + 7) / 8 {
			for c := range comps {
				v := 8 * (int(value(bx, by, c)) - 128)
				diff := v - pred[c]
				pred[c] = v
				s, bits := 0, diff
				for a := abs(diff); a > 0; a >>= 1 {
					s++
				}
				if diff < 0 {
					bits = diff + (1 << s) - 1
				}
				bw.put(uint32(s), 4) // the category's 4-bit code is its value
				bw.put(uint32(bits), s)
				bw.put(0, 1) // EOB
			}
		}
	}
	b.Write(bw.flush())
	b.Write([]byte{0xff, 0xd9})
	return b.Bytes()
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

type bitWriter struct {
	out  []byte
	acc  uint32
	nacc int
}

func (w *bitWriter) put(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (v>>i)&1
		w.nacc++
		if w.nacc == 8 {
			w.out = append(w.out, byte(w.acc))
			if byte(w.acc) == 0xff {
				w.out = append(w.out, 0)
			}
			w.acc, w.nacc = 0, 0
		}
	}
}

func (w *bitWriter) flush() []byte {
	for w.nacc != 0 {
		w.put(1, 1)
	}
	return w.out
}

// EXIF is the body of an APP1 segment recording an orientation.
func EXIF(orientation int) []byte {
	b := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00")
	b = append(b, 0x12, 0x01, 3, 0, 1, 0, 0, 0, byte(orientation), 0, 0, 0)
	return append(b, 0, 0, 0, 0)
}

// WithEXIF inserts an EXIF orientation marker right after a JPEG's SOI.
func WithEXIF(jpg []byte, orientation int) []byte {
	body := EXIF(orientation)
	seg := append([]byte{0xff, 0xe1, byte((len(body) + 2) >> 8), byte(len(body) + 2)}, body...)
	out := append([]byte{0xff, 0xd8}, seg...)
	return append(out, jpg[2:]...)
}

// EncodeJPEG encodes img with Go's encoder at quality 95.
func EncodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// RawPage is one uncompressed page of a hand-built TIFF.
type RawPage struct {
	Width, Height int
	// Bits per sample, samples per pixel, photometric interpretation
	// (0 min-is-white, 1 min-is-black, 2 RGB, 3 palette, 5 CMYK).
	Bits, Samples, Photometric int
	// Data is the pixel data, rows packed; it need not match the size (a
	// header bomb claims a size its data does not have).
	Data []byte
	// Tile, when set, stores the page in Tile x Tile tiles (Data is then
	// the tiles, one after the other).
	Tile int
	// DPI is recorded as the resolution (0: none).
	DPI int
}

// TIFF builds a little-endian classic TIFF of uncompressed pages.
func TIFF(pages ...RawPage) []byte {
	var b bytes.Buffer
	b.Write([]byte("II*\x00\x00\x00\x00\x00"))
	le := binary.LittleEndian
	patchAt := 4 // where the offset of the next IFD goes
	for _, p := range pages {
		dataOff := b.Len()
		b.Write(p.Data)
		if b.Len()%2 == 1 {
			b.WriteByte(0)
		}
		resOff := b.Len()
		binary.Write(&b, le, [2]uint32{uint32(p.DPI), 1})
		ifd := b.Len()
		le.PutUint32(b.Bytes()[patchAt:], uint32(ifd))
		type entry struct {
			tag, typ uint16
			count    uint32
			val      uint32
		}
		es := []entry{
			{256, 4, 1, uint32(p.Width)},
			{257, 4, 1, uint32(p.Height)},
			{258, 3, 1, uint32(p.Bits)},
			{259, 3, 1, 1},
			{262, 3, 1, uint32(p.Photometric)},
		}
		if p.Tile == 0 {
			es = append(es, entry{273, 4, 1, uint32(dataOff)})
		}
		es = append(es, entry{277, 3, 1, uint32(p.Samples)})
		if p.Tile == 0 {
			es = append(es, entry{278, 4, 1, uint32(p.Height)}, entry{279, 4, 1, uint32(len(p.Data))})
		}
		if p.DPI > 0 {
			es = append(es, entry{282, 5, 1, uint32(resOff)}, entry{283, 5, 1, uint32(resOff)}, entry{296, 3, 1, 2})
		}
		var tileArrays []byte
		if p.Tile > 0 {
			across, down := (p.Width+p.Tile-1)/p.Tile, (p.Height+p.Tile-1)/p.Tile
			n := across * down
			size := p.Tile * p.Tile * p.Bits * p.Samples / 8
			arrOff := uint32(ifd + 2 + 12*(len(es)+4) + 4)
			es = append(es, entry{322, 3, 1, uint32(p.Tile)}, entry{323, 3, 1, uint32(p.Tile)},
				entry{324, 4, uint32(n), arrOff}, entry{325, 4, uint32(n), arrOff + uint32(4*n)})
			if n == 1 {
				es[len(es)-2].val, es[len(es)-1].val = uint32(dataOff), uint32(size)
			}
			for k := range n {
				tileArrays = le.AppendUint32(tileArrays, uint32(dataOff+k*size))
			}
			for range n {
				tileArrays = le.AppendUint32(tileArrays, uint32(size))
			}
		}
		binary.Write(&b, le, uint16(len(es)))
		for _, e := range es {
			binary.Write(&b, le, e.tag)
			binary.Write(&b, le, e.typ)
			binary.Write(&b, le, e.count)
			if e.typ == 3 && e.count == 1 {
				binary.Write(&b, le, [2]uint16{uint16(e.val), 0})
			} else {
				binary.Write(&b, le, e.val)
			}
		}
		patchAt = b.Len()
		binary.Write(&b, le, uint32(0))
		b.Write(tileArrays)
	}
	return b.Bytes()
}

// ManyPagesTIFF builds a TIFF of n 1x1 pages that share one pixel: a
// small file that claims a huge page count.
func ManyPagesTIFF(n int) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write([]byte("II*\x00\x0a\x00\x00\x00\x00\x00")) // first IFD at 10; pixel at 8
	for k := range n {
		binary.Write(&b, le, uint16(7))
		for _, e := range [][3]uint32{{256, 4, 1}, {257, 4, 1}, {258, 3, 8}, {262, 3, 1}, {273, 4, 8}, {278, 4, 1}, {279, 4, 1}} {
			binary.Write(&b, le, uint16(e[0]))
			binary.Write(&b, le, uint16(e[1]))
			binary.Write(&b, le, uint32(1))
			binary.Write(&b, le, e[2])
		}
		next := uint32(0)
		if k < n-1 {
			next = uint32(b.Len() + 4)
		}
		binary.Write(&b, le, next)
	}
	return b.Bytes()
}

// PDFPage is one page of a test PDF: a JPEG image drawn over the whole
// page at DPI, or (JPEG nil) a line of text on a Width x Height pt page.
type PDFPage struct {
	JPEG          []byte
	Width, Height int // pixels of the JPEG, or points of a text page
	Gray          bool
	DPI           int
	Text          string
	// Rotate is the page's /Rotate (0, 90, 180, 270).
	Rotate int
}

// PDF builds a PDF file of pages, with a correct cross-reference table.
func PDF(pages ...PDFPage) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string, stream []byte) int {
		offsets = append(offsets, b.Len())
		n := len(offsets)
		fmt.Fprintf(&b, "%d 0 obj\n%s", n, body)
		if stream != nil {
			b.WriteString("\nstream\n")
			b.Write(stream)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
		return n
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	offsets = append(offsets, 0) // 2: the page tree, written last
	var kids []int
	for _, p := range pages {
		var content string
		var res string
		var wpt, hpt float64
		if p.JPEG != nil {
			cs := "/DeviceRGB"
			if p.Gray {
				cs = "/DeviceGray"
			}
			im := obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>",
				p.Width, p.Height, cs, len(p.JPEG)), p.JPEG)
			wpt, hpt = float64(p.Width)*72/float64(p.DPI), float64(p.Height)*72/float64(p.DPI)
			content = fmt.Sprintf("q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q", wpt, hpt)
			res = fmt.Sprintf("<< /XObject << /Im0 %d 0 R >> >>", im)
		} else {
			font := obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", nil)
			wpt, hpt = float64(p.Width), float64(p.Height)
			content = fmt.Sprintf("BT /F1 24 Tf 72 %d Td (%s) Tj ET", p.Height-100, p.Text)
			res = fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", font)
		}
		c := obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
		kids = append(kids, obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.4f %.4f] /Rotate %d /Resources %s /Contents %d 0 R >>",
			wpt, hpt, p.Rotate, res, c), nil))
	}
	offsets[1] = b.Len()
	fmt.Fprintf(&b, "2 0 obj\n<< /Type /Pages /Count %d /Kids [", len(kids))
	for _, k := range kids {
		fmt.Fprintf(&b, " %d 0 R", k)
	}
	b.WriteString(" ] >>\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// ZipFile is one entry of a test zip.
type ZipFile struct {
	Name string
	Data []byte
	// Store writes it uncompressed (default: Deflate).
	Store bool
}

// Zip builds a zip of files, names as given (unsafe ones included).
func Zip(t testing.TB, files ...ZipFile) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.Name, Method: zip.Deflate}
		if f.Store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Near reports whether two colours are within tol of each other in each
// channel (8-bit).
func Near(a, b color.Color, tol int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool { return abs(int(x>>8)-int(y>>8)) <= tol }
	return d(ar, br) && d(ag, bg) && d(ab, bb)
}
