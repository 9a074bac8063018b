//go:build h20dev

package docmeta

import (
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func devImage(t *testing.T, path string) image.Image {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var img image.Image
	if filepath.Ext(path) == ".png" {
		img, err = png.Decode(f)
	} else {
		img, err = jpeg.Decode(f)
	}
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestDevBlobs(t *testing.T) {
	dirs, _ := filepath.Glob(os.Getenv("H20DEV") + "/*-0000")
	for _, d := range dirs {
		p := readHOCR(t, d+"/hocr.html")
		px := &pixels{gray: devImage(t, d+"/image.png"), color: devImage(t, d+"/color.jpg")}
		r := &reader{l: newLayout(p)}
		r.read()
		fmt.Println("==", d)
		for _, s := range r.segs {
			if s.box.Min.Y > r.l.h*35/100 {
				break
			}
			txt := s.text()
			if !(len(s.words) > 0 && (s.words[0].text == "Số:" || len(s.words) > 3 && (strings.HasPrefix(key(s.words[2].text), "ngay") || strings.HasPrefix(key(s.words[3].text), "ngay")))) {
				continue
			}
			band := s.box.Inset(-r.l.xh / 2)
			bl := px.blobs(r.l.unstraighten(band), 12)
			fmt.Printf("LINE %q xh=%d box=%v\n", txt, r.l.xh, s.box)
			for _, w := range s.words {
				fmt.Printf("  word %q %v conf %.2f\n", w.text, w.box, w.conf)
				for _, b := range bl {
					c := b.box.Min.Add(b.box.Max).Div(2)
					if c.X >= w.box.Min.X && c.X < w.box.Max.X {
						fmt.Printf("     blob %v h=%d n=%d sw=%.0f cb=%.1f cr=%.1f\n", b.box, b.box.Dy(), b.n, b.stroke, b.cb, b.cr)
					}
				}
			}
		}
	}
}

func TestDevRead(t *testing.T) {
	for _, root := range strings.Split(os.Getenv("H20DEV"), ",") {
		dirs, _ := filepath.Glob(root + "/*-0000")
		for _, d := range dirs {
			p := readHOCR(t, d+"/hocr.html")
			in := Input{Gray: devImage(t, d+"/image.png"), Color: devImage(t, d+"/color.jpg")}
			if os.Getenv("H20NOPX") != "" {
				in = Input{}
			}
			m := Read(p, in)
			fmt.Printf("== %s\n  number=%q date=%q type=%q place=%q notation=%q signed=%q recv=%q/%q\n  review=%v reasons=%v printed=%v\n  conf=%+v\n  evidence=%+v copy=%+v\n  subject=%q\n  issuer=%q\n", d[len(d)-30:], m.Number, m.Date, m.Type, m.Place, m.Notation, m.SignedAt, m.ReceivedNumber, m.ReceivedDate, m.Review, m.Reasons, m.Printed, m.Confidence, m.Evidence, m.Copy, m.Subject, m.Issuer)
		}
	}
}
