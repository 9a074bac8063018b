package mixed

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// rgb is an 8-bit RGB raster, the working form of a page while it is
// damaged.
type rgb struct {
	W, H int
	Pix  []uint8 // R, G, B per pixel, row by row
}

func newRGB(w, h int) *rgb { return &rgb{W: w, H: h, Pix: make([]uint8, 3*w*h)} }

func clamp8(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// Damage is one kind of damage applied to a page, with its strength.
type Damage struct {
	Name  string  `json:"name"`
	Value float64 `json:"value,omitempty"`
}

func (d Damage) String() string {
	if d.Value == 0 {
		return d.Name
	}
	return fmt.Sprintf("%s %.3g", d.Name, d.Value)
}

// Damage names.
const (
	DamageRotate   = "rotate"   // quarter turn, degrees clockwise
	DamageSkew     = "skew"     // degrees, positive is counter-clockwise
	DamageBlur     = "blur"     // Gaussian sigma in px at 300 dpi
	DamageNoise    = "noise"    // Gaussian noise sigma in grey levels
	DamageSpeckle  = "speckle"  // salt-and-pepper: share of the pixels
	DamageStain    = "stain"    // number of coffee rings and blotches
	DamageDim      = "dim"      // grey paper: its grey level
	DamageFaint    = "faint"    // ink strength, 0..1
	DamageYellowed = "yellowed" // aged paper (colour)
	DamageBleed    = "bleed"    // bleed-through opacity, 0..1
	DamageJPEG     = "jpeg"     // JPEG artefacts: quality
	DamageUneven   = "uneven"   // uneven light: darkening at the far corner, 0..1
	DamageStamp    = "stamp"    // red seal over the signature (colour)
	DamageBlob     = "blob"     // a stamp-like blob on a blank page
	DamageHoles    = "holes"    // punch-hole shadows
	DamageBorder   = "border"   // dark scanner border around the sheet, in mm
)

// damagePlan is what will be done to a page, drawn before rendering.
type damagePlan struct {
	list     []Damage
	rotate   int
	skew     float64
	blur     float64
	noise    float64
	speckle  float64
	stains   int
	paper    float64 // grey level of the paper (255 white)
	ink      float64 // ink strength 0..1
	yellowed bool
	bleed    float64
	jpegQ    int
	uneven   float64
	stamp    bool
	blob     bool
	holes    bool
	border   float64
}

func (d *damagePlan) add(name string, v float64) { d.list = append(d.list, Damage{name, v}) }

func (d *damagePlan) colour() bool { return d.yellowed || d.stamp || (d.stains > 0 && d.yellowed) }

// drawDamage draws a page's damage: a few kinds, each with probability
// and strength drawn at random; some pages get none.
func drawDamage(r *rand.Rand, kind Kind, clean bool) *damagePlan {
	d := &damagePlan{paper: 255, ink: 1}
	if kind == KindBlank {
		switch r.IntN(3) {
		case 1:
			d.blob = true
			d.add(DamageBlob, 0)
		case 2:
			d.holes = true
			d.add(DamageHoles, 0)
		}
	}
	if kind == KindAdmin && chance(r, 0.4) {
		d.stamp = true
		d.add(DamageStamp, 0)
	}
	if clean {
		return d
	}
	if chance(r, 0.12) { // an undamaged scan
		return d
	}
	for len(d.list) == 0 || (d.stamp || d.blob || d.holes) && len(d.list) == 1 {
		if chance(r, 0.22) {
			d.rotate = pick(r, []int{90, 180, 270})
			d.add(DamageRotate, float64(d.rotate))
		}
		if chance(r, 0.4) {
			var a float64
			switch x := r.Float64(); {
			case x < 0.6:
				a = uniform(r, 0.3, 3)
			case x < 0.9:
				a = uniform(r, 3, 8)
			default:
				a = uniform(r, 8, 12)
			}
			if chance(r, 0.5) {
				a = -a
			}
			d.skew = math.Round(a*10) / 10
			d.add(DamageSkew, d.skew)
		}
		if chance(r, 0.22) {
			d.blur = math.Round(uniform(r, 0.6, 1.8)*10) / 10
			d.add(DamageBlur, d.blur)
		}
		if chance(r, 0.25) {
			d.noise = float64(between(r, 6, 28))
			d.add(DamageNoise, d.noise)
		}
		if chance(r, 0.15) {
			d.speckle = math.Round(uniform(r, 0.001, 0.008)*1e4) / 1e4
			d.add(DamageSpeckle, d.speckle)
		}
		if chance(r, 0.15) {
			d.stains = between(r, 1, 3)
			d.add(DamageStain, float64(d.stains))
		}
		if chance(r, 0.18) {
			d.paper = float64(between(r, 160, 215))
			d.add(DamageDim, d.paper)
		}
		if chance(r, 0.18) {
			d.ink = math.Round(uniform(r, 0.4, 0.65)*100) / 100
			d.add(DamageFaint, d.ink)
		}
		if chance(r, 0.15) {
			d.yellowed = true
			d.add(DamageYellowed, 0)
		}
		if chance(r, 0.15) {
			d.bleed = math.Round(uniform(r, 0.08, 0.28)*100) / 100
			d.add(DamageBleed, d.bleed)
		}
		if chance(r, 0.15) {
			d.jpegQ = between(r, 15, 45)
			d.add(DamageJPEG, float64(d.jpegQ))
		}
		if chance(r, 0.1) {
			d.uneven = math.Round(uniform(r, 0.2, 0.5)*100) / 100
			d.add(DamageUneven, d.uneven)
		}
		if chance(r, 0.08) {
			d.border = float64(between(r, 3, 12))
			d.add(DamageBorder, d.border)
		}
	}
	// Keep the page readable by a person: dim paper and faint ink
	// together leave at least 70 grey levels between ink and paper.
	if contrast := d.paper * d.ink; contrast < 70 {
		d.ink = math.Min(1, 70/d.paper)
		for i := range d.list {
			if d.list[i].Name == DamageFaint {
				d.list[i].Value = math.Round(d.ink*100) / 100
			}
		}
	}
	return d
}

// apply prints the ink raster (255 paper, 0 ink) on paper, damages it and
// scans it. back is the ink of another page for bleed-through (same size
// or nil); stampAt is the centre of the seal in px.
func (d *damagePlan) apply(r *rand.Rand, ink *image.Gray, back *image.Gray, stampAt image.Point, dpi int) image.Image {
	w, h := ink.Rect.Dx(), ink.Rect.Dy()
	px := float64(dpi) / 300 // scale of lengths given at 300 dpi
	// Paper colour, ink colour.
	pr, pg, pb := d.paper, d.paper, d.paper
	ir, ig, ib := 20.0, 20.0, 25.0
	if d.paper == 255 {
		v := uniform(r, 243, 255)
		pr, pg, pb = v, v, v
	}
	if d.yellowed {
		k := d.paper / 255
		pr, pg, pb = uniform(r, 230, 245)*k, uniform(r, 212, 228)*k, uniform(r, 160, 190)*k
		ir, ig, ib = 60, 42, 30
	}
	out := newRGB(w, h)
	cx, cy := float64(w)*uniform(r, 0, 1), float64(h)*uniform(r, 0, 1)
	diag := math.Hypot(float64(w), float64(h))
	// Foxing spots on yellowed paper.
	type spot struct{ x, y, rad float64 }
	var foxing []spot
	if d.yellowed {
		for range between(r, 5, 25) {
			foxing = append(foxing, spot{uniform(r, 0, float64(w)), uniform(r, 0, float64(h)), uniform(r, 3, 14) * px})
		}
	}
	for y := range h {
		for x := range w {
			// Paper at this point: edges of aged paper are darker;
			// uneven light darkens towards a corner.
			k := 1.0
			if d.yellowed {
				e := math.Min(math.Min(float64(x), float64(w-x)), math.Min(float64(y), float64(h-y))) / (40 * px)
				if e < 1 {
					k *= 0.85 + 0.15*e
				}
			}
			if d.uneven > 0 {
				k *= 1 - d.uneven*math.Hypot(float64(x)-cx, float64(y)-cy)/diag
			}
			R, G, B := pr*k, pg*k, pb*k
			if back != nil {
				// The other side shows through, mirrored left-right.
				a := d.bleed * (1 - float64(back.Pix[y*back.Stride+(w-1-x)])/255)
				R, G, B = R*(1-0.6*a), G*(1-0.6*a), B*(1-0.55*a)
			}
			a := d.ink * (1 - float64(ink.Pix[y*ink.Stride+x])/255)
			i := 3 * (y*w + x)
			out.Pix[i] = clamp8(R*(1-a) + ir*a)
			out.Pix[i+1] = clamp8(G*(1-a) + ig*a)
			out.Pix[i+2] = clamp8(B*(1-a) + ib*a)
		}
	}
	for _, s := range foxing {
		out.multiplyDisc(s.x, s.y, s.rad, s.rad, 0.82, 0.72, 0.6, 0.5)
	}
	for range d.stains {
		sx, sy := uniform(r, 0.1, 0.9)*float64(w), uniform(r, 0.1, 0.9)*float64(h)
		rad := uniform(r, 60, 260) * px
		if chance(r, 0.6) {
			out.ring(sx, sy, rad, uniform(r, 6, 20)*px, 0.72, 0.6, 0.45)
		} else {
			out.multiplyDisc(sx, sy, rad, rad*uniform(r, 0.5, 1), 0.86, 0.78, 0.65, 0.35)
		}
	}
	if d.stamp {
		out.seal(r, float64(stampAt.X), float64(stampAt.Y), uniform(r, 75, 95)*px)
	}
	if d.blob {
		out.multiplyDisc(uniform(r, 0.2, 0.8)*float64(w), uniform(r, 0.2, 0.8)*float64(h), uniform(r, 60, 160)*px, uniform(r, 40, 120)*px, 0.75, 0.35, 0.4, 0.25)
	}
	if d.holes {
		x := uniform(r, 8, 14) * float64(dpi) / 25.4
		if chance(r, 0.5) {
			x = float64(w) - x
		}
		for _, yy := range []float64{0.5 - 40/297.0, 0.5 + 40/297.0} {
			out.multiplyDisc(x, yy*float64(h), 3*float64(dpi)/25.4, 3*float64(dpi)/25.4, 0.35, 0.35, 0.35, 0.15)
		}
	}
	// Scanning.
	if d.border > 0 {
		out = out.bordered(r, int(d.border*float64(dpi)/25.4))
	}
	if d.skew != 0 {
		out = out.rotate(d.skew, [3]uint8{uint8(pr), uint8(pg), uint8(pb)})
	}
	if d.blur > 0 {
		out.blur(d.blur * px)
	}
	if d.noise > 0 || d.speckle > 0 {
		out.noise(r, d.noise, d.speckle, px)
	}
	switch d.rotate {
	case 90, 180, 270:
		out = out.quarter(d.rotate)
	}
	var img image.Image = out.image(d.colour())
	if d.jpegQ > 0 {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: d.jpegQ}); err == nil {
			if j, err := jpeg.Decode(&buf); err == nil {
				img = j
			}
		}
	}
	return img
}

// image converts to *image.Gray (luma) or *image.RGBA.
func (m *rgb) image(colour bool) image.Image {
	if !colour {
		g := image.NewGray(image.Rect(0, 0, m.W, m.H))
		for i := range m.W * m.H {
			p := m.Pix[3*i:]
			g.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
		}
		return g
	}
	c := image.NewRGBA(image.Rect(0, 0, m.W, m.H))
	for i := range m.W * m.H {
		copy(c.Pix[4*i:4*i+3], m.Pix[3*i:3*i+3])
		c.Pix[4*i+3] = 255
	}
	return c
}

// multiplyDisc darkens an ellipse by the factors (1 at the rim, full at
// the centre over soft of the radius).
func (m *rgb) multiplyDisc(cx, cy, rx, ry, fr, fg, fb, soft float64) {
	x0, x1 := max(0, int(cx-rx)), min(m.W-1, int(cx+rx))
	y0, y1 := max(0, int(cy-ry)), min(m.H-1, int(cy+ry))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			dd := math.Sqrt(dx*dx + dy*dy)
			if dd >= 1 {
				continue
			}
			t := 1.0
			if soft > 0 && dd > 1-soft {
				t = (1 - dd) / soft
			}
			i := 3 * (y*m.W + x)
			m.Pix[i] = clamp8(float64(m.Pix[i]) * (1 - t*(1-fr)))
			m.Pix[i+1] = clamp8(float64(m.Pix[i+1]) * (1 - t*(1-fg)))
			m.Pix[i+2] = clamp8(float64(m.Pix[i+2]) * (1 - t*(1-fb)))
		}
	}
}

// ring draws a coffee ring: a darker band of the given width, and a faint
// tint inside.
func (m *rgb) ring(cx, cy, rad, width, fr, fg, fb float64) {
	x0, x1 := max(0, int(cx-rad-width)), min(m.W-1, int(cx+rad+width))
	y0, y1 := max(0, int(cy-rad-width)), min(m.H-1, int(cy+rad+width))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			var t float64
			switch {
			case math.Abs(d-rad) < width:
				t = 1 - math.Abs(d-rad)/width
				t = t * t * (0.7 + 0.3*math.Sin(float64(x+y)/(width*3)))
			case d < rad:
				t = 0.18
			default:
				continue
			}
			i := 3 * (y*m.W + x)
			m.Pix[i] = clamp8(float64(m.Pix[i]) * (1 - t*(1-fr)))
			m.Pix[i+1] = clamp8(float64(m.Pix[i+1]) * (1 - t*(1-fg)))
			m.Pix[i+2] = clamp8(float64(m.Pix[i+2]) * (1 - t*(1-fb)))
		}
	}
}

// seal draws a round red seal without lettering: two rings and a star,
// multiplied over the page as stamp ink is.
func (m *rgb) seal(r *rand.Rand, cx, cy, rad float64) {
	ink := uniform(r, 0.55, 0.85)
	star := func(x, y float64) bool {
		// A five-pointed star of radius rad/3 in polar form.
		a := math.Atan2(y, x) + math.Pi/2
		d := math.Hypot(x, y) / (rad / 3)
		k := math.Mod(a+2*math.Pi, 2*math.Pi/5) / (2 * math.Pi / 5)
		edge := 0.45 + 0.55*math.Abs(2*k-1)
		return d < edge
	}
	x0, x1 := max(0, int(cx-rad)), min(m.W-1, int(cx+rad))
	y0, y1 := max(0, int(cy-rad)), min(m.H-1, int(cy+rad))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			d := math.Hypot(dx, dy) / rad
			on := (d > 0.92 && d < 1) || (d > 0.7 && d < 0.74) || star(dx, dy)
			if !on || r.Float64() < 0.15 { // stamp ink is patchy
				continue
			}
			i := 3 * (y*m.W + x)
			m.Pix[i] = clamp8(float64(m.Pix[i]) * (1 - ink*0.15))
			m.Pix[i+1] = clamp8(float64(m.Pix[i+1]) * (1 - ink*0.85))
			m.Pix[i+2] = clamp8(float64(m.Pix[i+2]) * (1 - ink*0.8))
		}
	}
}

// bordered puts the sheet on a dark scanner lid, offset a little.
func (m *rgb) bordered(r *rand.Rand, b int) *rgb {
	w, h := m.W+2*b, m.H+2*b
	out := newRGB(w, h)
	ox, oy := b+between(r, -b/2, b/2), b+between(r, -b/2, b/2)
	for y := range h {
		for x := range w {
			i := 3 * (y*w + x)
			sx, sy := x-ox, y-oy
			if sx >= 0 && sy >= 0 && sx < m.W && sy < m.H {
				copy(out.Pix[i:i+3], m.Pix[3*(sy*m.W+sx):])
				continue
			}
			v := uint8(35 + (x*7+y*13)%20)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2] = v, v, v
		}
	}
	return out
}

// rotate turns the page by deg (counter-clockwise positive) about its
// centre, bilinear, on a canvas large enough to hold all of it.
func (m *rgb) rotate(deg float64, fill [3]uint8) *rgb {
	a := deg * math.Pi / 180
	sin, cos := math.Sin(a), math.Cos(a)
	w := int(math.Ceil(math.Abs(float64(m.W)*cos) + math.Abs(float64(m.H)*sin)))
	h := int(math.Ceil(math.Abs(float64(m.W)*sin) + math.Abs(float64(m.H)*cos)))
	out := newRGB(w, h)
	scx, scy := float64(m.W)/2, float64(m.H)/2
	dcx, dcy := float64(w)/2, float64(h)/2
	for y := range h {
		for x := range w {
			// Inverse map: image y grows downwards, so a counter-clockwise
			// turn on paper is clockwise in these coordinates.
			dx, dy := float64(x)+0.5-dcx, float64(y)+0.5-dcy
			sx := cos*dx - sin*dy + scx - 0.5
			sy := sin*dx + cos*dy + scy - 0.5
			i := 3 * (y*w + x)
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			if x0 < -1 || y0 < -1 || x0 >= m.W || y0 >= m.H {
				out.Pix[i], out.Pix[i+1], out.Pix[i+2] = fill[0], fill[1], fill[2]
				continue
			}
			fx, fy := sx-float64(x0), sy-float64(y0)
			for c := range 3 {
				get := func(x, y int) float64 {
					if x < 0 || y < 0 || x >= m.W || y >= m.H {
						return float64(fill[c])
					}
					return float64(m.Pix[3*(y*m.W+x)+c])
				}
				v := get(x0, y0)*(1-fx)*(1-fy) + get(x0+1, y0)*fx*(1-fy) + get(x0, y0+1)*(1-fx)*fy + get(x0+1, y0+1)*fx*fy
				out.Pix[i+c] = clamp8(v)
			}
		}
	}
	return out
}

// quarter turns the page clockwise by 90, 180 or 270 degrees.
func (m *rgb) quarter(deg int) *rgb {
	w, h := m.W, m.H
	if deg != 180 {
		w, h = m.H, m.W
	}
	out := newRGB(w, h)
	for y := range m.H {
		for x := range m.W {
			var nx, ny int
			switch deg {
			case 90:
				nx, ny = m.H-1-y, x
			case 180:
				nx, ny = m.W-1-x, m.H-1-y
			default:
				nx, ny = y, m.W-1-x
			}
			copy(out.Pix[3*(ny*w+nx):3*(ny*w+nx)+3], m.Pix[3*(y*m.W+x):])
		}
	}
	return out
}

// blur is a separable Gaussian blur.
func (m *rgb) blur(sigma float64) {
	rad := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*rad+1)
	var sum float64
	for i := range k {
		x := float64(i - rad)
		k[i] = math.Exp(-x * x / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]uint8, len(m.Pix))
	pass := func(src, dst []uint8, n, stride, lines, lineStride int) {
		for l := range lines {
			base := l * lineStride
			for i := range n {
				for c := range 3 {
					var v float64
					for j := -rad; j <= rad; j++ {
						p := min(max(i+j, 0), n-1)
						v += k[j+rad] * float64(src[base+p*stride+c])
					}
					dst[base+i*stride+c] = clamp8(v)
				}
			}
		}
	}
	pass(m.Pix, tmp, m.W, 3, m.H, 3*m.W)
	pass(tmp, m.Pix, m.H, 3*m.W, m.W, 3)
}

// noise adds grey Gaussian noise of sigma levels and salt-and-pepper
// specks on a share of the pixels.
func (m *rgb) noise(r *rand.Rand, sigma, speckle, px float64) {
	if sigma > 0 {
		for i := 0; i < len(m.Pix); i += 3 {
			n := r.NormFloat64() * sigma
			m.Pix[i] = clamp8(float64(m.Pix[i]) + n)
			m.Pix[i+1] = clamp8(float64(m.Pix[i+1]) + n)
			m.Pix[i+2] = clamp8(float64(m.Pix[i+2]) + n)
		}
	}
	if speckle > 0 {
		n := int(speckle * float64(m.W*m.H) / (px * px) / 4)
		size := max(1, int(math.Round(1.5*px)))
		for range n {
			x, y := r.IntN(m.W), r.IntN(m.H)
			v := uint8(0)
			if chance(r, 0.5) {
				v = 255
			}
			for yy := y; yy < min(y+size, m.H); yy++ {
				for xx := x; xx < min(x+size, m.W); xx++ {
					i := 3 * (yy*m.W + xx)
					m.Pix[i], m.Pix[i+1], m.Pix[i+2] = v, v, v
				}
			}
		}
	}
}

// toGray converts any image to grey, as a compact image at the origin
// (the JPEG decoder's may have a wider stride).
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		if m.Rect.Min == (image.Point{}) && m.Stride == b.Dx() && len(m.Pix) == b.Dx()*b.Dy() {
			return m
		}
		g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := range b.Dy() {
			copy(g.Pix[y*g.Stride:(y+1)*g.Stride], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return g
	case *image.RGBA:
		g := image.NewGray(b)
		for i := range g.Pix {
			p := m.Pix[4*i:]
			g.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
		}
		return g
	case *image.YCbCr:
		g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := b.Min.Y; y < b.Max.Y; y++ {
			copy(g.Pix[(y-b.Min.Y)*g.Stride:], m.Y[m.YOffset(b.Min.X, y):m.YOffset(b.Min.X, y)+b.Dx()])
		}
		return g
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.SetGray(x-b.Min.X, y-b.Min.Y, color.GrayModel.Convert(img.At(x, y)).(color.Gray))
		}
	}
	return g
}
