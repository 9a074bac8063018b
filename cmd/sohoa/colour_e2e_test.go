package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/sohoa/sohoa/ocr/eval"
	"github.com/sohoa/sohoa/ocr/source/leptonica"
	"github.com/sohoa/sohoa/storage/batch"
)

// cream is the paper of the colour test pages, red the stamp's ink.
var (
	cream = color.NRGBA{244, 234, 204, 255}
	red   = color.NRGBA{200, 30, 40, 255}
)

// colourPage prints a grey sample page on cream paper (each pixel's
// darkness multiplies the paper colour) and adds a red stamp ring under
// the text, as a colour scanner sees an archive page.
func colourPage(t *testing.T, name string, stampY int) *image.NRGBA {
	t.Helper()
	f, err := os.Open(filepath.Join(samplesDir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := src.Bounds()
	out := image.NewNRGBA(b)
	cx, cy := b.Dx()/2, stampY
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			v := uint32(color.GrayModel.Convert(src.At(x, y)).(color.Gray).Y)
			c := color.NRGBA{uint8(uint32(cream.R) * v / 255), uint8(uint32(cream.G) * v / 255), uint8(uint32(cream.B) * v / 255), 255}
			if d := (x-cx)*(x-cx) + (y-cy)*(y-cy); d >= 106*106 && d <= 120*120 {
				c = red
			}
			out.SetNRGBA(x, y, c)
		}
	}
	return out
}

// Colour originals keep their colour: color.jpg has the original's paper
// and stamp colours, lies exactly over image.png (same size, the same
// deskew and turn), is checksummed in batch.json, is the image of the
// document's PDF byte for byte, and goes into the bag. A grey original
// gets none and a grey PDF (Thông tư 05/2025: colour as in the original).
func TestColourOriginalsKeepTheirColour(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	// A colour TIFF (Leptonica) skewed 2.5°, and a colour JPEG (Go) scanned
	// sideways, both on cream paper; a grey PNG.
	skewed := imaging.Rotate(colourPage(t, "quyet-dinh-clean", 3250), 2.5, cream)
	if err := leptonica.WriteTIFF(filepath.Join(in, "mau-nghieng.tif"), []leptonica.Page{{Image: skewed, Compression: leptonica.LZW, DPI: 300}}); err != nil {
		t.Fatal(err)
	}
	var j bytes.Buffer
	if err := jpeg.Encode(&j, imaging.Rotate90(colourPage(t, "cong-van-clean", 3000)), &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "mau-ngang.jpg"), j.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	grey, err := os.ReadFile(filepath.Join(samplesDir, "nghi-quyet-clean.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "xam.png"), grey, 0o644); err != nil {
		t.Fatal(err)
	}

	out := t.TempDir()
	stdout, stderr, code := sohoa(t, "run", "--quiet", "--out", out, in)
	if code != 0 {
		t.Fatalf("run exit %d\n%s\n%s", code, stdout, stderr)
	}
	man := mustManifest(t, out, stdout)
	truth := map[string]string{"mau-nghieng.tif": "quyet-dinh-clean", "mau-ngang.jpg": "cong-van-clean", "xam.png": "nghi-quyet-clean"}
	pages := map[string]batch.Page{}
	for _, p := range man.Pages {
		name := filepath.Base(p.Source)
		pages[name] = p
		if p.Status != "done" {
			t.Fatalf("%s: %s %s", name, p.Status, p.Error)
		}
		text, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p.Text)))
		if err != nil {
			t.Fatal(err)
		}
		cer := eval.CER(groundTruth(t, filepath.Join(samplesDir, truth[name]+".png")), string(text))
		t.Logf("%s: CER %.4f", name, cer)
		if cer > 0.03 {
			t.Errorf("%s: CER %.4f > 0.03", name, cer)
		}
	}
	if len(pages) != 3 {
		t.Fatalf("pages: %v", pages)
	}
	if p := pages["xam.png"]; p.Color != "" || p.SHA256["color"] != "" {
		t.Errorf("grey original xam.png has a colour version %q", p.Color)
	}
	for _, name := range []string{"mau-nghieng.tif", "mau-ngang.jpg"} {
		p := pages[name]
		if p.Color != batch.PageKey(man.ID, p.ID, batch.FileColor) {
			t.Errorf("%s: color key %q", name, p.Color)
			continue
		}
		cb, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p.Color)))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(cb); hex.EncodeToString(sum[:]) != p.SHA256["color"] {
			t.Errorf("%s: color.jpg sha256 differs from batch.json", name)
		}
		col, err := jpeg.Decode(bytes.NewReader(cb))
		if err != nil {
			t.Fatalf("%s: color.jpg: %v", name, err)
		}
		cleaned := readPNG(t, filepath.Join(out, filepath.FromSlash(p.Image)))
		if col.Bounds() != cleaned.Bounds() || col.Bounds().Dx() != p.Width || col.Bounds().Dy() != p.Height {
			t.Errorf("%s: color.jpg is %v, image.png %v, batch.json %dx%d", name, col.Bounds(), cleaned.Bounds(), p.Width, p.Height)
			continue
		}
		checkColours(t, name, col)
		checkOverlay(t, name, col, cleaned)
	}

	// The documents' PDFs: the colour JPEG as it is, and grey for the grey page.
	for _, d := range man.Documents {
		name := filepath.Base(d.Source)
		pdfPath := filepath.Join(out, filepath.FromSlash(d.PDF))
		list, err := exec.Command("pdfimages", "-list", pdfPath).Output()
		if err != nil {
			t.Fatalf("pdfimages -list %s: %v", name, err)
		}
		f := strings.Fields(strings.Split(string(list), "\n")[2])
		want := "gray jpeg"
		if name != "xam.png" {
			want = "rgb jpeg"
		}
		if got := f[5] + " " + f[8]; got != want {
			t.Errorf("%s: PDF image %q, want %q\n%s", name, got, want, list)
		}
		if name == "xam.png" {
			continue
		}
		dir := t.TempDir()
		if b, err := exec.Command("pdfimages", "-j", pdfPath, filepath.Join(dir, "i")).CombinedOutput(); err != nil {
			t.Fatalf("pdfimages -j: %v %s", err, b)
		}
		got, _ := os.ReadFile(filepath.Join(dir, "i-000.jpg"))
		want2, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(pages[name].Color)))
		if !bytes.Equal(got, want2) {
			t.Errorf("%s: the PDF's image (%d bytes) is not color.jpg (%d bytes)", name, len(got), len(want2))
		}
	}

	// The bag carries color.jpg, and an independent validator accepts it.
	bag := filepath.Join(t.TempDir(), "bag")
	if o, e, code := sohoa(t, "export", "--store", out, "--out", bag, man.ID); code != 0 {
		t.Fatalf("export exit %d: %s %s", code, o, e)
	}
	p := pages["mau-nghieng.tif"]
	if _, err := os.Stat(filepath.Join(bag, "data", "pages", p.ID, batch.FileColor)); err != nil {
		t.Errorf("bag: %v", err)
	}
	if b, err := exec.Command("python3", "../../export/bagit/testdata/validate_bag.py", bag).CombinedOutput(); err != nil {
		t.Errorf("the bag does not validate: %v\n%s", err, b)
	}
	checkStoreClean(t, out)
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// checkColours: the paper keeps its cream (the cleaned image makes it
// white) and the stamp stays red.
func checkColours(t *testing.T, name string, img image.Image) {
	t.Helper()
	var rs, gs, bs []int
	reds := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r > 170 && g < 90 && bl < 100 {
				reds++
			}
			if r+g+bl > 3*190 {
				rs, gs, bs = append(rs, int(r)), append(gs, int(g)), append(bs, int(bl))
			}
		}
	}
	med := func(v []int) int {
		if len(v) == 0 {
			return -1
		}
		sort.Ints(v)
		return v[len(v)/2]
	}
	got := [3]int{med(rs), med(gs), med(bs)}
	for i, want := range [3]int{int(cream.R), int(cream.G), int(cream.B)} {
		if d := got[i] - want; d < -10 || d > 10 {
			t.Errorf("%s: paper colour %v in color.jpg, want %v ±10", name, got, cream)
			break
		}
	}
	// The ring is about 10,000 pixels at 300 dpi; a quarter of them sampled.
	if reds < 1000 {
		t.Errorf("%s: %d red stamp pixels sampled in color.jpg, want the stamp (over 1000)", name, reds)
	}
	t.Logf("%s: paper %v, %d red samples", name, got, reds)
}

// checkOverlay: the ink of the cleaned image lies on the ink of the colour
// version (within a pixel), so the text layer fits both.
func checkOverlay(t *testing.T, name string, col, cleaned image.Image) {
	t.Helper()
	dark := func(img image.Image, x, y int) bool {
		return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 110
	}
	b := cleaned.Bounds()
	ink, hit := 0, 0
	for y := b.Min.Y + 1; y < b.Max.Y-1; y += 2 {
		for x := b.Min.X + 1; x < b.Max.X-1; x += 2 {
			if !dark(cleaned, x, y) {
				continue
			}
			ink++
		near:
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if dark(col, x+dx, y+dy) {
						hit++
						break near
					}
				}
			}
		}
	}
	frac := float64(hit) / float64(max(ink, 1))
	t.Logf("%s: %.3f of image.png's ink lies on color.jpg's ink (%d sampled)", name, frac, ink)
	if ink < 10000 || frac < 0.95 {
		t.Errorf("%s: %.3f of %d ink samples of image.png lie on ink in color.jpg, want over 0.95 (same geometry)", name, frac, ink)
	}
}
