package main

import (
	"fmt"
	"strconv"
	"strings"
)

// job is one output image: which document, how it is set, and what is done
// to it after printing.
type job struct {
	Set  string // "pages", "degraded", "documents"
	Name string // file stem
	Kind string // degradation, see degradeKinds
	Doc  string // corpus id
	Back string // corpus id of the back of the sheet (bleed-through)
	TS   typeset
}

func ts(family string, body float64) typeset {
	t := typeset{Family: family, BodyPt: body, HeadPt: 13, Leading: 1.0, RightMM: 15}
	switch family {
	case famDejaVu, famNoto:
		// Wider faces with taller line heights: clerks set them smaller.
		t.HeadPt = 12
		t.Leading = 0.95
	case famFree:
		t.Leading = 1.08
		t.RightMM = 20
	}
	return t
}

// plan lists every output in a fixed order.
func plan() []job {
	lib, dv, fr, no := famLiberation, famDejaVu, famFree, famNoto
	return []job{
		{Set: "pages", Name: "quyet-dinh-clean", Kind: "clean", Doc: "qd-vinh-halong", TS: ts(lib, 14)},
		{Set: "pages", Name: "nghi-quyet-clean", Kind: "clean", Doc: "nq-hdnd-hocsinh", TS: ts(lib, 14)},
		{Set: "pages", Name: "cong-van-clean", Kind: "clean", Doc: "cv-khoangsan", TS: ts(lib, 14)},
		{Set: "pages", Name: "thong-bao-grey", Kind: "grey", Doc: "tb-uongbi", TS: ts(lib, 14)},
		{Set: "pages", Name: "quyet-dinh-skew", Kind: "skew-1.5", Doc: "qd-stnmt-kiemtra", TS: ts(no, 13)},
		{Set: "pages", Name: "ke-hoach-noise", Kind: "noise-light", Doc: "kh-halong-dulich", TS: ts(lib, 14)},

		{Set: "degraded", Name: "clean-1", Kind: "clean", Doc: "qd-chieusang", TS: ts(lib, 14)},
		{Set: "degraded", Name: "clean-2", Kind: "clean", Doc: "qd-mongcai-gpmb", TS: ts(dv, 13)},
		{Set: "degraded", Name: "skew-3", Kind: "skew-3", Doc: "nq-campha-thuhoi", TS: ts(lib, 14)},
		{Set: "degraded", Name: "skew-8", Kind: "skew-8", Doc: "tb-sgtvt-cau", TS: ts(fr, 14)},
		{Set: "degraded", Name: "skew-neg5", Kind: "skew-neg5", Doc: "cv-vandon-chayrung", TS: ts(lib, 14)},
		{Set: "degraded", Name: "rot90", Kind: "rot90", Doc: "cv-sgd-khan", TS: ts(lib, 14)},
		{Set: "degraded", Name: "rot180", Kind: "rot180", Doc: "ttr-rungngapman", TS: ts(no, 13)},
		{Set: "degraded", Name: "rot270", Kind: "rot270", Doc: "cv-dongtrieu-mat", TS: ts(lib, 14)},
		{Set: "degraded", Name: "noise", Kind: "noise", Doc: "bc-vinh-racthai", TS: ts(lib, 14)},
		{Set: "degraded", Name: "blur", Kind: "blur", Doc: "kh-svhttdl-sukien", TS: ts(fr, 14)},
		{Set: "degraded", Name: "uneven-light", Kind: "uneven-light", Doc: "qd-vinh-halong", TS: ts(dv, 13)},
		{Set: "degraded", Name: "yellow", Kind: "yellow", Doc: "qd-stnmt-kiemtra", TS: ts(lib, 14)},
		{Set: "degraded", Name: "stain", Kind: "stain", Doc: "nq-hdnd-hocsinh", TS: ts(fr, 13)},
		{Set: "degraded", Name: "faint", Kind: "faint", Doc: "cv-khoangsan", TS: ts(no, 13)},
		{Set: "degraded", Name: "bleed-through", Kind: "bleed-through", Doc: "bc-tienyen", Back: "qd-mongcai-gpmb", TS: ts(lib, 14)},
		{Set: "degraded", Name: "border", Kind: "border", Doc: "kh-halong-dulich", TS: ts(dv, 13)},
		{Set: "degraded", Name: "lowdpi-150", Kind: "lowdpi-150", Doc: "tb-uongbi", TS: ts(lib, 14)},
		{Set: "degraded", Name: "jpeg-q25", Kind: "jpeg-q25", Doc: "qd-chieusang", TS: ts(no, 13)},
		{Set: "degraded", Name: "combo", Kind: "combo", Doc: "tb-sgtvt-cau", TS: ts(lib, 14)},

		{Set: "documents", Name: "doc-01-quyet-dinh", Kind: "clean", Doc: "qd-chieusang", TS: ts(lib, 13)},
		{Set: "documents", Name: "doc-02-nghi-quyet", Kind: "skew-1", Doc: "nq-campha-thuhoi", TS: ts(lib, 14)},
		{Set: "documents", Name: "doc-03-cong-van-mat", Kind: "clean", Doc: "cv-dongtrieu-mat", TS: ts(dv, 13)},
		{Set: "documents", Name: "doc-04-bao-cao", Kind: "clean", Doc: "bc-tienyen", TS: ts(lib, 14)},
		{Set: "documents", Name: "doc-05-ke-hoach", Kind: "clean", Doc: "kh-svhttdl-sukien", TS: ts(no, 13)},
		{Set: "documents", Name: "doc-06-to-trinh", Kind: "skew-neg1", Doc: "ttr-rungngapman", TS: ts(lib, 14)},
		{Set: "documents", Name: "doc-07-thong-bao", Kind: "clean", Doc: "tb-sgtvt-cau", TS: ts(fr, 14)},
		{Set: "documents", Name: "doc-08-cong-van-khan", Kind: "skew-1", Doc: "cv-sgd-khan", TS: ts(lib, 14)},
		{Set: "documents", Name: "doc-09-bao-cao", Kind: "clean", Doc: "bc-vinh-racthai", TS: ts(lib, 14)},
		{Set: "documents", Name: "doc-10-quyet-dinh", Kind: "clean", Doc: "qd-mongcai-gpmb", TS: ts(no, 13)},
		{Set: "documents", Name: "doc-11-cong-van", Kind: "clean", Doc: "cv-vandon-chayrung", TS: ts(fr, 14)},
		{Set: "documents", Name: "doc-12-nghi-quyet", Kind: "clean", Doc: "nq-hdnd-hocsinh", TS: ts(dv, 13)},
		{Set: "documents", Name: "nondoc-01-prose", Kind: "clean", Doc: "nd-prose", TS: ts(lib, 14)},
		{Set: "documents", Name: "nondoc-02-table", Kind: "clean", Doc: "nd-table", TS: ts(lib, 14)},
	}
}

// heldOutPlan lists pages for evaluation only (sohoa bench --set, the
// metadata check): the same kinds of damage and the same documents as
// plan, but set in other faces and combined differently (other skew
// angles too), so that a change tuned on samples/ can be checked on pages
// it was not tuned on. They are not committed: gen -heldout -out DIR.
func heldOutPlan() []job {
	lib, dv, fr, no := famLiberation, famDejaVu, famFree, famNoto
	return []job{
		{Set: "pages", Name: "h-clean-c", Kind: "clean", Doc: "tb-sgtvt-cau", TS: ts(no, 13)},
		{Set: "pages", Name: "h-clean-d", Kind: "clean", Doc: "qd-mongcai-gpmb", TS: ts(fr, 14)},
		{Set: "pages", Name: "h-grey", Kind: "grey", Doc: "cv-vandon-chayrung", TS: ts(dv, 13)},
		{Set: "pages", Name: "h-skew-1", Kind: "skew-1", Doc: "bc-vinh-racthai", TS: ts(lib, 14)},

		{Set: "degraded", Name: "h-clean-a", Kind: "clean", Doc: "cv-sgd-khan", TS: ts(fr, 13)},
		{Set: "degraded", Name: "h-clean-b", Kind: "clean", Doc: "bc-tienyen", TS: ts(no, 14)},
		{Set: "degraded", Name: "h-skew-7", Kind: "skew-7", Doc: "cv-khoangsan", TS: ts(dv, 13)},
		{Set: "degraded", Name: "h-skew-neg6", Kind: "skew-neg6", Doc: "cv-sgd-khan", TS: ts(lib, 14)},
		{Set: "degraded", Name: "h-skew-0.4", Kind: "skew-0.4", Doc: "ttr-rungngapman", TS: ts(lib, 14)},
		{Set: "degraded", Name: "h-skew-neg2.5", Kind: "skew-neg2.5", Doc: "nq-hdnd-hocsinh", TS: ts(no, 13)},
		{Set: "degraded", Name: "h-rot90", Kind: "rot90", Doc: "qd-mongcai-gpmb", TS: ts(dv, 13)},
		{Set: "degraded", Name: "h-rot180", Kind: "rot180", Doc: "bc-vinh-racthai", TS: ts(fr, 14)},
		{Set: "degraded", Name: "h-rot270", Kind: "rot270", Doc: "tb-uongbi", TS: ts(no, 13)},
		{Set: "degraded", Name: "h-noise", Kind: "noise", Doc: "qd-stnmt-kiemtra", TS: ts(dv, 13)},
		{Set: "degraded", Name: "h-blur", Kind: "blur", Doc: "cv-khoangsan", TS: ts(lib, 14)},
		{Set: "degraded", Name: "h-uneven-light", Kind: "uneven-light", Doc: "nq-campha-thuhoi", TS: ts(fr, 14)},
		{Set: "degraded", Name: "h-yellow", Kind: "yellow", Doc: "cv-vandon-chayrung", TS: ts(no, 13)},
		{Set: "degraded", Name: "h-stain", Kind: "stain", Doc: "kh-svhttdl-sukien", TS: ts(lib, 14)},
		{Set: "degraded", Name: "h-faint", Kind: "faint", Doc: "tb-sgtvt-cau", TS: ts(dv, 13)},
		{Set: "degraded", Name: "h-bleed-through", Kind: "bleed-through", Doc: "qd-vinh-halong", Back: "cv-khoangsan", TS: ts(lib, 14)},
		{Set: "degraded", Name: "h-border", Kind: "border", Doc: "cv-dongtrieu-mat", TS: ts(lib, 14)},
		{Set: "degraded", Name: "h-lowdpi-150", Kind: "lowdpi-150", Doc: "nq-campha-thuhoi", TS: ts(no, 13)},
		{Set: "degraded", Name: "h-jpeg-q25", Kind: "jpeg-q25", Doc: "bc-tienyen", TS: ts(fr, 14)},
		{Set: "degraded", Name: "h-combo", Kind: "combo", Doc: "qd-stnmt-kiemtra", TS: ts(dv, 13)},

		{Set: "documents", Name: "hd-01-qd-stnmt-kiemtra", Kind: "clean", Doc: "qd-stnmt-kiemtra", TS: ts(dv, 13)},
		{Set: "documents", Name: "hd-02-nq-hdnd-hocsinh", Kind: "skew-neg1.5", Doc: "nq-hdnd-hocsinh", TS: ts(no, 13)},
		{Set: "documents", Name: "hd-03-cv-khoangsan", Kind: "grey", Doc: "cv-khoangsan", TS: ts(lib, 14)},
		{Set: "documents", Name: "hd-04-cv-sgd-khan", Kind: "skew-0.7", Doc: "cv-sgd-khan", TS: ts(fr, 14)},
		{Set: "documents", Name: "hd-05-bc-tienyen", Kind: "clean", Doc: "bc-tienyen", TS: ts(dv, 13)},
		{Set: "documents", Name: "hd-06-kh-halong-dulich", Kind: "skew-1.5", Doc: "kh-halong-dulich", TS: ts(no, 13)},
		{Set: "documents", Name: "hd-07-ttr-rungngapman", Kind: "clean", Doc: "ttr-rungngapman", TS: ts(lib, 14)},
		{Set: "documents", Name: "hd-08-tb-uongbi", Kind: "skew-neg1.5", Doc: "tb-uongbi", TS: ts(fr, 14)},
		{Set: "documents", Name: "hd-09-qd-chieusang", Kind: "grey", Doc: "qd-chieusang", TS: ts(dv, 13)},
		{Set: "documents", Name: "hd-10-cv-dongtrieu-mat", Kind: "skew-0.7", Doc: "cv-dongtrieu-mat", TS: ts(no, 13)},
		{Set: "documents", Name: "hd-11-qd-mongcai-gpmb", Kind: "clean", Doc: "qd-mongcai-gpmb", TS: ts(lib, 14)},
		{Set: "documents", Name: "hd-12-nq-campha-thuhoi", Kind: "skew-1.5", Doc: "nq-campha-thuhoi", TS: ts(fr, 14)},
		{Set: "documents", Name: "hd-13-bc-vinh-racthai", Kind: "clean", Doc: "bc-vinh-racthai", TS: ts(dv, 13)},
		{Set: "documents", Name: "hd-14-kh-svhttdl-sukien", Kind: "skew-neg1.5", Doc: "kh-svhttdl-sukien", TS: ts(no, 13)},
		{Set: "documents", Name: "hd-15-tb-sgtvt-cau", Kind: "grey", Doc: "tb-sgtvt-cau", TS: ts(lib, 14)},
		{Set: "documents", Name: "hd-16-cv-vandon-chayrung", Kind: "skew-0.7", Doc: "cv-vandon-chayrung", TS: ts(fr, 14)},
	}
}

// skewAngle parses "skew-3", "skew-1.5" or "skew-neg5" into degrees
// (positive: counter-clockwise as seen).
func skewAngle(kind string) (float64, bool) {
	s, ok := strings.CutPrefix(kind, "skew-")
	if !ok {
		return 0, false
	}
	sign := 1.0
	if rest, neg := strings.CutPrefix(s, "neg"); neg {
		sign, s = -1, rest
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || v > 45 {
		return 0, false
	}
	return sign * v, true
}

// typeSlug is the document type for the manifest, "none" for a page
// that is not an administrative document.
func typeSlug(d *doc) string {
	if !d.isDocument() {
		return "none"
	}
	return d.Type
}

// validateDoc checks a corpus document for the conventions the ground
// truth promises.
func validateDoc(id string, d *doc) error {
	if !d.isDocument() {
		return nil
	}
	if !d.Date.valid() || d.Date.Y < 2019 || d.Date.Y > 2026 {
		return fmt.Errorf("doc %s: bad date %v", id, d.Date)
	}
	if d.Title == "" && d.Type != "công văn" {
		return fmt.Errorf("doc %s: only a công văn has no title", id)
	}
	if d.Type == "công văn" && d.SubjectPrefix != "V/v " {
		return fmt.Errorf("doc %s: a công văn subject starts with V/v", id)
	}
	if d.Number == "" || d.Place == "" || d.Subject == "" || d.Signer == "" {
		return fmt.Errorf("doc %s: missing number, place, subject or signer", id)
	}
	return nil
}
