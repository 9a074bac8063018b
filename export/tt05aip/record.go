package tt05aip

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Record is a record's (hồ sơ's) metadata: the 18 fields of AIP_hoso's
// EAD.xml, by the circular's names, plus sohoa's FileCode and FondsCode.
// Values are text as the package writes them: codes ("01"), dates
// DD/MM/YYYY (MM/YYYY or YYYY for StartDate and EndDate), whole numbers in
// decimal. Set and ParseRecordFlags normalise what people type into that
// form; an empty value is unknown.
type Record struct {
	// ArcFileCode is the record's archival code: the archive's code then
	// the record code (mã cơ quan lưu trữ + mã hồ sơ). Required.
	ArcFileCode string `json:"arcFileCode"`
	// Title of the record. Required.
	Title string `json:"title"`
	// Maintenance is the retention period's code, 01 (permanent) to 07.
	// Required.
	Maintenance string `json:"maintenance"`
	// Mode is the access regime's code: 01 public, 02 conditional, 03
	// secret. Required.
	Mode string `json:"mode"`
	// Language code, 01 (Vietnamese) to 11. Required in the package; the
	// farm gives the language it read when none is given.
	Language string `json:"language,omitempty"`
	// StartDate and EndDate bound the record's documents. Required in the
	// package; the farm gives its documents' earliest and latest dates.
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
	// Keyword, optional.
	Keyword string `json:"keyword,omitempty"`
	// TotalDoc is the number of documents. The farm counts them.
	TotalDoc string `json:"totalDoc,omitempty"`
	// NumberOfPaper is the number of sheets of paper. The farm cannot
	// count sheets (a sheet may have one or two scanned sides): left
	// empty unless given.
	NumberOfPaper string `json:"numberOfPaper,omitempty"`
	// NumberOfPage is the number of pages. The farm counts them.
	NumberOfPage string `json:"numberOfPage,omitempty"`
	// Format is the physical state's code (01 good, 02 normal, 03
	// damaged), optional.
	Format string `json:"format,omitempty"`
	// InforSign is the information sign (ký hiệu thông tin), optional.
	InforSign string `json:"inforSign,omitempty"`
	// ConfidenceLevel is 01 born digital, 02 digitised, 03 mixed. The
	// farm's records are digitised: 02 when not given.
	ConfidenceLevel string `json:"confidenceLevel,omitempty"`
	// PaperFileCode is the paper record's code ([archive].[store, shelf,
	// box].[paper record number]); required for a digitised record.
	PaperFileCode string `json:"paperFileCode"`
	// RiskRecovery is "1" when a backup copy (dự phòng) exists, "0" when
	// not; optional.
	RiskRecovery string `json:"riskRecovery,omitempty"`
	// RiskRecoveryStatus is 01 (backed up) or 02 (not yet); required when
	// RiskRecovery is "1".
	RiskRecoveryStatus string `json:"riskRecoveryStatus,omitempty"`
	// Description, optional (the person who made the record, notes).
	Description string `json:"description,omitempty"`

	// FileCode is the record code (mã hồ sơ) the files are named after,
	// when ArcFileCode carries the archive's code in front of it:
	// ArcFileCode must then be FileCode or end with "." + FileCode.
	// Empty: the record code is ArcFileCode. Not written into EAD.xml.
	FileCode string `json:"fileCode,omitempty"`
	// FondsCode is the fonds code (mã phông); when given, the package
	// identifier is urn:<FondsCode>:uuid:<UUID>. Not written into EAD.xml.
	FondsCode string `json:"fondsCode,omitempty"`
}

// field returns the record's field of that name, nil for no such field.
func (r *Record) field(name string) *string {
	switch name {
	case FieldArcFileCode:
		return &r.ArcFileCode
	case FieldTitle:
		return &r.Title
	case FieldMaintenance:
		return &r.Maintenance
	case FieldMode:
		return &r.Mode
	case FieldLanguage:
		return &r.Language
	case FieldStartDate:
		return &r.StartDate
	case FieldEndDate:
		return &r.EndDate
	case FieldKeyword:
		return &r.Keyword
	case FieldTotalDoc:
		return &r.TotalDoc
	case FieldNumberOfPaper:
		return &r.NumberOfPaper
	case FieldNumberOfPage:
		return &r.NumberOfPage
	case FieldFormat:
		return &r.Format
	case FieldInforSign:
		return &r.InforSign
	case FieldConfidenceLevel:
		return &r.ConfidenceLevel
	case FieldPaperFileCode:
		return &r.PaperFileCode
	case FieldRiskRecovery:
		return &r.RiskRecovery
	case FieldRiskRecoveryStatus:
		return &r.RiskRecoveryStatus
	case FieldDescription:
		return &r.Description
	case FieldFileCode:
		return &r.FileCode
	case FieldFondsCode:
		return &r.FondsCode
	}
	return nil
}

// Get returns the value of a field by its name ("" for an unknown name).
func (r Record) Get(name string) string {
	if p := r.field(name); p != nil {
		return *p
	}
	return ""
}

// RecordKeys returns the keys Set and ParseRecordFlags accept: the 18
// fields, then fileCode and fondsCode.
func RecordKeys() []string { return names(recordSpecs) }

// Set sets a field by its name (case is ignored: "arcfilecode" works),
// normalising the value: "vĩnh viễn" becomes maintenance 01, "2025-03-05"
// becomes 05/03/2025. An empty value clears the field. It returns a
// *ValidationError for an unknown key or an unusable value.
func (r *Record) Set(key, value string) error {
	s, ok := recordSpec(key)
	if !ok {
		return (errs{{Field: key, Reason: "is not a record field; the keys are " + strings.Join(RecordKeys(), ", ")}}).err()
	}
	v, why := normalize(s, norm.NFC.String(value))
	if why != "" {
		return (errs{{Field: s.name, Value: v, Reason: why}}).err()
	}
	*r.field(s.name) = v
	return nil
}

func recordSpec(key string) (spec, bool) {
	for _, s := range recordSpecs {
		if strings.EqualFold(s.name, strings.TrimSpace(key)) {
			return s, true
		}
	}
	return spec{}, false
}

// ParseRecordFlags reads KEY=VALUE pairs (the --record flags of sohoa run
// and submit) into a Record: keys as RecordKeys names them, values as Set
// takes them. A key given twice, an unknown key or an unusable value is an
// error; every problem is reported at once, in a *ValidationError.
func ParseRecordFlags(pairs []string) (Record, error) {
	var r Record
	var es errs
	seen := map[string]bool{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			es.add(0, p, "", "is not KEY=VALUE")
			continue
		}
		s, known := recordSpec(k)
		if known && seen[s.name] {
			es.add(0, s.name, "", "is given twice")
			continue
		}
		if err := r.Set(k, v); err != nil {
			es = append(es, err.(*ValidationError).Errors...)
			continue
		}
		seen[s.name] = true
	}
	return r, es.err()
}

// Merge returns r with every non-empty field of o put over it: a record
// list's row with the --record flags over it.
func (r Record) Merge(o Record) Record {
	for _, s := range recordSpecs {
		if v := *o.field(s.name); v != "" {
			*r.field(s.name) = v
		}
	}
	return r
}

// Code returns the record code (mã hồ sơ) that names the record's files
// and document codes: FileCode when given, else ArcFileCode. It fails
// when the code is missing or could not be part of a file name.
func (r Record) Code() (string, error) {
	code := r.FileCode
	if code == "" {
		code = r.ArcFileCode
	}
	if code == "" {
		return "", fmt.Errorf("%w: the record has no code (arcFileCode, or fileCode)", ErrInvalid)
	}
	if err := CheckCode(code); err != nil {
		return "", err
	}
	return code, nil
}

// ValidateGiven checks what must be known before a record is queued: the
// fields only an archivist can give (arcFileCode, title, maintenance, mode,
// paperFileCode) are present, and every value present is valid. It returns
// a *ValidationError listing every problem.
func (r Record) ValidateGiven() error { return r.validate(needGiven) }

// Validate checks a record ready for the package: ValidateGiven's checks,
// and the fields the farm fills in (language, startDate, endDate,
// totalDoc, numberOfPage, confidenceLevel) are present too.
func (r Record) Validate() error { return r.validate(needExport) }

func (r Record) validate(level need) error {
	var es errs
	for _, s := range recordSpecs {
		v := *r.field(s.name)
		if v == "" {
			if s.need != needNo && s.need <= level {
				es.add(0, s.name, "", "is required (%s)", s.vi)
			}
			continue
		}
		if nv, why := normalize(s, v); why != "" {
			es.add(0, s.name, v, "%s", why)
		} else if nv != v {
			es.add(0, s.name, v, "is not in the package's form (%q); set it with Set", nv)
		}
	}
	if r.RiskRecovery == "1" && r.RiskRecoveryStatus == "" {
		es.add(0, FieldRiskRecoveryStatus, "", "is required when riskRecovery is 1 (01 backed up, 02 not yet)")
	}
	if v := r.RiskRecoveryStatus; v != "" && v != "01" && v != "02" {
		es.add(0, FieldRiskRecoveryStatus, v, "is not 01 (backed up) or 02 (not yet)")
	}
	if r.StartDate != "" && r.EndDate != "" {
		a, errA := ParseDate(r.StartDate)
		b, errB := ParseDate(r.EndDate)
		if errA == nil && errB == nil && b.Before(a) {
			es.add(0, FieldEndDate, r.EndDate, "is before startDate %s", r.StartDate)
		}
	}
	for _, f := range []string{FieldArcFileCode, FieldFileCode, FieldFondsCode} {
		if v := r.Get(f); v != "" {
			if why := codeProblem(v); why != "" {
				es.add(0, f, v, "%s", why)
			}
		}
	}
	if r.FileCode != "" && r.ArcFileCode != "" && r.ArcFileCode != r.FileCode && !strings.HasSuffix(r.ArcFileCode, "."+r.FileCode) {
		es.add(0, FieldFileCode, r.FileCode, "is not the end of arcFileCode %q (arcFileCode is the archive's code + the record code)", r.ArcFileCode)
	}
	slices.SortStableFunc(es, func(a, b FieldError) int { return fieldIndex(recordSpecs, a.Field) - fieldIndex(recordSpecs, b.Field) })
	return es.err()
}

func fieldIndex(ss []spec, name string) int {
	for i, s := range ss {
		if s.name == name {
			return i
		}
	}
	return len(ss)
}

// WithFarmDefaults fills the record fields the farm knows before the
// documents are made, when they are not given: language from the OCR
// language (Tesseract's "vie", or "vi", mapped onto the language table;
// an unknown language leaves the field empty) and confidenceLevel 02
// (digitised: the farm made the record from scans).
func (r Record) WithFarmDefaults(ocrLanguage string) Record {
	if r.Language == "" {
		t, _ := TableOf(FieldLanguage)
		// "vie+eng" is the engine's model list, not a bilingual record:
		// the first language is the one the pages were read in.
		first, _, _ := strings.Cut(ocrLanguage, "+")
		if c, ok := t.Lookup(first); ok {
			r.Language = c
		}
	}
	if r.ConfidenceLevel == "" {
		r.ConfidenceLevel = "02"
	}
	return r
}

// WithDocuments fills the record fields that follow from its documents,
// when they are not given: totalDoc (their number), numberOfPage (their
// pages) and startDate and endDate (their earliest and latest
// issuedDate; left empty when no document has a date).
func (r Record) WithDocuments(docs []Document) Record {
	if r.TotalDoc == "" && len(docs) > 0 {
		r.TotalDoc = strconv.Itoa(len(docs))
	}
	pages, counted := 0, true
	var first, last Date
	for _, d := range docs {
		n, err := strconv.Atoi(d.NumberOfPage)
		if err != nil {
			counted = false
		}
		pages += n
		if dt, err := ParseDate(d.IssuedDate); err == nil && dt.Full() {
			if first.IsZero() || dt.Before(first) {
				first = dt
			}
			if last.IsZero() || last.Before(dt) {
				last = dt
			}
		}
	}
	if r.NumberOfPage == "" && counted && pages > 0 {
		r.NumberOfPage = strconv.Itoa(pages)
	}
	if r.StartDate == "" {
		r.StartDate = first.String()
	}
	if r.EndDate == "" {
		r.EndDate = last.String()
	}
	return r
}
