package cleanup

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
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

// BenchmarkColor: the colour version of an A4 page at 300 dpi decoded
// from a JPEG (YCbCr 4:2:0), straight and skewed 2°.
func BenchmarkColor(b *testing.B) {
	for _, skew := range []float64{0, 2} {
		b.Run(map[float64]string{0: "Straight", 2: "Skewed"}[skew], func(b *testing.B) {
			page := textPage(b, 300, 12, 0)
			rgba := image.NewRGBA(page.Bounds())
			for i, v := range page.Pix {
				rgba.Pix[4*i], rgba.Pix[4*i+1], rgba.Pix[4*i+2], rgba.Pix[4*i+3] = v, v-v/8, v-v/5, 255
			}
			if skew != 0 {
				rgba = rotateRGBA(rgba, skew)
			}
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, rgba, &jpeg.Options{Quality: 90}); err != nil {
				b.Fatal(err)
			}
			img, err := jpeg.Decode(&buf)
			if err != nil {
				b.Fatal(err)
			}
			res, err := Clean(context.Background(), img, 300, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				res.Color(img)
			}
		})
	}
}

// channel's fast paths for each decoder's image type agree with the
// colour model's own conversion (composited on white), to within
// rounding, on a rectangle that does not start at the origin.
func TestChannelMatchesColorModel(t *testing.T) {
	t.Parallel()
	r := image.Rect(3, 5, 40, 31)
	fill := func(set func(x, y int, v [4]uint8)) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				set(x, y, [4]uint8{uint8(x * 7), uint8(y * 11), uint8(x*y + 3), uint8(100 + x*3)})
			}
		}
	}
	rgba, nrgba, cmyk, gray := image.NewRGBA(r), image.NewNRGBA(r), image.NewCMYK(r), image.NewGray(r)
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	pal := image.NewPaletted(r, color.Palette{color.White, color.RGBA{200, 20, 30, 255}, color.Gray{90}})
	fill(func(x, y int, v [4]uint8) {
		rgba.Set(x, y, color.NRGBA{v[0], v[1], v[2], v[3]})
		nrgba.SetNRGBA(x, y, color.NRGBA{v[0], v[1], v[2], v[3]})
		cmyk.SetCMYK(x, y, color.CMYK{v[0], v[1], v[2], v[3] / 4})
		gray.SetGray(x, y, color.Gray{v[1]})
		yi, ci := ycc.YOffset(x, y), ycc.COffset(x, y)
		ycc.Y[yi], ycc.Cb[ci], ycc.Cr[ci] = v[0], v[1], v[2]
		pal.SetColorIndex(x, y, uint8((x+y)%3))
	})
	sub := image.Rect(4, 6, 37, 29)
	for _, img := range []image.Image{rgba, nrgba, cmyk, gray, ycc, pal} {
		for c := range 3 {
			got := channel(img, sub, c)
			for y := sub.Min.Y; y < sub.Max.Y; y++ {
				for x := sub.Min.X; x < sub.Max.X; x++ {
					v := [3]uint32{}
					var a uint32
					v[0], v[1], v[2], a = img.At(x, y).RGBA()
					want := int((v[c] + 0xffff - a) >> 8)
					if g := int(got.Pix[(y-sub.Min.Y)*got.Stride+x-sub.Min.X]); g < want-1 || g > want+1 {
						t.Fatalf("%T channel %d at (%d,%d): %d, want %d", img, c, x, y, g, want)
					}
				}
			}
		}
	}
}
