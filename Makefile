# One virtual environment (.venv) serves every target; it is created when
# missing and reinstalled only when pyproject.toml changes.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help lab test lint format notebooks bench clean

help:
	@echo "make lab        start JupyterLab on notebooks/ (sets up .venv first)"
	@echo "make test       run the whole test suite: ruff + pytest"
	@echo "make lint       ruff check and ruff format --check"
	@echo "make format     ruff format and ruff check --fix"
	@echo "make notebooks  regenerate notebooks/ and the README table from solutions/notebooks/"
	@echo "make bench      print timings (engine vs micrograd, notebooks, grading)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test,dev]"
	@touch $@

lab: $(STAMP)
	@echo "Starting JupyterLab on notebooks/; open the http://...:8888/lab?token=... address printed below."
	cd notebooks && ../$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	$(BIN)/autograd-course release

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[bench]"
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .cache .pytest_cache .ruff_cache .hypothesis
