# Task runner. Every target works on a fresh Debian/Ubuntu machine (scripts/setup installs what
# is missing). `make help` lists the targets.
.PHONY: help setup run demo test lint format typecheck imports bench translations screenshots clean

help:            ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

setup:           ## system packages (if missing), .venv, the kiosk and its dev tools
	scripts/setup

run:             ## set up and start the kiosk (console demo until the screen exists)
	scripts/run

test:            ## set up and run lint, format check, mypy, import contract and pytest
	scripts/test

lint: setup      ## ruff lint and format check
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: setup    ## reformat the code
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

typecheck: setup ## mypy, strict on the core
	.venv/bin/mypy

imports: setup   ## the core never imports Qt or the UI
	.venv/bin/lint-imports

bench: setup     ## benchmarks (figures go to docs/benchmarks.md by hand)
	.venv/bin/python bench/parse.py
	.venv/bin/python bench/store.py
	.venv/bin/python bench/decode.py
	.venv/bin/python bench/scan_latency.py
	.venv/bin/python bench/sync.py
	QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gate.py

translations: setup ## the screen's strings into assets/translations/*.ts, then the .qm files
	.venv/bin/python scripts/i18n.py update
	.venv/bin/python scripts/i18n.py compile

screenshots: setup ## a PNG of every screen and state, vi and en, into docs/screenshots/
	QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py

clean:           ## remove the virtual environment and caches
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache
