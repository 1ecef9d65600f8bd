# cchc: two set-up commands, `make demo` and `make test` (README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# axe-core for the accessibility checks of the browser tests (npm registry); skipped when npm is absent.
NODE_STAMP := node_modules/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/cchc
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: demo test lint audit bench bench-detail faults clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "cchc cần Python 3.11 trở lên (cchc needs Python >= 3.11); '$(PYTHON)' là $$($(PYTHON) --version 2>&1)." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# vietnam-provinces 2026.9.0 declares Python >= 3.12 but runs on 3.11 (pure Python); see pyproject.toml.
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python vietnam-provinces==2026.9.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility checks (axe-core) will be skipped" >&2; fi

demo: $(STAMP)
	@# The local signing authority (var/signing) signs the demo's electronic results: development only.
	CCHC_SIGNING_LOCAL_CA=1 $(BIN)/cchc demo
	@# Plain http on 127.0.0.1: the demo alone lets cookies travel without TLS.
	CCHC_INSECURE_COOKIES=1 CCHC_PAYMENT_SANDBOX=1 CCHC_SIGNING_LOCAL_CA=1 $(BIN)/cchc serve

# The whole suite, twice: on the embedded SQLite, then on PostgreSQL (and Redis).
# Without a reachable PostgreSQL the second run reports its tests as skipped, unless CCHC_REQUIRE_POSTGRES=1.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) CCHC_TEST_SERVICES=1 $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy cchc

# pip-audit over the installed packages (its own venv); says so and stops where no advisory data is reachable.
audit: $(STAMP)
	bash .ci/audit

# Benchmarks print figures and assert nothing. `make bench`: every figure beside its limit on this machine,
# measured in the same run on PostgreSQL with 2,000,000 dossiers (generated once into cchc_bench, then kept);
# the table is printed and written to bench/RESULTS.md. Needs wrk and pgbench (apt-get install wrk).
bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python bench/run.py

# Each benchmark's detail, one script at a time. The search runs on SQLite, then on PostgreSQL (own database).
bench-detail: $(STAMP)
	$(BIN)/python bench/workdays_bench.py
	$(BIN)/python bench/search_bench.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench $(BIN)/python bench/search_bench.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_intake $(BIN)/python bench/intake_bench.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_worklist $(BIN)/python bench/worklist_bench.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_stats $(BIN)/python bench/stats_bench.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_svcindex $(BIN)/python bench/serviceindex_bench.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_sim $(BIN)/python bench/simulate_bench.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_dash $(BIN)/python bench/dashboard_bench.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_svcindex $(BIN)/python bench/parindex_bench.py

# Load with faults (issue 8): 10,000 dossiers from 16 clients through the API while the app server is killed
# (SIGKILL) and PostgreSQL restarted; prints the counts of lost, duplicated and skipped (all must be 0).
# Restarts this machine's PostgreSQL: not part of `make test`.
faults: $(STAMP)
	$(BIN)/python bench/fault_load.py 10000 16

clean:
	rm -rf $(VENV) var node_modules test-artifacts
