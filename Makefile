# The entry points people type. Everything installs what it needs first (scripts/install-deps.sh).
SWIFT ?= swift
CONFIG ?= debug
BIN = .build/$(CONFIG)
# Release programs carry the Swift runtime inside: command-line tools start in a few
# milliseconds instead of resolving a dozen shared libraries first.
RELEASE = -c release --static-swift-stdlib

.PHONY: all deps build check unit-tests integration-tests sandbox fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(if $(filter release,$(CONFIG)),$(RELEASE),-c $(CONFIG))

## make check: unit tests, then the integration tests (release binaries) against Debian's
## Open vSwitch.
check: deps unit-tests integration-tests

unit-tests: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

integration-tests: deps
	$(SWIFT) build $(RELEASE)
	BIN=$(CURDIR)/.build/release Tests/Integration/run-all.sh

## make sandbox: our ovsdb-server with the Open_vSwitch schema in ./sandbox, and a shell.
sandbox: build
	BIN=$(CURDIR)/$(BIN) scripts/sandbox.sh

fuzz: deps
	scripts/fuzz.sh

bench: deps
	scripts/bench.sh

clean:
	rm -rf .build sandbox
