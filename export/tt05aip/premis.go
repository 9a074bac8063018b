package tt05aip

import (
	"fmt"
	"strconv"
	"strings"
)

// EventTransfer is the PREMIS event type the circular gives digitisation.
const EventTransfer = "transfer"

// premis is PREMIS.xml (root, true: the record as an intellectual entity
// too) or PREMIS_rep1.xml: the representation, one file object per
// document with its SHA-256 fixity, size and format, the digitisation
// event (type transfer) and the software agent.
func (x *writer) premis(root bool) []byte {
	schema := "../../../../schemas/premis.xsd"
	if root {
		schema = "../../schemas/premis.xsd"
	}
	agentValue := x.opt.Software + " " + x.opt.Version
	eventID := x.id("uuid-", "event\x00transfer")
	linkEvent := func(w *xmlw) {
		w.open("linkingEventIdentifier")
		w.text("linkingEventIdentifierType", "UUID")
		w.text("linkingEventIdentifierValue", eventID)
		w.close("linkingEventIdentifier")
	}

	w := newXML()
	w.open("premis", "xmlns", nsPREMIS, "xmlns:xsi", nsXSI,
		"xsi:schemaLocation", nsPREMIS+" "+schema, "version", "3.0")

	if root {
		w.open("object", "xsi:type", "intellectualEntity")
		identifier(w, "objectIdentifier", "arcFileCode", x.p.Record.ArcFileCode)
		identifier(w, "objectIdentifier", "OBJID", x.objID)
		relationship(w, "is represented by", [][2]string{{"local", "rep1"}}, false)
		linkEvent(w)
		w.close("object")
	}

	w.open("object", "xsi:type", "representation")
	identifier(w, "objectIdentifier", "local", "rep1")
	parts := make([][2]string, len(x.pdfs))
	for i, f := range x.pdfs {
		parts[i] = [2]string{"File", x.fileID(f.Path)}
	}
	relationship(w, "has part", parts, true)
	linkEvent(w)
	w.close("object")

	for i, f := range x.pdfs {
		w.open("object", "xsi:type", "file")
		identifier(w, "objectIdentifier", "File", x.fileID(f.Path))
		identifier(w, "objectIdentifier", "docCode", DocCode(x.code, i+1))
		w.open("objectCharacteristics")
		w.text("compositionLevel", "0")
		w.open("fixity")
		w.text("messageDigestAlgorithm", "SHA-256")
		w.text("messageDigest", strings.ToUpper(f.SHA256))
		w.text("messageDigestOriginator", x.opt.Software)
		w.close("fixity")
		w.text("size", strconv.FormatInt(f.Size, 10))
		w.open("format")
		w.open("formatDesignation")
		w.text("formatName", x.opt.Format.Name)
		if x.opt.Format.Version != "" {
			w.text("formatVersion", x.opt.Format.Version)
		}
		w.close("formatDesignation")
		if x.opt.Format.PRONOM != "" {
			w.open("formatRegistry")
			w.text("formatRegistryName", "PRONOM")
			w.text("formatRegistryKey", x.opt.Format.PRONOM)
			w.close("formatRegistry")
		}
		w.close("format")
		w.close("objectCharacteristics")
		w.open("storage")
		w.open("contentLocation")
		w.text("contentLocationType", "URL")
		w.text("contentLocationValue", f.Path)
		w.close("contentLocation")
		w.close("storage")
		relationship(w, "is part of", [][2]string{{"local", "rep1"}}, false)
		linkEvent(w)
		w.close("object")
	}

	pages := 0
	for _, d := range x.p.Documents {
		k, _ := strconv.Atoi(d.Metadata.NumberOfPage)
		pages += k
	}
	w.open("event")
	identifier(w, "eventIdentifier", "UUID", eventID)
	w.text("eventType", EventTransfer)
	w.text("eventDateTime", x.stamp(x.opt.Digitised))
	w.open("eventDetailInformation")
	w.text("eventDetail", fmt.Sprintf("Số hóa hồ sơ %s: %d tài liệu, %d trang, tệp %s %s hai lớp (ảnh và chữ nhận dạng). Digitisation of record %s: %d documents, %d pages.",
		x.p.Record.ArcFileCode, len(x.pdfs), pages, x.opt.Format.Name, x.opt.Format.Version, x.p.Record.ArcFileCode, len(x.pdfs), pages))
	w.close("eventDetailInformation")
	w.open("eventOutcomeInformation")
	w.text("eventOutcome", "success")
	w.close("eventOutcomeInformation")
	w.open("linkingAgentIdentifier")
	w.text("linkingAgentIdentifierType", "software")
	w.text("linkingAgentIdentifierValue", agentValue)
	w.text("linkingAgentRole", "executing program")
	w.close("linkingAgentIdentifier")
	for _, f := range x.pdfs {
		w.open("linkingObjectIdentifier")
		w.text("linkingObjectIdentifierType", "File")
		w.text("linkingObjectIdentifierValue", x.fileID(f.Path))
		w.text("linkingObjectRole", "outcome")
		w.close("linkingObjectIdentifier")
	}
	w.close("event")

	w.open("agent")
	identifier(w, "agentIdentifier", "software", agentValue)
	w.text("agentName", x.opt.Software)
	w.text("agentType", "software")
	w.text("agentVersion", x.opt.Version)
	w.close("agent")

	w.close("premis")
	return w.bytes()
}

// identifier writes a PREMIS identifier: <what><whatType/><whatValue/></what>.
func identifier(w *xmlw, what, typ, value string) {
	w.open(what)
	w.text(what+"Type", typ)
	w.text(what+"Value", value)
	w.close(what)
}

// relationship writes a structural relationship to the objects given as
// (type, value) pairs, numbered in order when seq.
func relationship(w *xmlw, sub string, objs [][2]string, seq bool) {
	w.open("relationship")
	w.text("relationshipType", "structural")
	w.text("relationshipSubType", sub)
	for i, o := range objs {
		w.open("relatedObjectIdentifier")
		w.text("relatedObjectIdentifierType", o[0])
		w.text("relatedObjectIdentifierValue", o[1])
		if seq {
			w.text("relatedObjectSequence", strconv.Itoa(i+1))
		}
		w.close("relatedObjectIdentifier")
	}
	w.close("relationship")
}

// readme is documentation/README.txt: what the package is, in Vietnamese
// and English.
func (x *writer) readme() []byte {
	r := x.p.Record
	var b strings.Builder
	fmt.Fprintf(&b, "Gói hồ sơ lưu trữ (AIP_hoso) theo Thông tư 05/2025/TT-BNV, mở rộng của E-ARK CSIP 2.0.4.\n")
	fmt.Fprintf(&b, "Hồ sơ: %s — %s\n", r.ArcFileCode, r.Title)
	fmt.Fprintf(&b, "Số tài liệu: %d. Mỗi tài liệu là một tệp PDF/A hai lớp trong representations/rep1/data/,\n", len(x.p.Documents))
	fmt.Fprintf(&b, "đặt tên <mã hồ sơ>.<số thứ tự>.pdf; thông tin tài liệu trong representations/rep1/metadata/descriptive/.\n")
	fmt.Fprintf(&b, "Tạo bởi %s %s lúc %s.\n\n", x.opt.Software, x.opt.Version, x.stamp(x.opt.Now))
	fmt.Fprintf(&b, "Archival information package (AIP_hoso) of Circular 05/2025/TT-BNV (Viet Nam), an extension of E-ARK CSIP 2.0.4.\n")
	fmt.Fprintf(&b, "Record %s, %d documents, one two-layer PDF/A each. METS.xml lists every file with its SHA-256 and size.\n", r.ArcFileCode, len(x.p.Documents))
	fmt.Fprintf(&b, "The descriptive files (EAD.xml, EAD_DOC_*.xml) hold the circular's <simpledc> fields, not EAD 2002.\n")
	fmt.Fprintf(&b, "Where each value comes from, and which rules were read in public summaries of the circular only:\n")
	fmt.Fprintf(&b, "docs/archive-package.md in sohoa's source.\n")
	return []byte(b.String())
}
