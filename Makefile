# newscrawl: `make demo` and `make test` work on a fresh machine (Python 3.11 + pip).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
DEMO_PORT ?= 0

.PHONY: help venv install install-dev demo test test-fast lint typecheck bench quality clean

help:
	@echo "make demo   - install, serve the bundled demo site, crawl it into SQLite, print a summary"
	@echo "make test   - install dev dependencies and run the whole test suite (what CI runs)"
	@echo "make test-fast - the inner loop: no crawl or server subprocesses, a tenth of the Hypothesis examples"
	@echo "make lint   - ruff check + format check"
	@echo "make bench  - extraction benchmark against trafilatura on ../shared/corpus/fundus-dev"
	@echo "make quality - the extraction quality gate alone (every development set, pinned floors)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Re-install only when a requirements file changed.
$(VENV)/.stamp-runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt requirements-browse.txt requirements-scale.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.stamp-runtime

venv: $(PY)
install: $(VENV)/.stamp-runtime
install-dev: $(VENV)/.stamp-dev

demo: install
	$(PY) -m newscrawl demo run --port $(DEMO_PORT)

test: install-dev
	$(PY) -m ruff check newscrawl tests migrations benchmarks tools
	$(PY) -m mypy newscrawl tools
	$(PY) -m pytest
	$(PY) -m benchmarks.quality_gate

test-fast: install-dev
	$(PY) -m pytest -m "not slow" --hypothesis-profile=fast

lint: install-dev
	$(PY) -m ruff check newscrawl tests migrations benchmarks tools
	$(PY) -m ruff format --check newscrawl tests migrations benchmarks tools

typecheck: install-dev
	$(PY) -m mypy newscrawl tools

quality: install-dev
	$(PY) -m benchmarks.quality_gate

bench: install-dev
	$(PY) -m benchmarks.extract_vs_trafilatura ../shared/corpus/fundus-dev

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
