# Two commands do all set-up on a fresh machine with Python 3.11 and make:
#   make demo   build the Riverside example project and print its summary
#   make test   lint, then run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -rf demo-project
	$(BIN)/workbench example demo-project
	$(BIN)/workbench info demo-project

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest -q --doctest-modules workbench tests

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_import.py

clean:
	rm -rf $(VENV) demo-project .pytest_cache .ruff_cache .hypothesis
