package tt05aip

import (
	"strconv"
	"strings"
)

// metsOpen writes the <mets> element and its header, the parts both METS
// files share. schemas is the path from the METS file to schemas/.
func (x *writer) metsOpen(w *xmlw, objID, schemas string) {
	w.open("mets",
		"xmlns", nsMETS,
		"xmlns:xlink", nsXLink,
		"xmlns:xsi", nsXSI,
		"xmlns:csip", nsCSIP,
		"xsi:schemaLocation", nsMETS+" "+schemas+"mets.xsd "+nsXLink+" "+schemas+"xlink.xsd "+nsCSIP+" "+schemas+"DILCISExtensionMETS.xsd",
		"OBJID", objID,
		"LABEL", x.p.Record.Title,
		"TYPE", "Mixed",
		"csip:CONTENTINFORMATIONTYPE", "MIXED",
		"PROFILE", Profile,
	)
	w.open("metsHdr",
		"CREATEDATE", x.stamp(x.opt.Now),
		"RECORDSTATUS", x.opt.RecordStatus,
		"csip:OAISPACKAGETYPE", "AIP",
	)
	w.open("agent", "ROLE", "CREATOR", "TYPE", "OTHER", "OTHERTYPE", "SOFTWARE")
	w.text("name", x.opt.Software)
	w.text("note", x.opt.Version, "csip:NOTETYPE", "SOFTWARE VERSION")
	w.close("agent")
	if x.opt.Archive != "" {
		w.open("agent", "ROLE", "ARCHIVIST", "TYPE", "ORGANIZATION")
		w.text("name", x.opt.Archive)
		if x.p.Record.FondsCode != "" {
			w.text("note", x.p.Record.FondsCode, "csip:NOTETYPE", "IDENTIFICATIONCODE")
		}
		w.close("agent")
	}
	w.close("metsHdr")
}

// mdRef writes a reference to a metadata file written already. href is
// relative to the METS file, name the file's path in the package.
func (x *writer) mdRef(w *xmlw, href, name, mdtype, version string) {
	f := x.made[name]
	w.empty("mdRef",
		"LOCTYPE", "URL",
		"xlink:type", "simple",
		"xlink:href", href,
		"MDTYPE", mdtype,
		"MDTYPEVERSION", version,
		"MIMETYPE", "application/xml",
		"SIZE", strconv.FormatInt(f.Size, 10),
		"CREATED", x.stamp(x.opt.Now),
		"CHECKSUM", strings.ToUpper(f.SHA256),
		"CHECKSUMTYPE", "SHA-256",
	)
}

// fileEntry writes a <file> of a file written already.
func (x *writer) fileEntry(w *xmlw, id, href, name, mime string, created string) {
	f := x.made[name]
	w.open("file",
		"ID", id,
		"MIMETYPE", mime,
		"SIZE", strconv.FormatInt(f.Size, 10),
		"CREATED", created,
		"CHECKSUM", strings.ToUpper(f.SHA256),
		"CHECKSUMTYPE", "SHA-256",
	)
	w.empty("FLocat", "LOCTYPE", "URL", "xlink:type", "simple", "xlink:href", href)
	w.close("file")
}

// repMETS is representations/rep1/METS.xml: the documents' files, each
// document's dmdSec (its EAD_DOC file), the representation's PREMIS, and
// a structMap that links every document's description to its file.
func (x *writer) repMETS() []byte {
	const base = "representations/rep1/"
	w := newXML()
	x.metsOpen(w, "rep1", "../../schemas/")

	n := len(x.p.Documents)
	dmdIDs := make([]string, n)
	for i := range n {
		docID := DocID(x.code, i+1)
		name := dirRepDescriptive + eadDocName(docID)
		dmdIDs[i] = x.id("uuid-", "dmdSec\x00"+name)
		w.open("dmdSec", "ID", dmdIDs[i], "CREATED", x.stamp(x.opt.Now), "STATUS", "CURRENT")
		x.mdRef(w, strings.TrimPrefix(name, base), name, "DC", "1.0.0")
		w.close("dmdSec")
	}
	amdID := x.id("uuid-", "amdSec\x00"+base)
	digiID := x.id("uuid-", "digiprovMD\x00"+PathRepPREMIS)
	w.open("amdSec", "ID", amdID)
	w.open("digiprovMD", "ID", digiID, "STATUS", "CURRENT")
	x.mdRef(w, strings.TrimPrefix(PathRepPREMIS, base), PathRepPREMIS, "PREMIS", "3.0")
	w.close("digiprovMD")
	w.close("amdSec")

	grpID := x.id("uuid-", "fileGrp\x00"+base+"data")
	fileIDs := make([]string, n)
	w.open("fileSec", "ID", x.id("uuid-", "fileSec\x00"+base))
	w.open("fileGrp", "ID", grpID, "USE", "Data")
	for i, d := range x.p.Documents {
		name := dirRepData + DocFileName(x.code, i+1)
		fileIDs[i] = x.fileID(name)
		x.fileEntry(w, fileIDs[i], strings.TrimPrefix(name, base), name, x.opt.Format.MIME, x.stamp(d.PDF.Created))
	}
	w.close("fileGrp")
	w.close("fileSec")

	w.open("structMap", "ID", x.id("uuid-", "structMap\x00"+base), "TYPE", "PHYSICAL", "LABEL", "CSIP")
	w.open("div", "ID", x.id("uuid-", "div\x00"+base), "LABEL", "rep1", "TYPE", "NORMALIZED")
	w.empty("div", "ID", x.id("uuid-", "div\x00"+base+"Metadata"), "LABEL", "Metadata",
		"DMDID", strings.Join(dmdIDs, " "), "ADMID", digiID)
	w.open("div", "ID", x.id("uuid-", "div\x00"+base+"Data"), "LABEL", "Data")
	w.empty("fptr", "FILEID", grpID)
	w.close("div")
	w.open("div", "ID", x.id("uuid-", "div\x00"+base+"MetadataLink"), "LABEL", "MetadataLink")
	for i := range n {
		docID := DocID(x.code, i+1)
		w.open("div", "ID", x.id("uuid-", "div\x00"+base+"MetadataLink/"+docID), "LABEL", "MetadataLink/File",
			"ORDER", strconv.Itoa(i+1), "ORDERLABEL", docID, "DMDID", dmdIDs[i])
		w.empty("fptr", "FILEID", fileIDs[i])
		w.close("div")
	}
	w.close("div")
	w.close("div")
	w.close("structMap")
	w.close("mets")
	return w.bytes()
}

// fileID is the METS file ID of a file in the package (PREMIS uses the
// same one for the file's object).
func (x *writer) fileID(name string) string { return x.id("ID-", "file\x00"+name) }

// rootMETS is METS.xml: the record's description (EAD.xml), the
// package's PREMIS, the documentation, the schemas and a pointer to the
// representation's METS.
func (x *writer) rootMETS() []byte {
	w := newXML()
	x.metsOpen(w, x.objID, "schemas/")

	dmdID := x.id("uuid-", "dmdSec\x00"+PathEAD)
	w.open("dmdSec", "ID", dmdID, "CREATED", x.stamp(x.opt.Now), "STATUS", "CURRENT")
	x.mdRef(w, PathEAD, PathEAD, "DC", "1.0.0")
	w.close("dmdSec")
	digiID := x.id("uuid-", "digiprovMD\x00"+PathPREMIS)
	w.open("amdSec", "ID", x.id("uuid-", "amdSec\x00"))
	w.open("digiprovMD", "ID", digiID, "STATUS", "CURRENT")
	x.mdRef(w, PathPREMIS, PathPREMIS, "PREMIS", "3.0")
	w.close("digiprovMD")
	w.close("amdSec")

	docGrp := x.id("uuid-", "fileGrp\x00documentation")
	schemaGrp := x.id("uuid-", "fileGrp\x00schemas")
	repGrp := x.id("uuid-", "fileGrp\x00representations/rep1")
	w.open("fileSec", "ID", x.id("uuid-", "fileSec\x00"))
	w.open("fileGrp", "ID", docGrp, "USE", "Documentation")
	x.fileEntry(w, x.fileID(PathDocumentation), PathDocumentation, PathDocumentation, "text/plain", x.stamp(x.opt.Now))
	w.close("fileGrp")
	w.open("fileGrp", "ID", schemaGrp, "USE", "Schemas")
	for _, f := range x.files {
		if strings.HasPrefix(f.Path, dirSchemas) {
			// The circular's sample package gives schemas this MIME type.
			x.fileEntry(w, x.fileID(f.Path), f.Path, f.Path, "application/octet-stream", x.stamp(x.opt.Now))
		}
	}
	w.close("fileGrp")
	w.open("fileGrp", "ID", repGrp, "USE", "Representations/rep1", "csip:CONTENTINFORMATIONTYPE", "MIXED")
	x.fileEntry(w, x.fileID(PathRepMETS), PathRepMETS, PathRepMETS, "application/xml", x.stamp(x.opt.Now))
	w.close("fileGrp")
	w.close("fileSec")

	w.open("structMap", "ID", x.id("uuid-", "structMap\x00"), "TYPE", "PHYSICAL", "LABEL", "CSIP")
	w.open("div", "ID", x.id("uuid-", "div\x00"), "LABEL", x.objID)
	w.empty("div", "ID", x.id("uuid-", "div\x00Metadata"), "LABEL", "Metadata", "DMDID", dmdID, "ADMID", digiID)
	w.open("div", "ID", x.id("uuid-", "div\x00Documentation"), "LABEL", "Documentation")
	w.empty("fptr", "FILEID", docGrp)
	w.close("div")
	w.open("div", "ID", x.id("uuid-", "div\x00Schemas"), "LABEL", "Schemas")
	w.empty("fptr", "FILEID", schemaGrp)
	w.close("div")
	w.open("div", "ID", x.id("uuid-", "div\x00Representations/rep1"), "LABEL", "Representations/rep1")
	w.empty("mptr", "LOCTYPE", "URL", "xlink:type", "simple", "xlink:href", PathRepMETS, "xlink:title", repGrp)
	w.close("div")
	w.close("div")
	w.close("structMap")
	w.close("mets")
	return w.bytes()
}
