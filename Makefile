# The two commands of the README. Each creates .venv if missing and installs the kit
# with its dev dependencies (again whenever pyproject.toml changes), then does its job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.revkit-installed

.PHONY: demo test test-long install lint clean

demo: $(STAMP)
	$(BIN)/revkit demo

# pytest suite, then nbval: the stored notebooks run clean top to bottom (lax), and the
# golden executed report notebook is reproduced exactly (strict, volatile output sanitized)
test: $(STAMP)
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval-lax notebooks/ -p no:cacheprovider
	$(BIN)/python -m pytest --nbval tests/golden/assessment-helix-cloud.ipynb \
		--nbval-sanitize-with tests/golden/sanitize.cfg -p no:cacheprovider

# the long property runs (e.g. 20,000 random Russian and German texts through the encoding
# detection), left out of `make test`, and the hypothesis property tests with their long
# profile (thousands of random clients and corruptions; tests/property_profiles.py)
test-long: $(STAMP)
	$(BIN)/python -m pytest tests -m "long or properties" --long

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
