# Task runner. Every target works on a fresh Debian/Ubuntu machine (scripts/setup installs what
# is missing). `make help` lists the targets.
.PHONY: help setup run demo test lint format typecheck imports bench reliability translations screenshots clean

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
	.venv/bin/python bench/central_ingest.py
	.venv/bin/python bench/central_scale.py
	.venv/bin/python bench/signing.py
	.venv/bin/python bench/signed_sync.py
	.venv/bin/python bench/person_keys.py
	.venv/bin/python bench/declarations.py
	QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gate.py

reliability: setup ## the fault suite in full (kills, power cuts, network, clocks...; minutes; root for loop mounts)
	KIOSK_RELIABILITY_FULL=1 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/reliability -q -s -p no:randomly
	KIOSK_RELIABILITY_FULL=1 .venv/bin/python -m pytest tests/central/test_schemathesis.py -q -s
	$(MAKE) fuzz

translations: setup ## the screen's strings into assets/translations/*.ts, then the .qm files
	.venv/bin/python scripts/i18n.py update
	.venv/bin/python scripts/i18n.py compile

screenshots: setup ## a PNG of every screen and state, and every web console page, vi and en, into docs/screenshots/
	QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
	.venv/bin/python scripts/console_screenshots.py

clean:           ## remove the virtual environment and caches
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache

# atheris (libFuzzer) on kiosk.formats.parse; not a dev dependency: installed here on demand, and
# only on x86_64 (it has no wheels for other machines). Corpus and crash files in build/fuzz/.
FUZZ_SECONDS ?= 600
.PHONY: fuzz
fuzz: setup      ## fuzz the scan parser with atheris for FUZZ_SECONDS (600; x86_64 only)
	@if [ "$$(uname -m)" != "x86_64" ]; then \
		echo "fuzz: skipped: atheris has wheels for x86_64 only, this machine is $$(uname -m)"; \
	else \
		{ .venv/bin/python -c "import atheris" 2>/dev/null || .venv/bin/pip install atheris; } && \
		mkdir -p build/fuzz/corpus && \
		.venv/bin/python fuzz/fuzz_parse.py --seeds build/fuzz/corpus && \
		.venv/bin/python fuzz/fuzz_parse.py -max_total_time=$(FUZZ_SECONDS) -timeout=5 \
			-max_len=10000 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=build/fuzz/ build/fuzz/corpus; \
	fi
