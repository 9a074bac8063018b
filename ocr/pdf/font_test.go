package pdf

import (
	"encoding/binary"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestGlyphlessFont reads the generated font program with
// golang.org/x/image/font/sfnt and checks its tables: glyph count, the cmap
// (BMP and beyond), advances, names and checksums.
func TestGlyphlessFont(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		chars []rune
	}{
		{"None", nil},
		{"Vietnamese", []rune("ỦY BAN NHÂN DÂN huyện Quảng Xương, ngoằn ngoèo; ữ ặ ẫ ỗ ự ỹ")},
		{"BeyondBMP", []rune("a𝐀b😀")},
		{"Many", func() []rune {
			var rs []rune
			for r := rune(0x20); len(rs) < 3000; r++ {
				rs = append(rs, r)
			}
			return rs
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Distinct characters, in order of first use, as the writer
			// assigns them.
			seen := map[rune]bool{}
			var chars []rune
			for _, r := range tt.chars {
				if !seen[r] {
					seen[r] = true
					chars = append(chars, r)
				}
			}
			prog := glyphless(chars)
			f, err := sfnt.Parse(prog)
			if err != nil {
				t.Fatalf("sfnt.Parse: %v", err)
			}
			if n := f.NumGlyphs(); n != len(chars)+1 {
				t.Errorf("%d glyphs, want %d", n, len(chars)+1)
			}
			if u := f.UnitsPerEm(); u != unitsPerEm {
				t.Errorf("units per em %d", u)
			}
			var buf sfnt.Buffer
			for i, r := range chars {
				gi, err := f.GlyphIndex(&buf, r)
				if err != nil || int(gi) != i+1 {
					t.Errorf("cmap: %U → glyph %d (%v), want %d", r, gi, err, i+1)
				}
			}
			if gi, _ := f.GlyphIndex(&buf, '\uFFFD'); gi != 0 && !seen['\uFFFD'] {
				t.Errorf("an unused character maps to glyph %d", gi)
			}
			for gid := range f.NumGlyphs() {
				adv, err := f.GlyphAdvance(&buf, sfnt.GlyphIndex(gid), fixed.I(unitsPerEm), 0)
				if err != nil || adv != fixed.I(glyphAdvance) {
					t.Fatalf("glyph %d advance %v (%v), want %d", gid, adv, err, glyphAdvance)
				}
				segs, err := f.LoadGlyph(&buf, sfnt.GlyphIndex(gid), fixed.I(unitsPerEm), nil)
				if err != nil || len(segs) != 0 {
					t.Fatalf("glyph %d: %d segments (%v), want an empty glyph", gid, len(segs), err)
				}
			}
			if name, err := f.Name(&buf, sfnt.NameIDPostScript); err != nil || name != fontName {
				t.Errorf("PostScript name %q (%v)", name, err)
			}
			m, err := f.Metrics(&buf, fixed.I(unitsPerEm), 0)
			if err != nil || m.Ascent != fixed.I(fontAscent) || m.Descent != fixed.I(-fontDescent) {
				t.Errorf("metrics %+v (%v)", m, err)
			}
			checkSFNTChecksums(t, prog)
		})
	}
}

// checkSFNTChecksums verifies each table's checksum and the head table's
// checkSumAdjustment.
func checkSFNTChecksums(t *testing.T, font []byte) {
	t.Helper()
	be := binary.BigEndian
	n := int(be.Uint16(font[4:]))
	var tags []string
	for i := range n {
		e := font[12+16*i:]
		tag := string(e[:4])
		sum, off, length := be.Uint32(e[4:]), int(be.Uint32(e[8:])), int(be.Uint32(e[12:]))
		tags = append(tags, tag)
		if off%4 != 0 || off+length > len(font) {
			t.Errorf("table %s at %d+%d", tag, off, length)
			continue
		}
		data := append([]byte(nil), font[off:off+length]...)
		if tag == "head" {
			be.PutUint32(data[8:], 0)
		}
		if got := checksum(data); got != sum {
			t.Errorf("table %s checksum %#x, directory says %#x", tag, got, sum)
		}
	}
	if got := strings.Join(tags, " "); got != "OS/2 cmap glyf head hhea hmtx loca maxp name post" {
		t.Errorf("tables %s, want the ten, sorted", got)
	}
	if sum := checksum(font); sum != 0xB1B0AFBA {
		t.Errorf("whole-font checksum %#x, want 0xB1B0AFBA", sum)
	}
}

func TestToUnicodeCMap(t *testing.T) {
	t.Parallel()
	var chars []rune
	for r := rune('A'); len(chars) < 250; r++ {
		chars = append(chars, r)
	}
	chars = append(chars, 'ữ', '😀')
	cm := string(toUnicodeCMap(chars))
	for _, s := range []string{
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange",
		"100 beginbfchar\n<0001> <0041>\n",
		"52 beginbfchar\n",
		"<00FB> <1EEF>\n",     // ữ, NFC precomposed
		"<00FC> <D83DDE00>\n", // beyond the BMP: a surrogate pair
	} {
		if !strings.Contains(cm, s) {
			t.Errorf("CMap lacks %q", s)
		}
	}
	if strings.Count(cm, "beginbfchar") != 3 {
		t.Errorf("%d bfchar sections, want 3 (at most 100 entries each)", strings.Count(cm, "beginbfchar"))
	}
}
