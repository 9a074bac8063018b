package mixed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Version names the generator's recipes; it changes whenever the same
// seed would give other pages.
const Version = "mixed/1"

// Options says what to generate.
type Options struct {
	// Seed chooses the set; the same seed and Version give the same pages.
	// Seeds 1-999 are for development, 10000 and above for evaluation.
	Seed uint64
	// N is the number of pages (default 100). Page i depends only on Seed
	// and i, so a smaller N gives the first pages of a larger set.
	N int
	// First is the index of the first page (default 0): First 17 and N 1
	// make page 17 of the set alone.
	First int
	// Out is the folder the pages are written to (created if missing).
	Out string
	// Kinds restricts the pages to these kinds (default: all, in the
	// shares of kindWeights).
	Kinds []Kind
	// Clean leaves the pages undamaged (the stamp of an admin page stays).
	Clean bool
	// Chromium is the browser binary (default: FindChromium).
	Chromium string
	// Parallel is how many pages are made at once (default: the number of
	// CPUs).
	Parallel int
	// Progress, if set, is called after each page.
	Progress func(done, total int, p *Page)
}

// Page describes one generated page; it is written next to the image as
// NAME.meta.json.
type Page struct {
	Name  string `json:"name"`
	Image string `json:"image"`
	Truth string `json:"truth"`
	Seed  uint64 `json:"seed"`
	Index int    `json:"index"`
	Kind  Kind   `json:"kind"`
	// Variant says more: the document type, "table-ruled", "letter", the
	// line of a sparse page...
	Variant    string     `json:"variant"`
	Lang       string     `json:"lang"`
	Paper      string     `json:"paper"`
	Font       string     `json:"font"`
	Serif      bool       `json:"serif"`
	SizePt     float64    `json:"size_pt"`
	LineHeight float64    `json:"line_height"`
	MarginsMM  [4]float64 `json:"margins_mm"` // top, right, bottom, left
	Justify    bool       `json:"justify"`
	Damage     []Damage   `json:"damage"`
	// Rotation is the quarter turn applied, clockwise; Skew the skew in
	// degrees (positive counter-clockwise).
	Rotation int     `json:"rotation"`
	Skew     float64 `json:"skew"`
	DPI      int     `json:"dpi"`
	Format   string  `json:"format"`
	Colour   bool    `json:"colour"`
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	Lines    int     `json:"lines"`
	Chars    int     `json:"chars"`
	Version  string  `json:"generator"`
}

// DamageSummary is the damage list on one line ("clean" when none).
func (p *Page) DamageSummary() string {
	if len(p.Damage) == 0 {
		return "clean"
	}
	var parts []string
	for _, d := range p.Damage {
		parts = append(parts, d.String())
	}
	return strings.Join(parts, ", ")
}

// Set is a generated set, written as mixed.json in the output folder.
type Set struct {
	Version string `json:"generator"`
	Seed    uint64 `json:"seed"`
	Pages   []Page `json:"pages"`
}

// Generate renders opts.N pages into opts.Out: for each, the image, its
// ground truth (NAME.txt) and its description (NAME.meta.json); and
// mixed.json for the set.
func Generate(ctx context.Context, opts Options) (*Set, error) {
	if opts.N <= 0 {
		opts.N = 100
	}
	if opts.Parallel <= 0 {
		opts.Parallel = runtime.NumCPU()
	}
	if opts.Out == "" {
		return nil, errors.New("mixed: no output folder")
	}
	for _, k := range opts.Kinds {
		if !slices.Contains(Kinds, k) {
			return nil, fmt.Errorf("mixed: unknown page kind %q (kinds: %v)", k, Kinds)
		}
	}
	if err := checkFonts(); err != nil {
		return nil, err
	}
	if opts.Chromium == "" {
		c, err := FindChromium()
		if err != nil {
			return nil, err
		}
		opts.Chromium = c
	}
	rd, err := newRenderer(ctx, opts.Chromium)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return generate(ctx, rd, opts)
}

// generate makes the pages of opts with a running renderer.
func generate(ctx context.Context, rd *renderer, opts Options) (*Set, error) {
	if opts.N <= 0 {
		opts.N = 100
	}
	if opts.Parallel <= 0 {
		opts.Parallel = runtime.NumCPU()
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	set := &Set{Version: Version, Seed: opts.Seed, Pages: make([]Page, opts.N)}
	var (
		mu   sync.Mutex
		done int
		errs = make([]error, opts.N)
		wg   sync.WaitGroup
		next = make(chan int)
	)
	for range min(opts.Parallel, opts.N) {
		wg.Go(func() {
			for i := range next {
				p, err := makePage(ctx, rd, opts, opts.First+i)
				if err != nil {
					errs[i] = fmt.Errorf("page %d (seed %d): %w", opts.First+i, opts.Seed, err)
					continue
				}
				mu.Lock()
				set.Pages[i] = *p
				done++
				if opts.Progress != nil {
					opts.Progress(done, opts.N, p)
				}
				mu.Unlock()
			}
		})
	}
	for i := range opts.N {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		return nil, err
	}
	return set, os.WriteFile(filepath.Join(opts.Out, "mixed.json"), append(b, '\n'), 0o644)
}

// pageRand is page i's random source: it depends on the seed and i only.
func pageRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^uint64(i)))
}

func drawKind(r *rand.Rand, only []Kind) Kind {
	kinds := Kinds
	if len(only) > 0 {
		kinds = only
	}
	total := 0
	for _, k := range kinds {
		total += kindWeights[k]
	}
	x := r.IntN(total)
	for _, k := range kinds {
		if x < kindWeights[k] {
			return k
		}
		x -= kindWeights[k]
	}
	return kinds[len(kinds)-1]
}

func drawDPI(r *rand.Rand) int {
	if chance(r, 0.6) {
		return pick(r, []int{150, 200, 240, 300, 300})
	}
	return between(r, 150, 300)
}

func makePage(ctx context.Context, rd *renderer, opts Options, i int) (*Page, error) {
	r := pageRand(opts.Seed, i)
	kind := drawKind(r, opts.Kinds)
	dpi := drawDPI(r)
	format, param := drawFormat(r)
	var (
		doc     *page
		variant string
		lang    = "vie"
	)
	if kind != KindBlank {
		doc, variant, lang = content(r, kind)
	} else {
		doc, variant = &page{st: drawStyle(r, paperA4)}, "blank"
	}
	dmg := drawDamage(r, kind, opts.Clean)
	var backDoc *page
	if dmg.bleed > 0 {
		backDoc, _, _ = content(r, pick(r, []Kind{KindAdmin, KindProse, KindTable}))
		backDoc.st.Paper = doc.st.Paper
	}
	// Everything random about the page is drawn above this line, so a
	// retry below cannot change the rest of the page.
	dr := rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))

	ink, lines, rects, err := typesetPage(ctx, rd, doc, dpi, kind != KindBlank)
	if err != nil {
		return nil, err
	}
	var back *image.Gray
	if backDoc != nil {
		if back, _, _, err = typesetPage(ctx, rd, backDoc, dpi, false); err != nil {
			return nil, fmt.Errorf("back page: %w", err)
		}
		if back.Rect != ink.Rect {
			back = nil
		}
	}
	var stampAt image.Point
	if s, ok := rects["sign"]; ok {
		k := float64(dpi) / 96
		stampAt = image.Pt(int((s[0]+s[2]*uniform(dr, 0.3, 0.55))*k), int((s[1]+s[3]*uniform(dr, 0.35, 0.6))*k))
	} else {
		dmg.stamp = false
	}
	img := dmg.apply(dr, ink, back, stampAt, dpi)

	name := fmt.Sprintf("%03d-%s", i, kind)
	truth := strings.Join(lines, "\n")
	if truth != "" {
		truth += "\n"
	}
	p := &Page{
		Name: name, Image: name + extOf(format), Truth: name + ".txt",
		Seed: opts.Seed, Index: i, Kind: kind, Variant: variant, Lang: lang,
		Paper: doc.st.Paper.Name, Font: doc.st.Family.Name, Serif: doc.st.Family.Serif,
		SizePt: doc.st.SizePt, LineHeight: doc.st.LineHeight, MarginsMM: roundAll(doc.st.Margins), Justify: doc.st.Justify,
		Damage: dmg.list, Rotation: dmg.rotate, Skew: dmg.skew, DPI: dpi, Format: format, Colour: dmg.colour() && format != FormatTIFFG4,
		Width: img.Bounds().Dx(), Height: img.Bounds().Dy(), Lines: len(lines), Chars: len([]rune(truth)), Version: Version,
	}
	if p.Damage == nil {
		p.Damage = []Damage{}
	}
	if kind == KindBlank {
		p.Lang = ""
	}
	if err := writeImage(filepath.Join(opts.Out, p.Image), img, format, param, dpi); err != nil {
		return nil, fmt.Errorf("write %s: %w", p.Image, err)
	}
	if err := os.WriteFile(filepath.Join(opts.Out, p.Truth), []byte(truth), 0o644); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(opts.Out, name+".meta.json"), append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	return p, nil
}

func roundAll(m [4]float64) [4]float64 {
	for i := range m {
		m[i] = math.Round(m[i]*10) / 10
	}
	return m
}

// typesetPage lays the page out in Chromium (a smaller size when the text
// does not fit), checks the lines read against the PDF's own text, and
// rasterises it at dpi. A page with print false is not sent to the
// browser: it is blank paper.
func typesetPage(ctx context.Context, rd *renderer, doc *page, dpi int, print bool) (*image.Gray, []string, map[string][4]float64, error) {
	if !print {
		w := int(math.Round(doc.st.Paper.W / 25.4 * float64(dpi)))
		h := int(math.Round(doc.st.Paper.H / 25.4 * float64(dpi)))
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		return g, nil, nil, nil
	}
	var res *rendered
	var err error
	for range 4 {
		res, err = rd.typeset(ctx, doc.html(), doc.st.Paper)
		if !errors.Is(err, errOverflow) {
			break
		}
		doc.st.SizePt--
		doc.st.LineHeight = max(1, doc.st.LineHeight-0.1)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	for i, l := range res.Lines {
		res.Lines[i] = norm.NFC.String(l)
	}
	pdfText, err := rd.pdfText(ctx, res.PDF)
	if err != nil {
		return nil, nil, nil, err
	}
	if a, b := runeBag(strings.Join(res.Lines, "")), runeBag(pdfText); a != b {
		return nil, nil, nil, fmt.Errorf("the lines read in the browser and the PDF's text differ:\nbrowser: %q\npdf:     %q", a, b)
	}
	// Chromium draws a character the font lacks in another font: the page
	// would not be in the face it claims.
	fonts, err := rd.pdfFonts(ctx, res.PDF)
	if err != nil {
		return nil, nil, nil, err
	}
	// Chromium embeds CFF (.otf) faces as nameless Type 3 fonts; a
	// fallback face is a TrueType font with a name.
	want := strings.ToLower(strings.ReplaceAll(doc.st.Family.Name, " ", ""))
	cff := strings.HasSuffix(doc.st.Family.Files[0], ".otf")
	for _, f := range fonts {
		if !strings.HasPrefix(strings.ToLower(f), want) && !(cff && f == "[none]") {
			return nil, nil, nil, fmt.Errorf("chromium fell back to %s for some characters of a %s page", f, doc.st.Family.Name)
		}
	}
	img, err := rd.rasterise(ctx, res.PDF, dpi)
	if err != nil {
		return nil, nil, nil, err
	}
	return img, res.Lines, res.Rects, nil
}

// runeBag is the text's non-space characters, NFC, sorted: equal for two
// texts that hold the same characters in any order and layout.
func runeBag(s string) string {
	rs := []rune(norm.NFC.String(s))
	rs = slices.DeleteFunc(rs, unicode.IsSpace)
	slices.Sort(rs)
	return string(rs)
}
