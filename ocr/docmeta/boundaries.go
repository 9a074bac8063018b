package docmeta

// Documents inside a record: a scanned record folder (hồ sơ) is one long
// run of pages holding many documents. GroupDocuments finds where each
// starts from the Decree 30 header of its first page; Merge and Split are
// an archivist's corrections. This file only reads what Extract and the
// layout helpers give; it changes nothing else in the package.

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/sohoa/sohoa/ocr"
)

// PageReading is one page of a record as the farm has it.
type PageReading struct {
	// Page is the page's OCR result; nil when the page could not be read.
	Page *ocr.Page
	// Meta is what Extract read from the page (or an archivist's
	// correction of it).
	Meta Metadata
}

// StartReason says why a document starts where it does.
type StartReason string

// Start reasons.
const (
	// StartHeader: the page carries a Decree 30 header (national title
	// and motto, issuing body, number, place and date, type).
	StartHeader StartReason = "header"
	// StartRecord: the record's first page, which has no header (a
	// cover, a list of contents, a continuation of a document the record
	// does not hold). It is flagged for review.
	StartRecord StartReason = "record-start"
	// StartManual: an archivist split the record here.
	StartManual StartReason = "manual"
)

// PageRole is what a page is within its document.
type PageRole string

// Page roles.
const (
	RoleFirst        PageRole = "first"        // the document's first page
	RoleContinuation PageRole = "continuation" // a following page
	RoleAnnex        PageRole = "annex"        // a page of an annex (PHỤ LỤC, "kèm theo ...")
	RoleBlank        PageRole = "blank"        // no text
	RoleUnread       PageRole = "unread"       // no OCR result
)

// ReviewReason says why a page needs a person's look before the grouping
// is trusted.
type ReviewReason string

// Review reasons.
const (
	// ReviewMottoOnly: the national title or motto is there without the
	// rest of a header (no number, no place and date, no type): the page
	// may start a document whose header OCR could not read, or be a
	// form. It is kept with the document before it.
	ReviewMottoOnly ReviewReason = "motto-only"
	// ReviewUncertainHeader: a header read with little evidence (a new
	// document is started, but may be wrong), or some header evidence
	// on a page taken as a continuation.
	ReviewUncertainHeader ReviewReason = "uncertain-header"
	// ReviewAnnexHeader: an annex's page that also reads as a header; it
	// is kept as an annex of the document before it.
	ReviewAnnexHeader ReviewReason = "annex-with-header"
	// ReviewNoHeaderStart: the record's first page has no header.
	ReviewNoHeaderStart ReviewReason = "no-header-start"
	// ReviewUnread: the page has no OCR result, so its place could not
	// be judged; it is kept with the document before it.
	ReviewUnread ReviewReason = "unread"
)

// PageReview is a page flagged for review.
type PageReview struct {
	// Page is the page's index in the record, from 0.
	Page   int          `json:"page"`
	Reason ReviewReason `json:"reason"`
	// Detail is a sentence for the reviewer.
	Detail string `json:"detail"`
}

// DocSpan is one document: pages Start to End-1 of the record.
type DocSpan struct {
	Start int         `json:"start"`
	End   int         `json:"end"`
	Why   StartReason `json:"why"`
}

// Len is the document's number of pages.
func (d DocSpan) Len() int { return d.End - d.Start }

// Grouping is a record's pages grouped into documents.
type Grouping struct {
	// Documents in order; together they cover every page once, in order.
	Documents []DocSpan `json:"documents"`
	// Roles holds each page's role, by page index.
	Roles []PageRole `json:"roles"`
	// Review lists the pages a person should look at, by page.
	Review []PageReview `json:"review,omitempty"`
}

// Pages is the number of pages grouped.
func (g Grouping) Pages() int { return len(g.Roles) }

// NeedsReview reports whether any page is flagged.
func (g Grouping) NeedsReview() bool { return len(g.Review) > 0 }

// DocumentOf returns the index of the document holding page i, or -1.
func (g Grouping) DocumentOf(page int) int {
	for i, d := range g.Documents {
		if page >= d.Start && page < d.End {
			return i
		}
	}
	return -1
}

// sureHeader is the document evidence (Confidence.Document) from which a
// header is taken without review: at least the national title and motto
// and a number or a place-date line (docs/metadata.md weighs them).
const sureHeader = 0.7

// someHeader is the evidence below which a page that is not a document
// is an ordinary page; at or above it, a person should look.
const someHeader = 0.3

// GroupDocuments groups a record's pages, in order, into documents. A
// document starts at a page whose header Extract took for a document's
// first page (Meta.Document). Continuation pages, blank pages and annex
// pages ("PHỤ LỤC", "(Kèm theo Quyết định số ...)" at the top) belong to
// the document before them. What cannot be decided from the page is not
// guessed silently: the page is grouped as the rule says and listed in
// Review (a header read with little evidence, a page with only the
// national motto, an annex that also reads as a header, an unread page,
// a record whose first page has no header). The record's first page
// always starts a document. It does not change the pages.
func GroupDocuments(pages []PageReading) Grouping {
	g := Grouping{Roles: make([]PageRole, len(pages))}
	for i, pr := range pages {
		start, why := false, StartHeader
		role := RoleContinuation
		review := func(r ReviewReason, detail string, args ...any) {
			g.Review = append(g.Review, PageReview{Page: i, Reason: r, Detail: fmt.Sprintf(detail, args...)})
		}
		m := pr.Meta
		switch {
		case pr.Page == nil:
			role = RoleUnread
			review(ReviewUnread, "page %d has no OCR result; it is kept with the document before it", i+1)
		case len(pr.Page.Words()) == 0:
			role = RoleBlank
		case annexPage(pr.Page):
			role = RoleAnnex
			if m.Document {
				review(ReviewAnnexHeader, "page %d starts an annex (PHỤ LỤC or \"kèm theo\") but also reads as a header (%s); it is kept as an annex", i+1, describe(m))
			}
		case m.Document:
			start, role = true, RoleFirst
			if m.Confidence.Document < sureHeader {
				review(ReviewUncertainHeader, "page %d is taken as a new document on little header evidence (%.2f: %s)", i+1, m.Confidence.Document, describe(m))
			}
		case hasMotto(pr.Page):
			review(ReviewMottoOnly, "page %d carries the national motto but no number, date or type; it is kept with the document before it", i+1)
		case m.Confidence.Document >= someHeader:
			review(ReviewUncertainHeader, "page %d has some header evidence (%.2f) but not enough for a new document; it is kept with the document before it", i+1, m.Confidence.Document)
		}
		if i == 0 && !start {
			start, why = true, StartRecord
			if role == RoleContinuation || role == RoleAnnex {
				role = RoleFirst
			}
			g.Review = append(g.Review, PageReview{Page: 0, Reason: ReviewNoHeaderStart,
				Detail: "the record's first page has no document header; it starts the first document"})
		}
		g.Roles[i] = role
		if start {
			if n := len(g.Documents); n > 0 {
				g.Documents[n-1].End = i
			}
			g.Documents = append(g.Documents, DocSpan{Start: i, End: len(pages), Why: why})
		}
	}
	slices.SortStableFunc(g.Review, func(a, b PageReview) int { return a.Page - b.Page })
	return g
}

// describe says what a header gave, for a review note.
func describe(m Metadata) string {
	var parts []string
	for _, f := range [][2]string{{"type", m.Type}, {"number", m.Number}, {"date", m.Date}} {
		if f[1] != "" {
			parts = append(parts, f[0]+" "+f[1])
		}
	}
	if len(parts) == 0 {
		return "no type, number or date"
	}
	return strings.Join(parts, ", ")
}

// ErrBoundary is wrapped by the errors of Merge, Split and
// GroupingFromStarts: a correction that does not fit the grouping.
var ErrBoundary = errors.New("invalid document boundary")

// Merge joins document doc (from 0) with the one after it: an archivist
// saying they are one document. The pages keep their roles, and the
// review notes stay (they are about pages).
func (g Grouping) Merge(doc int) (Grouping, error) {
	if doc < 0 || doc+1 >= len(g.Documents) {
		return g, fmt.Errorf("%w: cannot merge document %d with the next: the record has %d documents", ErrBoundary, doc+1, len(g.Documents))
	}
	out := g.clone()
	out.Documents[doc].End = out.Documents[doc+1].End
	out.Documents = slices.Delete(out.Documents, doc+1, doc+2)
	out.Roles[g.Documents[doc+1].Start] = RoleContinuation
	return out, nil
}

// Split starts a new document at page (from 0): an archivist saying a
// document begins there. The page must not start a document already, and
// cannot be the record's first page.
func (g Grouping) Split(page int) (Grouping, error) {
	if page <= 0 || page >= g.Pages() {
		return g, fmt.Errorf("%w: cannot start a document at page %d of %d", ErrBoundary, page+1, g.Pages())
	}
	d := g.DocumentOf(page)
	if d < 0 || g.Documents[d].Start == page {
		return g, fmt.Errorf("%w: page %d starts a document already", ErrBoundary, page+1)
	}
	out := g.clone()
	end := out.Documents[d].End
	out.Documents[d].End = page
	out.Documents = slices.Insert(out.Documents, d+1, DocSpan{Start: page, End: end, Why: StartManual})
	out.Roles[page] = RoleFirst
	return out, nil
}

// Starts returns the first page of every document: what a store needs to
// keep a grouping (GroupingFromStarts makes it again).
func (g Grouping) Starts() []int {
	out := make([]int, len(g.Documents))
	for i, d := range g.Documents {
		out[i] = d.Start
	}
	return out
}

// GroupingFromStarts makes the grouping of a record of n pages whose
// documents start at the given pages (increasing, the first 0), with the
// roles and reasons of base where a document started there in base (and
// StartManual elsewhere). base may be the zero Grouping.
func GroupingFromStarts(n int, starts []int, base Grouping) (Grouping, error) {
	if n <= 0 || len(starts) == 0 || starts[0] != 0 {
		return Grouping{}, fmt.Errorf("%w: a record of %d pages needs documents starting at page 1", ErrBoundary, n)
	}
	g := Grouping{Roles: make([]PageRole, n), Review: slices.Clone(base.Review)}
	if base.Pages() == n {
		copy(g.Roles, base.Roles)
	}
	for i, s := range starts {
		if s >= n || (i > 0 && s <= starts[i-1]) {
			return Grouping{}, fmt.Errorf("%w: document starts %v are not increasing pages of %d", ErrBoundary, starts, n)
		}
		end := n
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		why := StartManual
		for _, d := range base.Documents {
			if d.Start == s {
				why = d.Why
			}
		}
		g.Documents = append(g.Documents, DocSpan{Start: s, End: end, Why: why})
	}
	for i := range g.Roles {
		switch {
		case slices.Contains(starts, i):
			g.Roles[i] = RoleFirst
		case g.Roles[i] == RoleFirst || g.Roles[i] == "":
			g.Roles[i] = RoleContinuation
		}
	}
	return g, nil
}

func (g Grouping) clone() Grouping {
	return Grouping{
		Documents: slices.Clone(g.Documents),
		Roles:     slices.Clone(g.Roles),
		Review:    slices.Clone(g.Review),
	}
}

// annexLine matches the opening of an annex: "PHỤ LỤC", or the
// "(Kèm theo ...)" / "(Ban hành kèm theo ...)" line under an annex's or
// an attached regulation's title (folded, lower case).
var annexLine = regexp.MustCompile(`^\(?\s*(phu luc\b|(ban hanh )?kem theo\b)`)

// annexPage reports a page whose top part (the upper 40%) has a line
// that opens an annex.
func annexPage(p *ocr.Page) bool {
	l := newLayout(p)
	for _, ln := range l.lines {
		if ln.box.Min.Y > l.h*40/100 {
			break
		}
		t := strings.ToLower(fold(strings.TrimSpace(ln.text())))
		if annexLine.MatchString(t) {
			return true
		}
	}
	return false
}

// hasMotto reports a page whose upper 30% has the national title or
// motto (fuzzily, as Extract finds them).
func hasMotto(p *ocr.Page) bool {
	l := newLayout(p)
	for _, ln := range l.lines {
		if ln.box.Min.Y > l.h*30/100 {
			break
		}
		for _, target := range []string{mottoTitle, mottoLine} {
			if _, _, sim := findPhrase(ln.words, target); sim >= 0.75 {
				return true
			}
		}
	}
	return false
}
