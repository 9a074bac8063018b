package cleanup

import (
	"context"
	"image"
	"image/color"
	"testing"
)

// Color cuts and turns the colour original exactly as Image: a red seal
// stays red and lands where its grey twin lands, through a quarter turn,
// a skew and a crop.
func TestColorFollowsTheGeometry(t *testing.T) {
	t.Parallel()
	page := textPage(t, 150, 12, 25) // an A4 page at 150 dpi (1240x1753), text in black
	rgba := image.NewRGBA(page.Bounds())
	for i, v := range page.Pix {
		rgba.Pix[4*i], rgba.Pix[4*i+1], rgba.Pix[4*i+2], rgba.Pix[4*i+3] = v, v, v, 255
	}
	// A red seal below the text, and yellowed paper.
	for y := 1400; y < 1560; y++ {
		for x := 800; x < 960; x++ {
			rgba.Set(x, y, color.RGBA{200, 20, 30, 255})
		}
	}
	for _, turned := range []struct {
		name string
		img  image.Image
	}{{"Upright", rgba}, {"Sideways", rotate90(rgba)}, {"Skewed", rotateRGBA(rgba, 3)}} {
		t.Run(turned.name, func(t *testing.T) {
			t.Parallel()
			res, err := Clean(context.Background(), turned.img, 150, Options{})
			if err != nil {
				t.Fatal(err)
			}
			col := res.Color(turned.img)
			if col.Bounds() != res.Image.Bounds() {
				t.Fatalf("colour image %v, grey image %v: not the same geometry", col.Bounds(), res.Image.Bounds())
			}
			// Where the grey image is darkest-red-turned-grey, the colour one is red.
			reds, agree := 0, 0
			for y := 0; y < col.Rect.Dy(); y += 3 {
				for x := 0; x < col.Rect.Dx(); x += 3 {
					c := col.RGBAAt(x, y)
					if c.R > 150 && c.G < 80 && c.B < 80 {
						reds++
						if g := res.Image.GrayAt(x, y).Y; g < 160 {
							agree++
						}
					}
				}
			}
			if reds < 1500 {
				t.Errorf("%d red samples: the seal lost its colour or its place", reds)
			}
			if agree*10 < reds*9 {
				t.Errorf("only %d of %d red samples fall on the seal in the grey image", agree, reds)
			}
		})
	}
}

// rotate90 turns an RGBA image a quarter turn clockwise.
func rotate90(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			dst.SetRGBA(b.Dy()-1-y, x, src.RGBAAt(x, y))
		}
	}
	return dst
}

// rotateRGBA turns an RGBA image by deg degrees, channel by channel with
// the package's own warp, on white.
func rotateRGBA(src *image.RGBA, deg float64) *image.RGBA {
	b := src.Bounds()
	cx, cy := float64(b.Dx()-1)/2, float64(b.Dy()-1)/2
	m := translate(-cx, -cy).then(rotation(deg)).then(translate(cx, cy))
	dst := image.NewRGBA(b)
	for c := range 3 {
		w := warp(channel(src, b, c), b.Dx(), b.Dy(), m, 255)
		for i, v := range w.Pix {
			dst.Pix[4*i+c] = v
			dst.Pix[4*i+3] = 255
		}
	}
	return dst
}
