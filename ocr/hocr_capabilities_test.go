package ocr_test

import (
	"bytes"
	"image"
	"regexp"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/ocr"
)

// Finding 8 of issue 18: the hOCR declares in ocr-capabilities every
// element class and every property it uses, as the hOCR 1.2 spec (and
// its validator) wants: ocrp_lang for the paragraphs' lang attribute,
// ocrp_wconf for x_wconf, and so on.
func TestHOCRDeclaresItsCapabilities(t *testing.T) {
	t.Parallel()
	p := &ocr.Page{Width: 800, Height: 600, DPI: 300, Langs: "vie+eng", Blocks: []ocr.Block{{
		BBox: image.Rect(10, 10, 500, 100),
		Paragraphs: []ocr.Paragraph{{BBox: image.Rect(10, 10, 500, 100), Lang: "vie", Lines: []ocr.Line{{
			BBox: image.Rect(10, 10, 500, 40), Baseline: [2]float64{0.001, -5}, XSize: 30,
			Words: []ocr.Word{{Text: "Quyết", BBox: image.Rect(10, 10, 90, 40), Conf: 96}},
		}}}},
	}}}
	var buf bytes.Buffer
	if err := ocr.WriteHOCR(&buf, p, ocr.HOCROptions{Image: "image.png", System: "test"}); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	m := regexp.MustCompile(`<meta name="ocr-capabilities" content="([^"]*)"`).FindStringSubmatch(doc)
	if m == nil {
		t.Fatalf("no ocr-capabilities:\n%s", doc)
	}
	caps := map[string]bool{}
	for _, c := range strings.Fields(m[1]) {
		caps[c] = true
	}
	for _, c := range regexp.MustCompile(`class="(ocrx?_\w+)"`).FindAllStringSubmatch(doc, -1) {
		if !caps[c[1]] {
			t.Errorf("class %s is used but not in ocr-capabilities %q", c[1], m[1])
		}
	}
	body := doc[strings.Index(doc, "<body>"):]
	for property, capability := range map[string]string{
		` lang="`: "ocrp_lang", `x_wconf `: "ocrp_wconf", ` dir="`: "ocrp_dir", `x_font `: "ocrp_font", `x_fsize `: "ocrp_fsize",
	} {
		if strings.Contains(body, property) && !caps[capability] {
			t.Errorf("%s is used but %s is not in ocr-capabilities %q", strings.TrimSpace(property), capability, m[1])
		}
	}
}
