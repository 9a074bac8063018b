package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math"
	"strconv"
	"unicode/utf16"
)

// objWriter writes a PDF file body: numbered indirect objects, each at an
// offset it records for the cross-reference table. Object numbers are
// allocated ahead (so objects can refer to ones written later) and each is
// written exactly once, in any order. The first error sticks.
type objWriter struct {
	w       *bufio.Writer
	n       int64     // bytes written so far
	sum     hash.Hash // MD5 of every byte written, for the file identifier
	offsets []int64   // by object number; -1 until written; [0] unused
	err     error
}

func newObjWriter(w io.Writer) *objWriter {
	return &objWriter{w: bufio.NewWriterSize(w, 1<<16), sum: md5.New(), offsets: []int64{0}}
}

func (o *objWriter) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	o.sum.Write(p[:n])
	o.n += int64(n)
	if err != nil {
		o.err = fmt.Errorf("write pdf: %w", err)
	}
	return n, o.err
}

func (o *objWriter) print(s string) { io.WriteString(o, s) }

func (o *objWriter) printf(format string, args ...any) { fmt.Fprintf(o, format, args...) }

// alloc reserves the next object number.
func (o *objWriter) alloc() int {
	o.offsets = append(o.offsets, -1)
	return len(o.offsets) - 1
}

// object writes object num with a direct value, e.g. a dictionary.
func (o *objWriter) object(num int, value string) {
	o.begin(num)
	o.print(value)
	o.print("\nendobj\n")
}

// stream writes object num as a stream: dict holds the dictionary's
// entries other than /Length (e.g. "/Filter /FlateDecode").
func (o *objWriter) stream(num int, dict string, data []byte) {
	o.begin(num)
	sep := " "
	if dict == "" {
		sep = ""
	}
	o.printf("<< %s%s/Length %d >>\nstream\n", dict, sep, len(data))
	o.Write(data)
	o.print("\nendstream\nendobj\n")
}

func (o *objWriter) begin(num int) {
	if num <= 0 || num >= len(o.offsets) || o.offsets[num] >= 0 {
		if o.err == nil {
			o.err = fmt.Errorf("write pdf: object %d not allocated or written twice", num)
		}
		return
	}
	o.offsets[num] = o.n
	o.printf("%d 0 obj\n", num)
}

// finish writes the cross-reference table and the trailer (trailer holds
// its entries other than /Size and /ID) and flushes.
func (o *objWriter) finish(trailer string) error {
	for num, off := range o.offsets[1:] {
		if off < 0 && o.err == nil {
			o.err = fmt.Errorf("write pdf: object %d allocated but never written", num+1)
		}
	}
	if o.err != nil {
		return o.err
	}
	// The identifier is the MD5 of the body: the same for the same input,
	// different for any other (ISO 32000-1 14.4 suggests hashing content).
	id := hex.EncodeToString(o.sum.Sum(nil))
	xref := o.n
	o.printf("xref\n0 %d\n", len(o.offsets))
	// Each entry is exactly 20 bytes, ending with CR LF.
	o.print("0000000000 65535 f\r\n")
	for _, off := range o.offsets[1:] {
		o.printf("%010d 00000 n\r\n", off)
	}
	o.printf("trailer\n<< /Size %d %s /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n",
		len(o.offsets), trailer, id, id, xref)
	if o.err != nil {
		return o.err
	}
	if err := o.w.Flush(); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// deflate compresses data for /FlateDecode (a zlib stream). The output is
// the same for the same input.
func deflate(data []byte) []byte {
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.DefaultCompression)
	zw.Write(data) // writes to a bytes.Buffer do not fail
	zw.Close()
	return buf.Bytes()
}

// num formats a real number with at most prec decimals, no exponent and no
// trailing zeros ("595.2", "12", "-0.5"), as PDF wants.
func num(v float64, prec int) string {
	return string(appendNum(nil, v, prec))
}

func appendNum(b []byte, v float64, prec int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', prec, 64)
	if prec > 0 {
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		if b[len(b)-1] == '.' {
			b = b[:len(b)-1]
		}
	}
	if s := string(b[start:]); s == "-0" {
		b = append(b[:start], '0')
	}
	return b
}

// textString encodes s as a PDF text string: a literal string when it is
// printable ASCII, else UTF-16BE with a byte order mark, in hex.
func textString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		var b bytes.Buffer
		b.WriteByte('(')
		for i := 0; i < len(s); i++ {
			switch c := s[i]; c {
			case '(', ')', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte(')')
		return b.String()
	}
	units := utf16.Encode([]rune(s))
	b := make([]byte, 0, 6+4*len(units))
	b = append(b, "<FEFF"...)
	for _, u := range units {
		b = fmt.Appendf(b, "%04X", u)
	}
	return string(append(b, '>'))
}
