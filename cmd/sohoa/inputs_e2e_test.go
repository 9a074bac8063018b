package main

import (
	"bytes"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sohoa/sohoa/internal/sourcetest"
	"github.com/sohoa/sohoa/ocr/cleanup"
	"github.com/sohoa/sohoa/ocr/eval"
	"github.com/sohoa/sohoa/ocr/source/leptonica"
)

// Every archive input is read right, every hostile file fails alone with
// a clear sentence, the batch finishes, nothing escapes the store, and the
// process stays under 2 GB (issue #4's acceptance, with real OCR).
func TestEveryInputAndHostileFiles(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	page := func(name string) (*image.Gray, string) {
		f, err := os.Open(filepath.Join(samplesDir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		return cleanup.Gray(img), groundTruth(t, filepath.Join(samplesDir, name+".png"))
	}
	qd, qdText := page("quyet-dinh-clean")
	nq, nqText := page("nghi-quyet-clean")
	cv, cvText := page("cong-van-clean")
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(in, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A 3-page LZW TIFF, a G4 TIFF, a JPEG 2000 file.
	if err := leptonica.WriteTIFF(filepath.Join(in, "ba-trang.tif"), []leptonica.Page{
		{Image: qd, Compression: leptonica.LZW, DPI: 300}, {Image: nq, Compression: leptonica.LZW, DPI: 300}, {Image: cv, Compression: leptonica.LZW, DPI: 300},
	}); err != nil {
		t.Fatal(err)
	}
	if err := leptonica.WriteTIFF(filepath.Join(in, "g4.tif"), []leptonica.Page{{Image: cv, Compression: leptonica.G4, DPI: 300}}); err != nil {
		t.Fatal(err)
	}
	if err := leptonica.WriteJP2(filepath.Join(in, "luu-tru.jp2"), nq, 300, 45); err != nil {
		t.Fatal(err)
	}
	// A 16-bit PNG.
	g16 := image.NewGray16(qd.Bounds())
	for i, v := range qd.Pix {
		g16.Pix[2*i], g16.Pix[2*i+1] = v, v
	}
	var b16 bytes.Buffer
	png.Encode(&b16, g16)
	write("16bit.png", b16.Bytes())
	// A 2-page PDF of scanned pages (one JPEG each).
	jq, jn := sourcetest.EncodeJPEG(t, qd), sourcetest.EncodeJPEG(t, nq)
	write("hai-trang.pdf", sourcetest.PDF(
		sourcetest.PDFPage{JPEG: jq, Width: qd.Bounds().Dx(), Height: qd.Bounds().Dy(), Gray: true, DPI: 300},
		sourcetest.PDFPage{JPEG: jn, Width: nq.Bounds().Dx(), Height: nq.Bounds().Dy(), Gray: true, DPI: 300}))
	// A CMYK JPEG (Go cannot write one: ImageMagick does).
	if out, err := exec.Command("convert", filepath.Join(samplesDir, "cong-van-clean.png"), "-colorspace", "CMYK", "-density", "300",
		filepath.Join(in, "cmyk.jpg")).CombinedOutput(); err != nil {
		t.Fatalf("making the CMYK JPEG needs ImageMagick (make deps): %v %s", err, out)
	}
	// A page inside a zip, and an entry that tries to leave the archive.
	png1, _ := os.ReadFile(filepath.Join(samplesDir, "quyet-dinh-clean.png"))
	write("lo.zip", sourcetest.Zip(t, sourcetest.ZipFile{Name: "ho so/trang 1.png", Data: png1}, sourcetest.ZipFile{Name: "../../x", Data: png1}))
	// Hostile and broken files.
	write("empty.png", nil)
	write("truncated.png", png1[:len(png1)/3])
	write("notes.tif", []byte("Danh mục hồ sơ: đây là văn bản, không phải ảnh.\n"))
	rnd := make([]byte, 4096)
	for i := range rnd {
		rnd[i] = byte(i*7919 + i*i)
	}
	write("random.jpg", rnd)
	write("huge.png", pngHeaderBomb(100000, 100000))
	enc := filepath.Join(in, "encrypted.pdf")
	if out, err := exec.Command("qpdf", "--encrypt", "user", "owner", "256", "--", filepath.Join(in, "hai-trang.pdf"), enc).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --encrypt: %v %s", err, out)
	}

	out := t.TempDir()
	cmd := exec.Command(sohoaBin, "run", "--quiet", "--out", out, in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Fatalf("run exit %d (%v), want 3 (some pages failed)\n%s\n%s", code, err, stdout.String(), stderr.String())
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KB
	t.Logf("peak RSS of sohoa run on the whole set: %d MB", rss/1024)
	if rss > 2<<20 {
		t.Errorf("peak RSS %d MB, want under 2 GB", rss/1024)
	}
	man := mustManifest(t, out, stdout.String())
	truth := map[string]string{
		"ba-trang.tif#0": qdText, "ba-trang.tif#1": nqText, "ba-trang.tif#2": cvText,
		"hai-trang.pdf#0": qdText, "hai-trang.pdf#1": nqText,
		"g4.tif#0": cvText, "luu-tru.jp2#0": nqText, "16bit.png#0": qdText, "cmyk.jpg#0": cvText,
		"lo.zip/ho so/trang 1.png#0": qdText,
	}
	failures := map[string]string{
		"empty.png":      "empty file",
		"truncated.png":  "truncated PNG",
		"notes.tif":      "not an image: text/plain",
		"random.jpg":     "not an image: application/octet-stream",
		"huge.png":       "image 100000x100000 exceeds the 200-megapixel limit",
		"encrypted.pdf":  "encrypted PDF",
		"lo.zip/../../x": `entry "../../x" refused`,
	}
	seen := map[string]bool{}
	for _, p := range man.Pages {
		key := filepath.ToSlash(strings.TrimPrefix(p.Source, filepath.Base(in)+"/"))
		if want, ok := failures[key]; ok {
			seen[key] = true
			if p.Status != "failed" || !strings.Contains(p.Error, want) || len(strings.Fields(p.Error)) < 5 {
				t.Errorf("%s: status %s error %q, want a failure saying %q in a sentence", key, p.Status, p.Error, want)
			}
			continue
		}
		k := key + "#" + string(rune('0'+p.Index))
		want, ok := truth[k]
		if !ok {
			t.Errorf("unexpected page %s (%s %s)", k, p.Status, p.Error)
			continue
		}
		seen[k] = true
		if p.Status != "done" {
			t.Errorf("%s: %s %s", k, p.Status, p.Error)
			continue
		}
		text, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(p.Text)))
		cer := eval.CER(want, string(text))
		t.Logf("%s: CER %.4f", k, cer)
		if cer > 0.03 {
			t.Errorf("%s: CER %.4f > 0.03", k, cer)
		}
	}
	for k := range truth {
		if !seen[k] {
			t.Errorf("page %s missing from the manifest", k)
		}
	}
	for k := range failures {
		if !seen[k] {
			t.Errorf("no failed page for %s", k)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "x")); err == nil {
		t.Error("the zip entry ../../x was written outside the store")
	}
	checkStoreClean(t, out)
}

// pngHeaderBomb is a valid PNG signature and IHDR claiming w x h pixels,
// with no image data.
func pngHeaderBomb(w, h uint32) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	hdr := b.Bytes()[:33]
	be := func(p []byte, v uint32) { p[0], p[1], p[2], p[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v) }
	be(hdr[16:], w)
	be(hdr[20:], h)
	be(hdr[29:], crc32IEEE(hdr[12:29]))
	return hdr
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
