# MonSisra bureau — the two commands of the README are `make demo` and `make test`.
# Every target creates .venv on first use and installs the project (with its dev extra) into it;
# each first installs the Debian packages it needs (scripts/system-deps.sh: as root with apt-get,
# otherwise it prints the apt-get line to run and stops).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATA ?= $(CURDIR)/.demo-data

.PHONY: demo test lint types contracts pytest interop bench screenshots translations system-deps clean \
	package package-test fresh-check

# A venv without a working pip (python3-venv was missing when it was made, or it was copied from
# elsewhere) would break every later run: it is made again.
$(STAMP): pyproject.toml
	@scripts/system-deps.sh venv
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@scripts/system-deps.sh test

# The compiled translations (.qm) the app loads: build products, remade when their .ts changes.
# `make translations` first refreshes the .ts from the strings of ui/ (new ones come unfinished).
TS := $(wildcard resources/translations/*.ts)
QM := $(TS:.ts=.qm)

$(QM): %.qm: %.ts | $(STAMP)
	@scripts/system-deps.sh qt
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: $(STAMP)
	$(BIN)/python scripts/translations.py

# The third-party notices the About dialog shows: a build product too, from the dev venv here
# (make package writes them again from the build venv, which is what the bundle carries).
NOTICES := resources/notices/THIRD-PARTY-NOTICES.txt

$(NOTICES): $(STAMP)
	$(BIN)/python scripts/notices.py --out $@

# The sandbox with demo data, then the app on its login window; quitting the app stops the sandbox.
# Without a display the app runs under Xvfb, invisible (scripts/demo.py says so).
# DEMO_ARGS go to the app: `make demo DEMO_ARGS="--quit-after 20"` (a smoke run).
DEMO_ARGS ?=
demo: $(STAMP) $(QM) $(NOTICES)
	@scripts/system-deps.sh demo
	@$(BIN)/python scripts/demo.py --data $(DEMO_DATA) -- $(DEMO_ARGS)

# TEST_PARTS and PYTEST_ARGS narrow it (make fresh-check: a fresh Debian 12 cannot wait 20 min):
# `make test TEST_PARTS="lint types pytest" PYTEST_ARGS="tests/server/test_cli.py"`.
TEST_PARTS ?= lint types contracts pytest interop package package-test
PYTEST_ARGS ?=
test: system-deps $(STAMP) $(TEST_PARTS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

# One worker per core (pytest-xdist), each test file whole on one worker: the suite took 35 min
# on one core, 16 on two.
pytest: $(STAMP) $(QM) $(NOTICES)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n auto --dist loadfile \
		--ignore=tests/interop --ignore=tests/package $(PYTEST_ARGS)

# The client against a real third-party JMAP server: a private Cyrus IMAP on loopback
# (scripts/interop/cyrus; as root on Debian it installs the packages), and the sandbox's Pro Santé
# Connect leg against a real OpenID provider (scripts/interop/psc: npm oidc-provider, Node.js
# 20.18+; `npm ci` from its package-lock.json at the first start). Required by default: a peer
# that cannot start fails the run. `make interop MONSISRA_INTEROP=auto` skips where it cannot run.
MONSISRA_INTEROP ?= required
interop: $(STAMP) $(QM) $(NOTICES)
	@[ "$(MONSISRA_INTEROP)" != required ] || scripts/system-deps.sh interop
	MONSISRA_INTEROP=$(MONSISRA_INTEROP) $(BIN)/python -m pytest -q -p no:cacheprovider tests/interop

bench: system-deps $(STAMP)
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/search.py --count 100000 --searches 200
	$(BIN)/python bench/conversations.py --count 100000
	$(BIN)/python bench/sync.py --scale 10000 --runs 3
	$(BIN)/python bench/upload.py --size-mb 200
	$(BIN)/python bench/send_large.py --sizes-mb 20 200
	$(BIN)/python bench/delayed_send.py --count 50
	$(BIN)/python bench/raw_headers.py --messages 2000
	$(BIN)/python bench/bodies.py --size-mb 200
	$(BIN)/python bench/xdm.py --messages 6
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/render.py --runs 3
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/pdf_preview.py --size-mb 200 --runs 3
	$(BIN)/python bench/tls.py
	$(BIN)/python bench/interop.py
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python bench/ui.py --count 100000 --sync 10000 --runs 5
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python bench/package.py --runs 5

# Every main screen to PNG in screenshots/ (a real X server: Xvfb, the xcb platform); then the
# teleconsultation room in headless Chromium, a call between two of them (room-*.png).
screenshots: system-deps $(STAMP) $(QM) $(NOTICES)
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshots.py --out screenshots
	unshare --user --map-root-user --net $(BIN)/python -m tests.server.room_call --netns \
		--result screenshots/room-call.json --shots screenshots

# --- The installed app -------------------------------------------------------------------------
# A runtime-only venv made from the hashed lock (the runtime dependencies, PyInstaller and
# setuptools; never the server's or the dev tools'), made anew when the lock changes. Refresh the
# lock after changing a dependency (README, "The installed app").
BUILD_VENV := .venv-build
BUILD_BIN := $(BUILD_VENV)/bin
BUILD_STAMP := $(BUILD_VENV)/.installed
BUNDLE := dist/monsisra-bureau
ICONS_DIR := build/icons

$(BUILD_STAMP): requirements/build.lock
	@scripts/system-deps.sh venv
	rm -rf $(BUILD_VENV)
	$(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/build.lock
	@touch $(BUILD_STAMP)

# The bundle dist/monsisra-bureau/ (build.spec), then the .deb beside it. The project is installed
# into the build venv from this checkout each time (its wheel's build checks the resources).
package: $(BUILD_STAMP)
	@scripts/system-deps.sh package
	$(BUILD_BIN)/python scripts/icons.py --out $(ICONS_DIR) >/dev/null
	$(BUILD_BIN)/python scripts/translations.py --compile
	$(BUILD_BIN)/python scripts/notices.py --out $(NOTICES)
	$(BUILD_BIN)/python -m pip install --quiet --no-deps --no-build-isolation --no-index --force-reinstall .
	$(BUILD_BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
	rm -f dist/*.deb  # the package tests take the one .deb there: not one of an older version
	installer/linux/build-deb.sh $(BUNDLE) $(ICONS_DIR) dist

# The built bundle and packages, tested as they are (tests/package; run make package first).
package-test: $(STAMP)
	@scripts/system-deps.sh package
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/package

# The README's two commands in a minimal Debian 12 (debootstrap) with only python3 make git
# ca-certificates, on a clone of HEAD (scripts/fresh_check.py; root, network, ~15 min).
# Not part of make test.
fresh-check:
	$(PYTHON) -m scripts.fresh_check

clean:
	rm -rf $(VENV) $(BUILD_VENV) .demo-data .mypy_cache .ruff_cache $(QM) $(NOTICES) build dist \
		scripts/interop/psc/node_modules
