package pdf

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestPDFA checks the PDF/A-2b rules this package implements, on the
// standard test document, by reading the file with the test's own strict
// parser (pdfparse_test.go). docs/pdf.md lists them against ISO 19005-2.
func TestPDFA(t *testing.T) {
	t.Parallel()
	d := writeTestDoc(t)
	f, err := parsePDF(d.data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}

	t.Run("Header", func(t *testing.T) {
		// 6.1.2: %PDF-1.n, then a comment of at least four bytes > 127.
		data := d.data
		if !bytes.HasPrefix(data, []byte("%PDF-1.7\n%")) {
			t.Fatalf("header %q", data[:min(len(data), 12)])
		}
		for i, c := range data[10:14] {
			if c <= 127 {
				t.Errorf("binary comment byte %d is %#x, want > 127", i, c)
			}
		}
		if data[14] != '\n' {
			t.Errorf("binary comment line not ended after 4 bytes")
		}
		// 6.1.3: nothing after %%EOF but one end of line.
		if !bytes.HasSuffix(data, []byte("\n%%EOF\n")) {
			t.Errorf("file ends %q", data[len(data)-12:])
		}
	})

	t.Run("Trailer", func(t *testing.T) {
		// 6.1.3: an ID, no Encrypt.
		id, ok := f.trailer["ID"].(pdfArray)
		if !ok || len(id) != 2 {
			t.Fatalf("trailer /ID = %v", f.trailer["ID"])
		}
		for _, s := range id {
			if b, ok := s.(pdfStr); !ok || len(b) != 16 {
				t.Errorf("/ID entry %v is not a 16-byte string", s)
			}
		}
		if _, ok := f.trailer["Encrypt"]; ok {
			t.Error("trailer has /Encrypt")
		}
		if size := f.trailer["Size"].(int); size != len(f.objects)+1 {
			t.Errorf("/Size %d with %d objects", size, len(f.objects))
		}
		// Every object in the file is in the xref table (parsePDF found
		// each at its offset): count "n 0 obj" at line starts.
		objs := regexp.MustCompile(`(?m)^\d+ 0 obj\n`).FindAll(d.data, -1)
		if len(objs) != len(f.objects) {
			t.Errorf("%d objects in the file, %d in the cross-reference table", len(objs), len(f.objects))
		}
	})

	catalog := f.dict(f.trailer["Root"])
	info := f.dict(f.trailer["Info"])

	t.Run("Catalog", func(t *testing.T) {
		if catalog["Type"] != pdfName("Catalog") {
			t.Fatalf("root is not a catalog: %v", catalog)
		}
		if lang, _ := catalog["Lang"].(pdfStr); string(lang) != "vi" {
			t.Errorf("catalog /Lang %q, want vi", lang)
		}
		// 6.5.2: no document-level actions (and none of the rest).
		for _, k := range []string{"OpenAction", "AA", "Names", "AcroForm"} {
			if _, ok := catalog[k]; ok {
				t.Errorf("catalog has /%s", k)
			}
		}
	})

	t.Run("XMP", func(t *testing.T) {
		// 6.6.2.1: metadata stream in the catalog, no filter (it must
		// stay readable by tools that do not know PDF).
		s, ok := f.resolve(catalog["Metadata"]).(pdfStream)
		if !ok {
			t.Fatalf("catalog /Metadata is not a stream: %v", catalog["Metadata"])
		}
		if s.dict["Type"] != pdfName("Metadata") || s.dict["Subtype"] != pdfName("XML") {
			t.Errorf("metadata stream dictionary %v", s.dict)
		}
		if _, ok := s.dict["Filter"]; ok {
			t.Errorf("metadata stream is filtered: %v", s.dict["Filter"])
		}
		if !bytes.HasPrefix(s.raw, []byte("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>")) ||
			!bytes.HasSuffix(s.raw, []byte("<?xpacket end=\"w\"?>")) {
			t.Errorf("XMP packet header or trailer missing")
		}
		props, err := xmpProperties(s.raw)
		if err != nil {
			t.Fatalf("XMP: %v", err)
		}
		// 6.6.4: PDF/A identification.
		if props["pdfaid:part"] != "2" || props["pdfaid:conformance"] != "B" {
			t.Errorf("pdfaid part %q conformance %q, want 2 and B", props["pdfaid:part"], props["pdfaid:conformance"])
		}
		if props["dc:language"] != "vi" {
			t.Errorf("dc:language %q", props["dc:language"])
		}
		// The Info dictionary's entries equal their XMP analogues
		// (a PDF/A-1 rule, ISO 19005-1 6.7.3, kept here).
		pairs := []struct{ info, xmp string }{
			{"Title", "dc:title"}, {"Author", "dc:creator"}, {"Subject", "dc:description"},
			{"Keywords", "pdf:Keywords"}, {"Creator", "xmp:CreatorTool"}, {"Producer", "pdf:Producer"},
		}
		for _, p := range pairs {
			s, _ := info[p.info].(pdfStr)
			if s.text() != props[p.xmp] || s.text() == "" {
				t.Errorf("Info /%s %q, XMP %s %q", p.info, s.text(), p.xmp, props[p.xmp])
			}
		}
		if got, _ := info["Title"].(pdfStr); got.text() != testMeta.Title {
			t.Errorf("Info /Title %q, want %q", got.text(), testMeta.Title)
		}
		for _, p := range []struct{ info, xmp string }{{"CreationDate", "xmp:CreateDate"}, {"ModDate", "xmp:ModifyDate"}} {
			s, _ := info[p.info].(pdfStr)
			pd, err := parsePDFDate(string(s))
			if err != nil {
				t.Fatalf("Info /%s: %v", p.info, err)
			}
			xd, err := time.Parse(time.RFC3339, props[p.xmp])
			if err != nil {
				t.Fatalf("XMP %s: %v", p.xmp, err)
			}
			_, po := pd.Zone()
			_, xo := xd.Zone()
			if !pd.Equal(xd) || po != xo || !pd.Equal(testMeta.Created) {
				t.Errorf("Info /%s %s, XMP %s %s, want both %s", p.info, s, p.xmp, props[p.xmp], testMeta.Created)
			}
		}
		if props["xmp:MetadataDate"] != props["xmp:CreateDate"] {
			t.Errorf("xmp:MetadataDate %q", props["xmp:MetadataDate"])
		}
	})

	t.Run("OutputIntent", func(t *testing.T) {
		// 6.2.3: a GTS_PDFA1 output intent with an embedded ICC profile
		// (N 3 for RGB), so DeviceRGB and DeviceGray are allowed.
		intents, _ := f.resolve(catalog["OutputIntents"]).(pdfArray)
		if len(intents) != 1 {
			t.Fatalf("OutputIntents %v", catalog["OutputIntents"])
		}
		oi := f.dict(intents[0])
		if oi["S"] != pdfName("GTS_PDFA1") {
			t.Errorf("output intent /S %v", oi["S"])
		}
		prof, ok := f.resolve(oi["DestOutputProfile"]).(pdfStream)
		if !ok || prof.dict["N"] != 3 {
			t.Fatalf("DestOutputProfile %v", oi["DestOutputProfile"])
		}
		icc, err := prof.decoded()
		if err != nil {
			t.Fatal(err)
		}
		if len(icc) < 128 || binary.BigEndian.Uint32(icc) != uint32(len(icc)) || string(icc[36:40]) != "acsp" ||
			string(icc[12:16]) != "mntr" || string(icc[16:20]) != "RGB " || icc[8] > 4 {
			t.Errorf("embedded profile header % x", icc[:min(len(icc), 40)])
		}
	})

	t.Run("Objects", func(t *testing.T) {
		// Forbidden anywhere: encryption (6.1.3), JavaScript and actions
		// (6.5), LZW (6.1.7.2), image interpolation, alternate images and
		// OPI (6.2.8); and what this package never writes although part
		// 2 allows it: soft masks, transparency groups, annotations.
		forbiddenKeys := []string{"Encrypt", "JS", "JavaScript", "AA", "OpenAction", "Launch", "SMask", "Group", "Alternates", "OPI", "Annots"}
		for num, v := range f.objects {
			walk(v, func(d pdfDict) {
				for _, k := range forbiddenKeys {
					if _, ok := d[k]; ok {
						t.Errorf("object %d has /%s", num, k)
					}
				}
				if d["Interpolate"] == true {
					t.Errorf("object %d: /Interpolate true", num)
				}
				for _, filter := range filters(d["Filter"]) {
					switch filter {
					case "FlateDecode", "DCTDecode", "CCITTFaxDecode":
					default:
						t.Errorf("object %d: filter /%s", num, filter)
					}
				}
				if d["S"] == pdfName("JavaScript") {
					t.Errorf("object %d: a JavaScript action", num)
				}
			})
		}
	})

	t.Run("Pages", func(t *testing.T) {
		root := f.dict(catalog["Pages"])
		kids, _ := root["Kids"].(pdfArray)
		if root["Count"] != 3 || len(kids) != 3 {
			t.Fatalf("page tree root %v", root)
		}
		for i, k := range kids {
			page := f.dict(k)
			res := f.dict(page["Resources"])
			xo := f.dict(res["XObject"])
			if len(xo) != 1 {
				t.Errorf("page %d: %d image XObjects", i+1, len(xo))
			}
			for _, ref := range xo {
				img := f.dict(ref)
				cs := img["ColorSpace"]
				if img["Subtype"] != pdfName("Image") || (cs != pdfName("DeviceGray") && cs != pdfName("DeviceRGB")) {
					t.Errorf("page %d: image %v", i+1, img)
				}
			}
			_, hasFont := res["Font"]
			if wantFont := d.pages[i].spec.name != "Blank"; hasFont != wantFont {
				t.Errorf("page %d: font resource %v, want %v", i+1, hasFont, wantFont)
			}
		}
	})

	t.Run("Fonts", func(t *testing.T) {
		// 6.2.11.4.1: every font embedded; 6.2.11.3.2: CIDFontType2 has
		// a CIDToGIDMap; 6.2.11.5: the widths in the PDF match the font
		// program's; 6.2.11.3.1: CIDSystemInfo (any values with
		// Identity-H). (Fonts used only in render mode 3 are exempt from
		// 6.2.11.4.1 and 6.2.11.5; this one meets them anyway.)
		n := 0
		for num, v := range f.objects {
			font, ok := v.(pdfDict)
			if !ok || font["Type"] != pdfName("Font") || font["Subtype"] != pdfName("Type0") {
				continue
			}
			n++
			if font["Encoding"] != pdfName("Identity-H") {
				t.Errorf("font %d: encoding %v", num, font["Encoding"])
			}
			if _, ok := f.resolve(font["ToUnicode"]).(pdfStream); !ok {
				t.Errorf("font %d: no ToUnicode stream", num)
			}
			desc, _ := font["DescendantFonts"].(pdfArray)
			if len(desc) != 1 {
				t.Fatalf("font %d: DescendantFonts %v", num, font["DescendantFonts"])
			}
			cid := f.dict(desc[0])
			if cid["Subtype"] != pdfName("CIDFontType2") || cid["CIDToGIDMap"] != pdfName("Identity") {
				t.Errorf("font %d: descendant %v", num, cid)
			}
			if si := f.dict(cid["CIDSystemInfo"]); si == nil {
				t.Errorf("font %d: no CIDSystemInfo", num)
			}
			fd := f.dict(cid["FontDescriptor"])
			ff, ok := f.resolve(fd["FontFile2"]).(pdfStream)
			if !ok {
				t.Fatalf("font %d: descriptor has no FontFile2: %v", num, fd)
			}
			prog, err := ff.decoded()
			if err != nil {
				t.Fatal(err)
			}
			if ff.dict["Length1"] != len(prog) {
				t.Errorf("font %d: /Length1 %v, program %d bytes", num, ff.dict["Length1"], len(prog))
			}
			sf, err := sfnt.Parse(prog)
			if err != nil {
				t.Fatalf("font %d: embedded program: %v", num, err)
			}
			widths := cidWidths(t, cid, sf.NumGlyphs())
			var buf sfnt.Buffer
			upem := sf.UnitsPerEm()
			for gid := range sf.NumGlyphs() {
				adv, err := sf.GlyphAdvance(&buf, sfnt.GlyphIndex(gid), fixed.I(int(upem)), 0)
				if err != nil {
					t.Fatal(err)
				}
				// Advance in 1000ths of an em, as /W gives it.
				got := float64(adv) / 64 * 1000 / float64(upem)
				if got != widths[gid] {
					t.Errorf("font %d: glyph %d is %g wide in the program, %g in /W", num, gid, got, widths[gid])
				}
			}
		}
		if n != 1 {
			t.Errorf("%d Type0 fonts, want 1", n)
		}
	})
}

// cidWidths expands a CIDFont's /DW and /W into a width per CID.
func cidWidths(t *testing.T, cid pdfDict, n int) []float64 {
	t.Helper()
	dw := 1000.0
	if v, ok := cid["DW"].(int); ok {
		dw = float64(v)
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = dw
	}
	arr, _ := cid["W"].(pdfArray)
	for i := 0; i < len(arr); {
		first := arr[i].(int)
		if list, ok := arr[i+1].(pdfArray); ok {
			for j, v := range list {
				if first+j < n {
					w[first+j] = float64(v.(int))
				}
			}
			i += 2
			continue
		}
		last, width := arr[i+1].(int), arr[i+2].(int)
		if last >= n {
			t.Errorf("/W range %d..%d past the font's %d glyphs", first, last, n)
		}
		for c := first; c <= last && c < n; c++ {
			w[c] = float64(width)
		}
		i += 3
	}
	return w
}

func filters(v any) []string {
	switch f := v.(type) {
	case pdfName:
		return []string{string(f)}
	case pdfArray:
		var out []string
		for _, x := range f {
			if n, ok := x.(pdfName); ok {
				out = append(out, string(n))
			}
		}
		return out
	}
	return nil
}

// walk calls fn on every dictionary in v, nested ones included.
func walk(v any, fn func(pdfDict)) {
	switch x := v.(type) {
	case pdfDict:
		fn(x)
		for _, e := range x {
			walk(e, fn)
		}
	case pdfArray:
		for _, e := range x {
			walk(e, fn)
		}
	case pdfStream:
		walk(x.dict, fn)
	}
}

var pdfDateRE = regexp.MustCompile(`^D:(\d{14})([+-])(\d\d)'(\d\d)'$`)

func parsePDFDate(s string) (time.Time, error) {
	m := pdfDateRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("date %q is not D:YYYYMMDDHHmmSS+HH'mm'", s)
	}
	h, _ := strconv.Atoi(m[3])
	mi, _ := strconv.Atoi(m[4])
	off := h*3600 + mi*60
	if m[2] == "-" {
		off = -off
	}
	return time.ParseInLocation("20060102150405", m[1], time.FixedZone("", off))
}

// xmpProperties reads the properties of an XMP packet's rdf:Description
// elements as "prefix:name" → text (the text of the rdf:li items, joined
// with "; ", for arrays).
func xmpProperties(b []byte) (map[string]string, error) {
	prefixes := map[string]string{
		"http://www.aiim.org/pdfa/ns/id/":  "pdfaid",
		"http://purl.org/dc/elements/1.1/": "dc",
		"http://ns.adobe.com/xap/1.0/":     "xmp",
		"http://ns.adobe.com/pdf/1.3/":     "pdf",
	}
	const rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	props := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []xml.Name
	var prop string
	var items []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return props, nil
		}
		if err != nil {
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name)
			if n := len(stack); n >= 2 && stack[n-2].Space == rdf && stack[n-2].Local == "Description" {
				prop = prefixes[e.Name.Space] + ":" + e.Name.Local
				items = nil
			}
			text.Reset()
		case xml.CharData:
			text.Write(e)
		case xml.EndElement:
			n := len(stack)
			stack = stack[:n-1]
			switch {
			case e.Name.Space == rdf && e.Name.Local == "li":
				items = append(items, text.String())
			case n >= 2 && stack[n-2].Space == rdf && stack[n-2].Local == "Description":
				if items != nil {
					props[prop] = strings.Join(items, "; ")
				} else {
					props[prop] = strings.TrimSpace(text.String())
				}
			}
			text.Reset()
		}
	}
}
