# Two commands on a fresh machine: `make run` and `make test` (README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/oversight.duckdb
SCALE ?= small
PORT ?= 8501

.PHONY: run serve test test-fast test-fuzz test-browser demo bench loadbench soak system-deps clean

$(VENV)/.app-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.app-installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.app-installed
	$(PY) -m oversight demo --scale $(SCALE) --db $(DB) --if-missing

demo: $(VENV)/.app-installed
	$(PY) -m oversight demo --scale $(SCALE) --db $(DB)

run: $(VENV)/.app-installed $(DB)
	OVERSIGHT_DB=$(DB) $(PY) -m streamlit run app.py --server.headless true \
		--server.address 127.0.0.1 --server.port $(PORT)

# REPLICAS Streamlit processes on loopback behind HAProxy on PORT, sticky by cookie, all serving
# DB (deploy/serve.py, docs/deployment.md); Ctrl-C stops them all. `make run` stays one process.
# TLS_CERT and TLS_KEY (a PEM pair): HTTPS only, HTTP_PORT (if given) redirecting to it (docs/security.md).
REPLICAS ?= $(shell nproc)

serve: $(VENV)/.app-installed $(DB) system-deps
	$(PY) -m deploy.serve --replicas $(REPLICAS) --port $(PORT) --db $(DB) \
		$(if $(TLS_CERT),--tls-cert $(TLS_CERT) --tls-key $(TLS_KEY) $(if $(HTTP_PORT),--http-port $(HTTP_PORT)))

# Debian's Chromium drives the browser tests (Playwright cannot download its own here) and
# renders the deck's charts; Noto CJK renders Korean (and is embedded in the briefing PDF);
# HAProxy fronts the replicas of `make serve`; LibreOffice Impress and poppler render the deck to
# PDF and PNG in its test (no box overflows); poppler draws the briefing's pages (pdftoppm) and
# strace watches the briefing open no network socket in theirs; PostgreSQL is the state store's second
# backend, started by the tests (tests/postgres.py). Installed when missing and running as root.
SYSTEM_PACKAGES := chromium fonts-noto-cjk haproxy libreoffice-impress poppler-utils strace postgresql
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
		&& command -v haproxy >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 \
		&& command -v pdftoppm >/dev/null 2>&1 && command -v strace >/dev/null 2>&1 \
		&& ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "$(SYSTEM_PACKAGES) present"; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "missing: run 'sudo apt-get install $(SYSTEM_PACKAGES)'"; \
	fi

# Every suite, each its own step: the fast one (unit, queries on the known-answer fixture, every
# page in AppTest), the loader's hostile-input fuzzing, and the browser tests in Chromium (with the
# load test). All run even when one fails; the exit status is a failure if any failed.
# The fast suite runs on both cores (pytest-xdist): 204 s in one process, 101-102 s in two (the
# load benchmark's harness test, which starts a server, runs with the browser and load tests).
FAST_TESTS := -n 2 tests/unit tests/queries tests/app

test: $(VENV)/.dev-installed system-deps
	@failed=""; \
	$(PY) -m pytest $(FAST_TESTS) || failed="$$failed fast"; \
	$(PY) -m pytest tests/fuzz || failed="$$failed fuzz"; \
	$(PY) -m pytest tests/browser || failed="$$failed browser"; \
	if [ -n "$$failed" ]; then echo "make test: failed suites:$$failed"; exit 1; fi

test-fast: $(VENV)/.dev-installed system-deps
	$(PY) -m pytest $(FAST_TESTS)

test-fuzz: $(VENV)/.dev-installed
	$(PY) -m pytest tests/fuzz

test-browser: $(VENV)/.dev-installed system-deps
	$(PY) -m pytest tests/browser

# The load test of `make test`, walked 20 times over (about 20-40 minutes on 2 cores), and the
# loader's hostile-input fuzzing with 20 times the inputs (about 10-30 minutes).
soak: $(VENV)/.dev-installed system-deps
	OVERSIGHT_SOAK_ROUNDS=20 $(PY) -m pytest tests/browser/test_load.py -s
	OVERSIGHT_FUZZ_SCALE=20 $(PY) -m pytest tests/fuzz/test_loader_fuzz.py -s

# Every page at small, medium and large scale against its targets (issue 8): builds the demo
# databases into bench/cache/ (kept until the generator changes), writes bench/results.md,
# bench/scaling.png and the README's Benchmark section. Chromium measures memory with 20 sessions.
# Then `make loadbench` (below) adds its own section: 15-25 minutes more.
bench: $(VENV)/.dev-installed system-deps
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.loadbench $(LOADBENCH_ARGS)

# Many sessions at once through Streamlit's websocket protocol (issue 12): one process and
# REPLICAS replicas behind HAProxy, levels 1-100, over the medium demo (bench/cache) unless
# LOADBENCH_DB is given; a section of bench/results.md and bench/loadbench.png. Both modes (issue 24):
# every session the same views, and mixed (each its own region, language and period, changed in the
# sidebar). 15-25 minutes on 2 cores; MODES=same or MODES=mixed for one.
#   make loadbench LEVELS=1,20,50 REPLICAS=2 MODES=mixed LOADBENCH_DB=/tmp/medium.duckdb
LEVELS ?= 1,5,10,20,50,100
MODES ?= same,mixed
LOADBENCH_ARGS ?= --levels $(LEVELS) --replicas $(REPLICAS) --modes $(MODES) $(if $(LOADBENCH_DB),--db $(LOADBENCH_DB))

loadbench: $(VENV)/.dev-installed system-deps
	$(PY) -m bench.loadbench $(LOADBENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
