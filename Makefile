# The two commands of the README. Each creates .venv if missing and installs the kit
# with its dev dependencies (again whenever pyproject.toml changes), then does its job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.revkit-installed

.PHONY: demo test install lint clean

demo: $(STAMP)
	$(BIN)/revkit demo

test: $(STAMP)
	$(BIN)/python -m pytest tests

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check revkit tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info
