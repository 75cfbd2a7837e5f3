# omnidesk: `make run` serves the product, `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
# the suite runs in this many processes (pytest-xdist), each on its own PostgreSQL databases;
# three keep both cores busy while browser tests wait for their servers
PYTEST_WORKERS ?= 3

.PHONY: run run-empty test install install-test services system-deps worker clean help lint

help:
	@echo "make run    - install, migrate, load the demo workspace if empty, serve on http://$(HOST):$(PORT)"
	@echo "make run-empty - the same without the demo: a new database opens the first-run page /setup"
	@echo "make test   - install test extras, start PostgreSQL/Redis if needed, run the whole suite"
	@echo "make worker - run the outbox dispatcher as its own process"
	@echo "make lint   - ruff and the mypy type check (config in pyproject.toml)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/omnidesk db upgrade
	$(BIN)/omnidesk demo load --if-empty
	$(BIN)/omnidesk serve --host $(HOST) --port $(PORT)

run-empty: install
	$(BIN)/omnidesk db upgrade
	$(BIN)/omnidesk serve --host $(HOST) --port $(PORT)

worker: install
	$(BIN)/omnidesk worker

services:
	@bash scripts/start-services.sh

system-deps:
	@bash scripts/system-deps.sh

# with bytecode written (a machine may set PYTHONDONTWRITEBYTECODE): the suite starts dozens of
# Python processes (servers, workers, CLI runs), each compiling the source again without it
test: install-test system-deps services
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) omnidesk.db omnidesk.db-wal omnidesk.db-shm var test-artifacts

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
