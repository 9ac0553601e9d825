# Two commands: `make demo` (set up, then run the demo shop) and `make test` (set up, then
# run ruff, mypy, the import-layer check and the whole pytest suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test setup setup-dev browser lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

demo: setup
	$(BIN)/chatcart demo --port $(PORT)

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser),
# and CJK fonts, without which Chinese renders as empty boxes in screenshots.
browser:
	@(command -v chromium >/dev/null 2>&1 && dpkg -s fonts-noto-cjk >/dev/null 2>&1) || \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

lint: setup-dev
	$(BIN)/ruff check chatcart tests bench
	$(BIN)/ruff format --check chatcart tests bench
	$(BIN)/mypy chatcart
	$(BIN)/lint-imports

# The suite runs with the default (trained) understander; the conversations run again with
# the keyword matcher, so the engine keeps working with either (the NLU is swappable).
test: lint browser
	$(BIN)/pytest -q
	CHATCART_TEST_UNDERSTANDER=keyword $(BIN)/pytest -q tests/conversations
