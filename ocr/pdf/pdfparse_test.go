package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// A small, strict PDF reader for the tests: it reads the classic
// cross-reference table, parses every object at exactly the offset the
// table gives, and reads each stream with exactly its /Length bytes. It
// knows only what this package writes (no object streams, no xref
// streams, no incremental updates).

type (
	pdfName  string
	pdfRef   int // object number (generation always 0 here)
	pdfDict  map[string]any
	pdfArray []any
	pdfStr   []byte
)

type pdfStream struct {
	dict pdfDict
	raw  []byte // as stored, still encoded
}

type pdfFile struct {
	data    []byte
	objects map[int]any
	trailer pdfDict
}

func parsePDF(data []byte) (*pdfFile, error) {
	f := &pdfFile{data: data, objects: map[int]any{}}
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		return nil, fmt.Errorf("no startxref")
	}
	p := &pdfParser{b: data, pos: i + len("startxref")}
	xrefOff, err := p.value()
	if err != nil {
		return nil, err
	}
	off, ok := xrefOff.(int)
	if !ok || off <= 0 || off >= len(data) {
		return nil, fmt.Errorf("startxref %v", xrefOff)
	}
	p.pos = off
	if !p.keyword("xref") {
		return nil, fmt.Errorf("no xref at offset %d", off)
	}
	offsets := map[int]int{}
	for {
		p.skip()
		if p.keyword("trailer") {
			break
		}
		first, err1 := p.value()
		count, err2 := p.value()
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("xref subsection header: %v %v", err1, err2)
		}
		p.skip()
		for n := range count.(int) {
			if p.pos+20 > len(data) {
				return nil, fmt.Errorf("xref truncated")
			}
			e := string(data[p.pos : p.pos+20])
			p.pos += 20
			if e[18:] != "\r\n" && e[18:] != " \n" && e[18:] != " \r" {
				return nil, fmt.Errorf("xref entry %q is not 20 bytes with a 2-byte end of line", e)
			}
			o, err := strconv.Atoi(e[:10])
			if err != nil {
				return nil, fmt.Errorf("xref entry %q: %v", e, err)
			}
			if e[17] == 'n' {
				offsets[first.(int)+n] = o
			}
		}
	}
	t, err := p.value()
	if err != nil {
		return nil, fmt.Errorf("trailer: %v", err)
	}
	f.trailer, ok = t.(pdfDict)
	if !ok {
		return nil, fmt.Errorf("trailer is %T", t)
	}
	for num, off := range offsets {
		p := &pdfParser{b: data, pos: off}
		n, err1 := p.value()
		g, err2 := p.value()
		if err1 != nil || err2 != nil || n != num || g != 0 || !p.keyword("obj") {
			return nil, fmt.Errorf("object %d: offset %d does not start %q", num, off, fmt.Sprintf("%d 0 obj", num))
		}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("object %d: %v", num, err)
		}
		p.skip()
		if d, ok := v.(pdfDict); ok && p.keyword("stream") {
			// "stream" then CRLF or LF; then exactly Length bytes; then an
			// end of line and "endstream".
			switch {
			case bytes.HasPrefix(data[p.pos:], []byte("\r\n")):
				p.pos += 2
			case bytes.HasPrefix(data[p.pos:], []byte("\n")):
				p.pos++
			default:
				return nil, fmt.Errorf("object %d: no end of line after stream", num)
			}
			n, ok := d["Length"].(int)
			if !ok || p.pos+n > len(data) {
				return nil, fmt.Errorf("object %d: bad stream /Length %v", num, d["Length"])
			}
			raw := data[p.pos : p.pos+n]
			p.pos += n
			if !bytes.HasPrefix(data[p.pos:], []byte("\nendstream")) && !bytes.HasPrefix(data[p.pos:], []byte("\r\nendstream")) {
				return nil, fmt.Errorf("object %d: /Length %d does not end at an end of line and endstream", num, n)
			}
			p.skip()
			p.keyword("endstream")
			v = pdfStream{dict: d, raw: raw}
		}
		if !p.keyword("endobj") {
			return nil, fmt.Errorf("object %d: no endobj", num)
		}
		f.objects[num] = v
	}
	return f, nil
}

// resolve follows a reference.
func (f *pdfFile) resolve(v any) any {
	if r, ok := v.(pdfRef); ok {
		return f.objects[int(r)]
	}
	return v
}

func (f *pdfFile) dict(v any) pdfDict {
	switch d := f.resolve(v).(type) {
	case pdfDict:
		return d
	case pdfStream:
		return d.dict
	}
	return nil
}

// decoded returns a stream's data with its Flate filter undone (other
// filters are left as they are).
func (s pdfStream) decoded() ([]byte, error) {
	if s.dict["Filter"] != pdfName("FlateDecode") {
		return s.raw, nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(s.raw))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// text decodes a PDF text string (UTF-16BE with BOM, else taken as ASCII).
func (s pdfStr) text() string {
	if len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	}
	return string(s)
}

type pdfParser struct {
	b   []byte
	pos int
}

func isWhite(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool { return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0 }

func (p *pdfParser) skip() {
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		switch {
		case isWhite(c):
			p.pos++
		case c == '%':
			for p.pos < len(p.b) && p.b[p.pos] != '\n' && p.b[p.pos] != '\r' {
				p.pos++
			}
		default:
			return
		}
	}
}

// keyword consumes kw if it comes next as a whole token.
func (p *pdfParser) keyword(kw string) bool {
	p.skip()
	end := p.pos + len(kw)
	if end > len(p.b) || string(p.b[p.pos:end]) != kw || end < len(p.b) && !isWhite(p.b[end]) && !isDelim(p.b[end]) {
		return false
	}
	p.pos = end
	return true
}

func (p *pdfParser) token() string {
	start := p.pos
	for p.pos < len(p.b) && !isWhite(p.b[p.pos]) && !isDelim(p.b[p.pos]) {
		p.pos++
	}
	return string(p.b[start:p.pos])
}

func (p *pdfParser) value() (any, error) {
	p.skip()
	if p.pos >= len(p.b) {
		return nil, io.ErrUnexpectedEOF
	}
	switch c := p.b[p.pos]; {
	case bytes.HasPrefix(p.b[p.pos:], []byte("<<")):
		p.pos += 2
		d := pdfDict{}
		for {
			p.skip()
			if bytes.HasPrefix(p.b[p.pos:], []byte(">>")) {
				p.pos += 2
				return d, nil
			}
			k, err := p.value()
			if err != nil {
				return nil, err
			}
			name, ok := k.(pdfName)
			if !ok {
				return nil, fmt.Errorf("offset %d: dictionary key %v is not a name", p.pos, k)
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			if _, dup := d[string(name)]; dup {
				return nil, fmt.Errorf("offset %d: duplicate key /%s", p.pos, name)
			}
			d[string(name)] = v
		}
	case c == '[':
		p.pos++
		var a pdfArray
		for {
			p.skip()
			if p.pos < len(p.b) && p.b[p.pos] == ']' {
				p.pos++
				return a, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case c == '<':
		p.pos++
		end := bytes.IndexByte(p.b[p.pos:], '>')
		if end < 0 {
			return nil, io.ErrUnexpectedEOF
		}
		h := bytes.Map(func(r rune) rune {
			if isWhite(byte(r)) {
				return -1
			}
			return r
		}, p.b[p.pos:p.pos+end])
		p.pos += end + 1
		if len(h)%2 != 0 {
			return nil, fmt.Errorf("offset %d: odd hex string", p.pos)
		}
		s := make([]byte, len(h)/2)
		for i := range s {
			v, err := strconv.ParseUint(string(h[2*i:2*i+2]), 16, 8)
			if err != nil {
				return nil, err
			}
			s[i] = byte(v)
		}
		return pdfStr(s), nil
	case c == '(':
		p.pos++
		var s []byte
		depth := 1
		for p.pos < len(p.b) {
			c := p.b[p.pos]
			p.pos++
			switch c {
			case '\\':
				e := p.b[p.pos]
				p.pos++
				switch e {
				case 'n':
					s = append(s, '\n')
				case 'r':
					s = append(s, '\r')
				case 't':
					s = append(s, '\t')
				case 'b':
					s = append(s, '\b')
				case 'f':
					s = append(s, '\f')
				default:
					s = append(s, e)
				}
				continue
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return pdfStr(s), nil
				}
			}
			s = append(s, c)
		}
		return nil, io.ErrUnexpectedEOF
	case c == '/':
		p.pos++
		return pdfName(p.token()), nil
	default:
		tok := p.token()
		switch tok {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		case "":
			return nil, fmt.Errorf("offset %d: unexpected %q", p.pos, c)
		}
		if n, err := strconv.Atoi(tok); err == nil {
			// "n 0 R" is a reference.
			save := p.pos
			p.skip()
			if g := p.token(); g == "0" && p.keyword("R") {
				return pdfRef(n), nil
			}
			p.pos = save
			return n, nil
		}
		v, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return nil, fmt.Errorf("offset %d: bad token %q", p.pos, tok)
		}
		return v, nil
	}
}
