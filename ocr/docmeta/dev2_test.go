//go:build h20dev

package docmeta

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDevHand(t *testing.T) {
	for _, pair := range strings.Split(os.Getenv("H20S"), ",") {
		hp, ip, _ := strings.Cut(pair, "=")
		p := readHOCR(t, hp)
		in := pixelsOf(t, ip)
		r := &reader{l: newLayout(p), in: in, px: &pixels{gray: in.Gray, color: in.Color}}
		r.read()
		nl := r.numLine
		line := union(union(r.numSeg.box, nl.seqZone), nl.noteBox)
		ref := []image.Rectangle{r.numLabelWord.box, nl.noteBox}
		li := r.inkOf(line, ref, []image.Rectangle{nl.seqZone})
		hc := li.check(nl.seqZone)
		fmt.Printf("%s num %q seqText %q zone %v note %v label %v\n  H=%.1f base=%.1f stroke=%.2f -> %+v\n", hp, r.num.text, nl.seqText, nl.seqZone, nl.noteBox, r.numLabelWord.box, li.height, li.base, li.stroke, hc)
		for _, b := range li.blobs {
			c := centre(b.box)
			tag := " "
			if c.X >= nl.seqZone.Min.X && c.X < nl.seqZone.Max.X {
				tag = "Z"
			} else if inAny(c, ref) {
				tag = "R"
			}
			fmt.Printf("   %s %v h=%d sw=%.2f n=%d\n", tag, b.box, b.box.Dy(), b.stroke, b.n)
		}
	}
}

func TestDevCues(t *testing.T) {
	for _, root := range strings.Split(os.Getenv("H20DEV"), ",") {
		dirs, _ := filepath.Glob(root + "/*-0000")
		for _, d := range dirs {
			p := readHOCR(t, d+"/hocr.html")
			in := Input{Gray: devImage(t, d+"/image.png"), Color: devImage(t, d+"/color.jpg")}
			r := &reader{l: newLayout(p), in: in, px: &pixels{gray: in.Gray, color: in.Color}}
			r.read()
			hc := r.checkNumber()
			nl := r.numLine
			line := union(union(r.numSeg.box, nl.seqZone), nl.noteBox)
			li := r.inkOf(line, []image.Rectangle{r.numLabelWord.box, nl.noteBox}, []image.Rectangle{nl.seqZone})
			fmt.Printf("%s number %+v H=%.0f sw=%.2f col=%v(%.1f,%.1f)\n", d[len(d)-9:], hc, li.height, li.stroke, li.color, li.cb, li.cr)
			if r.dateFound {
				z := r.dateZones()
				li := r.inkOf(z.line, z.ref, []image.Rectangle{z.day, z.month, z.year})
				fmt.Printf("   day %+v month %+v year %+v H=%.0f sw=%.2f\n", li.check(z.day), li.check(z.month), li.check(z.year), li.height, li.stroke)
				for _, b := range li.blobs {
					c := centre(b.box)
					if c.X >= z.day.Min.X && c.X < z.day.Max.X && b.box.Dy() > 15 {
						fmt.Printf("      dayblob %v h=%d sw=%.2f\n", b.box, b.box.Dy(), b.stroke)
					}
				}
			}
		}
	}
}
