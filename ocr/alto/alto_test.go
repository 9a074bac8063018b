package alto_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/internal/altotest"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/ocr/alto"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var when = time.Date(2026, 11, 28, 8, 15, 30, 0, time.UTC)

func options() alto.Options {
	return alto.Options{Image: "image.png", PageNo: 2, Engine: "tesseract 5.3.0", Version: "0.1.0", Time: when}
}

// samplePage is a two-block page with Vietnamese text, a baseline, XML
// special characters and an English paragraph.
func samplePage() *ocr.Page {
	return &ocr.Page{
		Width: 1000, Height: 1400, DPI: 300, Langs: "vie+eng",
		Blocks: []ocr.Block{{
			BBox: image.Rect(10, 10, 500, 100),
			Paragraphs: []ocr.Paragraph{{
				BBox: image.Rect(10, 10, 500, 100), Lang: "vie",
				Lines: []ocr.Line{
					{BBox: image.Rect(10, 10, 500, 40), Baseline: [2]float64{0, -5}, XSize: 30,
						Words: []ocr.Word{
							{Text: "ỦY", BBox: image.Rect(10, 10, 60, 40), Conf: 96},
							{Text: "BAN", BBox: image.Rect(70, 10, 140, 40), Conf: 91},
							{Text: "NHÂN", BBox: image.Rect(150, 10, 240, 40), Conf: 88.4},
						}},
					{BBox: image.Rect(10, 60, 500, 100),
						Words: []ocr.Word{
							{Text: `<Số:&"x">`, BBox: image.Rect(10, 60, 90, 100), Conf: 40},
							{Text: "'57/QĐ-UBND'", BBox: image.Rect(95, 60, 300, 100), Conf: 100},
						}},
				},
			}},
		}, {
			BBox: image.Rect(600, 10, 900, 80),
			Paragraphs: []ocr.Paragraph{
				{BBox: image.Rect(600, 10, 900, 40), Lang: "vie", Lines: []ocr.Line{{BBox: image.Rect(600, 10, 900, 40),
					Words: []ocr.Word{{Text: "Độc", BBox: image.Rect(600, 10, 700, 40), Conf: 88}, {Text: "lập", BBox: image.Rect(710, 10, 800, 40), Conf: 77}}}}},
				{BBox: image.Rect(600, 50, 900, 80), Lang: "eng", Lines: []ocr.Line{{BBox: image.Rect(600, 50, 900, 80),
					Words: []ocr.Word{{Text: "Independence", BBox: image.Rect(600, 50, 900, 80), Conf: 65}}}}},
			},
		}},
	}
}

func write(t *testing.T, p *ocr.Page, opt alto.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := alto.Write(&buf, p, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Every document Write produces in these cases is valid ALTO 4.4, and its
// words, read in document order, are the page's text.
func TestWriteIsValidALTO(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		page *ocr.Page
		opt  alto.Options
	}{
		{"Sample", samplePage(), options()},
		{"EmptyPage", &ocr.Page{Width: 2480, Height: 3508}, options()},
		{"NoOptions", samplePage(), alto.Options{}},
		{"EmptyStructures", &ocr.Page{Width: 100, Height: 100, Blocks: []ocr.Block{
			{},                                // a block with no paragraph
			{Paragraphs: []ocr.Paragraph{{}}}, // a paragraph with no line
			{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{
				{BBox: image.Rect(0, 0, 10, 10)},                                              // a line with no word
				{BBox: image.Rect(0, 20, 90, 30), Words: []ocr.Word{{Text: ""}, {Text: "x"}}}, // an empty word
			}}}},
		}}, options()},
		{"SpecialCharacters", &ocr.Page{Width: 100, Height: 100, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
			BBox: image.Rect(0, 0, 100, 10),
			Words: []ocr.Word{
				{Text: `<&"'>`}, {Text: "a]]>b"}, {Text: "tab\there"}, {Text: "ctl\x01\x1f"}, {Text: "\ufffe"}, {Text: "bad\xffutf8"},
			},
		}}}}}}}, alto.Options{Image: `scan <1> & "2".png`, Engine: "weird & <engine>", Agency: "Chi cục Văn thư & Lưu trữ"}},
		{"OverlappingWordsAndOddConfidence", &ocr.Page{Width: 100, Height: 100, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lang: "chi_sim", Lines: []ocr.Line{{
			BBox: image.Rect(0, 0, 100, 10), Baseline: [2]float64{0.01, -2},
			Words: []ocr.Word{{Text: "a", BBox: image.Rect(0, 0, 50, 10), Conf: -1}, {Text: "b", BBox: image.Rect(40, 0, 100, 10), Conf: 250}},
		}}}}}}}, options()},
		{"BadLanguageCode", &ocr.Page{Width: 10, Height: 10, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lang: "vie+eng", Lines: []ocr.Line{{
			Words: []ocr.Word{{Text: "x"}},
		}}}}}}}, options()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := write(t, tc.page, tc.opt)
			altotest.Check(t, doc)
			got := altoLines(t, doc)
			want := textLines(tc.page.Text())
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("text read from the ALTO differs from Page.Text (-want +got):\n%s", diff)
			}
		})
	}
}

// altoLines reads the words of each TextLine in document order, with a
// plain XML parser (not alto.Read), runs of whitespace as one space. It
// also checks that IDs are unique and every element is in the ALTO 4
// namespace.
func altoLines(t *testing.T, doc []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var lines []string
	var words []string
	ids := map[string]bool{}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return lines
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space != alto.Namespace {
				t.Errorf("element %s in namespace %q", e.Name.Local, e.Name.Space)
			}
			for _, a := range e.Attr {
				if a.Name.Local == "ID" {
					if ids[a.Value] {
						t.Errorf("ID %q used twice", a.Value)
					}
					ids[a.Value] = true
				}
				if e.Name.Local == "String" && a.Name.Local == "CONTENT" {
					words = append(words, a.Value)
				}
			}
		case xml.EndElement:
			if e.Name.Local == "TextLine" {
				lines = append(lines, strings.Join(strings.Fields(strings.Join(words, " ")), " "))
				words = nil
			}
		}
	}
}

// textLines is the non-empty lines of a page text, in NFC, with runs of
// whitespace as one space and characters XML cannot carry as U+FFFD.
func textLines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(norm.NFC.String(s), "\n") {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(l)) // the same replacement of invalid characters
		var u string
		_ = xml.Unmarshal([]byte("<x>"+b.String()+"</x>"), &u)
		if f := strings.Fields(u); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return out
}

func TestGolden(t *testing.T) {
	t.Parallel()
	got := write(t, samplePage(), options())
	golden := filepath.Join("testdata", "page.golden.xml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("ALTO differs from %s (-want +got):\n%s", golden, diff)
	}
	if err := altotest.Validate(golden); err != nil {
		t.Error(err)
	}
}

func TestWriteDetails(t *testing.T) {
	t.Parallel()
	doc := string(write(t, samplePage(), options()))
	for _, want := range []string{
		`xmlns="http://www.loc.gov/standards/alto/ns-v4#"`,
		`xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"`,
		`SCHEMAVERSION="4.4"`,
		`<MeasurementUnit>pixel</MeasurementUnit>`,
		`<fileName>image.png</fileName>`,
		`<processingDateTime>2026-11-28T08:15:30Z</processingDateTime>`,
		`<softwareName>tesseract</softwareName>`,
		`<softwareVersion>5.3.0</softwareVersion>`,
		`<processingStepSettings>langs=vie+eng</processingStepSettings>`,
		`<softwareName>sohoa</softwareName>`,
		`<softwareVersion>0.1.0</softwareVersion>`,
		`<Page ID="page_3" PHYSICAL_IMG_NR="3" WIDTH="1000" HEIGHT="1400"`,
		`PROCESSINGREFS="proc_ocr proc_sohoa"`,
		`<TextBlock ID="tblock_3_1" HPOS="10" VPOS="10" WIDTH="490" HEIGHT="90" LANG="vi">`,
		`BASELINE="10,35 500,35"`,
		`<String ID="string_3_1" CONTENT="ỦY" HPOS="10" VPOS="10" WIDTH="50" HEIGHT="30" WC="0.96"/>`,
		`<SP HPOS="60" VPOS="10" WIDTH="10"/>`,
		`WC="0.88"/>`, // 88.4 rounds to 2 decimals
		`CONTENT="&lt;Số:&amp;&#34;x&#34;&gt;"`,
		`CONTENT="&#39;57/QĐ-UBND&#39;"`,
		`LANG="en"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("ALTO lacks %s", want)
		}
	}
}

func TestWriteNormalizesToNFC(t *testing.T) {
	t.Parallel()
	nfd := norm.NFD.String("Việt Nam Dân chủ Cộng hòa")
	p := &ocr.Page{Width: 10, Height: 10, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
		Words: []ocr.Word{{Text: nfd}},
	}}}}}}}
	doc := write(t, p, alto.Options{Image: norm.NFD.String("trang một.png")})
	if !norm.NFC.IsNormal(doc) {
		t.Error("the ALTO is not in NFC")
	}
	if !bytes.Contains(doc, []byte("Việt Nam Dân chủ Cộng hòa")) || !bytes.Contains(doc, []byte("trang một.png")) {
		t.Error("the NFC text is missing")
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	want := samplePage()
	got, err := alto.Read(bytes.NewReader(write(t, want, options())))
	if err != nil {
		t.Fatal(err)
	}
	// ALTO has no place for these.
	want.DPI = 0
	want.Blocks[0].Paragraphs[0].Lines[0].XSize = 0
	// WC has 2 decimals.
	want.Blocks[0].Paragraphs[0].Lines[0].Words[2].Conf = 88
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("ALTO round trip mismatch (-want +got):\n%s", diff)
	}
	if got.Text() != want.Text() {
		t.Errorf("Text() = %q, want %q", got.Text(), want.Text())
	}
}

func TestRoundTripEmptyPage(t *testing.T) {
	t.Parallel()
	want := &ocr.Page{Width: 2480, Height: 3508}
	got, err := alto.Read(bytes.NewReader(write(t, want, alto.Options{})))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got.Text() != "" {
		t.Errorf("Text() = %q, want empty", got.Text())
	}
}

func TestBaseline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		baseline [2]float64
		attr     string // "" = no BASELINE
	}{
		{"Unknown", [2]float64{0, 0}, ""},
		{"Flat", [2]float64{0, -7}, `BASELINE="100,193 500,193"`},
		{"Sloped", [2]float64{0.01, -5}, `BASELINE="100,195 500,199"`},
		{"Rising", [2]float64{-0.005, -3}, `BASELINE="100,197 500,195"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &ocr.Page{Width: 600, Height: 300, Blocks: []ocr.Block{{Paragraphs: []ocr.Paragraph{{Lines: []ocr.Line{{
				BBox: image.Rect(100, 160, 500, 200), Baseline: tc.baseline,
				Words: []ocr.Word{{Text: "x", BBox: image.Rect(100, 160, 500, 200)}},
			}}}}}}}
			doc := write(t, p, alto.Options{})
			if tc.attr == "" {
				if bytes.Contains(doc, []byte("BASELINE")) {
					t.Errorf("BASELINE written for an unknown baseline")
				}
				return
			}
			if !bytes.Contains(doc, []byte(tc.attr)) {
				t.Errorf("ALTO lacks %s", tc.attr)
			}
			got, err := alto.Read(bytes.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			bl := got.Blocks[0].Paragraphs[0].Lines[0].Baseline
			// Points are whole pixels: the slope is exact to 1 px over the line.
			if d := bl[0] - tc.baseline[0]; d > 1.0/400 || d < -1.0/400 {
				t.Errorf("slope %v, want %v", bl[0], tc.baseline[0])
			}
			if d := bl[1] - tc.baseline[1]; d > 0.5 || d < -0.5 {
				t.Errorf("offset %v, want %v", bl[1], tc.baseline[1])
			}
		})
	}
}

// The validator can fail: documents that break the schema are refused.
func TestValidatorRejectsInvalidALTO(t *testing.T) {
	t.Parallel()
	valid := string(write(t, samplePage(), options()))
	for _, tc := range []struct {
		name     string
		old, new string
	}{
		{"WCAboveOne", `WC="0.96"`, `WC="1.5"`},
		{"MissingContent", `<String ID="string_3_1" CONTENT="ỦY"`, `<String ID="string_3_1"`},
		{"DuplicateID", `ID="line_3_2"`, `ID="line_3_1"`},
		{"UnknownElement", `<MeasurementUnit>pixel</MeasurementUnit>`, `<MeasurementUnit>pixel</MeasurementUnit><Foo/>`},
		{"BadUnit", `<MeasurementUnit>pixel</MeasurementUnit>`, `<MeasurementUnit>px</MeasurementUnit>`},
		{"NotWellFormed", `</alto>`, ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := strings.Replace(valid, tc.old, tc.new, 1)
			if doc == valid {
				t.Fatalf("%q not found", tc.old)
			}
			if err := altotest.ValidateBytes([]byte(doc)); err == nil {
				t.Error("an invalid document validated")
			}
		})
	}
}

// Tesseract's own ALTO (version 3, one block per ComposedBlock) reads.
func TestReadTesseractALTO3(t *testing.T) {
	t.Parallel()
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v3# http://www.loc.gov/alto/v3/alto-3-0.xsd">
	<Description>
		<MeasurementUnit>pixel</MeasurementUnit>
		<sourceImageInformation><fileName>x.png</fileName></sourceImageInformation>
		<OCRProcessing ID="OCR_0"><ocrProcessingStep><processingSoftware><softwareName>Tesseract</softwareName><softwareVersion>5.3.0</softwareVersion></processingSoftware></ocrProcessingStep></OCRProcessing>
	</Description>
	<Layout>
		<Page WIDTH="2480" HEIGHT="3508" PHYSICAL_IMG_NR="0" ID="page_0">
			<PrintSpace HPOS="0" VPOS="0" WIDTH="2480" HEIGHT="3508">
				<ComposedBlock ID="cblock_0" HPOS="100" VPOS="200" WIDTH="800" HEIGHT="60">
					<TextBlock ID="block_0" HPOS="100" VPOS="200" WIDTH="800" HEIGHT="60">
						<TextLine ID="line_0" HPOS="100" VPOS="200" WIDTH="800" HEIGHT="60">
							<String ID="string_0" HPOS="100" VPOS="200" WIDTH="300" HEIGHT="60" WC="0.93" CONTENT="CỘNG"/><SP WIDTH="20" VPOS="200" HPOS="400"/>
							<String ID="string_1" HPOS="420" VPOS="200" WIDTH="480" HEIGHT="60" WC="0.89" CONTENT="HÒA"/>
						</TextLine>
					</TextBlock>
				</ComposedBlock>
			</PrintSpace>
		</Page>
	</Layout>
</alto>`
	got, err := alto.Read(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := &ocr.Page{Width: 2480, Height: 3508, Blocks: []ocr.Block{{
		BBox: image.Rect(100, 200, 900, 260),
		Paragraphs: []ocr.Paragraph{{BBox: image.Rect(100, 200, 900, 260), Lines: []ocr.Line{{
			BBox: image.Rect(100, 200, 900, 260),
			Words: []ocr.Word{
				{Text: "CỘNG", BBox: image.Rect(100, 200, 400, 260), Conf: 93},
				{Text: "HÒA", BBox: image.Rect(420, 200, 900, 260), Conf: 89},
			},
		}}}},
	}}}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, doc string }{
		{"NotXML", "hello"},
		{"NoPage", `<alto><Layout/></alto>`},
		{"TwoPages", `<alto><Layout><Page/><Page/></Layout></alto>`},
		{"Millimetres", `<alto><Description><MeasurementUnit>mm10</MeasurementUnit></Description><Layout><Page/></Layout></alto>`},
		{"Truncated", `<alto><Layout><Page>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := alto.Read(strings.NewReader(tc.doc)); err == nil {
				t.Error("Read succeeded")
			}
		})
	}
}

func ExampleWrite() {
	page := &ocr.Page{Width: 800, Height: 200, Blocks: []ocr.Block{{
		BBox: image.Rect(40, 50, 420, 90),
		Paragraphs: []ocr.Paragraph{{BBox: image.Rect(40, 50, 420, 90), Lang: "vie", Lines: []ocr.Line{{
			BBox: image.Rect(40, 50, 420, 90),
			Words: []ocr.Word{
				{Text: "Quyết", BBox: image.Rect(40, 50, 160, 90), Conf: 95},
				{Text: "định", BBox: image.Rect(175, 50, 270, 90), Conf: 91.5},
			},
		}}}},
	}}}
	var buf bytes.Buffer
	_ = alto.Write(&buf, page, alto.Options{Image: "image.png", Engine: "tesseract 5.3.0", Version: "0.1.0", Time: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)})
	// Print only the layout.
	doc := buf.String()
	doc = doc[strings.Index(doc, "  <Layout>"):]
	os.Stdout.WriteString(doc)
	// Output:
	//   <Layout>
	//     <Page ID="page_1" PHYSICAL_IMG_NR="1" WIDTH="800" HEIGHT="200" PC="0.93" PROCESSINGREFS="proc_ocr proc_sohoa">
	//       <PrintSpace ID="pspace_1" HPOS="0" VPOS="0" WIDTH="800" HEIGHT="200">
	//         <ComposedBlock ID="cblock_1_1" HPOS="40" VPOS="50" WIDTH="380" HEIGHT="40">
	//           <TextBlock ID="tblock_1_1" HPOS="40" VPOS="50" WIDTH="380" HEIGHT="40" LANG="vi">
	//             <TextLine ID="line_1_1" HPOS="40" VPOS="50" WIDTH="380" HEIGHT="40">
	//               <String ID="string_1_1" CONTENT="Quyết" HPOS="40" VPOS="50" WIDTH="120" HEIGHT="40" WC="0.95"/>
	//               <SP HPOS="160" VPOS="50" WIDTH="15"/>
	//               <String ID="string_1_2" CONTENT="định" HPOS="175" VPOS="50" WIDTH="95" HEIGHT="40" WC="0.92"/>
	//             </TextLine>
	//           </TextBlock>
	//         </ComposedBlock>
	//       </PrintSpace>
	//     </Page>
	//   </Layout>
	// </alto>
}
