# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
XSTAMP := $(VENV)/.installed-extras
WSTAMP := $(VENV)/.installed-web

.PHONY: run test install install-extras install-test lint bench validate clean docs

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $(STAMP)

# the optional extras every command of the README uses: SBML/PEtab export (sbml), sensitivity
# analysis and Dask scale-out (analysis), calibration (calibrate: pyPESTO)
$(XSTAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -q -e '.[sbml,analysis,calibrate]'
	touch $(XSTAMP)

$(TSTAMP): pyproject.toml $(STAMP)
	bash scripts/install_system_deps.sh
	$(PY) -m pip install -q -e '.[all]'
	touch $(TSTAMP) $(XSTAMP)

$(WSTAMP): pyproject.toml $(STAMP)
	bash scripts/install_system_deps.sh
	$(PY) -m pip install -q -e '.[web]'
	touch $(WSTAMP)

install: $(STAMP)
install-extras: $(XSTAMP)
install-test: $(TSTAMP)

## the main job: the web app (explorer + clinic) on 127.0.0.1:8000, SQLite under ./var/, demo
## data; installs the extras too, so that every README command works after it
run: $(WSTAMP) $(XSTAMP)
	@echo "nicsim app on http://127.0.0.1:8000/  demo login: demo@nicsim.example / demo-practitioner"
	$(VENV)/bin/nicsim serve --database sqlite:///var/nicsim.db --host 127.0.0.1 --port 8000 --seed-demo

## the whole suite (ruff, the import layer contract in .importlinter, then pytest on 2 workers)
test: $(TSTAMP)
	$(VENV)/bin/ruff check src tests scripts $(wildcard benchmarks)
	$(VENV)/bin/lint-imports
	bash scripts/postgres.sh start
	PYTHONUTF8=1 NICSIM_TEST_BROWSER="$$(bash scripts/browser.sh)" $(PY) -m pytest -n 2 -q; rc=$$?; \
	  bash scripts/postgres.sh stop; exit $$rc

lint: $(STAMP)
	$(VENV)/bin/nicsim lint

validate: $(STAMP)
	$(VENV)/bin/nicsim validate --out out/validation --json out/validation/validation.json

bench: $(TSTAMP)
	$(PY) benchmarks/run_benchmarks.py

clean:
	rm -rf out .pytest_cache .ruff_cache

## regenerate generated docs (model, parameters, calibration, layer diagram, API reference,
## validation report, example figures)
docs: $(STAMP)
	$(PY) scripts/make_docs.py
	$(PY) scripts/make_layer_diagram.py
	$(PY) scripts/make_api_docs.py
	$(VENV)/bin/nicsim validate --out docs/validation --json docs/validation/validation.json --force
	$(PY) scripts/make_example_figures.py
	$(VENV)/bin/nicsim demo --out out/demo --force
	cp out/demo/figures/demo_*.png docs/figures/
