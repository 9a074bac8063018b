package mixed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "golang.org/x/image/tiff"
	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ocr/eval"
)

var shared struct {
	once sync.Once
	rd   *renderer
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.rd != nil {
		shared.rd.Close()
	}
	os.Exit(code)
}

// gen generates with one browser shared by the tests (starting Chromium
// is most of the time of a small set).
func gen(t *testing.T, ctx context.Context, opts Options) *Set {
	t.Helper()
	shared.once.Do(func() {
		c, err := FindChromium()
		if err != nil {
			shared.err = err
			return
		}
		// Not ctx: the browser outlives the test that starts it.
		shared.rd, shared.err = newRenderer(context.Background(), c)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	set, err := generate(ctx, shared.rd, opts)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// needTools skips when the browser or poppler is missing on a developer's
// machine, and fails in CI, where they must be installed.
func needTools(t *testing.T) {
	t.Helper()
	_, err := FindChromium()
	for _, tool := range []string{"pdftoppm", "pdftotext", "tesseract"} {
		if _, e := exec.LookPath(tool); e != nil {
			err = errors.Join(err, e)
		}
	}
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the mixed-page generator needs chromium, poppler-utils and tesseract (deploy/setup-debian.sh): %v", err)
	}
	t.Skipf("skipped: chromium, poppler-utils or tesseract is not installed (deploy/setup-debian.sh installs them; in CI this fails): %v", err)
}

// A clean page typeset by Chromium reads back with real Tesseract at a
// low CER: the ground truth is the text printed, in reading order.
func TestCleanPageReadsBack(t *testing.T) {
	t.Parallel()
	needTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	set := gen(t, ctx, Options{Seed: 11, N: 1, Out: dir, Kinds: []Kind{KindProse}, Clean: true})
	p := set.Pages[0]
	if len(p.Damage) != 0 {
		t.Fatalf("a clean page has damage: %v", p.Damage)
	}
	truth, err := os.ReadFile(filepath.Join(dir, p.Truth))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "tesseract", filepath.Join(dir, p.Image), "stdout", "--psm", "3", "-l", "vie")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	if cer := eval.CER(string(truth), string(out)); cer > 0.05 {
		t.Errorf("clean %s page in %s %.1f pt at %d dpi: CER %.4f, want <= 0.05\ntruth:\n%s\ntesseract:\n%s", p.Kind, p.Font, p.SizePt, p.DPI, cer, truth, out)
	}
}

// A few damaged pages: every file is there, the image decodes at the size
// described, the ground truth is NFC and fits the kind, and a page made
// alone (First) is byte for byte the page made in the set.
func TestGenerateSet(t *testing.T) {
	t.Parallel()
	needTools(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	const n = 3
	set := gen(t, ctx, Options{Seed: 7, N: n, Out: dir, Parallel: 2})
	if set.Seed != 7 || set.Version != Version || len(set.Pages) != n {
		t.Fatalf("set: seed %d, version %q, %d pages", set.Seed, set.Version, len(set.Pages))
	}
	var onDisk Set
	b, err := os.ReadFile(filepath.Join(dir, "mixed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &onDisk); err != nil || len(onDisk.Pages) != n {
		t.Fatalf("mixed.json: %v, %d pages", err, len(onDisk.Pages))
	}
	for i, p := range set.Pages {
		if p.Index != i || p.Seed != 7 || p.DPI < 150 || p.DPI > 300 || p.Font == "" || p.Format == "" {
			t.Errorf("page %d description: %+v", i, p)
		}
		f, err := os.Open(filepath.Join(dir, p.Image))
		if err != nil {
			t.Fatal(err)
		}
		cfg, format, err := image.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Errorf("%s (%s): %v", p.Image, p.Format, err)
		} else if cfg.Width != p.Width || cfg.Height != p.Height {
			t.Errorf("%s: %s %dx%d, description says %dx%d", p.Image, format, cfg.Width, cfg.Height, p.Width, p.Height)
		}
		truth, err := os.ReadFile(filepath.Join(dir, p.Truth))
		if err != nil {
			t.Fatal(err)
		}
		s := string(truth)
		if !norm.NFC.IsNormalString(s) {
			t.Errorf("%s is not NFC", p.Truth)
		}
		if (p.Kind == KindBlank) != (s == "") {
			t.Errorf("%s: kind %s with %d characters of ground truth", p.Truth, p.Kind, len(s))
		}
		if got := strings.Count(s, "\n"); got != p.Lines {
			t.Errorf("%s: %d lines, description says %d", p.Truth, got, p.Lines)
		}
		var meta Page
		if b, err := os.ReadFile(filepath.Join(dir, p.Name+".meta.json")); err != nil || json.Unmarshal(b, &meta) != nil || meta.Image != p.Image {
			t.Errorf("%s.meta.json: %v", p.Name, err)
		}
	}

	alone := t.TempDir()
	gen(t, ctx, Options{Seed: 7, First: n - 1, N: 1, Out: alone})
	last := set.Pages[n-1]
	for _, name := range []string{last.Image, last.Truth, last.Name + ".meta.json"} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, err := os.ReadFile(filepath.Join(alone, name))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s made alone differs from the one made in the set (%v)", name, err)
		}
	}
}

func TestDrawDamageKeepsContrast(t *testing.T) {
	t.Parallel()
	for seed := range uint64(2000) {
		r := pageRand(seed, 0)
		d := drawDamage(r, KindProse, false)
		if d.paper*d.ink < 70-1e-9 {
			t.Fatalf("seed %d: paper %.0f, ink %.2f: under 70 grey levels of contrast", seed, d.paper, d.ink)
		}
		if d.rotate%90 != 0 || d.skew < -12 || d.skew > 12 {
			t.Fatalf("seed %d: rotate %d, skew %.1f", seed, d.rotate, d.skew)
		}
	}
}

func TestKindShares(t *testing.T) {
	t.Parallel()
	counts := map[Kind]int{}
	const n = 20000
	for i := range n {
		counts[drawKind(pageRand(1, i), nil)]++
	}
	total := 0
	for _, w := range kindWeights {
		total += w
	}
	for k, w := range kindWeights {
		want := float64(w) / float64(total)
		if got := float64(counts[k]) / n; got < want-0.02 || got > want+0.02 {
			t.Errorf("kind %s: share %.3f, want %.3f", k, got, want)
		}
	}
	if got := drawKind(pageRand(1, 1), []Kind{KindTable}); got != KindTable {
		t.Errorf("drawKind restricted to tables gave %s", got)
	}
}

func TestRuneBag(t *testing.T) {
	t.Parallel()
	if runeBag("Quyết định\nsố 5") != runeBag("số 5 Quye\u0302\u0301t định") {
		t.Error("same characters in another order and normal form should match")
	}
	if runeBag("ab") == runeBag("abb") {
		t.Error("a missing character should not match")
	}
}

func TestReadPGM(t *testing.T) {
	t.Parallel()
	g, err := readPGM([]byte("P5\n# pdftoppm\n3 2\n255\n\x00\x01\x02\x03\x04\x05"))
	if err != nil {
		t.Fatal(err)
	}
	if g.Rect.Dx() != 3 || g.Rect.Dy() != 2 || g.GrayAt(2, 1).Y != 5 {
		t.Errorf("got %v %v", g.Rect, g.Pix)
	}
	if _, err := readPGM([]byte("P5\n3 2\n255\n\x00")); err == nil {
		t.Error("a short PGM should fail")
	}
}

// Every kind composes for many seeds (no bank runs dry, no slot is left
// unfilled) and its HTML is NFC.
func TestContentEveryKind(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds {
		if k == KindBlank {
			continue
		}
		for seed := range uint64(300) {
			r := pageRand(seed, 1)
			p, variant, lang := content(r, k)
			if p == nil || variant == "" || (lang != "vie" && lang != "eng") {
				t.Fatalf("%s seed %d: page %v, variant %q, lang %q", k, seed, p != nil, variant, lang)
			}
			h := p.html()
			if body := h[strings.Index(h, `<div class="page">`):]; strings.ContainsAny(body, "{}") {
				t.Fatalf("%s seed %d: an unfilled slot in\n%s", k, seed, h)
			}
			if !norm.NFC.IsNormalString(h) {
				t.Fatalf("%s seed %d: HTML is not NFC", k, seed)
			}
		}
	}
}
