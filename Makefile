# One virtual environment (.venv) serves every target; it is created when missing.
# `make lab` installs the course and JupyterLab only; `make test` adds the test tools.
# Each install runs again only when pyproject.toml changes.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-lab
QUIET_PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip install -q
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

W7     := .venv-ipywidgets7

.PHONY: help lab test test-quick coverage lint format notebooks bench clean test-widgets7 \
	lite lite-deps pyodide-release

help:
	@echo "make lab        start JupyterLab on notebooks/ (sets up .venv first)"
	@echo "make test       run the whole test suite: ruff + pytest"
	@echo "make test-quick the tests not marked slow (no kernels, no browser): seconds"
	@echo "make coverage   the quick loop with the checks' line coverage printed"
	@echo "make lint       ruff check, ruff format --check and mypy (type check)"
	@echo "make format     ruff format and ruff check --fix"
	@echo "make notebooks  regenerate notebooks/ and the README table from solutions/notebooks/"
	@echo "make test-widgets7  widget tests under ipywidgets 7.7.1 (Colab's version)"
	@echo "make bench      print timings (engine vs micrograd, notebooks, grading)"
	@echo "make lite-deps  fetch what the course in the browser is made of (npm, wheels): once"
	@echo "make lite       build the course's JupyterLite site into build/lite/ (no network)"
	@echo "make pyodide-release  fetch Pyodide's full release (numpy, matplotlib) for make lite"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e ".[test,dev]"
	@touch $@ $(LAB_STAMP)

$(LAB_STAMP): pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e ".[lab]"
	@touch $@

# binder/overrides.json: JupyterLab's defaults for the course (the file browser shows whole
# notebook names: no "Modified" column). Matplotlib's font cache is built here, not by the
# first plotting cell a learner runs (seconds of waiting).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_SETTINGS): binder/overrides.json | $(LAB_STAMP)
	mkdir -p $(dir $@)
	cp binder/overrides.json $@
	$(BIN)/python -c "import matplotlib.font_manager"  # its font cache, built once, now

# The address JupyterLab prints opens the index notebook (the course's table, your progress).
lab: $(LAB_STAMP) $(LAB_SETTINGS)
	cd notebooks && ../$(BIN)/jupyter lab --LabApp.default_url=/lab/tree/index.ipynb $(ROOT_FLAG) $(LAB_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy  # autograd_helpers and solutions ([tool.mypy] in pyproject.toml)

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pytest-xdist, two workers more than cores: many tests wait (sandbox time limits, a browser)
# rather than compute (on 2 cores, 4 workers take ~150 s where 3 take ~160 s).
# --dist loadgroup keeps tests that share a costly fixture, and each notebook's catalog
# entries (which share kernels), on one worker (see tests/conftest.py).
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print((os.cpu_count() or 1) + 2)")
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist loadgroup
test: lint
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

# While editing: the tests that start no notebook, browser or grader (-m "not slow").
# They compute rather than wait: one worker per core (on 2 cores, 2 workers take ~23 s where
# 4 take ~34 s: each worker imports and collects everything again). Both targets keep
# compiled bytecode (__pycache__, ignored by git) even in a shell that sets
# PYTHONDONTWRITEBYTECODE: else each worker compiles and assertion-rewrites every test module
# again (about 3 s of CPU per worker).
QUICK_WORKERS ?= $(shell $(PYTHON) -c "import os; print(os.cpu_count() or 1)")
PYTEST_QUICK = -n $(QUICK_WORKERS) --dist loadgroup -q -m "not slow"
test-quick coverage: export PYTHONDONTWRITEBYTECODE =
test-quick: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_QUICK)

# The quick loop again, measuring which lines of the checks (probes and judges) it runs.
# The checks' own total comes last; under 80% the target fails.
coverage: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_QUICK) \
		--cov=autograd_helpers/checks --cov=autograd_helpers/probes --cov-report=
	$(BIN)/python -m coverage report --include="autograd_helpers/probes/*"
	$(BIN)/python -m coverage report --include="autograd_helpers/checks/*" --fail-under=80

notebooks: $(STAMP)
	$(BIN)/autograd-course release

# Colab still ships ipywidgets 7: the widget tests run there too (CI runs this).
$(W7)/.installed: pyproject.toml
	$(PYTHON) -m venv $(W7)
	$(W7)/bin/python -m pip install -q --upgrade pip
	PYTHONWARNINGS=ignore $(W7)/bin/python -m pip install -q -e ".[test]" "ipywidgets==7.7.1"
	@touch $@

test-widgets7: $(W7)/.installed
	$(W7)/bin/python -c "import ipywidgets; print('ipywidgets', ipywidgets.__version__)"
	$(W7)/bin/python -m pytest -q -p no:cacheprovider $(wildcard tests/test_widgets.py tests/test_neuron_explorer.py)

# The course in the browser: npm's pyodide (the JupyterLite kernel's version) and Graphviz in
# WebAssembly (lite/package-lock.json) into lite/node_modules, the wheels Pyodide needs
# (lite/requirements.txt, with their sha256) into .cache/lite. The one step that needs the
# package registries: `python lite/distribution.py DIR` and the Node runner are offline after it.
lite-deps: | $(BIN)/python
	cd lite && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python lite/distribution.py --download

bench: $(STAMP)
	$(QUIET_PIP) -e ".[bench]"
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(W7) .cache .pytest_cache .ruff_cache .mypy_cache .hypothesis

# --- the course in the browser: a JupyterLite site (lite/site/, lite/build_site.py) --------
# `make lite-deps` (with network) then `make lite` (without): build/lite/, a static site.
# PYODIDE_RELEASE: Pyodide's full release, unpacked (`make pyodide-release` fetches it): its
# numpy and matplotlib go into the site too (the GitHub Pages workflow builds it so).
LITE_OUT ?= build/lite
LITE_PYODIDE ?= build/lite-pyodide
PYODIDE_RELEASE ?=
LITE_STAMP := $(VENV)/.installed-lite

$(LITE_STAMP): pyproject.toml | $(BIN)/python
	$(QUIET_PIP) -e ".[lite]"
	@touch $@

lite-deps: $(LITE_STAMP)  # JupyterLite itself (the [lite] extra), beside the recipe above

lite: $(LITE_STAMP)
	$(BIN)/python lite/distribution.py $(LITE_PYODIDE)
	$(BIN)/python lite/build_site.py $(LITE_OUT) --pyodide $(LITE_PYODIDE) \
		$(if $(PYODIDE_RELEASE),--release $(PYODIDE_RELEASE))

# Pyodide's full release of the version lite/package.json pins, from its GitHub releases
# (not a package registry: the Pages workflow runs this, offline machines cannot).
PYODIDE_VERSION = $(shell $(PYTHON) -c "import json; print(json.load(open('lite/package.json'))['dependencies']['pyodide'])")
PYODIDE_RELEASE_DIR := .cache/pyodide-release
pyodide-release:
	mkdir -p $(PYODIDE_RELEASE_DIR)
	curl -fsSL https://github.com/pyodide/pyodide/releases/download/$(PYODIDE_VERSION)/pyodide-$(PYODIDE_VERSION).tar.bz2 \
		| tar -xj -C $(PYODIDE_RELEASE_DIR)
	@echo "Pyodide $(PYODIDE_VERSION): make lite PYODIDE_RELEASE=$(PYODIDE_RELEASE_DIR)/pyodide"

