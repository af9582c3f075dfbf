# The two commands of the README. Each creates .venv if missing and installs the kit
# with its dev dependencies (again whenever pyproject.toml changes), then does its job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.revkit-installed

.PHONY: demo test test-long test-browser install lint clean pdftotext

# when not root, apt-get runs through sudo
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
APT_INSTALL := $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq

demo: $(STAMP)
	$(BIN)/revkit demo

# pytest suite, then nbval: the stored notebooks run clean top to bottom (lax), and the
# golden executed report notebook is reproduced exactly (strict, volatile output sanitized)
test: $(STAMP) pdftotext
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval-lax notebooks/ -p no:cacheprovider
	$(BIN)/python -m pytest --nbval tests/golden/assessment-helix-cloud.ipynb \
		--nbval-sanitize-with tests/golden/sanitize.cfg -p no:cacheprovider

# the long property runs (e.g. 20,000 random Russian and German texts through the encoding
# detection), left out of `make test`, and the hypothesis property tests with their long
# profile (thousands of random clients and corruptions; tests/property_profiles.py)
test-long: $(STAMP) pdftotext
	$(BIN)/python -m pytest tests -m "long or properties" --long

# every demo report and portfolio in headless Chromium, offline, in English and Russian
# (tests/test_browser.py; screenshots in reports/screenshots/). Installs Debian's chromium
# when there is none.
test-browser: $(STAMP)
	command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
		{ $(APT_INSTALL) chromium; }
	$(BIN)/python -m pytest tests -m browser --browser

install: $(STAMP)

# poppler's pdftotext reads back the text of PDFs whose fonts pypdf cannot decode (the
# hostile-content tests); Debian's poppler-utils when it is missing
pdftotext:
	command -v pdftotext >/dev/null || { $(APT_INSTALL) poppler-utils; }

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check revkit tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info
