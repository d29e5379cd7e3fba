# The two commands every machine needs: `make run` and `make test`.
# Each creates .venv and installs what it needs when missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Translations: sources (.ts) and the compiled files (.qm, git-ignored) built from them.
TS_FILES := $(wildcard resources/translations/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)
DEMO_DIR ?= $(CURDIR)/.demo

.PHONY: run test lint venv calendar bench bench-server clean-demo translations translations-update

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[server,test]'
	@touch $(STAMP)

venv: $(STAMP) $(QM_FILES)

run: $(STAMP) $(QM_FILES)
	$(BIN)/python -m ui.demo --folder "$(DEMO_DIR)"

test: $(STAMP) $(QM_FILES)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# A .qm is rebuilt whenever its .ts is newer (docs/translations.md).
%.qm: %.ts | $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@.tmp && mv $@.tmp $@

translations: $(QM_FILES)

# Refresh communedesk_en.ts from the strings in ui/ and list those to translate.
translations-update: $(STAMP)
	$(BIN)/python resources/translations/update.py
	@$(MAKE) --no-print-directory translations

lint: $(STAMP)
	$(BIN)/ruff check app sync server ui tests bench resources

calendar: $(STAMP)
	$(BIN)/python resources/calendar/generate.py

bench: $(STAMP)
	$(BIN)/python bench/core_bench.py

# The city server under load (issue 3): needs wrk (apt-get install wrk), 2 cores, PostgreSQL.
bench-server: $(STAMP)
	$(BIN)/python bench/server_bench.py --backend both --workers 1 --duration 20

clean-demo:
	rm -rf "$(DEMO_DIR)"

# The pictures of docs/screenshots/ (ui/screenshots.py: offscreen, temporary profile, demo data).
.PHONY: screenshots
screenshots: $(STAMP) $(QM_FILES)
	$(BIN)/python -m ui.screenshots --out docs/screenshots
