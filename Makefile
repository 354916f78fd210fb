# Two commands on a fresh machine:
#   make deck   set up .venv and build the flagship lesson's deck (decks/07-attention.apkg)
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LESSON ?= lessons/07-attention.ipynb

.PHONY: deck test lint bench setup clean

deck: $(STAMP)
	$(BIN)/srs build $(LESSON)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check srs tests bench

bench: $(STAMP)
	$(BIN)/python bench/build_speed.py

setup: $(STAMP)

# torch is installed first and pinned: the CPU build, so nothing pulls a multi-GB CUDA build.
# The test extra brings the preview extra (anki, MathJax) and Playwright, which drives the system
# Chromium for the preview's browser check: install that as root with `apt-get install chromium`.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) decks/*.apkg decks/.srs
