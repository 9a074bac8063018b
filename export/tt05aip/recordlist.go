package tt05aip

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// MaxRecordListSize is the largest record list ParseRecordList reads: a
// province's mục lục of tens of thousands of records is a few megabytes.
const MaxRecordListSize = 32 << 20

// RecordList is a record list (mục lục hồ sơ): one row per record, its
// fields and the source files that hold it. docs/archive-package.md
// describes the CSV.
type RecordList struct {
	Rows []ListRow
	// Ignored are the header cells of columns that are neither a record
	// field nor the sources column ("STT", "Hộp số"), as written. Callers
	// should show them: a misspelt field name lands here.
	Ignored []string
}

// ListRow is one record of a record list.
type ListRow struct {
	// Line is the row's line number in the file (the header is line 1).
	Line   int
	Record Record
	// Sources name the record's scans, in order.
	Sources []SourceRef
}

// SourceRef names source files of a record: a name or a pattern, and
// optionally some of its pages.
type SourceRef struct {
	// Pattern is a source's name as uploaded, slash-separated ("hop12/
	// hs160.pdf"), or a path.Match pattern ("hop12/hs160_*.tif"). A
	// pattern without a slash matches the base name too. Matching
	// ignores case.
	Pattern string
	// Pages are 1-based page ranges of the matched sources, in order;
	// nil for all pages.
	Pages []PageRange
}

// PageRange is pages First to Last of a source, 1-based, inclusive.
type PageRange struct {
	First, Last int
}

func (p PageRange) String() string {
	if p.First == p.Last {
		return strconv.Itoa(p.First)
	}
	return strconv.Itoa(p.First) + "-" + strconv.Itoa(p.Last)
}

// ListProblem is one problem of a record list.
type ListProblem struct {
	// Line in the file; 0 for the file as a whole.
	Line int
	// Field is the field or column concerned, "" when none.
	Field  string
	Value  string
	Reason string
}

func (p ListProblem) Error() string {
	var b strings.Builder
	b.WriteString("record list")
	if p.Line > 0 {
		fmt.Fprintf(&b, " line %d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	if p.Value != "" {
		fmt.Fprintf(&b, "%q ", p.Value)
	}
	b.WriteString(p.Reason)
	return b.String()
}

// RecordListError lists every problem of a record list. It wraps
// ErrInvalid.
type RecordListError struct {
	Problems []ListProblem
}

func (e *RecordListError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *RecordListError) Is(target error) bool { return target == ErrInvalid }

type problems []ListProblem

func (ps *problems) add(line int, field, value, reason string, args ...any) {
	*ps = append(*ps, ListProblem{Line: line, Field: field, Value: value, Reason: fmt.Sprintf(reason, args...)})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &RecordListError{Problems: ps}
}

// The record list's own columns: the source files, and the record's
// dates in one cell as mục lục print them ("2001", "05/01/2001 -
// 30/12/2001", "2001–2003"), for startDate and endDate.
const (
	columnSources = "sources"
	columnDates   = "dates"
)

// dateLabels are the other headers the dates column may have.
var dateLabels = []string{"Thời gian tài liệu", "Thời gian", "Niên đại"}

// sourceLabels are the other headers the sources column may have.
var sourceLabels = []string{"source", "tệp", "tệp tin", "tệp quét", "tệp số hóa", "file", "files"}

// column maps a header cell to a record key or columnSources; "" for a
// column that is ignored.
func column(header string) string {
	h := strings.TrimSpace(header)
	for _, s := range recordSpecs {
		if strings.EqualFold(s.name, h) {
			return s.name
		}
	}
	if strings.EqualFold(h, columnSources) {
		return columnSources
	}
	if strings.EqualFold(h, columnDates) {
		return columnDates
	}
	k := fold(h)
	if k == "" {
		return ""
	}
	for _, s := range recordSpecs {
		if fold(s.vi) == k {
			return s.name
		}
		for _, l := range s.labels {
			if fold(l) == k {
				return s.name
			}
		}
	}
	for _, l := range sourceLabels {
		if fold(l) == k {
			return columnSources
		}
	}
	for _, l := range dateLabels {
		if fold(l) == k {
			return columnDates
		}
	}
	return ""
}

// ParseRecordList reads a record list: CSV in UTF-8 (with or without the
// byte order mark Excel writes), or UTF-16 with its byte order mark
// (Excel's "Unicode text"), separated by commas, semicolons or tabs
// (decided from the header line). The header names the columns: record
// keys (arcFileCode, title, ...) or their Vietnamese names ("Tiêu đề hồ
// sơ", "Thời hạn bảo quản"), and the sources column ("sources" or "Tệp").
// Values are read as Record.Set reads them. Every row must give what
// Record.ValidateGiven asks and at least one source. It returns every
// problem found, by line, in a *RecordListError.
func ParseRecordList(r io.Reader) (*RecordList, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxRecordListSize+1))
	if err != nil {
		return nil, fmt.Errorf("record list: %w", err)
	}
	if len(data) > MaxRecordListSize {
		return nil, problems{{Reason: fmt.Sprintf("is larger than %d MiB", MaxRecordListSize>>20)}}.err()
	}
	text, perr := decodeText(data)
	if perr != nil {
		return nil, problems{*perr}.err()
	}
	text = norm.NFC.String(text)

	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delimiter(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, problems{{Reason: "is empty"}}.err()
	}
	if err != nil {
		return nil, problems{csvProblem(err)}.err()
	}

	var ps problems
	list := &RecordList{}
	cols := make([]string, len(header))
	seen := map[string]int{}
	for i, h := range header {
		c := column(h)
		cols[i] = c
		switch {
		case c == "" && strings.TrimSpace(h) != "":
			list.Ignored = append(list.Ignored, strings.TrimSpace(h))
		case c == "":
		case seen[c] > 0:
			ps.add(1, c, strings.TrimSpace(h), "is a second column for %s (column %d is the first)", c, seen[c])
		default:
			seen[c] = i + 1
		}
	}
	if seen[columnSources] == 0 {
		ps.add(1, "", "", "has no sources column: add one headed \"sources\" (or \"Tệp\") naming each record's scans")
	}
	if seen[columnDates] > 0 && (seen[FieldStartDate] > 0 || seen[FieldEndDate] > 0) {
		ps.add(1, "", "", "has both a dates column (column %d) and startDate or endDate columns: keep one or the other", seen[columnDates])
	}
	if seen[FieldArcFileCode] == 0 {
		ps.add(1, "", "", "has no arcFileCode column (\"Mã hồ sơ lưu trữ\")")
	}
	if len(ps) > 0 {
		return nil, ps.err()
	}

	codes := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			ps = append(ps, csvProblem(err))
			break
		}
		line, _ := cr.FieldPos(0)
		if blankRow(rec) {
			continue
		}
		row := ListRow{Line: line}
		bad := map[string]bool{}
		for i, v := range rec {
			if i >= len(cols) {
				if strings.TrimSpace(v) != "" {
					ps.add(line, "", v, "is in column %d, which has no header", i+1)
				}
				continue
			}
			switch c := cols[i]; c {
			case "":
			case columnDates:
				a, b := splitDateRange(v)
				for _, fv := range [][2]string{{FieldStartDate, a}, {FieldEndDate, b}} {
					if err := row.Record.Set(fv[0], fv[1]); err != nil {
						for _, fe := range err.(*ValidationError).Errors {
							ps.add(line, columnDates, v, "has %s %q, which %s", fe.Field, fe.Value, fe.Reason)
							bad[fe.Field] = true
						}
					}
				}
			case columnSources:
				refs, refused := parseSources(v)
				for _, r := range refused {
					ps.add(line, columnSources, r[0], "%s", r[1])
					bad[columnSources] = true
				}
				row.Sources = refs
			default:
				if err := row.Record.Set(c, v); err != nil {
					for _, fe := range err.(*ValidationError).Errors {
						ps.add(line, fe.Field, fe.Value, "%s", fe.Reason)
						bad[fe.Field] = true
					}
				}
			}
		}
		if err := row.Record.ValidateGiven(); err != nil {
			for _, fe := range err.(*ValidationError).Errors {
				if !bad[fe.Field] { // a value Set refused is reported once
					ps.add(line, fe.Field, fe.Value, "%s", fe.Reason)
				}
			}
		}
		if len(row.Sources) == 0 && !bad[columnSources] {
			ps.add(line, columnSources, "", "is empty: name the record's scans (file names or patterns such as hop12/hs160_*.tif)")
		}
		if c := row.Record.ArcFileCode; c != "" {
			if first, dup := codes[c]; dup {
				ps.add(line, FieldArcFileCode, c, "is the record of line %d already", first)
			} else {
				codes[c] = line
			}
		}
		list.Rows = append(list.Rows, row)
	}
	if len(list.Rows) == 0 && len(ps) == 0 {
		ps.add(0, "", "", "has a header but no records")
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return list, nil
}

// decodeText turns the file's bytes into text: UTF-8 (a byte order mark
// is dropped) or UTF-16 with a byte order mark. Anything else is refused
// with what to do: a list saved by Excel as "CSV (Comma delimited)" on a
// Vietnamese Windows is in code page 1258, and guessing would put wrong
// letters into the archive.
func decodeText(data []byte) (string, *ListProblem) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", &ListProblem{Reason: "is UTF-16 but cannot be decoded: " + err.Error()}
		}
		data = out
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidAt(data)], []byte{'\n'})
		return "", &ListProblem{Line: line, Reason: "is not UTF-8 text (probably saved as \"CSV (Comma delimited)\", code page 1258): save it again as \"CSV UTF-8 (Comma delimited)\""}
	}
	return string(data), nil
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// delimiter is the separator the header line uses most: ',', ';' (Excel
// where the decimal mark is a comma) or a tab.
func delimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		if r == '\n' {
			break
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func csvProblem(err error) ListProblem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return ListProblem{Line: pe.Line, Reason: "is not well-formed CSV: " + pe.Err.Error()}
	}
	return ListProblem{Reason: err.Error()}
}

func blankRow(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// splitDateRange splits a dates cell into the start and end: "A - B",
// "A – B", "A—B", "YYYY-YYYY"; a single date is both.
func splitDateRange(v string) (string, string) {
	v = strings.TrimSpace(v)
	for _, sep := range []string{" - ", "–", "—", " đến ", "-"} {
		a, b, ok := strings.Cut(v, sep)
		if !ok {
			continue
		}
		if sep == "-" && !(reY.MatchString(strings.TrimSpace(a)) && reY.MatchString(strings.TrimSpace(b))) {
			continue // "05-01-2001" is one date
		}
		return strings.TrimSpace(a), strings.TrimSpace(b)
	}
	return v, v
}

// parseSources reads a sources cell: items separated by ';' or line
// breaks, each a name or pattern with optional pages after '#':
// "hs160.pdf#1-12,15; hop12/hs160_*.tif". It returns the refs and the
// (item, reason) of items it cannot use.
func parseSources(cell string) ([]SourceRef, [][2]string) {
	var refs []SourceRef
	var bad [][2]string
	for _, item := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '\n' || r == '\r' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		pat, pages, hasPages := strings.Cut(item, "#")
		pat = strings.Trim(strings.ReplaceAll(strings.TrimSpace(pat), `\`, "/"), "/")
		if pat == "" {
			bad = append(bad, [2]string{item, "names no file"})
			continue
		}
		if _, err := path.Match(pat, ""); err != nil {
			bad = append(bad, [2]string{item, "is not a valid pattern (" + err.Error() + ")"})
			continue
		}
		ref := SourceRef{Pattern: pat}
		if hasPages {
			rs, why := parsePages(pages)
			if why != "" {
				bad = append(bad, [2]string{item, why})
				continue
			}
			ref.Pages = rs
		}
		refs = append(refs, ref)
	}
	return refs, bad
}

// parsePages reads "1-12,15,20-22" into ranges.
func parsePages(s string) ([]PageRange, string) {
	var out []PageRange
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		a, b, isRange := strings.Cut(part, "-")
		first, err1 := strconv.Atoi(strings.TrimSpace(a))
		last, err2 := first, error(nil)
		if isRange {
			last, err2 = strconv.Atoi(strings.TrimSpace(b))
		}
		switch {
		case part == "":
			return nil, "has an empty page range after '#'"
		case err1 != nil || err2 != nil:
			return nil, fmt.Sprintf("has page range %q, which is not N or N-M", part)
		case first < 1 || last < first:
			return nil, fmt.Sprintf("has page range %q: pages count from 1 and a range runs forwards", part)
		}
		for _, o := range out {
			if first <= o.Last && o.First <= last {
				return nil, fmt.Sprintf("names pages %s twice", PageRange{max(first, o.First), min(last, o.Last)})
			}
		}
		out = append(out, PageRange{first, last})
	}
	return out, ""
}

// Assignment is which sources of a batch belong to which record.
type Assignment struct {
	// Records in the list's order.
	Records []AssignedRecord
	// Unassigned are the batch's sources no row names.
	Unassigned []string
}

// AssignedRecord is one record with its parts, in order.
type AssignedRecord struct {
	Line   int
	Record Record
	Parts  []Part
}

// Part is a source file, or some of its pages, that belongs to a record.
type Part struct {
	Source string
	// Pages to take, in order; nil for all of them.
	Pages []PageRange
}

// PageNumbers returns the 1-based page numbers a part takes from a source of n
// pages, in order, or an error when a range goes past the last page.
func (p Part) PageNumbers(n int) ([]int, error) {
	if p.Pages == nil {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out, nil
	}
	var out []int
	for _, r := range p.Pages {
		if r.Last > n {
			return nil, fmt.Errorf("%w: %s has %d pages; the record list names pages %s", ErrInvalid, p.Source, n, r)
		}
		for i := r.First; i <= r.Last; i++ {
			out = append(out, i)
		}
	}
	return out, nil
}

// Assign maps a batch's sources (their names as uploaded, slash-
// separated) to the list's records. A pattern that matches none of them,
// and a source (or a page of it) that two rows claim, are errors; a
// source no row names is returned in Unassigned (the caller decides
// whether that is an error). Sources matched by one pattern are taken in
// natural order (scan2 before scan10).
func (l *RecordList) Assign(sources []string) (*Assignment, error) {
	var ps problems
	out := &Assignment{}
	type claim struct {
		line  int
		pages []PageRange
	}
	claims := map[string][]claim{}
	sorted := slices.Clone(sources)
	slices.SortFunc(sorted, naturalCompare)
	for _, row := range l.Rows {
		ar := AssignedRecord{Line: row.Line, Record: row.Record}
		for _, ref := range row.Sources {
			matched := false
			for _, s := range sorted {
				if !matchSource(ref.Pattern, s) {
					continue
				}
				matched = true
				if slices.ContainsFunc(ar.Parts, func(p Part) bool { return p.Source == s && p.Pages == nil && ref.Pages == nil }) {
					continue // one row naming a whole file twice ("*.tif" and "a.tif"): taken once
				}
				for _, c := range claims[s] {
					if overlap, ok := pagesOverlap(c.pages, ref.Pages); ok {
						ps.add(row.Line, columnSources, ref.Pattern, "takes %s of %s, which line %d takes already", overlap, s, c.line)
					}
				}
				claims[s] = append(claims[s], claim{row.Line, ref.Pages})
				ar.Parts = append(ar.Parts, Part{Source: s, Pages: ref.Pages})
			}
			if !matched {
				ps.add(row.Line, columnSources, ref.Pattern, "matches no file of the batch")
			}
		}
		out.Records = append(out.Records, ar)
	}
	for _, s := range sources {
		if len(claims[s]) == 0 {
			out.Unassigned = append(out.Unassigned, s)
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// pagesOverlap reports the pages two claims on one source share (nil
// ranges are the whole source).
func pagesOverlap(a, b []PageRange) (string, bool) {
	switch {
	case a == nil && b == nil:
		return "all pages", true
	case a == nil:
		return "pages " + b[0].String(), true
	case b == nil:
		return "pages " + a[0].String(), true
	}
	for _, x := range a {
		for _, y := range b {
			if x.First <= y.Last && y.First <= x.Last {
				return "pages " + PageRange{max(x.First, y.First), min(x.Last, y.Last)}.String(), true
			}
		}
	}
	return "", false
}

// matchSource matches a source name against a pattern, ignoring case; a
// pattern without '/' matches the base name too.
func matchSource(pattern, name string) bool {
	p, n := strings.ToLower(norm.NFC.String(pattern)), strings.ToLower(norm.NFC.String(name))
	if ok, _ := path.Match(p, n); ok {
		return true
	}
	if !strings.Contains(p, "/") {
		ok, _ := path.Match(p, path.Base(n))
		return ok
	}
	return false
}

// naturalCompare orders names with runs of digits compared as numbers:
// "scan2.tif" before "scan10.tif".
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			x := strings.TrimLeft(a[:da], "0")
			y := strings.TrimLeft(b[:db], "0")
			if c := len(x) - len(y); c != 0 {
				return c
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return int(ra) - int(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
