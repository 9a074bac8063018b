package tt05aip

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/ocr/docmeta"
)

// testRecord is a record as an archivist gives it on the command line.
func testRecord(t *testing.T) Record {
	t.Helper()
	r, err := ParseRecordFlags([]string{
		"arcFileCode=LTLS.H49.64.33.2001.160",
		"fileCode=H49.64.33.2001.160",
		"title=Tập quyết định về công tác tổ chức cán bộ năm 2024",
		"maintenance=vĩnh viễn",
		"mode=01",
		"paperFileCode=LTLS.K2.G14.H160",
		"fondsCode=P_KHCN",
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testHeaders are three documents' headers as docmeta reads them.
var testHeaders = []docmeta.Metadata{
	{Document: true, Issuer: "UBND TỈNH QUẢNG NINH\nSỞ NỘI VỤ", Number: "15/2024/QĐ-UBND", Date: "2024-03-12",
		Type: "quyết định", TypeCode: "QĐ", Subject: "Ban hành Quy định về công tác văn thư, lưu trữ"},
	{Document: true, Issuer: "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẠ LONG", Number: "215/UBND-TTr", Date: "2024-05-06",
		Type: "công văn", Subject: "triển khai số hóa tài liệu lưu trữ & <bảo quản>"},
	{Document: true, Issuer: "SỞ NỘI VỤ", Number: "42/BC-SNV", Date: "2024-11-30",
		Type: "báo cáo", TypeCode: "BC", Subject: "Kết quả số hóa tài liệu năm 2024", Secrecy: "MẬT"},
}

// fakePDF is deterministic content of a given size that starts like a PDF.
type fakePDF struct {
	seed uint64
	size int64
}

func (f fakePDF) open() (io.ReadCloser, error) {
	return io.NopCloser(io.MultiReader(strings.NewReader("%PDF-1.7\n"),
		io.LimitReader(&randReader{rand.NewPCG(f.seed, 7)}, f.size-9))), nil
}

func (f fakePDF) sum(t testing.TB) string {
	r, _ := f.open()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

type randReader struct{ src *rand.PCG }

func (r *randReader) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += 8 {
		v := r.src.Uint64()
		for j := 0; j < 8 && i+j < len(p); j++ {
			p[i+j] = byte(v >> (8 * j))
		}
	}
	return len(p), nil
}

// testPackage is a complete package of the three test documents, pages
// 3, 2 and 4.
func testPackage(t *testing.T) Package {
	t.Helper()
	rec := testRecord(t).WithFarmDefaults("vie")
	pages := []int{3, 2, 4}
	var docs []Doc
	var metas []Document
	for i, md := range testHeaders {
		d, err := NewDocument(rec, i+1, pages[i], md)
		if err != nil {
			t.Fatal(err)
		}
		metas = append(metas, d)
		pdf := fakePDF{seed: uint64(i + 1), size: int64(20_000 + 5_000*i)}
		docs = append(docs, Doc{Metadata: d, PDF: PDF{Open: pdf.open, SHA256: pdf.sum(t), Size: pdf.size,
			Created: time.Date(2025, 6, 12, 11, 45, 37, 0, vietnam)}})
	}
	return Package{Record: rec.WithDocuments(metas), Documents: docs}
}

var vietnam = time.FixedZone("ICT", 7*3600)

var testOptions = Options{
	Version:   "1.4.0",
	Archive:   "Trung tâm Lưu trữ lịch sử tỉnh Quảng Ninh",
	Now:       time.Date(2025, 6, 13, 9, 30, 0, 0, vietnam),
	Digitised: time.Date(2025, 6, 12, 16, 0, 0, 0, vietnam),
}

// writeTestPackage writes the test package into a zip file in a
// temporary folder and returns its path.
func writeTestPackage(t *testing.T, p Package) (string, *Result) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "aip.zip")
	res, err := WriteFile(context.Background(), path, p, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	return path, res
}

// unzipped reads every entry of a zip into memory (test packages are
// small). Every entry must be deflated (see writer.create).
func unzipped(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		if f.Method != zip.Deflate {
			t.Errorf("%s: zip method %d; a stored entry with a data descriptor cannot be read front to back", f.Name, f.Method)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r) // checks the entry's CRC-32 too
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = b
	}
	return out
}

func TestPackageLayout(t *testing.T) {
	t.Parallel()
	p := testPackage(t)
	zipPath, res := writeTestPackage(t, p)
	files := unzipped(t, zipPath)

	wantObjID := "urn:P_KHCN:uuid:" + strings.ToUpper(PackageUUID(p.Record).String())
	if res.ObjID != wantObjID || res.Folder != strings.ReplaceAll(wantObjID, ":", "_") {
		t.Fatalf("ObjID %q folder %q, want %q", res.ObjID, res.Folder, wantObjID)
	}
	var got []string
	for name := range files {
		rel, ok := strings.CutPrefix(name, res.Folder+"/")
		if !ok {
			t.Errorf("%s is outside the package folder %s", name, res.Folder)
		}
		got = append(got, rel)
	}
	slices.Sort(got)
	want := []string{
		"METS.xml",
		"documentation/README.txt",
		"metadata/descriptive/EAD.xml",
		"metadata/preservation/PREMIS.xml",
		"representations/rep1/METS.xml",
		"representations/rep1/data/H49.64.33.2001.160.1.pdf",
		"representations/rep1/data/H49.64.33.2001.160.2.pdf",
		"representations/rep1/data/H49.64.33.2001.160.3.pdf",
		"representations/rep1/metadata/descriptive/EAD_DOC_H49.64.33.2001.160.1.xml",
		"representations/rep1/metadata/descriptive/EAD_DOC_H49.64.33.2001.160.2.xml",
		"representations/rep1/metadata/descriptive/EAD_DOC_H49.64.33.2001.160.3.xml",
		"representations/rep1/metadata/preservation/PREMIS_rep1.xml",
		"schemas/DILCISExtensionMETS.xsd",
		"schemas/ead.xsd",
		"schemas/ead_doc.xsd",
		"schemas/mets.xsd",
		"schemas/premis.xsd",
		"schemas/xlink.xsd",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("package files (-want +got):\n%s", diff)
	}
	// Result.Files lists the same files with their sums.
	for _, f := range res.Files {
		b := files[res.Folder+"/"+f.Path]
		if s := sha256.Sum256(b); hex.EncodeToString(s[:]) != f.SHA256 || int64(len(b)) != f.Size {
			t.Errorf("Result lists %s with %d bytes %s; the zip has %d bytes %x", f.Path, f.Size, f.SHA256, len(b), s)
		}
	}
	if len(res.Files) != len(want) {
		t.Errorf("Result lists %d files, the package has %d", len(res.Files), len(want))
	}
	// The PDFs are the documents' bytes.
	for i, d := range p.Documents {
		b := files[res.Folder+"/representations/rep1/data/"+DocFileName("H49.64.33.2001.160", i+1)]
		if s := sha256.Sum256(b); hex.EncodeToString(s[:]) != d.PDF.SHA256 {
			t.Errorf("document %d: the PDF in the package is not the document's", i+1)
		}
	}
}

// metsFile is what the tests read of a METS file.
type metsFile struct {
	ObjID   string `xml:"OBJID,attr"`
	Type    string `xml:"TYPE,attr"`
	Profile string `xml:"PROFILE,attr"`
	Hdr     struct {
		Created string `xml:"CREATEDATE,attr"`
		Agents  []struct {
			Role      string `xml:"ROLE,attr"`
			Type      string `xml:"TYPE,attr"`
			OtherType string `xml:"OTHERTYPE,attr"`
			Name      string `xml:"name"`
			Note      string `xml:"note"`
		} `xml:"agent"`
	} `xml:"metsHdr"`
	DmdSecs []struct {
		ID     string  `xml:"ID,attr"`
		MdRefs []mdRef `xml:"mdRef"`
	} `xml:"dmdSec"`
	AmdSecs []struct {
		Digiprov []struct {
			ID     string  `xml:"ID,attr"`
			MdRefs []mdRef `xml:"mdRef"`
		} `xml:"digiprovMD"`
	} `xml:"amdSec"`
	FileGrps []struct {
		ID    string `xml:"ID,attr"`
		Use   string `xml:"USE,attr"`
		Files []struct {
			ID           string `xml:"ID,attr"`
			MimeType     string `xml:"MIMETYPE,attr"`
			Size         string `xml:"SIZE,attr"`
			Created      string `xml:"CREATED,attr"`
			Checksum     string `xml:"CHECKSUM,attr"`
			ChecksumType string `xml:"CHECKSUMTYPE,attr"`
			FLocat       struct {
				Href string `xml:"http://www.w3.org/1999/xlink href,attr"`
			} `xml:"FLocat"`
		} `xml:"file"`
	} `xml:"fileSec>fileGrp"`
	StructMap struct {
		Label string `xml:"LABEL,attr"`
		Type  string `xml:"TYPE,attr"`
		Div   mdiv   `xml:"div"`
	} `xml:"structMap"`
}

type mdRef struct {
	Href         string `xml:"http://www.w3.org/1999/xlink href,attr"`
	MDType       string `xml:"MDTYPE,attr"`
	Size         string `xml:"SIZE,attr"`
	Checksum     string `xml:"CHECKSUM,attr"`
	ChecksumType string `xml:"CHECKSUMTYPE,attr"`
}

type mdiv struct {
	Label string `xml:"LABEL,attr"`
	DMDID string `xml:"DMDID,attr"`
	Order string `xml:"ORDER,attr"`
	Fptrs []struct {
		FileID string `xml:"FILEID,attr"`
	} `xml:"fptr"`
	Mptr struct {
		Href string `xml:"http://www.w3.org/1999/xlink href,attr"`
	} `xml:"mptr"`
	Divs []mdiv `xml:"div"`
}

func parseMETS(t *testing.T, b []byte) metsFile {
	t.Helper()
	var m metsFile
	if err := xml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMETSReferences checks that every file either METS file refers to
// (fileSec, dmdSec and amdSec references) is in the zip with the SHA-256
// and size METS gives, read back with archive/zip.
func TestMETSReferences(t *testing.T) {
	t.Parallel()
	zipPath, res := writeTestPackage(t, testPackage(t))
	files := unzipped(t, zipPath)
	checked := map[string]bool{}
	check := func(base, href, size, sum, sumType string) {
		t.Helper()
		name := res.Folder + "/" + base + href
		b, ok := files[name]
		if !ok {
			t.Errorf("METS lists %s, which is not in the zip", name)
			return
		}
		s := sha256.Sum256(b)
		if sumType != "SHA-256" || !strings.EqualFold(sum, hex.EncodeToString(s[:])) || size != strconv.Itoa(len(b)) {
			t.Errorf("%s: METS gives %s %s size %s; the file has SHA-256 %x size %d", name, sumType, sum, size, s, len(b))
		}
		if sum != strings.ToUpper(sum) {
			t.Errorf("%s: CHECKSUM %s is not upper case", name, sum)
		}
		checked[base+href] = true
	}
	for _, m := range []struct{ path, base string }{{"METS.xml", ""}, {"representations/rep1/METS.xml", "representations/rep1/"}} {
		mets := parseMETS(t, files[res.Folder+"/"+m.path])
		for _, g := range mets.FileGrps {
			for _, f := range g.Files {
				check(m.base, f.FLocat.Href, f.Size, f.Checksum, f.ChecksumType)
				if f.MimeType == "" || f.Created == "" || !strings.HasPrefix(f.ID, "ID-") {
					t.Errorf("%s: file %s lacks MIMETYPE, CREATED or an ID-<UUID> (%+v)", m.path, f.FLocat.Href, f)
				}
			}
		}
		for _, d := range mets.DmdSecs {
			for _, r := range d.MdRefs {
				check(m.base, r.Href, r.Size, r.Checksum, r.ChecksumType)
			}
			if !strings.HasPrefix(d.ID, "uuid-") {
				t.Errorf("%s: dmdSec ID %s is not uuid-<UUID>", m.path, d.ID)
			}
		}
		for _, a := range mets.AmdSecs {
			for _, d := range a.Digiprov {
				for _, r := range d.MdRefs {
					check(m.base, r.Href, r.Size, r.Checksum, r.ChecksumType)
				}
			}
		}
	}
	// Every file but the root METS is referenced from one of them.
	for name := range files {
		rel := strings.TrimPrefix(name, res.Folder+"/")
		if rel != "METS.xml" && !checked[rel] {
			t.Errorf("%s is in the package but no METS lists it", rel)
		}
	}
}

// TestMETSValid validates both METS files against the METS schema in
// ../shared with xmllint, and every XML file against the schemas the
// package carries (METS with the CSIP extension, EAD, EAD_DOC, PREMIS 3).
func TestMETSValid(t *testing.T) {
	t.Parallel()
	shared := filepath.Join("..", "..", "..", "shared", "schemas", "mets", "mets.xsd")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("the shared METS schema %s is absent (the shared folder is not beside the worktree): %v", shared, err)
	}
	zipPath, res := writeTestPackage(t, testPackage(t))
	dir := t.TempDir()
	out, err := exec.Command("unzip", "-q", zipPath, "-d", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("unzip: %v\n%s", err, out)
	}
	root := filepath.Join(dir, res.Folder)
	for _, m := range []string{"METS.xml", "representations/rep1/METS.xml"} {
		xmllint(t, shared, filepath.Join(root, m))
	}

	// The package's own schemas: METS and the CSIP extension together, so
	// that the csip: attributes' values are checked too.
	wrapper := filepath.Join(root, "schemas", "test-mets-csip.xsd")
	if err := os.WriteFile(wrapper, []byte(`<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.loc.gov/METS/" schemaLocation="mets.xsd"/>
  <xs:import namespace="https://DILCIS.eu/XML/METS/CSIPExtensionMETS" schemaLocation="DILCISExtensionMETS.xsd"/>
</xs:schema>`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"METS.xml", "representations/rep1/METS.xml"} {
		xmllint(t, wrapper, filepath.Join(root, m))
	}
	xmllint(t, filepath.Join(root, "schemas", "ead.xsd"), filepath.Join(root, "metadata", "descriptive", "EAD.xml"))
	docs, _ := filepath.Glob(filepath.Join(root, "representations", "rep1", "metadata", "descriptive", "EAD_DOC_*.xml"))
	if len(docs) != 3 {
		t.Fatalf("%d EAD_DOC files, want 3", len(docs))
	}
	for _, d := range docs {
		xmllint(t, filepath.Join(root, "schemas", "ead_doc.xsd"), d)
	}
	xmllint(t, filepath.Join(root, "schemas", "premis.xsd"), filepath.Join(root, "metadata", "preservation", "PREMIS.xml"))
	xmllint(t, filepath.Join(root, "schemas", "premis.xsd"), filepath.Join(root, "representations", "rep1", "metadata", "preservation", "PREMIS_rep1.xml"))

	// unzip's own check of every entry's CRC.
	if out, err := exec.Command("unzip", "-tq", zipPath).CombinedOutput(); err != nil {
		t.Errorf("unzip -t: %v\n%s", err, out)
	}
}

// xmllint validates file against schema with the xmllint command.
func xmllint(t *testing.T, schema, file string) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatal("xmllint is not installed (libxml2-utils; deploy/setup-debian.sh installs it)")
	}
	out, err := exec.Command("xmllint", "--noout", "--nonet", "--schema", schema, file).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("validates")) {
		t.Errorf("xmllint --schema %s %s: %v\n%s", filepath.Base(schema), file, err, out)
	}
}

// TestMETSStructure reads the METS files for what the circular and CSIP
// ask: the software agent with its version, each document's dmdSec linked
// to its file in the structMap, and the root's pointer to rep1.
func TestMETSStructure(t *testing.T) {
	t.Parallel()
	zipPath, res := writeTestPackage(t, testPackage(t))
	files := unzipped(t, zipPath)
	root := parseMETS(t, files[res.Folder+"/METS.xml"])
	rep := parseMETS(t, files[res.Folder+"/representations/rep1/METS.xml"])

	if root.ObjID != res.ObjID || rep.ObjID != "rep1" {
		t.Errorf("OBJIDs %q and %q", root.ObjID, rep.ObjID)
	}
	for _, m := range []metsFile{root, rep} {
		if m.Profile != Profile || m.Type != "Mixed" || m.StructMap.Label != "CSIP" || m.StructMap.Type != "PHYSICAL" {
			t.Errorf("%s: PROFILE %q TYPE %q structMap %q %q", m.ObjID, m.Profile, m.Type, m.StructMap.Label, m.StructMap.Type)
		}
		a := m.Hdr.Agents[0]
		if a.Role != "CREATOR" || a.Type != "OTHER" || a.OtherType != "SOFTWARE" || a.Name != "sohoa" || a.Note != "1.4.0" {
			t.Errorf("%s: software agent %+v", m.ObjID, a)
		}
		if m.Hdr.Created != "2025-06-13T09:30:00.000+07:00" {
			t.Errorf("%s: CREATEDATE %s", m.ObjID, m.Hdr.Created)
		}
	}
	uses := []string{}
	for _, g := range root.FileGrps {
		uses = append(uses, g.Use)
	}
	if diff := cmp.Diff([]string{"Documentation", "Schemas", "Representations/rep1"}, uses); diff != "" {
		t.Errorf("root fileGrp USE (-want +got):\n%s", diff)
	}
	top := root.StructMap.Div
	if top.Label != res.ObjID || len(top.Divs) != 4 || top.Divs[3].Mptr.Href != "representations/rep1/METS.xml" {
		t.Errorf("root structMap: %+v", top)
	}

	// rep1: MetadataLink/File divs pair each dmdSec with its file.
	dmdHref := map[string]string{}
	for _, d := range rep.DmdSecs {
		dmdHref[d.ID] = d.MdRefs[0].Href
	}
	fileHref := map[string]string{}
	for _, g := range rep.FileGrps {
		for _, f := range g.Files {
			fileHref[f.ID] = f.FLocat.Href
		}
	}
	var links []mdiv
	for _, d := range rep.StructMap.Div.Divs {
		if d.Label == "MetadataLink" {
			links = d.Divs
		}
	}
	if len(links) != 3 {
		t.Fatalf("%d MetadataLink/File divs, want 3", len(links))
	}
	for i, l := range links {
		docID := DocID("H49.64.33.2001.160", i+1)
		if l.Label != "MetadataLink/File" || l.Order != strconv.Itoa(i+1) || len(l.Fptrs) != 1 {
			t.Errorf("link %d: %+v", i+1, l)
			continue
		}
		if got, want := dmdHref[l.DMDID], "metadata/descriptive/EAD_DOC_"+docID+".xml"; got != want {
			t.Errorf("link %d: dmdSec refers to %q, want %q", i+1, got, want)
		}
		if got, want := fileHref[l.Fptrs[0].FileID], "data/"+docID+".pdf"; got != want {
			t.Errorf("link %d: file %q, want %q", i+1, got, want)
		}
	}
}

// eadFields reads a <simpledc> file into its fields, in order.
func eadFields(t *testing.T, b []byte) [][2]string {
	t.Helper()
	var v struct {
		Fields []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for _, f := range v.Fields {
		out = append(out, [2]string{f.XMLName.Local, f.Value})
	}
	return out
}

func TestEADContent(t *testing.T) {
	t.Parallel()
	zipPath, res := writeTestPackage(t, testPackage(t))
	files := unzipped(t, zipPath)
	rec := eadFields(t, files[res.Folder+"/metadata/descriptive/EAD.xml"])
	wantRec := [][2]string{
		{"arcFileCode", "LTLS.H49.64.33.2001.160"},
		{"title", "Tập quyết định về công tác tổ chức cán bộ năm 2024"},
		{"maintenance", "01"}, {"mode", "01"}, {"language", "01"},
		{"startDate", "12/03/2024"}, {"endDate", "30/11/2024"},
		{"keyword", ""}, {"totalDoc", "3"}, {"numberOfPaper", ""}, {"numberOfPage", "9"},
		{"format", ""}, {"inforSign", ""}, {"confidenceLevel", "02"},
		{"paperFileCode", "LTLS.K2.G14.H160"},
		{"riskRecovery", ""}, {"riskRecoveryStatus", ""}, {"description", ""},
	}
	if diff := cmp.Diff(wantRec, rec); diff != "" {
		t.Errorf("EAD.xml (-want +got):\n%s", diff)
	}

	doc := func(n int) [][2]string {
		return eadFields(t, files[res.Folder+"/representations/rep1/metadata/descriptive/EAD_DOC_H49.64.33.2001.160."+strconv.Itoa(n)+".xml"])
	}
	want1 := [][2]string{
		{"arcFileCode", "LTLS.H49.64.33.2001.160"}, {"mode", "01"}, {"language", "01"}, {"keyword", ""},
		{"numberOfPage", "3"}, {"format", ""}, {"inforSign", ""}, {"confidenceLevel", "02"}, {"description", ""},
		{"docCode", "H49.64.33.2001.160.0000001"}, {"docOrdinal", "1"},
		{"typeName", "02"}, {"codeNumber", "15"}, {"codeNotation", "2024/QĐ-UBND"},
		{"issuedDate", "12/03/2024"}, {"organName", "SỞ NỘI VỤ"},
		{"subject", "Ban hành Quy định về công tác văn thư, lưu trữ"}, {"autograph", ""}, {"process", ""},
	}
	if diff := cmp.Diff(want1, doc(1)); diff != "" {
		t.Errorf("EAD_DOC 1 (-want +got):\n%s", diff)
	}
	d2 := doc(2)
	if d2[11] != [2]string{"typeName", "22"} || d2[14] != [2]string{"issuedDate", "06/05/2024"} ||
		d2[16][1] != "triển khai số hóa tài liệu lưu trữ & <bảo quản>" {
		t.Errorf("EAD_DOC 2: %v", d2)
	}
	// The third is stamped MẬT: its mode is secret whatever the record's.
	if d3 := doc(3); d3[1] != [2]string{"mode", "03"} || d3[11] != [2]string{"typeName", "14"} {
		t.Errorf("EAD_DOC 3: %v", d3)
	}
}

// premisFile is what the tests read of a PREMIS file.
type premisFile struct {
	Version string `xml:"version,attr"`
	Objects []struct {
		Type   string                         `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
		IDs    []struct{ Type, Value string } `xml:"objectIdentifier"`
		Fixity []struct {
			Algorithm string `xml:"messageDigestAlgorithm"`
			Digest    string `xml:"messageDigest"`
		} `xml:"objectCharacteristics>fixity"`
		Size     string `xml:"objectCharacteristics>size"`
		Location string `xml:"storage>contentLocation>contentLocationValue"`
	} `xml:"object"`
	Events []struct {
		Type     string `xml:"eventType"`
		DateTime string `xml:"eventDateTime"`
		Agent    string `xml:"linkingAgentIdentifier>linkingAgentIdentifierValue"`
		Objects  []struct {
			Value string `xml:"linkingObjectIdentifierValue"`
		} `xml:"linkingObjectIdentifier"`
	} `xml:"event"`
	Agents []struct {
		Name    string `xml:"agentName"`
		Type    string `xml:"agentType"`
		Version string `xml:"agentVersion"`
	} `xml:"agent"`
}

func TestPREMISContent(t *testing.T) {
	t.Parallel()
	zipPath, res := writeTestPackage(t, testPackage(t))
	files := unzipped(t, zipPath)
	for _, name := range []string{"metadata/preservation/PREMIS.xml", "representations/rep1/metadata/preservation/PREMIS_rep1.xml"} {
		var p premisFile
		if err := xml.Unmarshal(files[res.Folder+"/"+name], &p); err != nil {
			t.Fatal(err)
		}
		if p.Version != "3.0" || len(p.Events) != 1 || len(p.Agents) != 1 {
			t.Fatalf("%s: version %q, %d events, %d agents", name, p.Version, len(p.Events), len(p.Agents))
		}
		ev := p.Events[0]
		if ev.Type != "transfer" || ev.DateTime != "2025-06-12T16:00:00.000+07:00" || ev.Agent != "sohoa 1.4.0" || len(ev.Objects) != 3 {
			t.Errorf("%s: event %+v", name, ev)
		}
		if a := p.Agents[0]; a.Name != "sohoa" || a.Type != "software" || a.Version != "1.4.0" {
			t.Errorf("%s: agent %+v", name, a)
		}
		fixities := 0
		for _, o := range p.Objects {
			if o.Type != "file" {
				continue
			}
			b, ok := files[res.Folder+"/"+o.Location]
			if !ok || len(o.Fixity) != 1 {
				t.Errorf("%s: file object %+v", name, o)
				continue
			}
			s := sha256.Sum256(b)
			if o.Fixity[0].Algorithm != "SHA-256" || !strings.EqualFold(o.Fixity[0].Digest, hex.EncodeToString(s[:])) || o.Size != strconv.Itoa(len(b)) {
				t.Errorf("%s: %s: fixity %+v size %s; the file has %x, %d bytes", name, o.Location, o.Fixity, o.Size, s, len(b))
			}
			fixities++
		}
		if fixities != 3 {
			t.Errorf("%s: %d file objects with fixity, want 3", name, fixities)
		}
	}
}

// TestReproducible: the same inputs give the same bytes; another record
// gets other identifiers.
func TestReproducible(t *testing.T) {
	t.Parallel()
	p := testPackage(t)
	write := func(p Package) []byte {
		var b bytes.Buffer
		if _, err := Write(context.Background(), &b, p, testOptions); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b := write(p), write(p)
	if !bytes.Equal(a, b) {
		t.Error("two packages of the same inputs differ")
	}
	if ObjID(p.Record) == ObjID(Record{ArcFileCode: "LTLS.H49.64.33.2001.161"}) {
		t.Error("two records have the same package identifier")
	}
}

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(p *Package)
		want   string
	}{
		{"MissingTitle", func(p *Package) { p.Record.Title = "" }, "title: is required"},
		{"NoDate", func(p *Package) { p.Documents[1].Metadata.IssuedDate = "" }, "document 2: issuedDate: is required"},
		{"BadType", func(p *Package) { p.Documents[0].Metadata.TypeName = "quyết định" }, `document 1: typeName: "quyết định" is not in the package's form ("02")`},
		{"WrongOrder", func(p *Package) { p.Documents[0], p.Documents[1] = p.Documents[1], p.Documents[0] }, `document 1: docOrdinal: "2" is not the document's place`},
		{"TotalDoc", func(p *Package) { p.Record.TotalDoc = "4" }, `totalDoc: "4" but the package has 3 documents`},
		{"NoDocuments", func(p *Package) { p.Documents = nil; p.Record.TotalDoc = "" }, "the package has no documents"},
		{"NoFile", func(p *Package) { p.Documents[2].PDF.Open = nil }, "document 3: pdf: has no file"},
		{"CodeWithSlash", func(p *Package) { p.Record.FileCode = "H49/160" }, `fileCode: "H49/160" has '/'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := testPackage(t)
			tt.change(&p)
			var b bytes.Buffer
			_, err := Write(context.Background(), &b, p, testOptions)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrInvalid saying %q", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("%d bytes written before the refusal", b.Len())
			}
		})
	}
}

func TestWriteChecksumMismatch(t *testing.T) {
	t.Parallel()
	p := testPackage(t)
	p.Documents[1].PDF.SHA256 = strings.Repeat("ab", 32)
	path := filepath.Join(t.TempDir(), "aip.zip")
	_, err := WriteFile(context.Background(), path, p, testOptions)
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), "document 2") {
		t.Fatalf("err = %v, want ErrChecksum naming document 2", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed package left %s behind (%v)", path, err)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 0 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestWriteOpenError(t *testing.T) {
	t.Parallel()
	p := testPackage(t)
	p.Documents[2].PDF.Open = func() (io.ReadCloser, error) { return nil, fmt.Errorf("open documents/x.pdf: %w", os.ErrNotExist) }
	_, err := Write(context.Background(), io.Discard, p, testOptions)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "document 3") {
		t.Fatalf("err = %v", err)
	}
}

func TestWriteCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Write(ctx, io.Discard, testPackage(t), testOptions)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
