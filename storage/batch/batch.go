// Package batch defines what a batch looks like in the shared store: the
// key layout under batches/<id>/, the JSON documents downstream systems
// read (batch.json, the batch manifest, and each page's page.json), the
// typed page states and batch statuses they carry, the source and page
// IDs and their order, and the one reader (Read) and writer (Write) of
// batch.json every program uses. It is the contract described in
// docs/store-layout.md, and needs nothing but the store: an exporter that
// imports it never depends on Redis or the queue.
package batch

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Version of the batch.json and page.json formats. It changes only when a
// field changes meaning or disappears; new fields do not change it.
const Version = 1

// File names of a page's outputs under batches/<id>/pages/<page-id>/.
const (
	FileImage    = "image.png"     // cleaned greyscale image, what the coordinates refer to
	FileOCRInput = "ocr-input.png" // the image OCR read, when it differs from image.png (binarised)
	FileColor    = "color.jpg"     // colour version of image.png (same pixels' places), for a colour original
	FileText     = "text.txt"      // UTF-8 plain text
	FileHOCR     = "hocr.html"     // hOCR 1.2
	FileALTO     = "alto.xml"      // ALTO 4.4
	FileRecord   = "page.json"     // the page record
)

// Prefix is the folder of batch id: "batches/<id>/".
func Prefix(id string) string { return "batches/" + id + "/" }

// ManifestKey is the key of the batch manifest.
func ManifestKey(id string) string { return Prefix(id) + "batch.json" }

// SourceKey is where source name of batch id is kept, byte for byte.
func SourceKey(id, name string) string { return Prefix(id) + "sources/" + name }

// ArchiveEntryKey is where an entry of an archive (a zip uploaded as
// source archiveID) is kept: "archives/<archive source id>/<path in the
// archive>", apart from sources/ so it can never clash with an uploaded
// file's name.
func ArchiveEntryKey(id, archiveID, path string) string {
	return Prefix(id) + "archives/" + archiveID + "/" + path
}

// PageKey is the key of one output file of a page.
func PageKey(id, pageID, file string) string { return Prefix(id) + "pages/" + pageID + "/" + file }

// DocumentKey is the key of a source document's searchable PDF.
func DocumentKey(id, sourceID string) string { return Prefix(id) + "documents/" + sourceID + ".pdf" }

// NewID makes a batch id: the UTC creation time and 6 random characters,
// e.g. "20261128-081530-k3f9qz". IDs sort by creation time.
func NewID(now time.Time) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	var b [6]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return now.UTC().Format("20060102-150405") + "-" + string(b[:])
}

// ValidID reports whether id could be a batch id (safe in keys and URLs).
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Limits of a source name (CleanSourceName): the folder systems and
// object stores take, with room for the batch's key prefix.
const (
	MaxNameSegment = 255 // bytes of one folder or file name
	MaxSourceName  = 768 // bytes of the whole name, folders included
)

// CleanSourceName makes a user-given file name safe as a source name and
// store key: slashes separate folders; empty, "." and ".." segments,
// backslashes, control characters (C0 and C1) and invisible direction
// controls (which make a name read other than it is) are refused, and so
// are names that are not UTF-8 or too long (MaxNameSegment,
// MaxSourceName). The error quotes the name cut short.
func CleanSourceName(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", fmt.Errorf("source name %s is not UTF-8", QuoteName(name))
	}
	n := strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(n, "/") {
		return "", fmt.Errorf("source name %s is an absolute path", QuoteName(name))
	}
	var segs []string
	for seg := range strings.SplitSeq(n, "/") {
		switch seg {
		case "", ".":
			continue
		case "..":
			return "", fmt.Errorf("source name %s leaves its folder (..)", QuoteName(name))
		}
		for _, r := range seg {
			if unicode.IsControl(r) {
				return "", fmt.Errorf("source name %s has a control character (%U)", QuoteName(name), r)
			}
			if directionControl(r) {
				return "", fmt.Errorf("source name %s has an invisible direction control (%U), which makes it read other than it is", QuoteName(name), r)
			}
		}
		if len(seg) > MaxNameSegment {
			return "", fmt.Errorf("source name %s has a folder or file name of %d bytes, over the limit of %d", QuoteName(name), len(seg), MaxNameSegment)
		}
		if strings.HasPrefix(seg, ".sohoa-tmp-") {
			return "", fmt.Errorf("source name %s uses a reserved name", QuoteName(name))
		}
		segs = append(segs, seg)
	}
	if len(segs) == 0 {
		return "", fmt.Errorf("source name %s is empty", QuoteName(name))
	}
	clean := path.Join(segs...)
	if len(clean) > MaxSourceName {
		return "", fmt.Errorf("source name %s is %d bytes long, over the limit of %d", QuoteName(name), len(clean), MaxSourceName)
	}
	return clean, nil
}

// directionControl reports whether r is a Unicode bidirectional control
// (LRM, RLM, ALM, the embeddings, overrides and isolates).
func directionControl(r rune) bool {
	return r == 0x200E || r == 0x200F || r == 0x061C || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// QuoteName quotes a user-given name for a message, cut to its first 120
// bytes ("…" and its length after them) so a huge name makes a short message.
func QuoteName(name string) string {
	const keep = 120
	if len(name) <= keep {
		return strconv.Quote(name)
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return strconv.Quote(name[:cut]) + fmt.Sprintf("… (%d bytes)", len(name))
}

// Manifest is batch.json.
type Manifest struct {
	Version  int        `json:"version"`
	ID       string     `json:"id"`
	Status   Status     `json:"status"`
	Created  time.Time  `json:"created"`
	Updated  time.Time  `json:"updated"`
	Finished *time.Time `json:"finished,omitempty"`
	// Attrs are the batch attributes given at submission (title, fonds, priority...).
	Attrs     map[string]string `json:"attrs,omitempty"`
	Counts    Counts            `json:"counts"`
	Sources   []Source          `json:"sources"`
	Pages     []Page            `json:"pages"`
	Documents []Document        `json:"documents,omitempty"`
	// Alerts are sentences a person must read: a document marked TUYỆT MẬT.
	Alerts   []string `json:"alerts,omitempty"`
	Producer string   `json:"producer"`
}

// Counts summarises the pages of a batch.
type Counts struct {
	Sources   int `json:"sources"`
	Pages     int `json:"pages"`
	Done      int `json:"done"`
	Failed    int `json:"failed"`
	Cancelled int `json:"cancelled,omitempty"`
	Pending   int `json:"pending"`
	Blank     int `json:"blank"`
	// DocumentsReview is how many documents have header fields a person
	// must check (documents[].metadata.review, after corrections).
	DocumentsReview int `json:"documents_review"`
}

// Source is one source file of a batch.
type Source struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Key of the original, byte for byte.
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	// Type is the detected file type (png, jpeg, tiff, pdf, zip, ...), by content.
	Type string `json:"type,omitempty"`
	// Pages found in the source (0 until it is split).
	Pages int `json:"pages"`
	// Parent is the ID of the archive this source came out of.
	Parent string `json:"parent,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Page is a page's entry in batch.json.
type Page struct {
	ID       string    `json:"id"`
	Source   string    `json:"source"`
	SourceID string    `json:"source_id"`
	Index    int       `json:"index"`
	Status   PageState `json:"status"`
	// Store keys (relative to the store root) of the outputs.
	Text  string `json:"text,omitempty"`
	HOCR  string `json:"hocr,omitempty"`
	ALTO  string `json:"alto,omitempty"`
	Image string `json:"image,omitempty"`
	// Color is the colour version of Image, when the original is in
	// colour: same size and geometry, colours untouched (JPEG).
	Color  string `json:"color,omitempty"`
	Record string `json:"record,omitempty"`
	// Confidence is the mean word confidence, 0..100.
	Confidence float64 `json:"confidence"`
	Words      int     `json:"words"`
	Blank      bool    `json:"blank,omitempty"`
	Width      int     `json:"width,omitempty"`
	Height     int     `json:"height,omitempty"`
	DPI        int     `json:"dpi,omitempty"`
	// Worker is the worker process that finished the page (host:pid).
	Worker string `json:"worker,omitempty"`
	Error  string `json:"error,omitempty"`
	// SHA256 of each output file, by output name (text, hocr, alto, image,
	// color).
	SHA256   map[string]string `json:"sha256,omitempty"`
	Finished *time.Time        `json:"finished,omitempty"`
	// Flags are warnings for a reviewer (low confidence, secrecy mark...).
	Flags []string `json:"flags,omitempty"`
	// Corrected is the latest correction of the text by a person, if any.
	Corrected *Correction `json:"corrected,omitempty"`
}

// Document is a source document's searchable PDF.
type Document struct {
	Source   string   `json:"source"`
	SourceID string   `json:"source_id"`
	PDF      string   `json:"pdf,omitempty"`
	SHA256   string   `json:"sha256,omitempty"`
	Pages    []string `json:"pages"`
	Error    string   `json:"error,omitempty"`
	// Metadata is what the document's header says (docs/metadata.md).
	Metadata json.RawMessage `json:"metadata,omitempty"`
	// Flags call for attention, from the metadata: "top-secret" for a
	// document marked TUYỆT MẬT (such records are normally not digitised).
	Flags []string `json:"flags,omitempty"`
	// Corrected is the latest correction of the metadata by a person;
	// Metadata keeps what was read from the page.
	Corrected *MetadataCorrection `json:"corrected,omitempty"`
}

// MetadataCorrection is a person's version of a document's metadata,
// kept in the store as documents/<source id>.metadata.v<N>.json.
type MetadataCorrection struct {
	Version int       `json:"version"`
	Key     string    `json:"key"`
	By      string    `json:"by"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
	// Metadata is the corrected metadata (docs/metadata.md).
	Metadata json.RawMessage `json:"metadata"`
	// Fields are the fields the person changed or confirmed in this
	// version; they left metadata.review.
	Fields []string `json:"fields,omitempty"`
}

// MetadataCorrectionKey is the key of version n of a document's corrected metadata.
func MetadataCorrectionKey(id, sourceID string, n int) string {
	return fmt.Sprintf("%sdocuments/%s.metadata.v%d.json", Prefix(id), sourceID, n)
}

// NeedsReview reports whether the document's current metadata lists
// fields a person must check (metadata.review, docs/metadata.md).
func (d Document) NeedsReview() bool {
	var md struct {
		Review []string `json:"review"`
	}
	return json.Unmarshal(d.CurrentMetadata(), &md) == nil && len(md.Review) > 0
}

// CurrentMetadata is a document's metadata: the latest correction if
// there is one, else what was read from the page.
func (d Document) CurrentMetadata() json.RawMessage {
	if d.Corrected != nil {
		return d.Corrected.Metadata
	}
	return d.Metadata
}

// Record is a page's page.json: its manifest entry plus everything done to it.
type Record struct {
	Page
	BatchID string `json:"batch_id"`
	// Engine and languages that read the page.
	Engine string `json:"engine,omitempty"`
	Langs  string `json:"langs,omitempty"`
	// Original describes the page as it came out of its source.
	Original *ImageInfo `json:"original,omitempty"`
	// Cleanup is what the cleanup stage did (rotation, skew, crop, steps).
	Cleanup json.RawMessage `json:"cleanup,omitempty"`
	// Timings in seconds per stage and step.
	Timings map[string]float64 `json:"timings,omitempty"`
	// Attempt counts how many times the OCR stage ran for this page (1 = first).
	Attempt int `json:"attempt,omitempty"`
	// SecondPass is set when the page, read with little confidence, was
	// read again from the alternate cleanup profile.
	SecondPass *SecondPass `json:"second_pass,omitempty"`
	// ColumnRuns counts the side-by-side column blocks (a document header,
	// a closing block) whose reading order was fixed: left column first.
	ColumnRuns int `json:"column_runs,omitempty"`
	// Tables counts the ruled tables read row by row, cell by cell
	// (cleanup.tables has their rules).
	Tables int `json:"tables_read,omitempty"`
}

// ImageInfo describes an image.
type ImageInfo struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	DPI    int    `json:"dpi,omitempty"`
	Color  string `json:"color,omitempty"`
}

// Correction is a person's corrected version of a page's OCR text. The OCR
// text is never overwritten: each correction is a new file under
// pages/<page-id>/corrections/.
type Correction struct {
	Version int       `json:"version"`
	Text    string    `json:"text"` // store key of the corrected text
	SHA256  string    `json:"sha256"`
	By      string    `json:"by"`   // who corrected it (name from the token file)
	Role    string    `json:"role"` // their role
	At      time.Time `json:"at"`
	// Base is the SHA-256 of the text that was corrected (the OCR text or
	// the previous correction).
	Base string `json:"base,omitempty"`
}

// CorrectionKey is the key of version n of a page's corrected text; its
// record (the Correction as JSON) is beside it with a .json extension.
func CorrectionKey(id, pageID string, n int) string {
	return fmt.Sprintf("%spages/%s/corrections/text.v%d.txt", Prefix(id), pageID, n)
}

// SecondPass records a second reading of a page (page.json).
type SecondPass struct {
	// Profile is the cleanup profile of the second reading ("alternate").
	Profile string `json:"profile"`
	// Before and After are the mean word confidences of the two readings.
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	// Kept is true when the second reading was kept (it was more confident).
	Kept bool `json:"kept"`
}
