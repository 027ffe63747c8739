# MonSisra bureau — the two commands of the README are `make demo` and `make test`.
# Every target creates .venv on first use and installs the project (with its dev extra) into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA ?= $(CURDIR)/.demo-data

.PHONY: demo test lint types contracts pytest bench screenshots system-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@scripts/system-deps.sh test

# The sandbox with demo data, then the app on its login window; quitting the app stops the sandbox.
# Without a display: xvfb-run -a make demo
demo: $(STAMP)
	@$(BIN)/python scripts/demo.py --data $(DEMO_DATA)

test: system-deps $(STAMP) lint types contracts pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/search.py --count 100000 --searches 200
	$(BIN)/python bench/sync.py --scale 10000 --runs 3
	$(BIN)/python bench/upload.py --size-mb 200

# Every main screen to PNG in screenshots/ (a real X server: Xvfb, the xcb platform).
screenshots: system-deps $(STAMP)
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshots.py --out screenshots

clean:
	rm -rf $(VENV) .demo-data .mypy_cache .ruff_cache
