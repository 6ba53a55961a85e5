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

.PHONY: all build run test bench fuzz deps tools syspkgs fmtcheck vet staticcheck unit wasmtest clean

all: build

build:
	@echo "mqttlab: the server is not built yet (it arrives with the broker)."

run: build
	@echo "mqttlab: nothing to run yet — the server arrives with the broker issue."

test: deps fmtcheck vet staticcheck unit wasmtest
	@echo "make test: all passed"

deps: tools syspkgs

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

bench:
	@echo "== broker load: ours against mosquitto, about 2-3 minutes (internal/loadbench; flags in LOADBENCH_FLAGS)"
	$(GO) run ./internal/loadbench $(LOADBENCH_FLAGS)

fuzz:
	@echo "fuzz targets arrive with the codec"

clean:
	rm -rf bin web/app.wasm web/app.wasm.* web/wasm_exec.js
