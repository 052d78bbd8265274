# Recsmith: `make serve`, `make test`, `make bench` (see README.md).
SWIFT ?= swift
VENV := .build-venv
PYTHON := $(VENV)/bin/python

.PHONY: serve build release test test-swift test-spec test-fuzz fuzz bench deps venv clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

serve: release
	@mkdir -p var
	.build/release/recsmith serve --db ./var/recsmith.sqlite

test: deps test-spec test-fuzz test-swift

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

$(PYTHON):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check openapi-spec-validator PyYAML

venv: $(PYTHON)

test-spec: $(PYTHON)
	$(PYTHON) scripts/validate-yaml.py

# The parser fuzzer for a bounded time (FUZZ_SECONDS); `make fuzz` runs it longer.
FUZZ_SECONDS ?= 30
test-fuzz:
	Fuzz/run.sh $(FUZZ_SECONDS)

fuzz:
	Fuzz/run.sh 600

bench: release venv
	Benchmarks/run.sh

clean:
	rm -rf .build
