# Two commands on a fresh machine with only Python 3.11+:
#   make run    set up .venv and run the whole stack on embedded defaults, with a demo town
#   make test   set up .venv and run every test (SQLite and PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup tools bench

$(BIN)/leitai: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/leitai

run: setup
	$(BIN)/leitai up --demo

# The compose file is checked with Debian's docker-compose, and the web view in Debian's headless Chromium
# (with a CJK font for its screenshots); each installed when missing and possible.
tools:
	@command -v docker-compose >/dev/null || { apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null; } \
	  || echo "could not install docker-compose: tests/test_compose.py will say so"
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null; } \
	  || echo "could not install chromium: tests/test_web.py will say so"

test: setup tools
	$(BIN)/lint-imports
	$(BIN)/pytest

# Every hot path against its physical baseline; refreshes docs/benchmarks.md (about 3-5 minutes).
bench: setup
	$(BIN)/python -m bench
