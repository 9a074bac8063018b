package main

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestSkewAngle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind string
		want float64
		ok   bool
	}{
		{"skew-3", 3, true},
		{"skew-1.5", 1.5, true},
		{"skew-neg5", -5, true},
		{"skew-", 0, false},
		{"skew-x", 0, false},
		{"skew-90", 0, false},
		{"rot90", 0, false},
	}
	for _, tt := range tests {
		got, ok := skewAngle(tt.kind)
		if got != tt.want || ok != tt.ok {
			t.Errorf("skewAngle(%q) = %g, %v; want %g, %v", tt.kind, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCorpusIsValidNFC(t *testing.T) {
	t.Parallel()
	for id, d := range corpus() {
		if err := validateDoc(id, d); err != nil {
			t.Error(err)
		}
		all := []string{d.Number, d.Place, d.Subject, d.Signer, d.Secrecy, d.Urgency}
		all = append(all, d.Parent...)
		all = append(all, d.Issuer...)
		all = append(all, d.Body...)
		all = append(all, d.Recipients...)
		all = append(all, d.SignTitle...)
		for _, tb := range d.Tables {
			for _, r := range tb.Rows {
				all = append(all, r...)
			}
		}
		for _, s := range all {
			if !norm.NFC.IsNormalString(s) {
				t.Errorf("doc %s: text is not NFC: %q", id, s)
			}
			if strings.ContainsAny(s, "\t\r\n") {
				t.Errorf("doc %s: control whitespace in %q", id, s)
			}
		}
	}
}

func TestPlanReferencesCorpus(t *testing.T) {
	t.Parallel()
	docs := corpus()
	seen := map[string]bool{}
	sets := map[string]int{}
	for _, j := range plan() {
		key := j.Set + "/" + j.Name
		if seen[key] {
			t.Errorf("duplicate output %s", key)
		}
		seen[key] = true
		sets[j.Set]++
		if docs[j.Doc] == nil {
			t.Errorf("%s: unknown document %q", key, j.Doc)
		}
		if j.Back != "" && docs[j.Back] == nil {
			t.Errorf("%s: unknown back document %q", key, j.Back)
		}
		if _, ok := skewAngle(j.Kind); !ok && !knownKinds[j.Kind] {
			t.Errorf("%s: unknown kind %q", key, j.Kind)
		}
	}
	if sets["pages"] != 6 || sets["degraded"] < 19 || sets["documents"] < 11 {
		t.Errorf("set sizes %v, want 6 pages, ≥19 degraded, ≥11 documents", sets)
	}
}

var knownKinds = map[string]bool{
	"clean": true, "grey": true, "noise-light": true, "rot90": true, "rot180": true,
	"rot270": true, "noise": true, "blur": true, "uneven-light": true, "yellow": true,
	"stain": true, "faint": true, "bleed-through": true, "border": true,
	"lowdpi-150": true, "jpeg-q25": true, "combo": true,
}

// The held-out pages are other combinations of the same documents, faces
// and damage: none repeats a page of samples/ (document, kind and face).
func TestHeldOutPlanIsNotSamples(t *testing.T) {
	t.Parallel()
	docs := corpus()
	type page struct{ doc, kind, face string }
	inSamples := map[page]bool{}
	names := map[string]bool{}
	for _, j := range plan() {
		inSamples[page{j.Doc, j.Kind, j.TS.Family}] = true
		names[j.Name] = true
	}
	seen := map[string]bool{}
	for _, j := range heldOutPlan() {
		key := j.Set + "/" + j.Name
		if seen[key] || names[j.Name] {
			t.Errorf("%s: name used twice", key)
		}
		seen[key] = true
		if docs[j.Doc] == nil || (j.Back != "" && docs[j.Back] == nil) {
			t.Errorf("%s: unknown document", key)
		}
		if _, ok := skewAngle(j.Kind); !ok && !knownKinds[j.Kind] {
			t.Errorf("%s: unknown kind %q", key, j.Kind)
		}
		if inSamples[page{j.Doc, j.Kind, j.TS.Family}] {
			t.Errorf("%s repeats a sample page: %s, %s, %s", key, j.Doc, j.Kind, j.TS.Family)
		}
	}
}
