package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// style is a font style as bit flags: regular is zero.
type style int

const (
	regular style = 0
	bold    style = 1
	italic  style = 2
)

// fontFile is one style of a family on disk and the Debian package that
// installs it.
type fontFile struct {
	path string
	pkg  string
}

// familySpec names the four style files of a serif family, indexed by style.
type familySpec struct {
	name  string
	files [4]fontFile
}

const (
	famLiberation = "Liberation Serif"
	famDejaVu     = "DejaVu Serif"
	famFree       = "FreeSerif"
	famNoto       = "Noto Serif"
)

var familySpecs = []familySpec{
	{famLiberation, [4]fontFile{
		{"/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", "fonts-liberation2"},
		{"/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf", "fonts-liberation2"},
		{"/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf", "fonts-liberation2"},
		{"/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf", "fonts-liberation2"},
	}},
	{famDejaVu, [4]fontFile{
		{"/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "fonts-dejavu-core"},
		{"/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", "fonts-dejavu-core"},
		{"/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf", "fonts-dejavu-extra"},
		{"/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf", "fonts-dejavu-extra"},
	}},
	{famFree, [4]fontFile{
		{"/usr/share/fonts/truetype/freefont/FreeSerif.ttf", "fonts-freefont-ttf"},
		{"/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf", "fonts-freefont-ttf"},
		{"/usr/share/fonts/truetype/freefont/FreeSerifItalic.ttf", "fonts-freefont-ttf"},
		{"/usr/share/fonts/truetype/freefont/FreeSerifBoldItalic.ttf", "fonts-freefont-ttf"},
	}},
	{famNoto, [4]fontFile{
		{"/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf", "fonts-noto-core"},
		{"/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf", "fonts-noto-core"},
		{"/usr/share/fonts/truetype/noto/NotoSerif-Italic.ttf", "fonts-noto-core"},
		{"/usr/share/fonts/truetype/noto/NotoSerif-BoldItalic.ttf", "fonts-noto-core"},
	}},
}

// fontLib holds parsed fonts, loaded once per family. Parsed sfnt.Fonts are
// safe for concurrent use; faces are not, so each page makes its own.
type fontLib struct {
	specs []familySpec
	mu    sync.Mutex
	fonts map[string]*[4]*sfnt.Font
}

func newFontLib() *fontLib {
	return &fontLib{specs: familySpecs, fonts: map[string]*[4]*sfnt.Font{}}
}

// family returns the parsed styles of the named family, loading them on
// first use. A missing file is reported with the package that provides it.
func (lib *fontLib) family(name string) (*[4]*sfnt.Font, error) {
	lib.mu.Lock()
	defer lib.mu.Unlock()
	if f, ok := lib.fonts[name]; ok {
		return f, nil
	}
	var spec *familySpec
	for i := range lib.specs {
		if lib.specs[i].name == name {
			spec = &lib.specs[i]
		}
	}
	if spec == nil {
		return nil, fmt.Errorf("unknown font family %q", name)
	}
	var out [4]*sfnt.Font
	for st, ff := range spec.files {
		b, err := os.ReadFile(ff.path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("font %s is missing (%s): install the Debian package %s (apt-get install %s)", name, ff.path, ff.pkg, ff.pkg)
		}
		if err != nil {
			return nil, fmt.Errorf("read font %s: %w", ff.path, err)
		}
		f, err := opentype.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("parse font %s: %w", ff.path, err)
		}
		out[st] = f
	}
	lib.fonts[name] = &out
	return &out, nil
}

// face is one font style at one size, at the page resolution, with its
// metrics in pixels.
type face struct {
	font.Face
	sf      *sfnt.Font
	buf     sfnt.Buffer
	desc    string  // "Liberation Serif Bold 14pt", for errors
	px      float64 // em size in pixels
	ascent  float64
	descent float64
	height  float64 // the font's recommended line height
}

// faceCache makes faces for one page; it is not safe for concurrent use.
type faceCache struct {
	family string
	fonts  *[4]*sfnt.Font
	dpi    float64
	faces  map[faceKey]*face
}

type faceKey struct {
	st style
	pt float64
}

func newFaceCache(lib *fontLib, family string, dpi float64) (*faceCache, error) {
	fonts, err := lib.family(family)
	if err != nil {
		return nil, err
	}
	return &faceCache{family: family, fonts: fonts, dpi: dpi, faces: map[faceKey]*face{}}, nil
}

var styleNames = [4]string{"Regular", "Bold", "Italic", "Bold Italic"}

func (c *faceCache) get(st style, pt float64) *face {
	k := faceKey{st, pt}
	if f, ok := c.faces[k]; ok {
		return f
	}
	sf := c.fonts[st]
	ff, err := opentype.NewFace(sf, &opentype.FaceOptions{Size: pt, DPI: c.dpi, Hinting: font.HintingNone})
	if err != nil {
		// NewFace only fails on invalid options, which are constants here.
		panic(fmt.Sprintf("new face %s %v %gpt: %v", c.family, st, pt, err))
	}
	m := ff.Metrics()
	f := &face{
		Face:    ff,
		sf:      sf,
		desc:    fmt.Sprintf("%s %s %gpt", c.family, styleNames[st], pt),
		px:      pt * c.dpi / 72,
		ascent:  fx(m.Ascent),
		descent: fx(m.Descent),
		height:  fx(m.Height),
	}
	c.faces[k] = f
	return f
}

func fx(v fixed.Int26_6) float64 { return float64(v) / 64 }

// errNoGlyph reports a character the font cannot draw.
var errNoGlyph = errors.New("no glyph")

// check fails if any character of s has no glyph in the face, rather than
// letting it be drawn as .notdef or silently dropped.
func (f *face) check(s string) error {
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s: control character %U in %q", f.desc, r, s)
		}
		idx, err := f.sf.GlyphIndex(&f.buf, r)
		if err != nil {
			return fmt.Errorf("%s: glyph index of %q: %w", f.desc, r, err)
		}
		if _, ok := f.GlyphAdvance(r); !ok || idx == 0 {
			return fmt.Errorf("%s: %w for %q (%U) in %q", f.desc, errNoGlyph, r, r, s)
		}
	}
	return nil
}

// measure is the advance width of s in pixels, kerning included.
func (f *face) measure(s string) float64 {
	var w fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			w += f.Kern(prev, r)
		}
		a, _ := f.GlyphAdvance(r)
		w += a
		prev = r
	}
	return fx(w)
}

// draw renders s with its baseline origin at (x, y) onto the coverage mask
// ink, compositing coverage with "over".
func (f *face) draw(ink *alphaMask, s string, x, y float64) {
	dot := fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot.X += f.Kern(prev, r)
		}
		dr, mask, mp, adv, ok := f.Glyph(dot, r)
		if ok {
			ink.over(dr, mask, mp)
		}
		dot.X += adv
		prev = r
	}
}
