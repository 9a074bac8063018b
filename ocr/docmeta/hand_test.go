package docmeta

import (
	"image"
	"image/color"
	"image/draw"
	"slices"
	"testing"
)

// handPage is a sample page (its hOCR and its image) with the number
// proper and the day rewritten in the image as a hand would: the printed
// digits' ink taken away and drawn again by f.
type handPage struct {
	name string
	// redraw returns the ink of the rewritten digits: a copy of the
	// digits' mask (true for ink), drawn into out.
	redraw func(gray *image.Gray, col *image.RGBA, zone image.Rectangle)
}

// inkOfZone returns the zone's ink mask (grey below 128) and whites the
// zone out.
func takeInk(gray *image.Gray, col *image.RGBA, zone image.Rectangle) [][]bool {
	mask := make([][]bool, zone.Dy())
	for y := zone.Min.Y; y < zone.Max.Y; y++ {
		mask[y-zone.Min.Y] = make([]bool, zone.Dx())
		for x := zone.Min.X; x < zone.Max.X; x++ {
			if gray.GrayAt(x, y).Y < 128 {
				mask[y-zone.Min.Y][x-zone.Min.X] = true
			}
			gray.SetGray(x, y, color.Gray{255})
			if col != nil {
				col.Set(x, y, color.White)
			}
		}
	}
	return mask
}

// penWritten draws the zone's digits 1.45 times as tall (about their
// middle, so they reach over and under the line) with a pen twice as
// wide: a felt pen's digits.
func penWritten(gray *image.Gray, col *image.RGBA, zone image.Rectangle) {
	mask := takeInk(gray, col, zone)
	cy := float64(zone.Dy()) / 2
	const scale = 1.45
	for y := zone.Min.Y - zone.Dy()/2; y < zone.Max.Y+zone.Dy()/2; y++ {
		for x := zone.Min.X; x < zone.Max.X; x++ {
			sy := int(cy + (float64(y-zone.Min.Y)-cy)/scale)
			sx := x - zone.Min.X
			ink := false
			for dx := -1; dx <= 1 && !ink; dx++ {
				for dy := -1; dy <= 1 && !ink; dy++ {
					yy, xx := sy+dy, sx+dx
					ink = yy >= 0 && yy < len(mask) && xx >= 0 && xx < len(mask[0]) && mask[yy][xx]
				}
			}
			if ink {
				gray.SetGray(x, y, color.Gray{20})
			}
		}
	}
}

// blueInk draws the zone's digits as they were, in blue ballpoint ink.
func blueInk(gray *image.Gray, col *image.RGBA, zone image.Rectangle) {
	mask := takeInk(gray, col, zone)
	blue := color.RGBA{30, 50, 170, 255}
	g := color.GrayModel.Convert(blue).(color.Gray)
	for y, row := range mask {
		for x, ink := range row {
			if ink {
				gray.SetGray(zone.Min.X+x, zone.Min.Y+y, g)
				col.Set(zone.Min.X+x, zone.Min.Y+y, blue)
			}
		}
	}
}

// TestHandwriting rewrites the number proper and the day of printed
// sample pages as a hand would, in the image only (the hOCR is the
// printed page's): Read must put the number and the date in review as
// handwritten, keep their printed parts, and leave the pages as printed
// alone.
func TestHandwriting(t *testing.T) {
	t.Parallel()
	samples := []string{"doc-01-quyet-dinh", "doc-10-quyet-dinh", "doc-11-cong-van"}
	for _, name := range samples {
		for _, tc := range []struct {
			how    string
			redraw func(*image.Gray, *image.RGBA, image.Rectangle)
			cue    string
		}{{"Printed", nil, ""}, {"FeltPen", penWritten, "size"}, {"BlueInk", blueInk, "colour"}} {
			t.Run(name+"/"+tc.how, func(t *testing.T) {
				t.Parallel()
				p := readHOCR(t, "testdata/"+name+".hocr")
				in := pixelsOf(t, "../../samples/documents/"+name+".png")
				gray := image.NewGray(in.Gray.Bounds())
				draw.Draw(gray, gray.Bounds(), in.Gray, image.Point{}, draw.Src)
				col := image.NewRGBA(in.Gray.Bounds())
				draw.Draw(col, col.Bounds(), in.Gray, image.Point{}, draw.Src)
				// Where the number proper and the day are, as Read sees them.
				r := &reader{l: newLayout(p)}
				r.read()
				numZone := r.l.unstraighten(r.numLine.seqZone)
				dayZone := r.l.unstraighten(r.dateZones().day)
				// Only the digits: the zones' ends may reach over the slash
				// and the keywords' edges.
				numZone.Max.X -= r.l.xh / 4
				dayZone.Min.X += r.l.xh / 4
				dayZone.Max.X -= r.l.xh / 4
				if tc.redraw != nil {
					tc.redraw(gray, col, numZone)
					tc.redraw(gray, col, dayZone)
				}
				m := Read(p, Input{Gray: gray, Color: col})
				if tc.redraw == nil {
					if len(m.Review) != 0 {
						t.Fatalf("printed page: review %v %v", m.Review, m.Reasons)
					}
					return
				}
				for _, f := range []string{"number", "date"} {
					if m.Reasons[f] != ReasonHandwritten {
						t.Errorf("%s: reason %q, want handwritten (review %v)", f, m.Reasons[f], m.Review)
					}
				}
				if m.Printed["number"] != "/"+m.Notation || m.Notation == "" {
					t.Errorf("printed number %q, notation %q", m.Printed["number"], m.Notation)
				}
				if d := m.Printed["date"]; len(d) != 7 {
					t.Errorf("printed date %q, want the printed month and year", d)
				}
				if m.Confidence.Number > handConf || m.Confidence.Date > handConf {
					t.Errorf("confidences %v %v for handwriting, want at most %v", m.Confidence.Number, m.Confidence.Date, handConf)
				}
				// The cue that decided.
				r = &reader{l: newLayout(p), px: &pixels{gray: gray, color: col}}
				r.read()
				if hc := r.checkNumber(); !slices.Contains(hc.cues, tc.cue) {
					t.Errorf("number cues %v, want %s among them", hc.cues, tc.cue)
				}
				for _, f := range []string{"number", "date"} {
					if _, ok := m.Boxes[f]; !ok {
						t.Errorf("no box for %s", f)
					}
				}
			})
		}
	}
}

// TestReread: the handwriting read again on its own (Input.ReadDigits) is
// offered as the value, in review; with the source name saying the same
// number, the number is corroborated and leaves review.
func TestReread(t *testing.T) {
	t.Parallel()
	p := readHOCR(t, "testdata/doc-01-quyet-dinh.hocr")
	in := pixelsOf(t, "../../samples/documents/doc-01-quyet-dinh.png")
	gray := image.NewGray(in.Gray.Bounds())
	draw.Draw(gray, gray.Bounds(), in.Gray, image.Point{}, draw.Src)
	r := &reader{l: newLayout(p)}
	r.read()
	num, day := r.l.unstraighten(r.numLine.seqZone), r.l.unstraighten(r.dateZones().day)
	num.Max.X -= r.l.xh / 4
	day.Min.X, day.Max.X = day.Min.X+r.l.xh/4, day.Max.X-r.l.xh/4
	penWritten(gray, nil, num)
	penWritten(gray, nil, day)
	var seen []image.Rectangle
	read := func(answers ...string) func(image.Image) string {
		return func(img image.Image) string {
			seen = append(seen, img.Bounds())
			if ink := dark(img); ink == 0 {
				t.Errorf("ReadDigits got an image with no ink")
			}
			a := answers[0]
			answers = answers[1:]
			return a
		}
	}
	m := Read(p, Input{Gray: gray, ReadDigits: read("16", "30")})
	if m.Number != "16/2024/QĐ-UBND" || m.Date != "2024-05-30" || m.Reasons["number"] != ReasonHandwritten || m.Reasons["date"] != ReasonHandwritten {
		t.Errorf("number %q, date %q, reasons %v; want the second readings offered, in review", m.Number, m.Date, m.Reasons)
	}
	if len(seen) != 2 {
		t.Errorf("ReadDigits called %d times, want once for the number and once for the day", len(seen))
	}
	m = Read(p, Input{Gray: gray, ReadDigits: read("15", "3I"), SourceName: "15 QĐ.pdf"})
	if m.Number != "15/2024/QĐ-UBND" || slices.Contains(m.Review, "number") || m.Confidence.Number < 0.9 {
		t.Errorf("number %q, review %v, confidence %v: the source name agrees, the number is trusted", m.Number, m.Review, m.Confidence.Number)
	}
	if m.Reasons["date"] != ReasonHandwritten {
		t.Errorf("date %q, reasons %v: a day read as '3I' is no second reading", m.Date, m.Reasons)
	}
}

// dark counts the dark pixels of img.
func dark(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128 {
				n++
			}
		}
	}
	return n
}
