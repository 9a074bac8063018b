package bagit_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sohoa/sohoa/export/bagit"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/alto"
	"github.com/sohoa/sohoa/storage"
	"github.com/sohoa/sohoa/storage/batch"
	"github.com/sohoa/sohoa/storage/fs"
)

const batchID = "20261128-081530-k3f9qz"

// A title longer than a bag-info.txt line, to be folded.
const title = "Hồ sơ đất đai xã Quảng La, huyện Hoành Bồ, tỉnh Quảng Ninh (1975–1990), phông Ủy ban nhân dân huyện"

var bagTime = time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)

type fixture struct {
	store    *fs.Store
	manifest batch.Manifest
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// newBatch writes a finished batch by hand: two sources (one with
// Vietnamese and spaces in its name, one with '%'), two done pages with
// every output (the first with two corrections of its text), a failed page
// with only its record, and a document PDF.
func newBatch(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	s, err := fs.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	put := func(key string, b []byte) string {
		t.Helper()
		if err := storage.PutBytes(ctx, s, key, b, ""); err != nil {
			t.Fatal(err)
		}
		return sum(b)
	}
	m := batch.Manifest{
		Version: batch.Version, ID: batchID, Status: "partial",
		Created: bagTime.Add(-time.Hour), Updated: bagTime, Finished: &bagTime,
		Attrs:    map[string]string{"title": title, "fonds": "UBND-HB"},
		Counts:   batch.Counts{Sources: 2, Pages: 3, Done: 2, Failed: 1},
		Producer: "sohoa 0.1.0",
	}
	for i, name := range []string{"hồ sơ 12/trang 1.png", "100% scan.tif"} {
		key := batch.SourceKey(batchID, name)
		data := []byte("original bytes of " + name)
		m.Sources = append(m.Sources, batch.Source{ID: queueSourceID(i), Name: name, Key: key,
			Size: int64(len(data)), SHA256: put(key, data), Pages: 1 + i})
	}
	for i, id := range []string{"0000-0000", "0001-0000"} {
		text := []byte("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTrang " + id + "\n")
		page := &ocr.Page{Width: 100, Height: 50, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
			BBox: image.Rect(0, 0, 100, 20), Words: []ocr.Word{{Text: "CỘNG", BBox: image.Rect(0, 0, 40, 20), Conf: 90}},
		}}}}}}}
		var hocr, altoDoc bytes.Buffer
		if err := ocr.WriteHOCR(&hocr, page, ocr.HOCROptions{Image: batch.FileImage}); err != nil {
			t.Fatal(err)
		}
		if err := alto.Write(&altoDoc, page, alto.Options{Image: batch.FileImage, Time: bagTime}); err != nil {
			t.Fatal(err)
		}
		p := batch.Page{ID: id, Source: m.Sources[i].Name, SourceID: m.Sources[i].ID, Status: "done",
			Text: batch.PageKey(batchID, id, batch.FileText), HOCR: batch.PageKey(batchID, id, batch.FileHOCR),
			ALTO: batch.PageKey(batchID, id, batch.FileALTO), Image: batch.PageKey(batchID, id, batch.FileImage),
			Record: batch.PageKey(batchID, id, batch.FileRecord), Words: 1, Confidence: 90,
			SHA256: map[string]string{}}
		p.SHA256["text"] = put(p.Text, text)
		p.SHA256["hocr"] = put(p.HOCR, hocr.Bytes())
		p.SHA256["alto"] = put(p.ALTO, altoDoc.Bytes())
		p.SHA256["image"] = put(p.Image, append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{byte(i)}, 5000)...))
		rec, _ := json.Marshal(batch.Record{Page: p, BatchID: batchID, Engine: "tesseract 5.3.0"})
		put(p.Record, rec)
		if i == 0 { // an archivist corrected the text twice; batch.json points at version 2
			for v := 1; v <= 2; v++ {
				c := &batch.Correction{Version: v, Text: batch.CorrectionKey(batchID, id, v), By: "Lê Thị C", Role: "reviewer", At: bagTime}
				c.SHA256 = put(c.Text, []byte(fmt.Sprintf("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM (v%d)\n", v)))
				rec, _ := json.Marshal(c)
				put(strings.TrimSuffix(c.Text, ".txt")+".json", rec)
				p.Corrected = c
			}
		}
		m.Pages = append(m.Pages, p)
	}
	failed := batch.Page{ID: "0001-0001", Source: m.Sources[1].Name, SourceID: "0001", Index: 1, Status: "failed",
		Error: "100% scan.tif, page 2: cannot decode", Record: batch.PageKey(batchID, "0001-0001", batch.FileRecord)}
	rec, _ := json.Marshal(batch.Record{Page: failed, BatchID: batchID})
	put(failed.Record, rec)
	m.Pages = append(m.Pages, failed)
	pdf := batch.DocumentKey(batchID, "0000")
	m.Documents = []batch.Document{{Source: m.Sources[0].Name, SourceID: "0000", PDF: pdf,
		SHA256: put(pdf, []byte("%PDF-1.7\n...\n%%EOF\n")), Pages: []string{"0000-0000"}}}
	f := &fixture{store: s, manifest: m}
	f.writeManifest(t)
	return f
}

func queueSourceID(i int) string { return []string{"0000", "0001"}[i] }

func (f *fixture) writeManifest(t *testing.T) {
	t.Helper()
	b, err := json.MarshalIndent(f.manifest, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.PutBytes(context.Background(), f.store, batch.ManifestKey(batchID), b, ""); err != nil {
		t.Fatal(err)
	}
}

func options() bagit.Options {
	return bagit.Options{
		SourceOrganization: "Chi cục Văn thư - Lưu trữ tỉnh Quảng Ninh",
		Version:            "0.1.0",
		Now:                bagTime,
		Info:               []bagit.Field{{"Contact-Name", "Nguyễn Văn A"}, {"Internal-Sender-Identifier", "UBND-HB/1975-1990"}},
	}
}

// exportDir exports the fixture's batch to a new bag directory.
func exportDir(t *testing.T, f *fixture, opt bagit.Options) (string, *bagit.Result) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), batchID)
	w, err := bagit.NewDirWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := bagit.Export(context.Background(), f.store, batchID, w, opt)
	if err != nil {
		_ = w.Abort()
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, res
}

// validate runs the independent validator (Python, written from RFC 8493)
// in strict mode. python3 missing is a failure, not a skip.
func validate(t *testing.T, bag string) error {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Fatalf("python3 is needed to validate bags: %v", err)
	}
	cmd := exec.Command("python3", filepath.Join("testdata", "validate_bag.py"), "--strict", bag)
	out, err := cmd.CombinedOutput()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 1 {
			return errors.New(strings.TrimSpace(string(out)))
		}
		t.Fatalf("validate_bag.py: %v\n%s", err, out)
	}
	return nil
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExportDirectory(t *testing.T) {
	t.Parallel()
	f := newBatch(t)
	dir, res := exportDir(t, f, options())
	if err := validate(t, dir); err != nil {
		t.Fatalf("the bag is not valid:\n%v", err)
	}

	var paths []string
	for _, file := range res.Files {
		paths = append(paths, file.Path)
	}
	want := []string{
		"data/batch.json",
		"data/pages/0000-0000/text.txt", "data/pages/0000-0000/hocr.html", "data/pages/0000-0000/alto.xml",
		"data/pages/0000-0000/image.png", "data/pages/0000-0000/page.json",
		"data/pages/0000-0000/corrections/text.v2.txt", "data/pages/0000-0000/corrections/text.v2.json",
		"data/pages/0001-0000/text.txt", "data/pages/0001-0000/hocr.html", "data/pages/0001-0000/alto.xml",
		"data/pages/0001-0000/image.png", "data/pages/0001-0000/page.json",
		"data/pages/0001-0001/page.json",
		"data/documents/0000.pdf",
	}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("payload (-want +got):\n%s", diff)
	}
	if res.Verified != 10 {
		t.Errorf("Verified = %d, want 10 (4 outputs of 2 pages, the corrected text and the PDF)", res.Verified)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "sources")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("sources exported without IncludeSources (stat: %v)", err)
	}
	stored, _ := storage.ReadAll(context.Background(), f.store, batch.ManifestKey(batchID))
	if got := readFile(t, filepath.Join(dir, "data", "batch.json")); got != string(stored) {
		t.Error("data/batch.json differs from the store's batch.json")
	}
	if got := readFile(t, filepath.Join(dir, "bagit.txt")); got != "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n" {
		t.Errorf("bagit.txt = %q", got)
	}

	info := readFile(t, filepath.Join(dir, "bag-info.txt"))
	for _, want := range []string{
		"Source-Organization: Chi cục Văn thư - Lưu trữ tỉnh Quảng Ninh\n",
		"External-Identifier: " + batchID + "\n",
		"Bagging-Date: 2026-11-28\n",
		"Payload-Oxum: " + res.Oxum() + "\n",
		"Bag-Software-Agent: sohoa 0.1.0\n",
		"Contact-Name: Nguyễn Văn A\n",
		"Internal-Sender-Identifier: UBND-HB/1975-1990\n",
	} {
		if !strings.Contains(info, want) {
			t.Errorf("bag-info.txt lacks %q:\n%s", want, info)
		}
	}
	if !strings.HasSuffix(res.Oxum(), ".15") {
		t.Errorf("Payload-Oxum %s, want 15 streams", res.Oxum())
	}
	for line := range strings.SplitSeq(strings.TrimSuffix(info, "\n"), "\n") {
		if n := len([]rune(line)); n > 79 {
			t.Errorf("bag-info.txt line of %d characters: %q", n, line)
		}
	}
	// Unfolding (removing each line break before an indented line) gives the title back.
	unfolded := strings.ReplaceAll(info, "\n ", " ")
	if !strings.Contains(unfolded, "External-Description: "+title+"\n") {
		t.Errorf("External-Description does not unfold to the title:\n%s", info)
	}
}

// nonSeeker hides every method but Write, as an HTTP response would.
type nonSeeker struct{ w io.Writer }

func (n nonSeeker) Write(p []byte) (int, error) { return n.w.Write(p) }

func TestExportZip(t *testing.T) {
	t.Parallel()
	f := newBatch(t)
	var buf bytes.Buffer
	zw, err := bagit.NewZipWriter(nonSeeker{&buf}, batchID)
	if err != nil {
		t.Fatal(err)
	}
	opt := options()
	opt.IncludeSources = true
	res, err := bagit.Export(context.Background(), f.store, batchID, zw, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), batchID+".zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := validate(t, path); err != nil {
		t.Fatalf("the zipped bag is not valid:\n%v", err)
	}
	if res.Verified != 12 {
		t.Errorf("Verified = %d, want 12 (the pages' outputs, the corrected text, the PDF and 2 sources)", res.Verified)
	}

	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*zip.File{}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, batchID+"/") {
			t.Errorf("zip entry %q outside the bag's base directory", zf.Name)
		}
		files[strings.TrimPrefix(zf.Name, batchID+"/")] = zf
	}
	for _, name := range []string{"data/sources/hồ sơ 12/trang 1.png", "data/sources/100% scan.tif", "tagmanifest-sha256.txt"} {
		if files[name] == nil {
			t.Errorf("zip lacks %s", name)
		}
	}
	if zf := files["data/pages/0000-0000/image.png"]; zf != nil && zf.Method != zip.Store {
		t.Errorf("image.png compressed with method %d, want stored", zf.Method)
	}
	rc, err := files["manifest-sha256.txt"].Open()
	if err != nil {
		t.Fatal(err)
	}
	man, _ := io.ReadAll(rc)
	rc.Close()
	if !strings.Contains(string(man), "  data/sources/100%25 scan.tif\n") {
		t.Errorf("manifest does not percent-encode %%:\n%s", man)
	}
}

// The directory and the zip hold the same bag.
func TestDirectoryAndZipAgree(t *testing.T) {
	t.Parallel()
	f := newBatch(t)
	dir, _ := exportDir(t, f, options())
	var buf bytes.Buffer
	zw, err := bagit.NewZipWriter(&buf, batchID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bagit.Export(context.Background(), f.store, batchID, zw, options()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		rel := strings.TrimPrefix(zf.Name, batchID+"/")
		if want := readFile(t, filepath.Join(dir, filepath.FromSlash(rel))); want != string(got) {
			t.Errorf("%s differs between the directory and the zip", rel)
		}
		n++
	}
	if n != 15+4 {
		t.Errorf("zip has %d files, want 19", n)
	}
}

func TestExportDetectsAlteredStore(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		sources bool
		alter   func(t *testing.T, f *fixture)
		want    error
	}{
		{"ChangedText", false, func(t *testing.T, f *fixture) {
			put(t, f, f.manifest.Pages[1].Text, "CỘNG HÒA (edited)\n")
		}, bagit.ErrChecksum},
		{"ChangedCorrection", false, func(t *testing.T, f *fixture) {
			put(t, f, f.manifest.Pages[0].Corrected.Text, "sửa lén\n")
		}, bagit.ErrChecksum},
		{"ChangedPDF", false, func(t *testing.T, f *fixture) {
			put(t, f, f.manifest.Documents[0].PDF, "%PDF-1.7 other\n")
		}, bagit.ErrChecksum},
		{"ChangedSource", true, func(t *testing.T, f *fixture) {
			put(t, f, f.manifest.Sources[0].Key, "original bytes of hồ sơ 12/trang 1.pnG")
		}, bagit.ErrChecksum},
		{"MissingImage", false, func(t *testing.T, f *fixture) {
			if err := f.store.Delete(context.Background(), f.manifest.Pages[0].Image); err != nil {
				t.Fatal(err)
			}
		}, storage.ErrNotFound},
		{"KeyOutsideBatch", false, func(t *testing.T, f *fixture) {
			f.manifest.Pages[0].HOCR = "batches/other/pages/0000-0000/hocr.html"
			f.writeManifest(t)
		}, nil},
		{"KeyEscaping", false, func(t *testing.T, f *fixture) {
			f.manifest.Pages[0].HOCR = "batches/" + batchID + "/../other/hocr.html"
			f.writeManifest(t)
		}, storage.ErrInvalidKey},
		{"Running", false, func(t *testing.T, f *fixture) {
			f.manifest.Status = "running"
			f.writeManifest(t)
		}, bagit.ErrNotFinished},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newBatch(t)
			tc.alter(t, f)
			w, err := bagit.NewDirWriter(filepath.Join(t.TempDir(), "bag"))
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			opt := options()
			opt.IncludeSources = tc.sources
			_, err = bagit.Export(context.Background(), f.store, batchID, w, opt)
			if err == nil {
				t.Fatal("Export succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Export: %v, want %v", err, tc.want)
			}
			t.Log(err)
		})
	}
}

// A source altered in the store does not matter when sources are not exported.
func TestExportWithoutSourcesIgnoresThem(t *testing.T) {
	t.Parallel()
	f := newBatch(t)
	put(t, f, f.manifest.Sources[1].Key, "changed")
	dir, _ := exportDir(t, f, options())
	if err := validate(t, dir); err != nil {
		t.Fatal(err)
	}
}

func put(t *testing.T, f *fixture, key, content string) {
	t.Helper()
	if err := storage.PutBytes(context.Background(), f.store, key, []byte(content), ""); err != nil {
		t.Fatal(err)
	}
}

// The validator can fail: each alteration of a valid bag is caught.
func TestValidatorRejectsTamperedBag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, dir string)
		want   string // in the validator's complaint
	}{
		{"ChangedPayload", func(t *testing.T, dir string) {
			write(t, dir, "data/pages/0000-0000/text.txt", "tampered\n")
		}, "does not match its sha256 checksum"},
		{"ExtraPayloadFile", func(t *testing.T, dir string) {
			write(t, dir, "data/pages/0000-0000/extra.txt", "x")
		}, "is not listed"},
		{"MissingPayloadFile", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "data", "documents", "0000.pdf")); err != nil {
				t.Fatal(err)
			}
		}, "is listed but missing"},
		{"WrongOxumWithMatchingTagManifest", func(t *testing.T, dir string) {
			info := readFile(t, filepath.Join(dir, "bag-info.txt"))
			i := strings.Index(info, "Payload-Oxum: ")
			j := i + strings.Index(info[i:], ".")
			write(t, dir, "bag-info.txt", info[:j]+"1"+info[j:]) // one digit more octets
			retagManifest(t, dir)
		}, "Payload-Oxum"},
		{"ChangedBagInfo", func(t *testing.T, dir string) {
			info := readFile(t, filepath.Join(dir, "bag-info.txt"))
			write(t, dir, "bag-info.txt", strings.Replace(info, "Contact-Name: Nguyễn Văn A", "Contact-Name: Trần Thị B", 1))
		}, "bag-info.txt' does not match"},
		{"BadBagitTxt", func(t *testing.T, dir string) {
			write(t, dir, "bagit.txt", "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
			retagManifest(t, dir)
		}, "BagIt version 0.97"},
		{"NoTagManifest", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "tagmanifest-sha256.txt")); err != nil {
				t.Fatal(err)
			}
		}, "no tag manifest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, _ := exportDir(t, newBatch(t), options())
			tc.tamper(t, dir)
			err := validate(t, dir)
			if err == nil {
				t.Fatal("the validator accepted a tampered bag")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("validator said:\n%v\nwant a complaint containing %q", err, tc.want)
			}
		})
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// retagManifest rewrites tagmanifest-sha256.txt for the current tag files,
// so only the check under test can catch a change.
func retagManifest(t *testing.T, dir string) {
	t.Helper()
	var b strings.Builder
	for _, name := range []string{"bagit.txt", "bag-info.txt", "manifest-sha256.txt"} {
		b.WriteString(sum([]byte(readFile(t, filepath.Join(dir, name)))) + "  " + name + "\n")
	}
	write(t, dir, "tagmanifest-sha256.txt", b.String())
}

func TestDirWriter(t *testing.T) {
	t.Parallel()
	t.Run("AbortLeavesNothing", func(t *testing.T) {
		t.Parallel()
		parent := t.TempDir()
		w, err := bagit.NewDirWriter(filepath.Join(parent, "bag"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := w.Create("data/x.txt")
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 0 {
			t.Errorf("Abort left %v", entries)
		}
	})
	t.Run("ExistingDirectoryRefused", func(t *testing.T) {
		t.Parallel()
		if _, err := bagit.NewDirWriter(t.TempDir()); !errors.Is(err, os.ErrExist) {
			t.Errorf("NewDirWriter on an existing directory: %v, want ErrExist", err)
		}
	})
	t.Run("EscapingNamesRefused", func(t *testing.T) {
		t.Parallel()
		w, err := bagit.NewDirWriter(filepath.Join(t.TempDir(), "bag"))
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		for _, name := range []string{"../x", "/etc/x", "data/../../x", `data\x`, ""} {
			if _, err := w.Create(name); err == nil {
				t.Errorf("Create(%q) succeeded", name)
			}
		}
	})
}

func TestExportOptionsAndCancel(t *testing.T) {
	t.Parallel()
	f := newBatch(t)
	for _, tc := range []struct {
		name string
		info []bagit.Field
	}{
		{"ComputedLabel", []bagit.Field{{"Payload-Oxum", "1.1"}}},
		{"ColonInLabel", []bagit.Field{{"A:B", "x"}}},
		{"SpaceAroundLabel", []bagit.Field{{" Contact-Name", "x"}}},
		{"EmptyLabel", []bagit.Field{{"", "x"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			zw, _ := bagit.NewZipWriter(&buf, batchID)
			if _, err := bagit.Export(context.Background(), f.store, batchID, zw, bagit.Options{Info: tc.info}); err == nil {
				t.Error("Export accepted bad bag-info metadata")
			}
		})
	}
	t.Run("Cancelled", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var buf bytes.Buffer
		zw, _ := bagit.NewZipWriter(&buf, batchID)
		if _, err := bagit.Export(ctx, f.store, batchID, zw, options()); !errors.Is(err, context.Canceled) {
			t.Errorf("Export with a cancelled context: %v", err)
		}
	})
	t.Run("BadBatchID", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		zw, _ := bagit.NewZipWriter(&buf, "x")
		if _, err := bagit.Export(context.Background(), f.store, "../x", zw, options()); err == nil {
			t.Error("Export accepted a bad batch id")
		}
	})
	t.Run("BadZipName", func(t *testing.T) {
		t.Parallel()
		for _, name := range []string{"", ".", "..", "a/b"} {
			if _, err := bagit.NewZipWriter(io.Discard, name); err == nil {
				t.Errorf("NewZipWriter(%q) succeeded", name)
			}
		}
	})
}

func ExampleExport() {
	ctx := context.Background()
	store, _ := fs.New(os.TempDir()) // the shared store, wired by cmd
	// In an HTTP handler, w would be the http.ResponseWriter.
	zw, _ := bagit.NewZipWriter(io.Discard, "20261128-081530-k3f9qz")
	res, err := bagit.Export(ctx, store, "20261128-081530-k3f9qz", zw, bagit.Options{Version: "0.1.0"})
	if err != nil {
		// The zip is incomplete: abort the response.
		return
	}
	_ = zw.Close() // the zip's central directory
	_ = res.Oxum()
}
