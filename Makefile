# Two commands do all set-up on a fresh machine with Python 3.11 and make:
#   make demo   build the Riverside example project, print its summary, run the report on it
#   make test   lint, then run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lock demo notebooks test lint bench clean

# Debian's Chromium (and an emoji font) for the widget's browser tests; Playwright drives it
# and never downloads a browser of its own.
CHROMIUM := /usr/bin/chromium
BROWSER_PACKAGES := chromium fonts-noto-color-emoji

# Set-up installs the exact versions the tests passed with, checked against their hashes
# (requirements.lock); pyproject.toml keeps ranges for people who use workbench as a library.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# After changing the dependencies in pyproject.toml: pin them again (pip-tools, in its own venv).
lock:
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet pip-tools
	.lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --extra topics \
		--strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	rm -rf .lock-venv

demo: $(STAMP)
	rm -rf demo-project
	$(BIN)/workbench example demo-project
	$(BIN)/workbench info demo-project
	$(BIN)/workbench report demo-project
	@echo "the executed report, one page per notebook:"
	@ls -1 $(CURDIR)/demo-project/reports/*/*.html

# The .ipynb twin of each notebooks/*.py (outputs stripped, same bytes on any machine), so that
# JupyterLab opens them as notebooks; run after editing a .py (a test fails until you do).
notebooks: $(STAMP)
	$(BIN)/python -m workbench.notebook_pairs notebooks

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); \
	else \
		echo "note: $(CHROMIUM) is missing; installing it needs root: sudo apt-get install $(BROWSER_PACKAGES)"; \
		echo "      until then the browser tests are skipped (pytest -m browser)"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint $(CHROMIUM)
	$(BIN)/pytest -q --doctest-modules workbench tests

bench: $(STAMP) $(CHROMIUM)
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_coding.py
	$(BIN)/python benchmarks/bench_reliability.py
	$(BIN)/python benchmarks/bench_agreement.py
	$(BIN)/python benchmarks/bench_logs.py
	$(BIN)/python benchmarks/bench_triangulate.py
	$(BIN)/python benchmarks/bench_widget.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_semantic.py
	$(BIN)/python benchmarks/bench_topics.py

clean:
	rm -rf $(VENV) demo-project .pytest_cache .ruff_cache .hypothesis
