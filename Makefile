# sohoa: make demo (OCR samples/ on this machine), make test (the whole suite).
# Both install what is missing first (Debian packages, Go), see deploy/setup-debian.sh.

SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(PATH)
# Tesseract must see these before the process starts (the sohoa binary
# re-executes itself with them; go test binaries get them from here).
export OMP_THREAD_LIMIT := 1
export MALLOC_ARENA_MAX := 1

GO ?= go
BIN := bin/sohoa
DEMO_OUT ?= demo-out
TEST_TIMEOUT ?= 14m

.PHONY: all deps build demo test vet bench chaos fuzz samples clean

all: build

deps:
	@./deploy/setup-debian.sh all

build: deps
	$(GO) build -o $(BIN) ./cmd/sohoa

demo: build
	@rm -rf $(DEMO_OUT)
	./$(BIN) run --out $(DEMO_OUT) samples/pages

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

test: build vet
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

CORPUS ?= $(wildcard ../shared/corpus/real)

# Held-out pages (samples/gen -heldout): generated for the benchmark, never committed.
HELDOUT ?= /tmp/sohoa-heldout
# The randomised mixed-damage set (samples/mixed): MIXED pages from a seed
# sohoa bench draws at run time and prints; MIXED_SEED=S repeats a run.
MIXED ?= 120
MIXED_SEED ?=

bench: build
	@./deploy/setup-debian.sh bench
	$(GO) run ./samples/gen -heldout -out $(HELDOUT) >/dev/null
	./$(BIN) bench --out docs/benchmarks.md --ocrmypdf --set samples/pages --set samples/degraded \
		--set $(HELDOUT)/pages --set $(HELDOUT)/degraded $(if $(CORPUS),--corpus $(CORPUS)) \
		--mixed $(MIXED) $(if $(MIXED_SEED),--seed $(MIXED_SEED))

# The chaos suite in its long form (the short form runs in make test).
chaos: build
	SOHOA_CHAOS=long $(GO) test -count=1 -timeout 30m -run TestChaos -v ./cmd/sohoa

samples:
	@./deploy/setup-debian.sh samples
	$(GO) run ./samples/gen -out samples

clean:
	rm -rf bin $(DEMO_OUT)
