package main

import (
	"image"
	"math"
	"math/rand/v2"
)

// plane is one channel of a page in float, 0 (black) to 255 (white).
type plane struct {
	w, h int
	p    []float32
}

func newPlane(w, h int, v float32) *plane {
	pl := &plane{w, h, make([]float32, w*h)}
	for i := range pl.p {
		pl.p[i] = v
	}
	return pl
}

// compose prints ink on paper: paper where there is no ink, tone where the
// coverage is full. strength scales the coverage (for faint print).
func compose(ink *alphaMask, paper, tone float32) *plane {
	b := ink.Rect
	pl := newPlane(b.Dx(), b.Dy(), paper)
	for i, a := range ink.Pix {
		if a != 0 {
			pl.p[i] = paper - (paper-tone)*float32(a)/255
		}
	}
	return pl
}

// at samples with clamping to the edges.
func (pl *plane) at(x, y int) float32 {
	x = min(max(x, 0), pl.w-1)
	y = min(max(y, 0), pl.h-1)
	return pl.p[y*pl.w+x]
}

// rotate turns the content by deg degrees counter-clockwise as seen, about
// the centre, keeping the size; uncovered corners get fill. Bilinear.
func rotate(src *plane, deg, fill float32) *plane {
	dst := newPlane(src.w, src.h, fill)
	th := float64(deg) * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	cx, cy := float64(src.w-1)/2, float64(src.h-1)/2
	for y := range dst.h {
		dy := float64(y) - cy
		for x := range dst.w {
			dx := float64(x) - cx
			sx := c*dx - s*dy + cx
			sy := s*dx + c*dy + cy
			dst.p[y*dst.w+x] = bilinear(src, sx, sy, fill)
		}
	}
	return dst
}

// bilinear samples src at (x, y); outside the image it blends with fill.
func bilinear(src *plane, x, y float64, fill float32) float32 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	ix, iy := int(x0), int(y0)
	get := func(x, y int) float32 {
		if x < 0 || y < 0 || x >= src.w || y >= src.h {
			return fill
		}
		return src.p[y*src.w+x]
	}
	a := get(ix, iy)*(1-fx) + get(ix+1, iy)*fx
	b := get(ix, iy+1)*(1-fx) + get(ix+1, iy+1)*fx
	return a*(1-fy) + b*fy
}

// rotateQuarter turns the image by k quarter turns clockwise as seen; for
// odd k the dimensions swap.
func rotateQuarter(src *plane, k int) *plane {
	k = ((k % 4) + 4) % 4
	w, h := src.w, src.h
	if k%2 == 1 {
		w, h = h, w
	}
	dst := newPlane(w, h, 0)
	for y := range src.h {
		for x := range src.w {
			var nx, ny int
			switch k {
			case 0:
				nx, ny = x, y
			case 1:
				nx, ny = src.h-1-y, x
			case 2:
				nx, ny = src.w-1-x, src.h-1-y
			case 3:
				nx, ny = y, src.w-1-x
			}
			dst.p[ny*w+nx] = src.p[y*src.w+x]
		}
	}
	return dst
}

// blur is a separable Gaussian blur.
func blur(src *plane, sigma float64) *plane {
	r := int(math.Ceil(sigma * 3))
	k := make([]float32, 2*r+1)
	sum := float32(0)
	for i := -r; i <= r; i++ {
		v := float32(math.Exp(-float64(i*i) / (2 * sigma * sigma)))
		k[i+r] = v
		sum += v
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := newPlane(src.w, src.h, 0)
	for y := range src.h {
		for x := range src.w {
			var acc float32
			for i := -r; i <= r; i++ {
				acc += k[i+r] * src.at(x+i, y)
			}
			tmp.p[y*src.w+x] = acc
		}
	}
	dst := newPlane(src.w, src.h, 0)
	for y := range src.h {
		for x := range src.w {
			var acc float32
			for i := -r; i <= r; i++ {
				acc += k[i+r] * tmp.at(x, y+i)
			}
			dst.p[y*src.w+x] = acc
		}
	}
	return dst
}

// downsample2 halves both dimensions by averaging 2×2 blocks, as a scan at
// half the resolution would.
func downsample2(src *plane) *plane {
	w, h := src.w/2, src.h/2
	dst := newPlane(w, h, 0)
	for y := range h {
		for x := range w {
			i := 2*y*src.w + 2*x
			dst.p[y*w+x] = (src.p[i] + src.p[i+1] + src.p[i+src.w] + src.p[i+src.w+1]) / 4
		}
	}
	return dst
}

// gaussianNoise adds zero-mean noise of the given deviation to every pixel.
func gaussianNoise(pl *plane, rng *rand.Rand, sigma float64) {
	for i := range pl.p {
		pl.p[i] += float32(rng.NormFloat64() * sigma)
	}
}

// grainNoise adds zero-mean noise of the given deviation whose grain is
// about corr pixels across, as a scanner's sensor and paper texture give
// (white pixel-level noise is neither realistic nor kind to JPEG).
func grainNoise(pl *plane, rng *rand.Rand, sigma, corr float64) {
	n := newPlane(pl.w, pl.h, 0)
	gaussianNoise(n, rng, 1)
	n = blur(n, corr)
	// Blurring unit white noise with a Gaussian of deviation corr leaves a
	// deviation of 1/(2·sqrt(pi)·corr); rescale to sigma.
	k := float32(sigma * 2 * math.Sqrt(math.Pi) * corr)
	for i, v := range n.p {
		pl.p[i] += k * v
	}
}

// saltPepper sets a share density of pixels to black or white specks of
// 1–size pixels across.
func saltPepper(pl *plane, rng *rand.Rand, density float64, size int, dark, light float32) {
	n := int(density * float64(pl.w*pl.h) / float64(size*size))
	for range n {
		x, y := rng.IntN(pl.w), rng.IntN(pl.h)
		v := light
		if rng.IntN(2) == 0 {
			v = dark
		}
		s := 1 + rng.IntN(size)
		for dy := range s {
			for dx := range s {
				if x+dx < pl.w && y+dy < pl.h {
					pl.p[(y+dy)*pl.w+x+dx] = v
				}
			}
		}
	}
}

// smoothField is low-frequency value noise in [0, 1]: random values on a
// grid of the given cell size, interpolated with smoothstep.
func smoothField(w, h, cell int, rng *rand.Rand) *plane {
	gw, gh := w/cell+2, h/cell+2
	g := make([]float32, gw*gh)
	for i := range g {
		g[i] = rng.Float32()
	}
	pl := newPlane(w, h, 0)
	smooth := func(t float32) float32 { return t * t * (3 - 2*t) }
	for y := range h {
		gy := y / cell
		ty := smooth(float32(y%cell) / float32(cell))
		for x := range w {
			gx := x / cell
			tx := smooth(float32(x%cell) / float32(cell))
			a := g[gy*gw+gx]*(1-tx) + g[gy*gw+gx+1]*tx
			b := g[(gy+1)*gw+gx]*(1-tx) + g[(gy+1)*gw+gx+1]*tx
			pl.p[y*w+x] = a*(1-ty) + b*ty
		}
	}
	return pl
}

// mirror flips the image left to right (the back of a sheet seen through
// it).
func mirror(src *plane) *plane {
	dst := newPlane(src.w, src.h, 0)
	for y := range src.h {
		for x := range src.w {
			dst.p[y*src.w+x] = src.p[y*src.w+src.w-1-x]
		}
	}
	return dst
}

// onCanvas places src at (ox, oy) on a w×h scanner-lid background that is
// dark and uneven, with a soft shadow along the sheet's edges.
func onCanvas(src *plane, w, h, ox, oy int, rng *rand.Rand) *plane {
	field := smoothField(w, h, 400, rng)
	dst := newPlane(w, h, 0)
	for y := range h {
		for x := range w {
			v := 22 + 30*field.p[y*w+x]
			sx, sy := x-ox, y-oy
			if sx >= 0 && sy >= 0 && sx < src.w && sy < src.h {
				v = src.p[sy*src.w+sx]
				// Shade the sheet near its edges, where it lifts off the glass.
				d := min(sx, sy, src.w-1-sx, src.h-1-sy)
				if d < 14 {
					v *= 0.72 + 0.28*float32(d)/14
				}
			}
			dst.p[y*w+x] = v
		}
	}
	return dst
}

// rgb is a colour page as three planes.
type rgb [3]*plane

// tint makes a colour page from a grey one: paper colour where the grey is
// white, ink colour where it is black, mixing in between.
func tint(g *plane, paper, ink [3]float32) rgb {
	var out rgb
	for c := range 3 {
		out[c] = newPlane(g.w, g.h, 0)
	}
	for i, v := range g.p {
		t := 1 - v/255
		for c := range 3 {
			out[c].p[i] = paper[c]*(1-t) + ink[c]*t
		}
	}
	return out
}

// stain darkens the page with a coffee ring: a darker rim of radius r and
// width rim at (cx, cy), lightly tinted inside, with an irregular edge.
func stain(img rgb, cx, cy, r, rim float64, col [3]float32, strength float32, rng *rand.Rand) {
	w, h := img[0].w, img[0].h
	// Radius wobble as a sum of a few sinusoids of the angle.
	var amp, phase [4]float64
	for i := range amp {
		amp[i] = r * 0.05 * rng.Float64() / float64(i+1)
		phase[i] = rng.Float64() * 2 * math.Pi
	}
	reach := r*1.3 + rim*3
	for y := max(0, int(cy-reach)); y < min(h, int(cy+reach)); y++ {
		for x := max(0, int(cx-reach)); x < min(w, int(cx+reach)); x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			d := math.Hypot(dx, dy)
			a := math.Atan2(dy, dx)
			rr := r
			for i := range amp {
				rr += amp[i] * math.Sin(float64(i+2)*a+phase[i])
			}
			var k float64
			e := (d - rr) / rim
			k = math.Exp(-e * e)
			if d < rr {
				k = max(k, 0.22)
			}
			k *= float64(strength)
			if k < 0.003 {
				continue
			}
			i := y*w + x
			for c := range 3 {
				img[c].p[i] *= 1 - float32(k)*(1-col[c]/255)
			}
		}
	}
}

// toGray converts a plane to an 8-bit image, clamping and rounding.
func toGray(pl *plane) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, pl.w, pl.h))
	for i, v := range pl.p {
		img.Pix[i] = clamp8(v)
	}
	return img
}

// toRGBA converts colour planes to an opaque 8-bit image.
func toRGBA(c rgb) *image.RGBA {
	w, h := c[0].w, c[0].h
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range c[0].p {
		img.Pix[4*i] = clamp8(c[0].p[i])
		img.Pix[4*i+1] = clamp8(c[1].p[i])
		img.Pix[4*i+2] = clamp8(c[2].p[i])
		img.Pix[4*i+3] = 255
	}
	return img
}

func clamp8(v float32) uint8 {
	return uint8(min(max(math.Round(float64(v)), 0), 255))
}
