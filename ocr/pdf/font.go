package pdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"unicode/utf16"
)

// The text layer's font: a TrueType font with no outlines, generated per
// document. Glyph 0 is .notdef; glyph i (i >= 1) stands for the i-th
// distinct character the document uses. Every glyph is empty and
// glyphAdvance wide, so a word's width depends only on its length, and
// horizontal scaling fits it to its box. In the PDF it is a Type0 font with
// Identity-H encoding over a CIDFontType2 with CIDToGIDMap /Identity, so a
// character's code is its CID is its glyph id, and a ToUnicode CMap maps
// each back to its character.

const (
	fontName     = "SohoaTextLayer"
	unitsPerEm   = 1000 // so PDF glyph space units equal font units
	glyphAdvance = 500  // every glyph, in font units
	fontAscent   = 800
	fontDescent  = -200 // ascent - descent = 1 em: the line height
	maxGlyphs    = 0xFFFF
)

// glyphless builds the font program for glyphs 1..len(chars), glyph i
// standing for chars[i-1].
func glyphless(chars []rune) []byte {
	numGlyphs := len(chars) + 1
	be := binary.BigEndian
	u16 := func(b []byte, vs ...int) []byte {
		for _, v := range vs {
			b = be.AppendUint16(b, uint16(v))
		}
		return b
	}
	u32 := func(b []byte, vs ...uint32) []byte {
		for _, v := range vs {
			b = be.AppendUint32(b, v)
		}
		return b
	}

	// head: fixed dates (1 January 2025, seconds since 1904) keep the
	// output deterministic; checkSumAdjustment is patched in at the end.
	const created = 3818448000
	head := u32(nil, 0x00010000, 0x00010000, 0, 0x5F0F3CF5)
	head = u16(head, 0b1011, unitsPerEm) // flags: baseline y=0, lsb x=0, integer ppem
	head = binary.BigEndian.AppendUint64(head, created)
	head = binary.BigEndian.AppendUint64(head, created)
	head = u16(head, 0, fontDescent, glyphAdvance, fontAscent) // bounding box
	head = u16(head, 0, 8, 2, 0, 0)                            // macStyle, lowestRecPPEM, direction hint, short loca, glyf format

	hhea := u32(nil, 0x00010000)
	hhea = u16(hhea, fontAscent, fontDescent, 0, glyphAdvance, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)
	hhea = u16(hhea, 1) // numberOfHMetrics: one, shared by every glyph

	maxp := u32(nil, 0x00010000)
	maxp = u16(maxp, numGlyphs, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0)

	first, last := 0xFFFF, 0
	for _, r := range chars {
		first, last = min(first, int(r)), max(last, int(r))
	}
	if len(chars) == 0 {
		first = 0
	}
	os2 := u16(nil, 4, glyphAdvance, 400, 5, 0) // version, avg width, weight, width, fsType 0: installable embedding
	os2 = u16(os2, 650, 600, 0, 75, 650, 600, 0, 350, 50, 250, 0)
	os2 = append(os2, make([]byte, 10)...) // PANOSE: any
	// Unicode ranges: Basic Latin, Latin-1 Supplement, Latin Extended-A
	// and -B, Latin Extended Additional (Vietnamese).
	os2 = u32(os2, 1<<0|1<<1|1<<2|1<<3|1<<29, 0, 0, 0)
	os2 = append(os2, "NONE"...)
	os2 = u16(os2, 0x40, min(first, 0xFFFF), min(last, 0xFFFF)) // fsSelection: regular
	os2 = u16(os2, fontAscent, fontDescent, 0, fontAscent, -fontDescent)
	os2 = u32(os2, 1<<0|1<<8, 0)        // code pages: Latin 1, Vietnamese
	os2 = u16(os2, 500, 700, 0, ' ', 1) // x-height, cap height, default and break char, max context

	hmtx := u16(nil, glyphAdvance, 0)
	hmtx = append(hmtx, make([]byte, 2*(numGlyphs-1))...) // left side bearings, all 0

	loca := make([]byte, 2*(numGlyphs+1)) // short offsets, all 0: every glyph empty

	post := u32(nil, 0x00030000, 0) // version 3 (no glyph names), italic angle
	post = u16(post, -100, 50)      // underline position and thickness
	post = u32(post, 1, 0, 0, 0, 0) // fixed pitch; memory hints unknown

	tables := []struct {
		tag  string
		data []byte
	}{
		{"OS/2", os2},
		{"cmap", cmapTable(chars)},
		{"glyf", nil},
		{"head", head},
		{"hhea", hhea},
		{"hmtx", hmtx},
		{"loca", loca},
		{"maxp", maxp},
		{"name", nameTable()},
		{"post", post},
	}

	n := len(tables)
	pow := 1 << (bits.Len(uint(n)) - 1)
	font := u32(nil, 0x00010000)
	font = u16(font, n, 16*pow, bits.Len(uint(n))-1, 16*(n-pow))
	dir := len(font)
	font = append(font, make([]byte, 16*n)...)
	headOff := 0
	for i, t := range tables {
		off := len(font)
		if t.tag == "head" {
			headOff = off
		}
		font = append(font, t.data...)
		for len(font)%4 != 0 {
			font = append(font, 0)
		}
		e := font[dir+16*i:]
		copy(e, t.tag)
		be.PutUint32(e[4:], checksum(font[off:]))
		be.PutUint32(e[8:], uint32(off))
		be.PutUint32(e[12:], uint32(len(t.data)))
	}
	be.PutUint32(font[headOff+8:], 0xB1B0AFBA-checksum(font))
	return font
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s,
// the data padded with zeros to a multiple of 4.
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	var last [4]byte
	copy(last[:], b)
	return sum + binary.BigEndian.Uint32(last[:])
}

// cmapTable maps each character to its glyph: a Windows Unicode BMP
// subtable (format 4) and, when a character is outside the BMP, a full
// repertoire subtable (format 12). PDF readers use CIDToGIDMap, not this;
// it is there so the font program is complete on its own.
func cmapTable(chars []rune) []byte {
	type group struct {
		start, end rune
		glyph      int
	}
	sorted := make([]group, 0, len(chars))
	for i, r := range chars {
		sorted = append(sorted, group{r, r, i + 1})
	}
	slices.SortFunc(sorted, func(a, b group) int { return int(a.start - b.start) })
	// Merge runs of consecutive characters with consecutive glyphs.
	var groups []group
	for _, g := range sorted {
		if n := len(groups); n > 0 && groups[n-1].end+1 == g.start && groups[n-1].glyph+int(g.start-groups[n-1].start) == g.glyph {
			groups[n-1].end = g.end
			continue
		}
		groups = append(groups, g)
	}

	be := binary.BigEndian
	// Format 4: BMP characters, plus the final 0xFFFF segment.
	var bmp []group
	for _, g := range groups {
		if g.start > 0xFFFF {
			break
		}
		if g.end > 0xFFFE {
			g.end = 0xFFFE
		}
		bmp = append(bmp, g)
	}
	bmp = append(bmp, group{0xFFFF, 0xFFFF, 0})
	seg := len(bmp)
	pow := 1 << (bits.Len(uint(seg)) - 1)
	f4 := make([]byte, 14, 16+8*seg)
	be.PutUint16(f4[0:], 4)
	be.PutUint16(f4[2:], uint16(16+8*seg))
	be.PutUint16(f4[6:], uint16(2*seg))
	be.PutUint16(f4[8:], uint16(2*pow))
	be.PutUint16(f4[10:], uint16(bits.Len(uint(seg))-1))
	be.PutUint16(f4[12:], uint16(2*seg-2*pow))
	for _, g := range bmp {
		f4 = be.AppendUint16(f4, uint16(g.end))
	}
	f4 = be.AppendUint16(f4, 0) // reserved pad
	for _, g := range bmp {
		f4 = be.AppendUint16(f4, uint16(g.start))
	}
	for _, g := range bmp {
		delta := g.glyph - int(g.start)
		if g.start == 0xFFFF {
			delta = 1 // 0xFFFF + 1 wraps to glyph 0
		}
		f4 = be.AppendUint16(f4, uint16(delta))
	}
	for range bmp {
		f4 = be.AppendUint16(f4, 0) // idRangeOffset: use idDelta
	}

	var f12 []byte
	if len(groups) > 0 && groups[len(groups)-1].end > 0xFFFF {
		f12 = be.AppendUint16(f12, 12)
		f12 = be.AppendUint16(f12, 0)
		f12 = be.AppendUint32(f12, uint32(16+12*len(groups)))
		f12 = be.AppendUint32(f12, 0)
		f12 = be.AppendUint32(f12, uint32(len(groups)))
		for _, g := range groups {
			f12 = be.AppendUint32(f12, uint32(g.start))
			f12 = be.AppendUint32(f12, uint32(g.end))
			f12 = be.AppendUint32(f12, uint32(g.glyph))
		}
	}

	nsub := 1
	if f12 != nil {
		nsub = 2
	}
	t := be.AppendUint16(nil, 0)
	t = be.AppendUint16(t, uint16(nsub))
	off := 4 + 8*nsub
	t = be.AppendUint16(t, 3) // Windows
	t = be.AppendUint16(t, 1) // Unicode BMP
	t = be.AppendUint32(t, uint32(off))
	if f12 != nil {
		t = be.AppendUint16(t, 3)
		t = be.AppendUint16(t, 10) // Unicode full repertoire
		t = be.AppendUint32(t, uint32(off+len(f4)))
	}
	t = append(t, f4...)
	return append(t, f12...)
}

// nameTable names the font (Windows platform, US English, UTF-16BE).
func nameTable() []byte {
	names := []struct {
		id   int
		text string
	}{
		{0, "No copyright. Generated by sohoa."},
		{1, fontName},
		{2, "Regular"},
		{3, fontName + " 1.0"},
		{4, fontName},
		{5, "Version 1.0"},
		{6, fontName},
	}
	be := binary.BigEndian
	var strs []byte
	t := be.AppendUint16(nil, 0)
	t = be.AppendUint16(t, uint16(len(names)))
	t = be.AppendUint16(t, uint16(6+12*len(names)))
	for _, n := range names {
		s := utf16.Encode([]rune(n.text))
		off := len(strs)
		for _, u := range s {
			strs = be.AppendUint16(strs, u)
		}
		for _, v := range []int{3, 1, 0x409, n.id, 2 * len(s), off} {
			t = be.AppendUint16(t, uint16(v))
		}
	}
	return append(t, strs...)
}

// toUnicodeCMap maps CID i (i >= 1) to chars[i-1], in UTF-16BE.
func toUnicodeCMap(chars []rune) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	// At most 100 mappings per bfchar section.
	for start := 0; start < len(chars); start += 100 {
		end := min(start+100, len(chars))
		fmt.Fprintf(&b, "%d beginbfchar\n", end-start)
		for i := start; i < end; i++ {
			fmt.Fprintf(&b, "<%04X> <", i+1)
			for _, u := range utf16.Encode([]rune{chars[i]}) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
