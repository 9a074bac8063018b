package pdf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// The document information is kept twice: in the Info dictionary and in
// the XMP metadata that PDF/A requires. PDF/A-1 requires the two to agree
// (ISO 19005-1 6.7.3) and readers show either, so they agree here, both
// built from the same Meta: Title ↔ dc:title, Author ↔ dc:creator,
// Subject ↔ dc:description, Keywords ↔ pdf:Keywords, Creator ↔
// xmp:CreatorTool, Producer ↔ pdf:Producer, CreationDate ↔ xmp:CreateDate,
// ModDate ↔ xmp:ModifyDate.

// pdfDate formats t as a PDF date, D:YYYYMMDDHHmmSS+HH'mm' (ISO 32000-1
// 7.9.4), in t's own zone.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off/60%60)
}

// xmpDate formats t as an XMP date (ISO 8601 with seconds and the zone
// offset), the same instant and zone as pdfDate.
func xmpDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s%c%02d:%02d", t.Format("2006-01-02T15:04:05"), sign, off/3600, off/60%60)
}

// infoDict is the document information dictionary.
func infoDict(m Meta) string {
	var b strings.Builder
	b.WriteString("<<")
	add := func(key, v string) {
		if v != "" {
			fmt.Fprintf(&b, " /%s %s", key, textString(v))
		}
	}
	add("Title", m.Title)
	add("Author", m.Author)
	add("Subject", m.Subject)
	add("Keywords", m.keywords())
	add("Creator", m.Creator)
	add("Producer", m.Producer)
	fmt.Fprintf(&b, " /CreationDate (%s) /ModDate (%s) >>", pdfDate(m.Created), pdfDate(m.Created))
	return b.String()
}

// xmpPacket is the document's XMP metadata: PDF/A identification (part 2,
// conformance B) and the Info dictionary's content.
func xmpPacket(m Meta) []byte {
	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n" +
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n" +
		" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n" +
		"  <rdf:Description rdf:about=\"\"\n" +
		"    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n" +
		"    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n" +
		"    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n" +
		"    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n" +
		"   <pdfaid:part>2</pdfaid:part>\n" +
		"   <pdfaid:conformance>B</pdfaid:conformance>\n" +
		"   <dc:format>application/pdf</dc:format>\n")
	alt := func(prop, v string) {
		if v != "" {
			fmt.Fprintf(&b, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></%s>\n", prop, esc(v), prop)
		}
	}
	simple := func(prop, v string) {
		if v != "" {
			fmt.Fprintf(&b, "   <%s>%s</%s>\n", prop, esc(v), prop)
		}
	}
	alt("dc:title", m.Title)
	if m.Author != "" {
		fmt.Fprintf(&b, "   <dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", esc(m.Author))
	}
	alt("dc:description", m.Subject)
	fmt.Fprintf(&b, "   <dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n", esc(m.Language))
	simple("pdf:Keywords", m.keywords())
	simple("pdf:Producer", m.Producer)
	simple("xmp:CreatorTool", m.Creator)
	d := xmpDate(m.Created)
	simple("xmp:CreateDate", d)
	simple("xmp:ModifyDate", d)
	simple("xmp:MetadataDate", d)
	b.WriteString("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>")
	return b.Bytes()
}
