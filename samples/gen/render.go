package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/ocr"
)

// output is what a job produced, for the manifest.
type output struct {
	File   string // relative to the output root
	Set    string
	Kind   string
	Type   string
	Font   string
	DPI    int
	Width  int
	Height int
}

// meta is the header-metadata ground truth of a page.
type meta struct {
	Issuer   string `json:"issuer"`
	Number   string `json:"number"`
	Date     string `json:"date"`
	Place    string `json:"place"`
	Type     string `json:"type"`
	Subject  string `json:"subject"`
	Secrecy  string `json:"secrecy"`
	Urgency  string `json:"urgency"`
	Kind     string `json:"kind"`
	Document bool   `json:"document"`
}

// metaOf is the metadata of d; issuer holds the header's issuer lines as
// printed (a long name may have been broken onto two lines).
func metaOf(d *doc, issuer []string, kind string) meta {
	if !d.isDocument() {
		return meta{Kind: kind}
	}
	return meta{
		Issuer:   strings.Join(issuer, "\n"),
		Number:   d.Number,
		Date:     d.Date.iso(),
		Place:    d.Place,
		Type:     d.Type,
		Subject:  d.Subject,
		Secrecy:  d.Secrecy,
		Urgency:  d.Urgency,
		Kind:     kind,
		Document: true,
	}
}

// seed derives a fixed random source from the output's name.
func seed(j job) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(j.Set + "/" + j.Name))
	return rand.New(rand.NewPCG(h.Sum64(), 0x736f686f61))
}

// runJob renders one output and writes its image, text and metadata.
func runJob(lib *fontLib, docs map[string]*doc, root string, j job) (output, error) {
	d := docs[j.Doc]
	if d == nil {
		return output{}, fmt.Errorf("%s: unknown document %q", j.Name, j.Doc)
	}
	fc, err := newFaceCache(lib, j.TS.Family, pageDPI)
	if err != nil {
		return output{}, err
	}
	pg, err := layoutPage(fc, j.TS, d)
	if err != nil {
		return output{}, fmt.Errorf("%s/%s (%s): %w", j.Set, j.Name, j.Doc, err)
	}
	var back *alphaMask
	if j.Back != "" {
		bd := docs[j.Back]
		if bd == nil {
			return output{}, fmt.Errorf("%s: unknown back document %q", j.Name, j.Back)
		}
		bp, err := layoutPage(fc, j.TS, bd)
		if err != nil {
			return output{}, fmt.Errorf("%s/%s back (%s): %w", j.Set, j.Name, j.Back, err)
		}
		back = bp.ink
	}
	res, err := degrade(j.Kind, pg.ink, back, seed(j))
	if err != nil {
		return output{}, fmt.Errorf("%s/%s: %w", j.Set, j.Name, err)
	}

	ext := ".png"
	var data []byte
	if res.jpegQ > 0 {
		ext = ".jpg"
		data, err = ocr.EncodeJPEG(res.img, res.dpi, res.jpegQ)
	} else {
		data, err = encodePNG(res.img, res.dpi)
	}
	if err != nil {
		return output{}, fmt.Errorf("%s/%s: %w", j.Set, j.Name, err)
	}
	base := filepath.Join(root, j.Set, j.Name)
	if err := writeFileAtomic(base+ext, data); err != nil {
		return output{}, err
	}
	text := norm.NFC.String(strings.Join(pg.gt, "\n") + "\n")
	if err := writeFileAtomic(base+".txt", []byte(text)); err != nil {
		return output{}, err
	}
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(metaOf(d, pg.issuer, j.Kind)); err != nil {
		return output{}, fmt.Errorf("%s: encode metadata: %w", j.Name, err)
	}
	if err := writeFileAtomic(base+".json", norm.NFC.Bytes(js.Bytes())); err != nil {
		return output{}, err
	}
	b := res.img.Bounds()
	return output{
		File: j.Set + "/" + j.Name + ext, Set: j.Set, Kind: j.Kind, Type: typeSlug(d),
		Font: j.TS.Family, DPI: res.dpi, Width: b.Dx(), Height: b.Dy(),
	}, nil
}

// result is a degraded page ready to encode.
type result struct {
	img   image.Image
	dpi   int
	jpegQ int // 0: PNG
}

// degrade prints the ink on paper and applies one kind of damage.
func degrade(kind string, ink, back *alphaMask, rng *rand.Rand) (result, error) {
	clean := func() *plane { return compose(ink, 255, 12) }
	png := func(p *plane) result { return result{img: toGray(p), dpi: pageDPI} }
	jpg := func(p *plane, q int) result { return result{img: toGray(p), dpi: pageDPI, jpegQ: q} }

	if deg, ok := skewAngle(kind); ok {
		if err := checkRotation(ink, deg); err != nil {
			return result{}, err
		}
		return png(rotate(clean(), float32(deg), 255)), nil
	}
	switch kind {
	case "clean":
		return png(clean()), nil
	case "grey":
		return png(greyPaper(ink, rng, 206, 38)), nil
	case "noise-light":
		p := clean()
		saltPepper(p, rng, 0.0008, 2, 30, 255)
		return png(p), nil
	case "rot90":
		return png(rotateQuarter(clean(), 1)), nil
	case "rot180":
		return png(rotateQuarter(clean(), 2)), nil
	case "rot270":
		return png(rotateQuarter(clean(), 3)), nil
	case "noise":
		p := compose(ink, 248, 20)
		grainNoise(p, rng, 8, 0.8)
		saltPepper(p, rng, 0.004, 2, 20, 255)
		return jpg(p, 85), nil
	case "blur":
		return png(blur(clean(), 2.0)), nil
	case "uneven-light":
		return png(unevenLight(compose(ink, 240, 22), rng)), nil
	case "yellow":
		return result{img: toRGBA(yellowed(compose(ink, 255, 0), rng)), dpi: pageDPI, jpegQ: 85}, nil
	case "stain":
		return result{img: toRGBA(stained(compose(ink, 255, 0), rng)), dpi: pageDPI, jpegQ: 85}, nil
	case "faint":
		return png(blur(compose(ink, 248, 165), 0.6)), nil
	case "bleed-through":
		if back == nil {
			return result{}, fmt.Errorf("bleed-through needs a back page")
		}
		return png(bleedThrough(compose(ink, 247, 15), mirror(blur(compose(back, 255, 0), 1.8)), 0.16)), nil
	case "border":
		return png(onCanvas(compose(ink, 250, 15), 2560, 3620, 52, 71, rng)), nil
	case "lowdpi-150":
		return result{img: toGray(downsample2(clean())), dpi: 150}, nil
	case "jpeg-q25":
		return jpg(clean(), 25), nil
	case "combo":
		if err := checkRotation(ink, 4); err != nil {
			return result{}, err
		}
		p := rotate(greyPaper(ink, rng, 204, 36), 4, 204)
		p = onCanvas(p, 2560, 3620, 38, 64, rng)
		grainNoise(p, rng, 6, 0.8)
		saltPepper(p, rng, 0.002, 2, 25, 250)
		return jpg(p, 85), nil
	}
	return result{}, fmt.Errorf("unknown degradation kind %q", kind)
}

// greyPaper prints on dull grey paper with a faint uneven tone.
func greyPaper(ink *alphaMask, rng *rand.Rand, paper, tone float32) *plane {
	p := compose(ink, 255, 0)
	f := smoothField(p.w, p.h, 700, rng)
	for i, v := range p.p {
		pp := paper + 6*(f.p[i]-0.5)
		t := 1 - v/255
		p.p[i] = pp - (pp-tone)*t
	}
	return p
}

// unevenLight darkens the page towards one corner and the edges, as under
// a desk lamp or a book-fold scanner.
func unevenLight(p *plane, rng *rand.Rand) *plane {
	f := smoothField(p.w, p.h, 900, rng)
	for y := range p.h {
		fy := float64(y) / float64(p.h)
		for x := range p.w {
			fx := float64(x) / float64(p.w)
			t := 0.65*fx + 0.35*fy
			light := 1 - 0.55*math.Pow(t, 1.6)
			dx, dy := fx-0.3, fy-0.3
			light -= 0.12 * (dx*dx + dy*dy)
			light += 0.04 * float64(f.p[y*p.w+x]-0.5)
			p.p[y*p.w+x] *= float32(light)
		}
	}
	return p
}

// yellowed makes aged paper: yellow-brown tone, darker towards the edges,
// mottled, with a few foxing spots; ink faded to brown-black.
func yellowed(g *plane, rng *rand.Rand) rgb {
	c := tint(g, [3]float32{238, 224, 180}, [3]float32{58, 48, 38})
	f := smoothField(g.w, g.h, 300, rng)
	for y := range g.h {
		ey := math.Min(float64(y), float64(g.h-1-y)) / float64(g.h)
		for x := range g.w {
			ex := math.Min(float64(x), float64(g.w-1-x)) / float64(g.w)
			edge := math.Exp(-math.Min(ex, ey) * 30) // 1 at the edge
			i := y*g.w + x
			m := float32(1 - 0.06*(float64(f.p[i])-0.5) - 0.12*edge)
			c[0].p[i] *= m
			c[1].p[i] *= m * float32(1-0.04*edge)
			c[2].p[i] *= m * float32(1-0.15*edge)
		}
	}
	for range 9 {
		cx, cy := rng.Float64()*float64(g.w), rng.Float64()*float64(g.h)
		r := 6 + rng.Float64()*18
		stain(c, cx, cy, r, r*0.6, [3]float32{150, 105, 60}, 0.5, rng)
	}
	for k := range 3 {
		gaussianNoise(c[k], rng, 2)
	}
	return c
}

// stained puts coffee rings and a blotch on white paper.
func stained(g *plane, rng *rand.Rand) rgb {
	c := tint(g, [3]float32{248, 246, 240}, [3]float32{24, 24, 28})
	coffee := [3]float32{160, 105, 55}
	stain(c, 1850, 1150, 330, 14, coffee, 0.55, rng)
	stain(c, 1700, 1320, 300, 10, coffee, 0.35, rng)
	stain(c, 620, 2900, 210, 60, [3]float32{175, 130, 80}, 0.45, rng)
	stain(c, 1200, 2250, 90, 45, [3]float32{140, 95, 50}, 0.5, rng)
	return c
}

// bleedThrough shows the back page through the sheet: where the back has
// ink, the front darkens by up to strength.
func bleedThrough(front, back *plane, strength float32) *plane {
	for i := range front.p {
		front.p[i] *= 1 - strength*(1-back.p[i]/255)
	}
	return front
}

// checkRotation fails if turning the page by deg would push ink off the
// sheet (the ground truth would then promise text that is not there).
func checkRotation(ink *alphaMask, deg float64) error {
	b := ink.Rect
	box := image.Rectangle{Min: b.Max, Max: b.Min}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := ink.Pix[(y-b.Min.Y)*ink.Stride:][:b.Dx()]
		for x, a := range row {
			if a != 0 {
				box.Min.X, box.Min.Y = min(box.Min.X, x), min(box.Min.Y, y)
				box.Max.X, box.Max.Y = max(box.Max.X, x+1), max(box.Max.Y, y+1)
			}
		}
	}
	th := deg * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	cx, cy := float64(b.Dx()-1)/2, float64(b.Dy()-1)/2
	for _, p := range []image.Point{box.Min, {box.Max.X, box.Min.Y}, {box.Min.X, box.Max.Y}, box.Max} {
		dx, dy := float64(p.X)-cx, float64(p.Y)-cy
		x, y := c*dx+s*dy+cx, -s*dx+c*dy+cy
		if x < 0 || y < 0 || x > float64(b.Dx()) || y > float64(b.Dy()) {
			return fmt.Errorf("rotating by %g° pushes ink corner %v off the page", deg, p)
		}
	}
	return nil
}
