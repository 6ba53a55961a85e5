# mqttlab — build, run and test. See README.md.
#
#   make run     build everything and start the lab (needs nothing but Go)
#   make test    install what the tests need, then run every check and test
#   make bench   benchmarks with figures against peers
#   make fuzz    every fuzz target for FUZZTIME each

GO        ?= go
GOPATH    := $(shell $(GO) env GOPATH)
GOROOT    := $(shell $(GO) env GOROOT)
WASMEXEC  := $(GOROOT)/lib/wasm
FUZZTIME  ?= 20s
STATICCHECK := $(GOPATH)/bin/staticcheck
STATICCHECK_VERSION := v0.8.2
# System packages the tests use: real browser and real broker/clients.
APT_PACKAGES := chromium mosquitto mosquitto-clients
APT_COMMANDS := chromium mosquitto mosquitto_pub mosquitto_sub

.PHONY: all build run test bench fuzz deps tools syspkgs fmtcheck vet staticcheck unit wasmtest clean wasm

all: build

# bin/mqttlab embeds the web app (web/), so it is built after it and is
# self-contained. RUN_FLAGS are passed to it, e.g. make run RUN_FLAGS=-h.
build: wasm
	$(GO) build -o bin/mqttlab ./server

run: build
	./bin/mqttlab $(RUN_FLAGS)

test: deps wasm fmtcheck vet staticcheck unit wasmtest
	@echo "make test: all passed"

deps: tools syspkgs

# The WebAssembly app, embedded in the server from web/: app.wasm, its
# precompressed forms and the wasm_exec.js of the same toolchain. Rebuilt only
# when the Go files it is made of change; a rebuild that gives the same bytes
# leaves the file (and so the slow brotli step) alone. BROTLI_QUALITY=9 makes
# a rebuild ~20 s faster for a ~13% larger download while iterating.
BROTLI_QUALITY ?= 11
WASM_SRC := $(shell find app wasm protocol -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod go.sum

wasm: web/app.wasm web/app.wasm.br web/app.wasm.gz web/wasm_exec.js

web/app.wasm: $(WASM_SRC)
	@echo "== GOOS=js GOARCH=wasm go build -o web/app.wasm ./wasm"
	@GOOS=js GOARCH=wasm $(GO) build -ldflags="-s -w" -o web/.app.wasm.tmp ./wasm
	@if cmp -s web/.app.wasm.tmp $@; then rm web/.app.wasm.tmp; else mv web/.app.wasm.tmp $@; fi

web/app.wasm.br web/app.wasm.gz &: web/app.wasm
	@echo "== precompressing web/app.wasm (brotli quality $(BROTLI_QUALITY), gzip -9)"
	@$(GO) run ./internal/compress/precompress -quality $(BROTLI_QUALITY) web/app.wasm

web/wasm_exec.js: $(WASMEXEC)/wasm_exec.js
	cp $< $@

tools:
	@test -x $(STATICCHECK) || { echo "== installing staticcheck $(STATICCHECK_VERSION)"; \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); }

syspkgs:
	@missing=""; for c in $(APT_COMMANDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "== installing $(APT_PACKAGES) (missing:$$missing)"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y $(APT_PACKAGES) >/dev/null 2>&1 || \
			{ apt-get update >/dev/null && apt-get install -y $(APT_PACKAGES) >/dev/null; } || exit 1; \
		else \
			echo "make test needs:$$missing. Install them with:"; \
			echo "  sudo apt-get install -y $(APT_PACKAGES)"; \
			exit 1; \
		fi; \
	fi

fmtcheck:
	@echo "== gofmt"
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "not gofmt'ed:"; echo "$$out"; exit 1; fi

vet:
	@echo "== go vet (native, js/wasm)"
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

staticcheck: tools
	@echo "== staticcheck"
	$(STATICCHECK) ./...

unit:
	@echo "== go test -race"
	$(GO) test -race ./...

wasmtest:
	@echo "== protocol tests under js/wasm (Node)"
	PATH="$(WASMEXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test ./protocol/...

# bench: one block per thing measured, each against its peers in the same
# run (the machine is shared: ratios matter, absolute numbers are noisy).
# The codec benchmarks run in BENCHROUNDS rounds of -count 1, so that the
# k-th runs of mqttlab and of a peer are close in time and benchtable can
# pair them; raw output is kept in BENCHDIR for benchstat. ~1.5 minutes
# on a quiet machine.
BENCHROUNDS ?= 6
BENCHTIME   ?= 200ms
BENCHDIR    := bin/bench
CODEC_BENCH := ^Benchmark(Publish|Connect|Subscribe)(Decode|Encode)$$|^BenchmarkTopicMatch$$

bench:
	@mkdir -p $(BENCHDIR)
	@echo "== protocol codec against paho.golang and mochi-mqtt ($(BENCHROUNDS) rounds of $(BENCHTIME); raw: $(BENCHDIR)/codec.txt)"
	$(GO) test -c -o $(BENCHDIR)/protocol.test ./protocol
	for i in $$(seq $(BENCHROUNDS)); do \
		(cd protocol && ../$(BENCHDIR)/protocol.test -test.run '^$$' -test.bench '$(CODEC_BENCH)' \
			-test.benchmem -test.benchtime $(BENCHTIME)) || echo FAIL; \
	done | tee $(BENCHDIR)/codec.txt | $(GO) run ./internal/benchtable
	@echo "== broker load: ours against mosquitto, about 2-3 minutes (internal/loadbench; flags in LOADBENCH_FLAGS)"
	$(GO) run ./internal/loadbench $(LOADBENCH_FLAGS)
	@echo "== fleets: 100,000 in-process devices, then the highest rate and fleet, then against mosquitto; about 6 minutes (internal/fleetbench; flags in FLEETBENCH_FLAGS)"
	$(GO) run ./internal/fleetbench $(FLEETBENCH_FLAGS)
	@echo "== wasm size of protocol (fails when it adds more than the target)"
	$(GO) run ./internal/wasmsize
	@echo "== transfer size of the whole app, brotli q11 (fails above 2.0 MB); about 1-3 minutes"
	$(GO) run ./internal/wasmsize -app

# go test -fuzz takes one target of one package per run: list them all
# (go test -list prints a package's targets, then "ok <package>"), then
# run each for FUZZTIME.
fuzz:
	@list=$$($(GO) test -list '^Fuzz' ./...) || { echo "$$list"; exit 1; }; \
	echo "$$list" | awk '/^Fuzz/ { t[n++] = $$1; next } /^ok/ { for (i = 0; i < n; i++) print $$2, t[i]; n = 0 }' | \
	while read -r pkg target; do \
		echo "== $$target in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) "$$pkg" || exit 1; \
	done

clean:
	rm -rf bin web/app.wasm web/app.wasm.* web/wasm_exec.js
