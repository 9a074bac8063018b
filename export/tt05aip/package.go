package tt05aip

import (
	"archive/zip"
	"compress/flate"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

//go:embed schemas/*.xsd
var schemaFS embed.FS

// Profile is the METS profile both METS files declare: E-ARK CSIP.
const Profile = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"

// Namespaces the package's XML uses.
const (
	nsMETS   = "http://www.loc.gov/METS/"
	nsXLink  = "http://www.w3.org/1999/xlink"
	nsXSI    = "http://www.w3.org/2001/XMLSchema-instance"
	nsCSIP   = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
	nsPREMIS = "http://www.loc.gov/premis/v3"
)

// Paths inside the package folder.
const (
	PathMETS          = "METS.xml"
	PathEAD           = "metadata/descriptive/EAD.xml"
	PathPREMIS        = "metadata/preservation/PREMIS.xml"
	PathRepMETS       = "representations/rep1/METS.xml"
	PathRepPREMIS     = "representations/rep1/metadata/preservation/PREMIS_rep1.xml"
	PathDocumentation = "documentation/README.txt"
	dirRepData        = "representations/rep1/data/"
	dirRepDescriptive = "representations/rep1/metadata/descriptive/"
	dirSchemas        = "schemas/"
)

// ErrChecksum is returned (wrapped) when a document's PDF does not have
// the SHA-256 or size it was given with: it changed after it was made.
// The package written so far must be discarded.
var ErrChecksum = errors.New("checksum mismatch")

// Format identifies the documents' file format in PREMIS.
type Format struct {
	// Name and Version as PREMIS formatDesignation gives them.
	Name, Version string
	// PRONOM is the format's PRONOM identifier ("fmt/477"); empty: none.
	PRONOM string
	// MIME type of the files.
	MIME string
}

// PDFA2b is the format of the farm's documents: PDF/A-2b (docs/pdf.md
// says what is and is not verified of it).
var PDFA2b = Format{Name: "PDF/A", Version: "2b", PRONOM: "fmt/477", MIME: "application/pdf"}

// PDF is a document's file: how to read it, and what it should be.
type PDF struct {
	// Open returns the PDF's content. It is called once, while the
	// package is written, and the reader is closed after the copy.
	Open func() (io.ReadCloser, error)
	// SHA256 (hex) and Size, when known (batch.json records them), are
	// checked while the file is copied: a mismatch fails the package
	// with ErrChecksum. Empty and 0: not checked.
	SHA256 string
	Size   int64
	// Created is when the PDF was made (METS CREATED). Zero: Options.Now.
	Created time.Time
}

// Doc is one document of the package: its metadata and its PDF.
type Doc struct {
	Metadata Document
	PDF      PDF
}

// Package is what goes into one AIP_hoso: a record and its documents, in
// order (Documents[i] is the document with order number i+1).
type Package struct {
	Record    Record
	Documents []Doc
}

// Options tune a package. The zero value is usable.
type Options struct {
	// Software is the agent named in METS and PREMIS. Default "sohoa".
	Software string
	// Version is the software's version (METS agent note "SOFTWARE
	// VERSION", PREMIS agentVersion). Default "unknown".
	Version string
	// Archive is the name of the archive or agency that makes the
	// package; when given, both METS headers name it as an ARCHIVIST
	// agent, with the record's fonds code as its identification code.
	Archive string
	// Now is when the package is made: METS CREATEDATE and every CREATED
	// not given otherwise, and the zip entries' times. Times are written
	// in Now's time zone. Zero: time.Now().
	Now time.Time
	// Digitised is when the record was digitised (the PREMIS transfer
	// event's time). Zero: Now.
	Digitised time.Time
	// RecordStatus is METS RECORDSTATUS: NEW (default), SUPPLEMENT,
	// REPLACEMENT (a package made again after a correction), TEST, OTHER.
	RecordStatus string
	// Format of the documents. Zero: PDFA2b.
	Format Format
	// Progress, if set, is called after each document is copied.
	Progress func(done, total int)
}

func (o Options) withDefaults() Options {
	if o.Software == "" {
		o.Software = "sohoa"
	}
	if o.Version == "" {
		o.Version = "unknown"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Digitised.IsZero() {
		o.Digitised = o.Now
	}
	if o.RecordStatus == "" {
		o.RecordStatus = "NEW"
	}
	if o.Format.Name == "" {
		o.Format = PDFA2b
	}
	if o.Format.MIME == "" {
		o.Format.MIME = "application/pdf"
	}
	return o
}

// File is a file written into the package.
type File struct {
	// Path inside the package folder, slash-separated: "METS.xml".
	Path   string
	Size   int64
	SHA256 string // hex, lower case
}

// Result says what was written.
type Result struct {
	// ObjID is the package identifier (METS OBJID): "urn:uuid:<UUID>",
	// or "urn:<fondsCode>:uuid:<UUID>".
	ObjID string
	// Folder is the package's top-level folder in the zip: ObjID with
	// every ':' replaced by '_'.
	Folder string
	// Files in the order they were written (METS.xml last).
	Files []File
}

// namespace is the UUIDv5 namespace of every identifier the package
// writes.
var namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/sohoa/sohoa/export/tt05aip"))

// PackageUUID is the package's UUID: UUIDv5 of the record's arcFileCode,
// so a record exported again keeps its identifier (set
// Options.RecordStatus to REPLACEMENT for a package made again after a
// correction).
func PackageUUID(rec Record) uuid.UUID {
	return uuid.NewSHA1(namespace, []byte("AIP_hoso\x00"+rec.ArcFileCode))
}

// ObjID is the package identifier of a record's package (see
// Result.ObjID).
func ObjID(rec Record) string {
	u := strings.ToUpper(PackageUUID(rec).String())
	if rec.FondsCode != "" {
		return "urn:" + rec.FondsCode + ":uuid:" + u
	}
	return "urn:uuid:" + u
}

// Folder is the package folder's name for an identifier: ':' → '_'.
func Folder(objID string) string { return strings.ReplaceAll(objID, ":", "_") }

// Check reports whether the package can be written, listing every
// problem in a *ValidationError: the record is complete (Record.Validate),
// every document is (Document.Validate), documents are numbered 1, 2, ...
// in order with the codes the record code gives them, totalDoc and
// numberOfPage agree with the documents, and every PDF can be opened.
func (p Package) Check() error {
	var es errs
	if err := p.Record.Validate(); err != nil {
		es = append(es, err.(*ValidationError).Errors...)
	}
	code, codeErr := p.Record.Code()
	if len(p.Documents) == 0 {
		es.add(0, FieldTotalDoc, "", "the package has no documents")
	}
	if len(p.Documents) > MaxOrder {
		es.add(0, FieldTotalDoc, strconv.Itoa(len(p.Documents)), "is more documents than a record can number")
	}
	pages := 0
	for i, d := range p.Documents {
		n := i + 1
		m := d.Metadata
		if err := m.Validate(n); err != nil {
			es = append(es, err.(*ValidationError).Errors...)
		}
		if m.DocOrdinal != "" && m.DocOrdinal != strconv.Itoa(n) {
			es.add(n, FieldDocOrdinal, m.DocOrdinal, "is not the document's place in the record (%d)", n)
		}
		if codeErr == nil && m.DocCode != "" && m.DocCode != DocCode(code, n) {
			es.add(n, FieldDocCode, m.DocCode, "is not the record code and the order (%s)", DocCode(code, n))
		}
		if m.ArcFileCode != "" && m.ArcFileCode != p.Record.ArcFileCode {
			es.add(n, FieldArcFileCode, m.ArcFileCode, "is not the record's (%s)", p.Record.ArcFileCode)
		}
		if d.PDF.Open == nil {
			es.add(n, "pdf", "", "has no file")
		}
		if s := d.PDF.SHA256; s != "" {
			if b, err := hex.DecodeString(s); err != nil || len(b) != sha256.Size {
				es.add(n, "pdf", s, "is not a SHA-256 in hex")
			}
		}
		if k, err := strconv.Atoi(m.NumberOfPage); err == nil {
			pages += k
		}
	}
	if t := p.Record.TotalDoc; t != "" && len(p.Documents) > 0 && t != strconv.Itoa(len(p.Documents)) {
		es.add(0, FieldTotalDoc, t, "but the package has %d documents (the circular asks for every document to be digitised)", len(p.Documents))
	}
	if t := p.Record.NumberOfPage; t != "" && pages > 0 && t != strconv.Itoa(pages) {
		es.add(0, FieldNumberOfPage, t, "but the documents have %d pages", pages)
	}
	return es.err()
}

// WriteFile writes the package as a zip file at path, atomically: into a
// temporary file beside it, synced, then renamed. Nothing is left at path
// when it fails.
func WriteFile(ctx context.Context, filename string, p Package, opt Options) (*Result, error) {
	dir := filepath.Dir(filename)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(filename)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", filename, err)
	}
	fail := func(err error) (*Result, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	res, err := Write(ctx, tmp, p, opt)
	if err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("package %s: %w", filename, err))
	}
	if err := tmp.Close(); err != nil {
		return fail(fmt.Errorf("package %s: %w", filename, err))
	}
	if err := os.Rename(tmp.Name(), filename); err != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("package %s: %w", filename, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return res, nil
}

// Write writes the package as a zip stream to w: one top-level folder
// named Folder(ObjID), holding the AIP_hoso layout (docs/archive-package.md).
// It checks the package first (Check) and writes nothing when that
// fails. The documents' PDFs are copied one at a time from their readers,
// their SHA-256 and size computed on the way; no PDF is held in memory.
// Zip entries are streamed (every one deflated, so that readers that do
// not use the central directory can read them), so w may be an HTTP
// response. On an error
// the zip is incomplete and must be discarded.
func Write(ctx context.Context, w io.Writer, p Package, opt Options) (*Result, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults()
	code, _ := p.Record.Code()
	x := &writer{
		ctx: ctx, p: p, opt: opt, code: code,
		objID: ObjID(p.Record),
		pkg:   PackageUUID(p.Record),
		zw:    zip.NewWriter(w),
		buf:   make([]byte, 256<<10),
		made:  map[string]File{},
	}
	x.folder = Folder(x.objID)
	// One compressor per level, reset for each entry: a flate.Writer
	// holds about a megabyte of state.
	flaters := map[int]*flate.Writer{}
	x.zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if fw, ok := flaters[x.level]; ok { // the level create chose for this entry
			fw.Reset(w)
			return fw, nil
		}
		fw, err := flate.NewWriter(w, x.level)
		flaters[x.level] = fw
		return fw, err
	})
	if err := x.write(); err != nil {
		return nil, err
	}
	if err := x.zw.Close(); err != nil {
		return nil, fmt.Errorf("package %s: %w", x.folder, err)
	}
	return &Result{ObjID: x.objID, Folder: x.folder, Files: x.files}, nil
}

// writer holds one package being written.
type writer struct {
	ctx    context.Context
	p      Package
	opt    Options
	code   string // record code
	objID  string
	folder string
	pkg    uuid.UUID
	zw     *zip.Writer
	buf    []byte
	level  int // flate level of the entry being written
	files  []File
	made   map[string]File // by path
	pdfs   []File          // the documents' files, in order
}

// id is an identifier in the package, derived from the package UUID and
// a name: prefix "uuid-" for sections, "ID-" for files (the circular's
// convention), hex in upper case.
func (x *writer) id(prefix, name string) string {
	return prefix + strings.ToUpper(uuid.NewSHA1(x.pkg, []byte(name)).String())
}

func (x *writer) stamp(t time.Time) string {
	if t.IsZero() {
		t = x.opt.Now
	}
	return t.In(x.opt.Now.Location()).Format("2006-01-02T15:04:05.000-07:00")
}

// create starts a zip entry. Every entry is "deflate": the PDFs at
// flate.NoCompression (stored blocks; they are compressed already), the
// XML and text at the default level. A streamed entry's sizes follow its
// data, and readers that read a zip front to back without its central
// directory (Java's ZipInputStream among them) accept that only for
// deflated entries, not stored ones.
func (x *writer) create(name string) (io.Writer, error) {
	x.level = flate.DefaultCompression
	if strings.HasSuffix(name, ".pdf") {
		x.level = flate.NoCompression
	}
	return x.zw.CreateHeader(&zip.FileHeader{Name: x.folder + "/" + name, Method: zip.Deflate, Modified: x.opt.Now})
}

// put writes a file made in memory.
func (x *writer) put(name string, data []byte) error {
	if err := x.ctx.Err(); err != nil {
		return err
	}
	e, err := x.create(name)
	if err != nil {
		return fmt.Errorf("package %s: %s: %w", x.folder, name, err)
	}
	if _, err := e.Write(data); err != nil {
		return fmt.Errorf("package %s: %s: %w", x.folder, name, err)
	}
	sum := sha256.Sum256(data)
	x.record(File{Path: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])})
	return nil
}

func (x *writer) record(f File) {
	x.files = append(x.files, f)
	x.made[f.Path] = f
}

// copyPDF streams document n's PDF into the zip.
func (x *writer) copyPDF(n int, d Doc) (File, error) {
	name := dirRepData + DocFileName(x.code, n)
	r, err := d.PDF.Open()
	if err != nil {
		return File{}, fmt.Errorf("package %s: document %d (%s): %w", x.folder, n, name, err)
	}
	defer r.Close()
	e, err := x.create(name)
	if err != nil {
		return File{}, fmt.Errorf("package %s: %s: %w", x.folder, name, err)
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(e, h)}
	if _, err := io.CopyBuffer(cw, ctxReader{x.ctx, r}, x.buf); err != nil {
		return File{}, fmt.Errorf("package %s: document %d (%s): %w", x.folder, n, name, err)
	}
	f := File{Path: name, Size: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}
	if want := strings.ToLower(d.PDF.SHA256); want != "" && want != f.SHA256 {
		return File{}, fmt.Errorf("package %s: document %d (%s): %w: SHA-256 %s, expected %s", x.folder, n, name, ErrChecksum, f.SHA256, want)
	}
	if d.PDF.Size > 0 && d.PDF.Size != f.Size {
		return File{}, fmt.Errorf("package %s: document %d (%s): %w: %d bytes, expected %d", x.folder, n, name, ErrChecksum, f.Size, d.PDF.Size)
	}
	if f.Size == 0 {
		return File{}, fmt.Errorf("package %s: document %d (%s): the PDF is empty", x.folder, n, name)
	}
	x.record(f)
	return f, nil
}

func (x *writer) write() error {
	total := len(x.p.Documents)
	for i, d := range x.p.Documents {
		f, err := x.copyPDF(i+1, d)
		if err != nil {
			return err
		}
		x.pdfs = append(x.pdfs, f)
		if x.opt.Progress != nil {
			x.opt.Progress(i+1, total)
		}
	}
	for i, d := range x.p.Documents {
		name := dirRepDescriptive + eadDocName(DocID(x.code, i+1))
		if err := x.put(name, eadXML(documentSpecs, d.Metadata.field, "../../../../schemas/ead_doc.xsd")); err != nil {
			return err
		}
	}
	if err := x.put(PathRepPREMIS, x.premis(false)); err != nil {
		return err
	}
	if err := x.put(PathRepMETS, x.repMETS()); err != nil {
		return err
	}
	rec := x.p.Record
	if err := x.put(PathEAD, eadXML(recordSpecs[:18], rec.field, "../../schemas/ead.xsd")); err != nil {
		return err
	}
	if err := x.put(PathPREMIS, x.premis(true)); err != nil {
		return err
	}
	schemas, err := fs.Glob(schemaFS, "schemas/*.xsd")
	if err != nil {
		return err
	}
	slices.Sort(schemas)
	for _, s := range schemas {
		data, err := schemaFS.ReadFile(s)
		if err != nil {
			return err
		}
		if err := x.put(dirSchemas+path.Base(s), data); err != nil {
			return err
		}
	}
	if err := x.put(PathDocumentation, x.readme()); err != nil {
		return err
	}
	return x.put(PathMETS, x.rootMETS())
}

// eadXML is an EAD.xml or EAD_DOC file: <simpledc> with every field in
// the circular's order, empty ones as empty elements.
func eadXML(specs []spec, get func(string) *string, schema string) []byte {
	w := newXML()
	w.open("simpledc", "xmlns:xsi", nsXSI, "xsi:noNamespaceSchemaLocation", schema)
	for _, s := range specs {
		w.text(s.name, *get(s.name))
	}
	w.close("simpledc")
	return w.bytes()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ctxReader stops a copy when the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
