# Recsmith: `make serve`, `make test`, `make bench` (see README.md).
SWIFT ?= swift
VENV := .build-venv
PYTHON := $(VENV)/bin/python

.PHONY: serve demo movielens newcomer build release test test-swift test-spec test-fuzz test-api test-compose test-alloc test-alloc-update test-sanitize fuzz bench deps venv clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

serve: release
	@mkdir -p var
	.build/release/recsmith serve --db ./var/recsmith.sqlite

# A generated shop on a throwaway store, trained at once, with commands to try (README: Quick start).
demo: release
	.build/release/recsmith serve --playground

# MovieLens latest-small from its publisher into var/ml-latest-small/, with events.csv (README: Real data).
movielens:
	scripts/movielens.sh

# The README's Quick start and Walk-through, run in a fresh clone of HEAD (scripts/newcomer.sh). It builds from
# scratch (minutes), so it is not part of `make test`; on a shared machine run it under the build lock.
newcomer:
	scripts/newcomer.sh

test: deps test-spec test-fuzz test-api test-swift test-compose test-alloc

# The browser tests (Tests/ReportsTests) skip without chromium elsewhere, and the PostgreSQL ones without a cluster;
# here they must run: a private cluster (scripts/postgres-test-cluster.sh, which installs postgresql when initdb is
# missing) is started for the run and removed after it, whatever the tests' outcome, whose status is kept. In the
# same cluster the EndToEndTests target runs a second time with every server on a PostgreSQL store of its own
# (RECSMITH_TEST_E2E_STORE=postgres; SQLite-only tests skip): the same HTTP behaviour on both stores. Both runs
# always run; either failing fails the target.
test-swift:
	$(SWIFT) build --build-tests
	RECSMITH_REQUIRE_BROWSER=1 RECSMITH_REQUIRE_POSTGRES=1 scripts/postgres-test-cluster.sh run -- sh -c '\
		status=0; \
		$(SWIFT) test --skip-build || status=1; \
		RECSMITH_TEST_E2E_STORE=postgres $(SWIFT) test --skip-build --filter EndToEndTests || status=1; \
		exit $$status'

# The venv is (re)filled whenever scripts/requirements.txt changes.
$(VENV)/.installed: scripts/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements.txt
	touch $@

venv: $(VENV)/.installed

test-spec: venv
	$(PYTHON) scripts/validate-yaml.py

# schemathesis against a live server on loopback (scripts/api-conformance.sh): every phase and check, three
# seeds (CONFORMANCE_SEEDS), about four minutes: no 5xx, no undocumented status, no response outside openapi.yaml.
test-api: venv
	$(SWIFT) build --product recsmith
	scripts/api-conformance.sh .build/debug/recsmith

# deploy/docker-compose.postgres.yml's topology run from that file and deploy/nginx.conf with local processes (no
# docker): a private PostgreSQL cluster, the two API replicas and the trainer with the file's commands and environment,
# nginx in front; events, a pass and recommendations from both replicas through the proxy (scripts/compose-smoke.py,
# about 6 seconds).
test-compose: deps venv
	$(SWIFT) build --product recsmith
	$(PYTHON) scripts/compose-smoke.py .build/debug/recsmith

# The allocation gate (Benchmarks/alloc/gate.sh): allocations and instructions per request of the release binary
# (a cached recommendation over HTTP/1.1 and h2c, a one-event and a 1,000-event POST /events) against the committed
# Benchmarks/thresholds/requests.json. test-alloc-update rewrites that file from a fresh measurement.
test-alloc: deps venv
	$(SWIFT) build -c release --product recsmith
	Benchmarks/alloc/gate.sh

test-alloc-update: deps venv
	$(SWIFT) build -c release --product recsmith
	Benchmarks/alloc/gate.sh --update

# The suites and the conformance run under ThreadSanitizer, then AddressSanitizer (scripts/test-sanitize.sh).
test-sanitize: deps venv
	scripts/test-sanitize.sh

# The HTTP and filter parser fuzzers for a bounded time each (FUZZ_SECONDS); `make fuzz` runs them longer.
FUZZ_SECONDS ?= 30
test-fuzz:
	Fuzz/run.sh $(FUZZ_SECONDS)

fuzz:
	Fuzz/run.sh 600

bench: release venv
	Benchmarks/run.sh

clean:
	rm -rf .build
