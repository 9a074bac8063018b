package source

import (
	"image"
	"image/draw"
)

// orient applies an EXIF orientation (1..8) so the image is upright: 2
// mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7
// transverse, 8 rotate 90° counter-clockwise. It copies the image once;
// planes keep their type (a JPEG's YCbCr stays YCbCr).
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	switch m := img.(type) {
	case *image.Gray:
		pix, stride := transformPlane(m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), 1, o)
		return &image.Gray{Pix: pix, Stride: stride, Rect: orientRect(m.Rect, o)}
	case *image.Gray16:
		pix, stride := transformPlane(m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), 2, o)
		return &image.Gray16{Pix: pix, Stride: stride, Rect: orientRect(m.Rect, o)}
	case *image.RGBA:
		pix, stride := transformPlane(m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), 4, o)
		return &image.RGBA{Pix: pix, Stride: stride, Rect: orientRect(m.Rect, o)}
	case *image.Paletted:
		pix, stride := transformPlane(m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), 1, o)
		return &image.Paletted{Pix: pix, Stride: stride, Rect: orientRect(m.Rect, o), Palette: m.Palette}
	case *image.YCbCr:
		if r, ok := orientRatio(m.SubsampleRatio, o); ok && m.Rect.Min == (image.Point{}) {
			w, h := m.Rect.Dx(), m.Rect.Dy()
			cw, ch := chromaSize(w, h, m.SubsampleRatio)
			out := &image.YCbCr{SubsampleRatio: r, Rect: orientRect(m.Rect, o)}
			out.Y, out.YStride = transformPlane(m.Y, m.YStride, w, h, 1, o)
			out.Cb, out.CStride = transformPlane(m.Cb, m.CStride, cw, ch, 1, o)
			out.Cr, _ = transformPlane(m.Cr, m.CStride, cw, ch, 1, o)
			return out
		}
	}
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	return orient(rgba, o)
}

func orientRect(r image.Rectangle, o int) image.Rectangle {
	if o >= 5 {
		return image.Rect(0, 0, r.Dy(), r.Dx())
	}
	return image.Rect(0, 0, r.Dx(), r.Dy())
}

// orientRatio is the subsampling of a YCbCr image after the transform.
func orientRatio(r image.YCbCrSubsampleRatio, o int) (image.YCbCrSubsampleRatio, bool) {
	switch r {
	case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420:
		return r, true
	case image.YCbCrSubsampleRatio422:
		if o >= 5 {
			return image.YCbCrSubsampleRatio440, true
		}
		return r, true
	case image.YCbCrSubsampleRatio440:
		if o >= 5 {
			return image.YCbCrSubsampleRatio422, true
		}
		return r, true
	}
	return r, false
}

func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	}
	return w, h
}

// transformPlane applies orientation o to a plane of w x h pixels of bpp
// bytes and returns the new plane (tightly packed) and its stride.
func transformPlane(src []byte, stride, w, h, bpp, o int) ([]byte, int) {
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := make([]byte, dw*dh*bpp)
	if dw == 0 || dh == 0 {
		return dst, dw * bpp
	}
	// from gives the source pixel of destination pixel (x, y).
	from := func(x, y int) int {
		var sx, sy int
		switch o {
		case 2:
			sx, sy = w-1-x, y
		case 3:
			sx, sy = w-1-x, h-1-y
		case 4:
			sx, sy = x, h-1-y
		case 5:
			sx, sy = y, x
		case 6:
			sx, sy = y, h-1-x
		case 7:
			sx, sy = w-1-y, h-1-x
		case 8:
			sx, sy = w-1-y, x
		}
		return sy*stride + sx*bpp
	}
	step := 0
	if dw > 1 {
		step = from(1, 0) - from(0, 0)
	}
	for y := range dh {
		row := dst[y*dw*bpp : (y+1)*dw*bpp]
		p := from(0, y)
		if bpp == 1 {
			for x := range row {
				row[x] = src[p]
				p += step
			}
			continue
		}
		for x := 0; x < len(row); x += bpp {
			copy(row[x:x+bpp], src[p:p+bpp])
			p += step
		}
	}
	return dst, dw * bpp
}
