package cleanup

import (
	"image"
)

// borders finds the sheet inside dark scanner borders on a (an analysis
// copy of the raw page). It returns the sheet's box in a's pixels (all of a
// when there is no border), and a mask (a's size, nil if none) of the dark
// regions still inside the box that touch its edge: the corners a sheet
// lying askew on the glass leaves.
func borders(a *image.Gray) (image.Rectangle, *image.Gray) {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	full := a.Rect
	hist := histogram(a, full)
	paper := percentile(hist, 0.9, 256)
	dark := uint8(paper * 45 / 100)

	// Rows and columns from each edge that are mostly dark.
	rowDark := make([]int, h)
	colDark := make([]int, w)
	for y := range h {
		row := a.Pix[y*a.Stride : y*a.Stride+w]
		for x, v := range row {
			if v < dark {
				rowDark[y]++
				colDark[x]++
			}
		}
	}
	box := full
	for box.Min.Y < box.Max.Y && rowDark[box.Min.Y]*10 >= w*6 {
		box.Min.Y++
	}
	for box.Max.Y > box.Min.Y && rowDark[box.Max.Y-1]*10 >= w*6 {
		box.Max.Y--
	}
	for box.Min.X < box.Max.X && colDark[box.Min.X]*10 >= h*6 {
		box.Min.X++
	}
	for box.Max.X > box.Min.X && colDark[box.Max.X-1]*10 >= h*6 {
		box.Max.X--
	}
	if box.Dx() < w/4 || box.Dy() < h/4 {
		return full, nil // a dark page, not a border
	}
	// The sheet's edge casts a shadow on itself; step over it (up to about
	// 1.5 mm at the analysis resolution of ~150 dpi).
	const shadow = 10
	mean := func(r image.Rectangle) int {
		s := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for _, v := range a.Pix[y*a.Stride+r.Min.X : y*a.Stride+r.Max.X] {
				s += int(v)
			}
		}
		return s / max(1, r.Dx()*r.Dy())
	}
	lim := paper * 85 / 100
	if box.Min.Y > 0 {
		for i := 0; i < shadow && mean(image.Rect(box.Min.X, box.Min.Y, box.Max.X, box.Min.Y+1)) < lim; i++ {
			box.Min.Y++
		}
	}
	if box.Max.Y < h {
		for i := 0; i < shadow && mean(image.Rect(box.Min.X, box.Max.Y-1, box.Max.X, box.Max.Y)) < lim; i++ {
			box.Max.Y--
		}
	}
	if box.Min.X > 0 {
		for i := 0; i < shadow && mean(image.Rect(box.Min.X, box.Min.Y, box.Min.X+1, box.Max.Y)) < lim; i++ {
			box.Min.X++
		}
	}
	if box.Max.X < w {
		for i := 0; i < shadow && mean(image.Rect(box.Max.X-1, box.Min.Y, box.Max.X, box.Max.Y)) < lim; i++ {
			box.Max.X--
		}
	}

	// Dark regions inside the box that touch its edge and are far larger
	// than any character, and solid (a table's frame is not). Only looked
	// for when the box's edges are darker than paper in places.
	edgeDark := 0
	for x := box.Min.X; x < box.Max.X; x++ {
		if a.Pix[box.Min.Y*a.Stride+x] < dark || a.Pix[(box.Max.Y-1)*a.Stride+x] < dark {
			edgeDark++
		}
	}
	for y := box.Min.Y; y < box.Max.Y; y++ {
		if a.Pix[y*a.Stride+box.Min.X] < dark || a.Pix[y*a.Stride+box.Max.X-1] < dark {
			edgeDark++
		}
	}
	if edgeDark*20 < min(box.Dx(), box.Dy()) {
		return box, nil
	}
	l := label(a, box, dark)
	side := int32(min(box.Dx(), box.Dy()))
	var mask *image.Gray
	for ci := range l.comps {
		c := &l.comps[ci]
		touches := c.x0 == int32(box.Min.X) || c.y0 == int32(box.Min.Y) || c.x1 == int32(box.Max.X) || c.y1 == int32(box.Max.Y)
		if !touches || max(c.w(), c.h())*10 < side || int64(c.area)*10 < int64(c.w())*int64(c.h())*3 {
			continue
		}
		if mask == nil {
			mask = image.NewGray(full)
		}
		for _, r := range l.runs {
			if r.comp == int32(ci) {
				row := mask.Pix[int(r.y)*mask.Stride:]
				for x := r.x0; x < r.x1; x++ {
					row[x] = 1
				}
			}
		}
	}
	return box, mask
}
