# The two commands every machine needs: `make run` and `make test`.
# Each creates .venv and installs what it needs when missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_PROFILE ?= $(CURDIR)/.demo-profile

.PHONY: run test lint venv calendar bench bench-server clean-demo

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[server,test]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@COMMUNEDESK_PASSPHRASE=$${COMMUNEDESK_PASSPHRASE:-demo-passphrase} $(BIN)/python -m app.demo --profile "$(DEMO_PROFILE)"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check app sync server ui tests bench resources

calendar: $(STAMP)
	$(BIN)/python resources/calendar/generate.py

bench: $(STAMP)
	$(BIN)/python bench/core_bench.py

# The city server under load (issue 3): needs wrk (apt-get install wrk), 2 cores, PostgreSQL.
bench-server: $(STAMP)
	$(BIN)/python bench/server_bench.py --backend both --workers 2 --duration 20

clean-demo:
	rm -rf "$(DEMO_PROFILE)"
