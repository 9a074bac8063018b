package tt05aip

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// xmlw writes indented XML into a buffer. Attribute order is the order
// given, so the output is reproducible. Values are escaped; names are the
// package's own constants.
type xmlw struct {
	b     bytes.Buffer
	depth int
}

func newXML() *xmlw {
	w := &xmlw{}
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	return w
}

func (w *xmlw) indent() {
	for range w.depth {
		w.b.WriteString("  ")
	}
}

// attrs writes name="value" pairs; a pair with an empty value is left out.
func (w *xmlw) attrs(kv []string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		w.b.WriteByte(' ')
		w.b.WriteString(kv[i])
		w.b.WriteString(`="`)
		escape(&w.b, kv[i+1], true)
		w.b.WriteByte('"')
	}
}

// open starts an element with attributes (name, value, name, value...).
func (w *xmlw) open(name string, kv ...string) {
	w.indent()
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.attrs(kv)
	w.b.WriteString(">\n")
	w.depth++
}

func (w *xmlw) close(name string) {
	w.depth--
	w.indent()
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteString(">\n")
}

// empty writes an element without content.
func (w *xmlw) empty(name string, kv ...string) {
	w.indent()
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.attrs(kv)
	w.b.WriteString("/>\n")
}

// text writes an element holding text; an empty text gives <name/>.
func (w *xmlw) text(name, text string, kv ...string) {
	if text == "" {
		w.empty(name, kv...)
		return
	}
	w.indent()
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.attrs(kv)
	w.b.WriteByte('>')
	escape(&w.b, text, false)
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteString(">\n")
}

func (w *xmlw) bytes() []byte { return w.b.Bytes() }

// escape writes s as XML character data. In attributes, line breaks and
// tabs are written as character references so they survive attribute
// value normalisation; in text, line breaks stay. Characters XML 1.0
// cannot hold (control characters, invalid UTF-8) become U+FFFD.
func escape(b *bytes.Buffer, s string, attr bool) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\r':
			b.WriteString("&#xD;")
		case (r == '\n' || r == '\t') && attr:
			fmt.Fprintf(b, "&#x%X;", r)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r == utf8.RuneError, r >= 0xD800 && r < 0xE000:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
}
