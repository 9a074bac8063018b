package ocr

import (
	"fmt"
	"html"
	"image"
	"io"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"
)

// ParseHOCR reads hOCR (a whole document or Tesseract's page fragment) into
// a Page. Unknown elements are ignored; ocr_line, ocr_caption, ocr_header
// and ocr_textfloat are all lines.
func ParseHOCR(r io.Reader) (*Page, error) {
	z := xhtml.NewTokenizer(r)
	p := &Page{}
	type open struct {
		class string
		depth int
	}
	var (
		stack    []open // hOCR elements currently open
		depth    int
		word     *Word
		wordText strings.Builder
	)
	curBlock := func() *Block {
		if len(p.Blocks) == 0 {
			p.Blocks = append(p.Blocks, Block{})
		}
		return &p.Blocks[len(p.Blocks)-1]
	}
	curPar := func() *Paragraph {
		b := curBlock()
		if len(b.Paragraphs) == 0 {
			b.Paragraphs = append(b.Paragraphs, Paragraph{})
		}
		return &b.Paragraphs[len(b.Paragraphs)-1]
	}
	curLine := func() *Line {
		par := curPar()
		if len(par.Lines) == 0 {
			par.Lines = append(par.Lines, Line{})
		}
		return &par.Lines[len(par.Lines)-1]
	}
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			if z.Err() == io.EOF {
				return p, nil
			}
			return nil, fmt.Errorf("parse hOCR: %w", z.Err())
		case xhtml.TextToken:
			if word != nil {
				wordText.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			var class, title, lang string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "class":
					class = string(v)
				case "title":
					title = string(v)
				case "lang":
					lang = string(v)
				}
			}
			if tt == xhtml.SelfClosingTagToken || isVoid(string(name)) {
				continue
			}
			depth++
			props := parseTitle(title)
			switch class {
			case "ocr_page":
				bb := props.bbox()
				p.Width, p.Height = bb.Dx(), bb.Dy()
				if res, ok := props["scan_res"]; ok && len(res) > 0 {
					p.DPI, _ = strconv.Atoi(res[0])
				}
			case "ocr_carea":
				p.Blocks = append(p.Blocks, Block{BBox: props.bbox()})
			case "ocr_par":
				b := curBlock()
				b.Paragraphs = append(b.Paragraphs, Paragraph{BBox: props.bbox(), Lang: lang})
			case "ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat":
				par := curPar()
				ln := Line{BBox: props.bbox()}
				if bl := props["baseline"]; len(bl) == 2 {
					ln.Baseline[0], _ = strconv.ParseFloat(bl[0], 64)
					ln.Baseline[1], _ = strconv.ParseFloat(bl[1], 64)
				}
				if xs := props["x_size"]; len(xs) == 1 {
					ln.XSize, _ = strconv.ParseFloat(xs[0], 64)
				}
				par.Lines = append(par.Lines, ln)
			case "ocrx_word":
				word = &Word{BBox: props.bbox()}
				if c := props["x_wconf"]; len(c) == 1 {
					word.Conf, _ = strconv.ParseFloat(c[0], 64)
				}
				wordText.Reset()
			default:
				continue
			}
			stack = append(stack, open{class, depth})
		case xhtml.EndTagToken:
			if len(stack) > 0 && stack[len(stack)-1].depth == depth {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if top.class == "ocrx_word" && word != nil {
					word.Text = strings.TrimSpace(wordText.String())
					if word.Text != "" {
						ln := curLine()
						ln.Words = append(ln.Words, *word)
					}
					word = nil
				}
			}
			depth--
		}
	}
}

func isVoid(tag string) bool {
	switch tag {
	case "br", "meta", "link", "img", "hr", "input":
		return true
	}
	return false
}

type titleProps map[string][]string

// parseTitle splits an hOCR title ("bbox 1 2 3 4; x_wconf 96") into properties.
func parseTitle(t string) titleProps {
	props := titleProps{}
	for part := range strings.SplitSeq(t, ";") {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		props[f[0]] = f[1:]
	}
	return props
}

func (p titleProps) bbox() image.Rectangle {
	v := p["bbox"]
	if len(v) != 4 {
		return image.Rectangle{}
	}
	var n [4]int
	for i := range v {
		n[i], _ = strconv.Atoi(v[i])
	}
	return image.Rect(n[0], n[1], n[2], n[3])
}

// HOCROptions describe the page for WriteHOCR.
type HOCROptions struct {
	// Image is the name of the page image the coordinates refer to.
	Image string
	// System is the OCR system, e.g. "sohoa 0.1 (tesseract 5.3.0)".
	System string
	// PageNo is the 0-based page number for ppageno.
	PageNo int
}

// WriteHOCR writes the page as a complete hOCR 1.2 XHTML document with the
// classes ocr_page, ocr_carea, ocr_par, ocr_line and ocrx_word (with bbox
// and x_wconf), as Tesseract writes them.
func WriteHOCR(w io.Writer, p *Page, opt HOCROptions) error {
	var b strings.Builder
	lang := "vi"
	if strings.HasPrefix(p.Langs, "eng") {
		lang = "en"
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="%s" lang="%s">
 <head>
  <title>%s</title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name="ocr-system" content="%s"/>
  <meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_lang"/>
  <meta name="ocr-langs" content="%s"/>
 </head>
 <body>
`, lang, lang, esc(opt.Image), esc(opt.System), esc(p.Langs))
	pageTitle := fmt.Sprintf("image %q; bbox 0 0 %d %d; ppageno %d", opt.Image, p.Width, p.Height, opt.PageNo)
	if p.DPI > 0 {
		pageTitle += fmt.Sprintf("; scan_res %d %d", p.DPI, p.DPI)
	}
	n := opt.PageNo + 1
	fmt.Fprintf(&b, "  <div class=\"ocr_page\" id=\"page_%d\" title=\"%s\">\n", n, esc(pageTitle))
	var nb, np, nl, nw int
	for _, blk := range p.Blocks {
		nb++
		fmt.Fprintf(&b, "   <div class=\"ocr_carea\" id=\"block_%d_%d\" title=\"%s\">\n", n, nb, bboxTitle(blk.BBox))
		for _, par := range blk.Paragraphs {
			np++
			langAttr := ""
			if par.Lang != "" {
				langAttr = fmt.Sprintf(" lang=\"%s\"", esc(par.Lang))
			}
			fmt.Fprintf(&b, "    <p class=\"ocr_par\" id=\"par_%d_%d\"%s title=\"%s\">\n", n, np, langAttr, bboxTitle(par.BBox))
			for _, ln := range par.Lines {
				nl++
				t := bboxTitle(ln.BBox)
				t += fmt.Sprintf("; baseline %s %s", ftoa(ln.Baseline[0]), ftoa(ln.Baseline[1]))
				if ln.XSize > 0 {
					t += "; x_size " + ftoa(ln.XSize)
				}
				fmt.Fprintf(&b, "     <span class=\"ocr_line\" id=\"line_%d_%d\" title=\"%s\">", n, nl, t)
				for i, wd := range ln.Words {
					nw++
					if i > 0 {
						b.WriteByte(' ')
					}
					fmt.Fprintf(&b, "<span class=\"ocrx_word\" id=\"word_%d_%d\" title=\"%s; x_wconf %d\">%s</span>",
						n, nw, bboxTitle(wd.BBox), int(wd.Conf+0.5), esc(wd.Text))
				}
				b.WriteString("</span>\n")
			}
			b.WriteString("    </p>\n")
		}
		b.WriteString("   </div>\n")
	}
	b.WriteString("  </div>\n </body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func bboxTitle(r image.Rectangle) string {
	return fmt.Sprintf("bbox %d %d %d %d", r.Min.X, r.Min.Y, r.Max.X, r.Max.Y)
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

func esc(s string) string { return html.EscapeString(s) }
