# Two commands on a fresh machine: `make run` and `make test` (README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/oversight.duckdb
SCALE ?= small
PORT ?= 8501

.PHONY: run test test-fast test-fuzz test-browser demo bench soak system-deps clean

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

# Debian's Chromium drives the browser tests (Playwright cannot download its own here) and
# renders the deck's charts; Noto CJK renders Korean. Installed when missing and running as root.
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "chromium and fonts-noto-cjk present"; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else \
		echo "chromium or fonts-noto-cjk missing: run 'sudo apt-get install chromium fonts-noto-cjk'"; \
	fi

# Every suite, each its own step: the fast one (unit, queries on the known-answer fixture, every
# page in AppTest), the loader's hostile-input fuzzing, and the browser tests in Chromium (with the
# load test). All run even when one fails; the exit status is a failure if any failed.
FAST_TESTS := tests/unit tests/queries tests/app

test: $(VENV)/.dev-installed system-deps
	@failed=""; \
	$(PY) -m pytest $(FAST_TESTS) || failed="$$failed fast"; \
	$(PY) -m pytest tests/fuzz || failed="$$failed fuzz"; \
	$(PY) -m pytest tests/browser || failed="$$failed browser"; \
	if [ -n "$$failed" ]; then echo "make test: failed suites:$$failed"; exit 1; fi

test-fast: $(VENV)/.dev-installed
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
bench: $(VENV)/.dev-installed system-deps
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
