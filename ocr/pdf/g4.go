package pdf

import "image"

// CCITT Group 4 encoder (ITU-T T.6, "two-dimensional coding" with no EOLs
// between rows), as read by the PDF CCITTFaxDecode filter with K -1.
//
// Each row is reduced to its changing elements: the columns where the
// colour differs from the pixel to the left (the pixel left of column 0 is
// white). The row above is the reference line (an imaginary white line for
// the first row). With a0 the current position (-1 at the start of a row)
// and its colour, a1 and a2 the next two changing elements on the row being
// coded, b1 the first changing element on the reference line right of a0
// with the colour opposite to a0's, and b2 the one after it, the coder
// chooses:
//
//   - pass mode when b2 < a1: a0 moves to b2, colour unchanged;
//   - vertical mode when |a1-b1| <= 3: a0 moves to a1, colour flips;
//   - horizontal mode otherwise: the runs a0..a1 and a1..a2 are written
//     with the T.4 run-length codes, a0 moves to a2.
//
// The data ends with EOFB (two EOL codes) and is padded with zero bits to
// a byte boundary.

// encodeG4 encodes img as CCITT Group 4. A pixel darker than 0x80 is black.
// In the PDF, the image is declared with BlackIs1 false (the default), so
// black decodes to 0, which DeviceGray paints black.
func encodeG4(img *image.Gray) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	bw := bitWriter{buf: make([]byte, 0, 4096+w*h/64)}
	// Three sentinels at w: b2 may be looked up one past b1, which may be
	// one past the first changing element right of a0.
	ref := append(make([]int, 0, 64), w, w, w)
	cur := make([]int, 0, 64)
	for y := 0; y < h; y++ {
		off := y * img.Stride
		cur = changingElements(cur[:0], img.Pix[off:off+w])
		encodeRow(&bw, cur, ref, w)
		ref, cur = cur, ref
	}
	bw.put(0b000000000001, 12) // EOFB: two EOLs
	bw.put(0b000000000001, 12)
	return bw.flush()
}

// changingElements appends to dst the columns where row changes colour,
// then three sentinels at len(row). Changes alternate white→black (even
// indexes) and black→white (odd).
func changingElements(dst []int, row []byte) []int {
	black := false
	for x, v := range row {
		if (v < 0x80) != black {
			dst = append(dst, x)
			black = !black
		}
	}
	w := len(row)
	return append(dst, w, w, w)
}

// encodeRow codes one row given its changing elements and the reference
// line's (both ending with sentinels).
func encodeRow(bw *bitWriter, cur, ref []int, w int) {
	a0, color := -1, 0 // color: 0 white, 1 black
	ia, ib := 0, 0     // first changing element right of a0 on each line
	for a0 < w {
		for cur[ia] <= a0 {
			ia++
		}
		a1, a2 := cur[ia], cur[ia+1]
		for ref[ib] <= a0 {
			ib++
		}
		k := ib
		// Changing element k turns the line black when k is even; b1 must
		// turn it to the colour opposite a0's.
		if k%2 != color {
			k++
		}
		b1, b2 := ref[k], ref[k+1]
		switch d := a1 - b1; {
		case b2 < a1:
			bw.put(0b0001, 4)
			a0 = b2
		case d >= -3 && d <= 3:
			c := verticalCodes[d+3]
			bw.put(uint32(c.bits), uint(c.len))
			a0 = a1
			color ^= 1
		default:
			bw.put(0b001, 3)
			start := max(a0, 0)
			bw.run(a1-start, color == 1)
			bw.run(a2-a1, color == 0)
			a0 = a2
		}
	}
}

// bitWriter packs codes most significant bit first.
type bitWriter struct {
	buf []byte
	acc uint64
	n   uint // bits pending in acc, < 8 between calls
}

func (b *bitWriter) put(code uint32, n uint) {
	b.acc = b.acc<<n | uint64(code)
	b.n += n
	for b.n >= 8 {
		b.n -= 8
		b.buf = append(b.buf, byte(b.acc>>b.n))
	}
}

// flush pads the last byte with zero bits and returns the data.
func (b *bitWriter) flush() []byte {
	if b.n > 0 {
		b.put(0, 8-b.n)
	}
	return b.buf
}

// run writes a run of n pixels of one colour: makeup codes for the
// multiples of 64, then a terminating code (always, even for 0).
func (b *bitWriter) run(n int, black bool) {
	term, makeup := whiteTerm, whiteMakeup
	if black {
		term, makeup = blackTerm, blackMakeup
	}
	for n >= 2560 {
		c := extMakeup[len(extMakeup)-1]
		b.put(uint32(c.bits), uint(c.len))
		n -= 2560
	}
	if n >= 64 {
		m := n / 64 // 1..39: 64..1728 by colour, then 1792.. shared
		var c code
		if m <= len(makeup) {
			c = makeup[m-1]
		} else {
			c = extMakeup[m-len(makeup)-1]
		}
		b.put(uint32(c.bits), uint(c.len))
		n -= m * 64
	}
	c := term[n]
	b.put(uint32(c.bits), uint(c.len))
}

type code struct {
	bits uint16
	len  uint8
}

// codes turns code words written as strings of 0 and 1 into codes.
func codes(words ...string) []code {
	cs := make([]code, len(words))
	for i, w := range words {
		var v uint16
		for _, ch := range w {
			v = v<<1 | uint16(ch-'0')
		}
		cs[i] = code{bits: v, len: uint8(len(w))}
	}
	return cs
}

// Vertical mode codes for a1-b1 = -3..3 (T.4 table 4: VL3 .. VR3).
var verticalCodes = codes("0000010", "000010", "010", "1", "011", "000011", "0000011")

// T.4 table 2: terminating codes for runs of 0..63.
var whiteTerm = codes(
	"00110101", "000111", "0111", "1000", "1011", "1100", "1110", "1111",
	"10011", "10100", "00111", "01000", "001000", "000011", "110100", "110101",
	"101010", "101011", "0100111", "0001100", "0001000", "0010111", "0000011", "0000100",
	"0101000", "0101011", "0010011", "0100100", "0011000", "00000010", "00000011", "00011010",
	"00011011", "00010010", "00010011", "00010100", "00010101", "00010110", "00010111", "00101000",
	"00101001", "00101010", "00101011", "00101100", "00101101", "00000100", "00000101", "00001010",
	"00001011", "01010010", "01010011", "01010100", "01010101", "00100100", "00100101", "01011000",
	"01011001", "01011010", "01011011", "01001010", "01001011", "00110010", "00110011", "00110100",
)

var blackTerm = codes(
	"0000110111", "010", "11", "10", "011", "0011", "0010", "00011",
	"000101", "000100", "0000100", "0000101", "0000111", "00000100", "00000111", "000011000",
	"0000010111", "0000011000", "0000001000", "00001100111", "00001101000", "00001101100", "00000110111", "00000101000",
	"00000010111", "00000011000", "000011001010", "000011001011", "000011001100", "000011001101", "000001101000", "000001101001",
	"000001101010", "000001101011", "000011010010", "000011010011", "000011010100", "000011010101", "000011010110", "000011010111",
	"000001101100", "000001101101", "000011011010", "000011011011", "000001010100", "000001010101", "000001010110", "000001010111",
	"000001100100", "000001100101", "000001010010", "000001010011", "000000100100", "000000110111", "000000111000", "000000100111",
	"000000101000", "000001011000", "000001011001", "000000101011", "000000101100", "000001011010", "000001100110", "000001100111",
)

// T.4 table 3a: makeup codes for runs of 64, 128, ..., 1728.
var whiteMakeup = codes(
	"11011", "10010", "010111", "0110111", "00110110", "00110111", "01100100", "01100101",
	"01101000", "01100111", "011001100", "011001101", "011010010", "011010011", "011010100", "011010101",
	"011010110", "011010111", "011011000", "011011001", "011011010", "011011011", "010011000", "010011001",
	"010011010", "011000", "010011011",
)

var blackMakeup = codes(
	"0000001111", "000011001000", "000011001001", "000001011011", "000000110011", "000000110100", "000000110101", "0000001101100",
	"0000001101101", "0000001001010", "0000001001011", "0000001001100", "0000001001101", "0000001110010", "0000001110011", "0000001110100",
	"0000001110101", "0000001110110", "0000001110111", "0000001010010", "0000001010011", "0000001010100", "0000001010101", "0000001011010",
	"0000001011011", "0000001100100", "0000001100101",
)

// T.4 table 3b: makeup codes for runs of 1792, 1856, ..., 2560, both colours.
var extMakeup = codes(
	"00000001000", "00000001100", "00000001101", "000000010010", "000000010011", "000000010100", "000000010101",
	"000000010110", "000000010111", "000000011100", "000000011101", "000000011110", "000000011111",
)
