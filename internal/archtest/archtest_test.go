package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/sohoa/sohoa/"

// layer is each production package's place in docs/architecture.md's
// drawing: a package imports only packages of lower layers.
var layer = map[string]int{
	"storage": 0, "queue": 0, "ocr": 0, "ocr/source": 0, "internal/editdist": 0, "workers/metrics": 0,
	"storage/batch": 1, "storage/fs": 1, "storage/s3": 1,
	"ocr/alto": 1, "ocr/cleanup": 1, "ocr/docmeta": 1, "ocr/eval": 1, "ocr/pdf": 1, "ocr/tesseract": 1,
	"ocr/source/leptonica": 1, "ocr/source/poppler": 1,
	"export/bagit": 2, "export/webhook": 2, "export/tt05aip": 2,
	"farm":    3,
	"workers": 4, "api": 4,
	"cmd/sohoa": 5,
}

// backends are the concrete implementations only cmd/sohoa wires in.
var backends = []string{"storage/fs", "storage/s3", "ocr/tesseract", "ocr/source/leptonica", "ocr/source/poppler"}

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
	CgoFiles   []string
}

func list(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", module+"...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		p.ImportPath = strings.TrimPrefix(p.ImportPath, module)
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// helper reports whether a package is a test helper or a tool, outside
// the drawing.
func helper(path string) bool {
	return strings.HasPrefix(path, "internal/") && path != "internal/editdist" ||
		strings.HasPrefix(path, "samples/") || path == "deploy" || path == "storage/storagetest"
}

func TestImportsPointDown(t *testing.T) {
	for _, p := range list(t) {
		if helper(p.ImportPath) {
			continue
		}
		l, ok := layer[p.ImportPath]
		if !ok {
			t.Errorf("package %s is not in docs/architecture.md's drawing (add it to the drawing and to this test)", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			dep, ours := strings.CutPrefix(imp, module)
			if !ours {
				continue
			}
			if dep == "samples/mixed" && p.ImportPath == "cmd/sohoa" {
				continue // the bench command's evaluation pages, like ocr/eval
			}
			if helper(dep) {
				t.Errorf("%s imports the test helper %s", p.ImportPath, dep)
				continue
			}
			if layer[dep] >= l {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports must point down", p.ImportPath, l, dep, layer[dep])
			}
			if slices.Contains(backends, dep) && p.ImportPath != "cmd/sohoa" {
				t.Errorf("%s imports the backend %s: only cmd/sohoa wires backends", p.ImportPath, dep)
			}
			if dep == "ocr/eval" && p.ImportPath != "cmd/sohoa" {
				t.Errorf("%s imports the evaluation package ocr/eval (only the bench command may)", p.ImportPath)
			}
		}
	}
}

// The queue knows nothing of OCR or the store; the store, OCR and the
// exporters know nothing of Asynq or Redis; cgo stays in the two packages
// that bind C libraries.
func TestDependencyRules(t *testing.T) {
	for _, p := range list(t) {
		if helper(p.ImportPath) {
			continue
		}
		deps := p.Deps
		if p.ImportPath == "queue" {
			for _, d := range deps {
				if strings.HasPrefix(d, module) {
					t.Errorf("queue depends on %s: it imports neither ocr nor storage", d)
				}
			}
		}
		lowLevel := strings.HasPrefix(p.ImportPath, "storage") || strings.HasPrefix(p.ImportPath, "ocr") ||
			strings.HasPrefix(p.ImportPath, "export/")
		if lowLevel {
			for _, d := range deps {
				if strings.HasPrefix(d, "github.com/hibiken/asynq") || strings.HasPrefix(d, "github.com/redis/go-redis") {
					t.Errorf("%s depends on %s: the store, OCR and the exporters never need the queue", p.ImportPath, d)
				}
			}
		}
		if len(p.CgoFiles) > 0 && p.ImportPath != "ocr/tesseract" && p.ImportPath != "ocr/source/leptonica" {
			t.Errorf("%s uses cgo: only ocr/tesseract and ocr/source/leptonica do", p.ImportPath)
		}
	}
}
