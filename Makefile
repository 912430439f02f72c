# Two commands on a fresh machine with only Python 3.11+:
#   make run    set up .venv and run Leitai on embedded defaults
#   make test   set up .venv and run every test (SQLite and PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup

$(BIN)/leitai: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/leitai

run: setup
	$(BIN)/leitai serve

test: setup
	$(BIN)/pytest
