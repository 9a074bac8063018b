package ocr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"math"
)

// EncodePNG encodes img as PNG with its resolution recorded in a pHYs chunk
// (Tesseract and Leptonica read it; without it Tesseract guesses). fast
// trades size for speed (for images only OCR will read).
func EncodePNG(img image.Image, dpi int, fast bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if fast {
		enc.CompressionLevel = png.BestSpeed
	}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	b := buf.Bytes()
	if dpi <= 0 {
		return b, nil
	}
	// The IHDR chunk is always first: 8-byte signature, then 4 length + 4
	// type + 13 data + 4 CRC. pHYs goes right after it.
	const ihdrEnd = 8 + 4 + 4 + 13 + 4
	if len(b) < ihdrEnd {
		return nil, errors.New("encode png: short output")
	}
	ppm := uint32(math.Round(float64(dpi) / 0.0254))
	var chunk [4 + 4 + 9 + 4]byte
	binary.BigEndian.PutUint32(chunk[0:], 9)
	copy(chunk[4:], "pHYs")
	binary.BigEndian.PutUint32(chunk[8:], ppm)
	binary.BigEndian.PutUint32(chunk[12:], ppm)
	chunk[16] = 1 // unit: metre
	binary.BigEndian.PutUint32(chunk[17:], crc32.ChecksumIEEE(chunk[4:17]))
	out := make([]byte, 0, len(b)+len(chunk))
	out = append(out, b[:ihdrEnd]...)
	out = append(out, chunk[:]...)
	out = append(out, b[ihdrEnd:]...)
	return out, nil
}

// PNGDPI reads the resolution from a PNG's pHYs chunk, or 0 if it has none
// (or gives an aspect ratio only). It reads chunk headers only.
func PNGDPI(b []byte) int {
	if len(b) < 8 || string(b[:8]) != "\x89PNG\r\n\x1a\n" {
		return 0
	}
	for i := 8; i+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if n < 0 || i+12+n > len(b) {
			return 0
		}
		switch typ {
		case "pHYs":
			if n != 9 || b[i+16] != 1 {
				return 0
			}
			x := binary.BigEndian.Uint32(b[i+8:])
			return int(math.Round(float64(x) * 0.0254))
		case "IDAT", "IEND":
			return 0
		}
		i += 12 + n
	}
	return 0
}
