package docmeta

import (
	"slices"
	"strings"
)

// DocType is a kind of administrative document and the abbreviation its
// number carries.
type DocType struct {
	// Name is the type in lower case, as Metadata.Type holds it: "quyết định".
	Name string
	// Code is the abbreviation used in document numbers: "QĐ". Empty for
	// công văn, which has none.
	Code string
}

// CongVan is the type name of an official letter (công văn): it has no
// type line and no abbreviation, its number carries the issuing body's
// abbreviation instead ("05/UBND-TNMT").
const CongVan = "công văn"

// Types returns the document types of Decree 30/2020/NĐ-CP, Appendix III
// (names and abbreviations of administrative document types) in the
// decree's order, with công văn, which has no abbreviation, last.
func Types() []DocType { return slices.Clone(docTypes) }

var docTypes = []DocType{
	{"nghị quyết", "NQ"},
	{"quyết định", "QĐ"},
	{"chỉ thị", "CT"},
	{"quy chế", "QC"},
	{"quy định", "QyĐ"},
	{"thông cáo", "TC"},
	{"thông báo", "TB"},
	{"hướng dẫn", "HD"},
	{"chương trình", "CTr"},
	{"kế hoạch", "KH"},
	{"phương án", "PA"},
	{"đề án", "ĐA"},
	{"dự án", "DA"},
	{"báo cáo", "BC"},
	{"biên bản", "BB"},
	{"tờ trình", "TTr"},
	{"hợp đồng", "HĐ"},
	{"công điện", "CĐ"},
	{"bản ghi nhớ", "BGN"},
	{"bản thỏa thuận", "BTT"},
	{"giấy ủy quyền", "GUQ"},
	{"giấy mời", "GM"},
	{"giấy giới thiệu", "GGT"},
	{"giấy nghỉ phép", "GNP"},
	{"phiếu gửi", "PG"},
	{"phiếu chuyển", "PC"},
	{"phiếu báo", "PB"},
	{CongVan, ""},
}

// TypeByName returns the type with the given name (compared without
// diacritics and case), if it is one of Types.
func TypeByName(name string) (DocType, bool) {
	k := key(name)
	for _, t := range docTypes {
		if key(t.Name) == k {
			return t, true
		}
	}
	return DocType{}, false
}

// typesByCode returns the types whose abbreviation is code: the exact
// spelling first, then ones equal ignoring case and Đ/D ("QD" is QĐ,
// "HD" is Hướng dẫn HD exactly but may be Hợp đồng HĐ read without its
// stroke). exact reports an exact match of the first result.
func typesByCode(code string) (ts []DocType, exact bool) {
	if code == "" {
		return nil, false
	}
	for _, t := range docTypes {
		if t.Code == code {
			ts = append(ts, t)
			exact = true
		}
	}
	k := key(code)
	for _, t := range docTypes {
		if t.Code != "" && t.Code != code && key(t.Code) == k {
			ts = append(ts, t)
		}
	}
	return ts, exact
}

// titleMatch is a document type a title line may name, and how well.
type titleMatch struct {
	t   DocType
	sim float64
}

// matchTitle compares a title line ("QUYẾT ĐỊNH", "QUYET DINH:",
// "KẾHOẠCH") with every type name, ignoring diacritics, case, spacing
// and punctuation, and returns the types it may be, best first, with
// a similarity of at least min.
func matchTitle(s string, min float64) []titleMatch {
	k := key(s)
	if len(k) < 4 {
		return nil
	}
	var out []titleMatch
	for _, t := range docTypes {
		if sim := similarity(k, key(t.Name)); sim >= min {
			out = append(out, titleMatch{t, sim})
		}
	}
	slices.SortStableFunc(out, func(a, b titleMatch) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		return 0
	})
	return out
}

// titleCase is a type name as the national standard's type list spells
// it: first letter upper case ("Quyết định").
func titleCase(name string) string {
	if name == "" {
		return ""
	}
	r := []rune(name)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
