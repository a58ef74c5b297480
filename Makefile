# Every target creates .venv on first use, so a fresh machine needs only Python and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test docs preview lint bench clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,live,docs,lint]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q

docs: $(STAMP)
	$(BIN)/sphinx-build -nW --keep-going -b html docs docs/_build/html

# The docs site served with live reload, drafts listed, rebuilt in memory on every save;
# a change to the extension or its theme starts it again (sphinx-autobuild works too:
# $(BIN)/sphinx-autobuild docs docs/_build/html).
preview: $(STAMP)
	$(BIN)/sphinx-postblog preview --host 127.0.0.1 --port 8000 --watch sphinx_postblog \
		docs docs/_build/preview

lint: $(STAMP)
	$(BIN)/ruff check sphinx_postblog tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The interface words: sphinx_postblog.pot extracted from the code and templates, every
# language's .po brought up to it (docs/themes.md, Languages).
messages: $(STAMP)
	$(BIN)/python tools/messages.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) docs/_build .pytest_cache
