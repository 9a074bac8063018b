package ocr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
)

// EncodeJPEG encodes img as a baseline JPEG at quality (1..100) with its
// resolution recorded in a JFIF APP0 segment (Go's encoder writes none, so
// viewers and PDF tools would otherwise assume 72 dpi).
func EncodeJPEG(img image.Image, dpi, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	b := buf.Bytes()
	if len(b) < 2 || b[0] != 0xff || b[1] != 0xd8 {
		return nil, errors.New("encode jpeg: no start of image")
	}
	if dpi <= 0 || dpi > 0xffff {
		return b, nil
	}
	// APP0: marker, length 16, "JFIF\0", version 1.02, units 1 (dots per
	// inch), X and Y density, no thumbnail.
	app0 := []byte{0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 1, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(app0[12:], uint16(dpi))
	binary.BigEndian.PutUint16(app0[14:], uint16(dpi))
	out := make([]byte, 0, len(b)+len(app0))
	out = append(out, b[:2]...)
	out = append(out, app0...)
	return append(out, b[2:]...), nil
}
