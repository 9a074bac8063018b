package mixed

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
)

// Kind is what is printed on a page.
type Kind string

// The kinds of page. Their shares in a set are kindWeights.
const (
	KindAdmin     Kind = "admin"      // a Decree 30 document: two-column header, title, body, closing block
	KindProse     Kind = "prose"      // ordinary Vietnamese text, one column
	KindTwoColumn Kind = "two-column" // Vietnamese or English text in two columns
	KindTable     Kind = "table"      // a table, with ruling lines or without
	KindList      Kind = "list"       // a numbered or dashed list
	KindEnglish   Kind = "english"    // an English letter, report, list or table
	KindSparse    Kind = "sparse"     // one short line: a folder title, "Trang này để trắng", one word
	KindBlank     Kind = "blank"      // nothing printed; maybe a stamp-like blob or punch-hole shadows
)

// Kinds lists every kind.
var Kinds = []Kind{KindAdmin, KindProse, KindTwoColumn, KindTable, KindList, KindEnglish, KindSparse, KindBlank}

var kindWeights = map[Kind]int{
	KindAdmin: 32, KindProse: 10, KindTwoColumn: 10, KindTable: 12,
	KindList: 8, KindEnglish: 10, KindSparse: 9, KindBlank: 9,
}

// paper is a sheet size in millimetres.
type paper struct {
	Name string
	W, H float64
}

var (
	paperA4     = paper{"A4", 210, 297}
	paperLetter = paper{"Letter", 215.9, 279.4}
)

// style is how a page is typeset.
type style struct {
	Family     family
	SizePt     float64
	LineHeight float64
	// Margins in mm: top, right, bottom, left.
	Margins [4]float64
	Paper   paper
	Justify bool
	Indent  float64 // first-line indent in mm
	Gap     float64 // space after a paragraph in pt
}

func drawStyle(r *rand.Rand, p paper) style {
	s := style{
		Family:     pick(r, families),
		SizePt:     float64(between(r, 20, 28)) / 2, // 10 to 14 pt in half points
		LineHeight: float64(between(r, 10, 18)) / 10,
		Margins:    [4]float64{uniform(r, 12, 30), uniform(r, 10, 25), uniform(r, 12, 25), uniform(r, 15, 35)},
		Paper:      p,
		Justify:    chance(r, 0.6),
		Gap:        float64(between(r, 0, 8)),
	}
	if chance(r, 0.6) {
		s.Indent = uniform(r, 5, 12)
	}
	return s
}

// page is the HTML of a page being built.
type page struct {
	st   style
	body strings.Builder
}

func esc(s string) string { return html.EscapeString(s) }

// el writes one element with escaped text.
func (p *page) el(tag, class, text string) {
	fmt.Fprintf(&p.body, "<%s class=%q>%s</%s>\n", tag, class, esc(text), tag)
}

func (p *page) raw(s string) { p.body.WriteString(s) }

// para writes a body paragraph; cut marks it as one the page may drop
// from the end when the text does not fit.
func (p *page) para(text string, cut bool) {
	c := "p"
	if cut {
		c += " cut"
	}
	p.el("p", c, text)
}

func (p *page) rule(widthPct int) {
	fmt.Fprintf(&p.body, "<div class=\"rule\" style=\"width:%d%%\"></div>\n", widthPct)
}

// html returns the whole document.
func (p *page) html() string {
	st := p.st
	var css strings.Builder
	for i, w := range []string{"400 normal", "700 normal", "400 italic", "700 italic"} {
		f := strings.Fields(w)
		fmt.Fprintf(&css, "@font-face{font-family:\"F\";src:url(\"/font/%s/%d\");font-weight:%s;font-style:%s}\n",
			strings.ReplaceAll(st.Family.Name, " ", "_"), i, f[0], f[1])
	}
	align := "left"
	if st.Justify {
		align = "justify"
	}
	fmt.Fprintf(&css, `@page{size:%.1fmm %.1fmm;margin:0}
html,body{margin:0;padding:0;background:#fff}
.page{width:%.1fmm;height:%.1fmm;box-sizing:border-box;padding:%.1fmm %.1fmm %.1fmm %.1fmm;
font-family:"F";font-size:%.1fpt;line-height:%.2f;color:#000;overflow:hidden;position:relative}
.p{margin:0 0 %.0fpt 0;text-align:%s;text-indent:%.1fmm}
.c{text-align:center;margin:0}
.l{text-align:left;margin:0}
.r{text-align:right;margin:0}
.b{font-weight:700}
.i{font-style:italic}
.h{font-weight:700;text-align:center;margin:6pt 0}
.rule{border-top:1px solid #000;margin:2pt auto 4pt auto;height:0}
.hdr{display:flex;justify-content:space-between;align-items:flex-start;margin-bottom:10pt}
.hdr>div{text-align:center}
.foot{display:flex;justify-content:space-between;margin-top:10pt}
.small{font-size:0.85em}
table{border-collapse:collapse;width:100%%;margin:6pt 0}
td,th{padding:2pt 4pt;vertical-align:top;text-align:left}
table.ruled td,table.ruled th{border:1px solid #000}
table.open th{border-bottom:1px solid #000}
.num{text-align:right}
.cols{column-count:2;column-gap:%.1fmm;text-align:%s}
.cols .p{break-inside:auto}
.list{margin:0 0 0 %.1fmm}
.list div{margin:0 0 %.0fpt 0;text-align:left}
`, st.Paper.W, st.Paper.H, st.Paper.W, st.Paper.H-0.5, st.Margins[0], st.Margins[1], st.Margins[2], st.Margins[3],
		st.SizePt, st.LineHeight, st.Gap, align, st.Indent, 6.0, align, 6.0, st.Gap/2)
	return "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><style>\n" + css.String() +
		"</style></head><body><div class=\"page\">\n" + p.body.String() + "</div></body></html>\n"
}

// content draws the HTML of a page of the given kind. It returns the
// page, a short description of what it holds (the variant) and its
// language.
func content(r *rand.Rand, kind Kind) (*page, string, string) {
	f := newFiller(r)
	switch kind {
	case KindAdmin:
		p := &page{st: drawStyle(r, paperA4)}
		return p, admin(r, f, p), "vie"
	case KindProse:
		p := &page{st: drawStyle(r, paperA4)}
		prose(r, f, p)
		return p, "prose", "vie"
	case KindTwoColumn:
		p := &page{st: drawStyle(r, paperA4)}
		if chance(r, 0.25) {
			twoColumn(r, f, p, englishSentences, pick(r, englishTitles))
			return p, "english", "eng"
		}
		twoColumn(r, f, p, proseSentences, f.fill(pick(r, proseTitles)))
		return p, "vietnamese", "vie"
	case KindTable:
		p := &page{st: drawStyle(r, paperA4)}
		return p, table(r, f, p, false), "vie"
	case KindList:
		p := &page{st: drawStyle(r, paperA4)}
		list(r, f, p, false)
		return p, "list", "vie"
	case KindEnglish:
		pp := paperA4
		if chance(r, 0.5) {
			pp = paperLetter
		}
		p := &page{st: drawStyle(r, pp)}
		switch r.IntN(4) {
		case 0:
			letter(r, f, p)
			return p, "letter", "eng"
		case 1:
			englishReport(r, f, p)
			return p, "report", "eng"
		case 2:
			return p, table(r, f, p, true), "eng"
		default:
			list(r, f, p, true)
			return p, "list", "eng"
		}
	case KindSparse:
		p := &page{st: drawStyle(r, paperA4)}
		v, lang := sparse(r, f, p)
		return p, v, lang
	}
	return nil, "", ""
}

func admin(r *rand.Rand, f *filler, p *page) string {
	type docType struct{ title, code, name string }
	types := []docType{
		{"QUYẾT ĐỊNH", "QĐ", "quyết định"}, {"QUYẾT ĐỊNH", "QĐ", "quyết định"},
		{"THÔNG BÁO", "TB", "thông báo"}, {"KẾ HOẠCH", "KH", "kế hoạch"},
		{"BÁO CÁO", "BC", "báo cáo"}, {"TỜ TRÌNH", "TTr", "tờ trình"},
		{"", "", "công văn"}, {"", "", "công văn"},
	}
	dt := pick(r, types)
	// Issuing body.
	var parent, issuer []string
	// head is the title of the person who decides, in full ("CHỦ TỊCH ỦY
	// BAN NHÂN DÂN TỈNH ..."); title is its first words ("CHỦ TỊCH").
	var head, title, signBody, bodyCode string
	switch r.IntN(4) {
	case 0, 1:
		issuer = []string{"ỦY BAN NHÂN DÂN", "TỈNH " + strings.ToUpper(f.province)}
		title, signBody, bodyCode = "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "UBND"
		head = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH " + strings.ToUpper(f.province)
	case 2:
		d := pick(r, departments)
		parent = []string{"UBND TỈNH " + strings.ToUpper(f.province)}
		issuer = []string{d.Name}
		head, title, bodyCode = d.Head+" "+d.Name, d.Head, d.Code
	default:
		if chance(r, 0.5) {
			issuer = []string{"ỦY BAN NHÂN DÂN", "HUYỆN " + strings.ToUpper(f.district)}
			title, signBody, bodyCode = "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "UBND"
			head = "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN " + strings.ToUpper(f.district)
		} else {
			d := pick(r, districtOffices)
			parent = []string{"UBND HUYỆN " + strings.ToUpper(f.district)}
			issuer = []string{d.Name}
			head, title, bodyCode = d.Head+" "+d.Name, d.Head, d.Code
		}
	}
	f.code = bodyCode
	number := fmt.Sprintf("Số: %d/%s", between(r, 1, 3999), bodyCode)
	if dt.code != "" {
		if dt.code == "QĐ" && chance(r, 0.3) {
			number = fmt.Sprintf("Số: %d/%d/QĐ-%s", between(r, 1, 99), f.year, bodyCode)
		} else {
			number = fmt.Sprintf("Số: %d/%s-%s", between(r, 1, 3999), dt.code, bodyCode)
		}
	}
	place := f.province
	if strings.Contains(issuer[len(issuer)-1], "HUYỆN") || (len(parent) > 0 && strings.Contains(parent[0], "HUYỆN")) {
		place = f.district
	}
	d, m := between(r, 1, 28), between(r, 1, 12)
	dateLine := fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", place, d, m, f.year)
	if m > 2 {
		dateLine = fmt.Sprintf("%s, ngày %02d tháng %d năm %d", place, d, m, f.year)
	}
	subject := f.fill(pick(r, subjects))

	// Header: left column (bodies, number, V/v), then right column.
	hs := 0.85 + 0.1*r.Float64() // the header is set a little smaller
	fmt.Fprintf(&p.body, "<div class=\"hdr\" style=\"font-size:%.2fem\"><div style=\"width:42%%\">\n", hs)
	for _, l := range parent {
		p.el("div", "c", l)
	}
	for _, l := range issuer {
		p.el("div", "c b", l)
	}
	p.rule(35)
	p.el("div", "c", number)
	if dt.code == "" {
		p.el("div", "c small", "V/v "+subject)
	}
	p.raw("</div><div style=\"width:56%\">\n")
	p.el("div", "c b", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	p.el("div", "c b", "Độc lập - Tự do - Hạnh phúc")
	p.rule(45)
	p.el("div", "c i", dateLine)
	p.raw("</div></div>\n")

	variant := dt.name
	if dt.title != "" {
		p.el("div", "h", dt.title)
		pre := pick(r, []string{"Về việc ", "V/v ", ""})
		fmt.Fprintf(&p.body, "<div class=\"c b\">%s</div>\n", esc(pre+subject))
		p.rule(25)
	} else {
		fmt.Fprintf(&p.body, "<div class=\"c\" style=\"margin:8pt 0\">Kính gửi: %s</div>\n", esc(pick(r, kinhGui)))
	}

	switch dt.code {
	case "QĐ":
		p.el("div", "h", head)
		for _, c := range pickN(r, canCu, between(r, 2, 4)) {
			p.el("p", "p i", f.fill(c))
		}
		p.el("p", "p i", f.fill(pick(r, deNghi)))
		p.el("div", "h", "QUYẾT ĐỊNH:")
		n := between(r, 2, 4)
		for i := 1; i <= n; i++ {
			text := f.sentences(adminSentences, between(r, 1, 3))
			if i == n {
				text = pick(r, articleClosers)
			}
			fmt.Fprintf(&p.body, "<p class=\"p%s\"><b>Điều %d.</b> %s</p>\n", map[bool]string{true: "", false: " cut"}[i == 1 || i == n], i, esc(text))
		}
	case "KH", "BC":
		heads := sectionHeads[:3]
		if dt.code == "BC" {
			heads = sectionHeads[3:]
		}
		for _, h := range heads[:between(r, 2, 3)] {
			p.el("p", "p b cut", h)
			for range between(r, 1, 2) {
				p.para(f.sentences(adminSentences, between(r, 2, 3)), true)
			}
		}
	default:
		for range between(r, 2, 5) {
			p.para(f.sentences(adminSentences, between(r, 2, 4)), true)
		}
	}

	// Closing: recipients on the left, signature on the right.
	p.raw("<div class=\"foot\"><div style=\"width:45%\">\n")
	p.raw("<div class=\"l b i small\">Nơi nhận:</div>\n")
	for _, l := range pickN(r, noiNhan[:len(noiNhan)-2], between(r, 2, 4)) {
		p.el("div", "l small", f.fill(l))
	}
	p.el("div", "l small", f.fill(pick(r, noiNhan[len(noiNhan)-2:])))
	p.raw("</div><div style=\"width:50%\" id=\"sign\">\n")
	switch {
	case signBody != "" && chance(r, 0.5):
		p.el("div", "c b", signBody)
		p.el("div", "c b", title)
	case chance(r, 0.4):
		p.el("div", "c b", "KT. "+title)
		p.el("div", "c b", "PHÓ "+title)
	default:
		p.el("div", "c b", title)
	}
	p.raw("<div style=\"height:22mm\"></div>\n")
	p.el("div", "c b", person(r))
	p.raw("</div></div>\n")
	return variant
}

func prose(r *rand.Rand, f *filler, p *page) {
	p.el("div", "h", f.fill(pick(r, proseTitles)))
	for range between(r, 4, 8) {
		if chance(r, 0.15) {
			p.el("p", "p b cut", f.fill(pick(r, proseTitles)))
		}
		p.para(f.sentences(proseSentences, between(r, 2, 5)), true)
	}
}

func twoColumn(r *rand.Rand, f *filler, p *page, bank []string, title string) {
	p.el("div", "h", title)
	p.raw("<div class=\"cols\">\n")
	for range between(r, 5, 9) {
		p.para(f.sentences(bank, between(r, 2, 5)), true)
	}
	p.raw("</div>\n")
}

// table writes a title, an intro and a table with or without ruling lines.
func table(r *rand.Rand, f *filler, p *page, english bool) string {
	ruled := chance(r, 0.6)
	cls := "open"
	variant := "table-open"
	if ruled {
		cls, variant = "ruled", "table-ruled"
	}
	var head []string
	var row func(i int) []string
	switch {
	case english:
		p.el("div", "h", pick(r, []string{"Schedule of Expenditure", "Inventory of Boxes Received", "Staff on Duty"}))
		head = []string{"No.", "Item", "Quantity", "Unit cost", "Amount"}
		items := []string{"Archival boxes", "Acid-free folders", "Dehumidifier", "Shelving unit", "Scanner lamp", "Cotton gloves", "Map cabinet", "Labels"}
		row = func(i int) []string {
			q, c := between(r, 1, 400), between(r, 2, 900)
			return []string{fmt.Sprintf("%d", i), pick(r, items), fmt.Sprintf("%d", q), fmt.Sprintf("%d.%02d", c, r.IntN(100)), groupThousands(q*c, ",")}
		}
	default:
		t := r.IntN(3)
		p.el("div", "h", f.fill(pick(r, tableTitles[t])))
		if chance(r, 0.6) {
			p.el("p", "p", f.fill(pick(r, adminSentences)))
		}
		switch t {
		case 0:
			head = []string{"STT", "Họ và tên", "Năm sinh", "Địa chỉ", "Mức hỗ trợ (đồng)"}
			row = func(i int) []string {
				return []string{fmt.Sprintf("%d", i), person(r), fmt.Sprintf("%d", between(r, 1940, 2005)), "Xã " + pick(r, communes), groupThousands(between(r, 5, 60)*100000, ".")}
			}
		case 1:
			head = []string{"STT", "Tên phông", "Thời gian", "Số hộp", "Mét giá"}
			row = func(i int) []string {
				y := between(r, 1960, 2015)
				return []string{fmt.Sprintf("%d", i), f.fill(pick(r, []string{"UBND xã {commune}", "Phòng Nội vụ huyện {district}", "Hợp tác xã {commune}", "Trường THCS {commune}"})),
					fmt.Sprintf("%d-%d", y, y+between(r, 1, 20)), fmt.Sprintf("%d", between(r, 2, 240)), fmt.Sprintf("%d,%d", between(r, 0, 30), r.IntN(10))}
			}
		default:
			head = []string{"STT", "Nội dung", "Đơn vị tính", "Kế hoạch", "Thực hiện"}
			items := []string{"Trồng rừng tập trung", "Kiên cố hóa kênh mương", "Làm đường giao thông nông thôn", "Cấp nước sạch", "Sửa chữa phòng học", "Hỗ trợ nhà ở"}
			units := []string{"ha", "km", "công trình", "hộ", "phòng"}
			row = func(i int) []string {
				k := between(r, 5, 900)
				return []string{fmt.Sprintf("%d", i), pick(r, items), pick(r, units), fmt.Sprintf("%d", k), fmt.Sprintf("%d", k*between(r, 70, 115)/100)}
			}
		}
	}
	fmt.Fprintf(&p.body, "<table class=%q><tr>", cls)
	for _, h := range head {
		fmt.Fprintf(&p.body, "<th>%s</th>", esc(h))
	}
	p.raw("</tr>\n")
	for i := 1; i <= between(r, 5, 18); i++ {
		p.raw("<tr class=\"cut\">")
		for j, c := range row(i) {
			cl := ""
			if j >= 3 {
				cl = " class=\"num\""
			}
			fmt.Fprintf(&p.body, "<td%s>%s</td>", cl, esc(c))
		}
		p.raw("</tr>\n")
	}
	p.raw("</table>\n")
	return variant
}

func list(r *rand.Rand, f *filler, p *page, english bool) {
	items, title := listItems, f.fill(pick(r, listTitles))
	if english {
		items, title = englishListItems, pick(r, []string{"Checklist for Scanning Staff", "Reading Room Rules", "Tasks for the Week"})
	}
	p.el("div", "h", title)
	marker := r.IntN(3)
	p.raw("<div class=\"list\">\n")
	for i, it := range pickN(r, items, between(r, 4, len(items))) {
		var m string
		switch marker {
		case 0:
			m = fmt.Sprintf("%d. ", i+1)
		case 1:
			m = "- "
		default:
			m = fmt.Sprintf("%c) ", 'a'+i)
		}
		p.el("div", "cut", m+f.fill(it)+pick(r, []string{";", ".", ""}))
	}
	p.raw("</div>\n")
	if chance(r, 0.5) {
		bank := proseSentences
		if english {
			bank = englishSentences
		}
		p.para(f.sentences(bank, between(r, 2, 3)), true)
	}
}

func letter(r *rand.Rand, f *filler, p *page) {
	from, to := pick(r, englishNames), pick(r, englishNames)
	p.el("div", "r", "County Records Office")
	p.el("div", "r", fmt.Sprintf("%d Mill Lane, %s", between(r, 2, 180), pick(r, englishPlaces)))
	p.el("div", "r", f.fill("{edate}"))
	p.raw("<div style=\"height:8mm\"></div>\n")
	p.el("div", "l", to)
	p.el("div", "l", fmt.Sprintf("%d Station Road", between(r, 1, 90)))
	p.el("div", "l", pick(r, englishPlaces))
	p.raw("<div style=\"height:6mm\"></div>\n")
	p.el("p", "p", "Dear "+pick(r, []string{"Ms ", "Mr ", "Dr "})+strings.Fields(to)[1]+",")
	for range between(r, 2, 4) {
		p.para(f.sentences(englishSentences, between(r, 2, 4)), true)
	}
	p.el("p", "p", "Yours sincerely,")
	p.raw("<div style=\"height:14mm\"></div>\n")
	p.el("div", "l", from)
	p.el("div", "l i", pick(r, []string{"Archivist", "Records Manager", "Secretary to the Committee"}))
}

func englishReport(r *rand.Rand, f *filler, p *page) {
	p.el("div", "h", pick(r, englishTitles))
	for i := range between(r, 2, 4) {
		p.el("p", "p b cut", fmt.Sprintf("%d. %s", i+1, pick(r, []string{"Background", "Findings", "Expenditure", "Recommendations", "Attendance"})))
		p.para(f.sentences(englishSentences, between(r, 2, 4)), true)
	}
}

func sparse(r *rand.Rand, f *filler, p *page) (string, string) {
	lines, lang := sparseLines, "vie"
	if chance(r, 0.2) {
		lines, lang = sparseEnglish, "eng"
	}
	text := f.fill(pick(r, lines))
	size := pick(r, []float64{1, 1.6, 2.2})
	top := between(r, 15, 55)
	fmt.Fprintf(&p.body, "<div style=\"height:%dmm\"></div><div class=\"c b\" style=\"font-size:%.1fem\">%s</div>\n", top, size, esc(text))
	return text, lang
}
