# The two commands of the README (`make run`, `make test`), plus `make bench` and `make lint`.
# Each creates .venv on first use and installs the package with its test extras.
#   make run ARGS="--port 8080 --host 0.0.0.0"   options for `campaign up`
#   make test PYTEST_ARGS="-k letters"            options for pytest; TEST_WORKERS=0 runs in one process

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Parallel test processes (pytest-xdist): one per CPU core. Each process takes the next test file when it is nearly
# done with its own (--dist loadfile, in the order of the collection: --no-loadscope-reorder). So the slow files at
# the front (browser, job workers, `campaign up`) are shared out first and the quick ones even out the end; and a
# file's module fixtures (the hostile world of tests/security/test_every_url.py) are built once, not per process.
# PYTHONDONTWRITEBYTECODE emptied: with it set, each test process rewrote the asserts of every test module again
# (5 s of its start) and each `campaign` child process compiled the package from source: nothing was cached.
TEST_WORKERS ?= auto
# The UI's translation catalogues: the .po files are committed, the compiled .mo files are built here (git-ignored).
TRANSLATIONS := campaign/translations
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

.PHONY: run test bench lint audit clean translations

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python campaign/checks.py --warn
	touch $(STAMP)

# Recompiled whenever its .po is newer (after a pull or an edit), not only at the first install.
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# After adding or changing UI strings: collect the msgids of code and templates into messages.pot and merge them
# into every locale's messages.po (new ones empty, changed ones fuzzy); translate those, then `make run`/`make test`
# compile them. tests/web/test_translations.py fails while a msgid lacks its English text.
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --no-wrap --sort-output \
		--project campaign --msgid-bugs-address "" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update --no-wrap --ignore-obsolete -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

# campaign/checks.py: stop with the install command if WeasyPrint's system libraries are missing; `make run`
# only warns about HarfBuzz-Subset (PDFs work without it), `make test` stops (warnings are errors there).
run: $(STAMP) $(CATALOGUES)
	@$(BIN)/python campaign/checks.py --warn
	$(BIN)/campaign up $(ARGS)

test: $(STAMP) $(CATALOGUES)
	@$(BIN)/python campaign/checks.py
	$(BIN)/ruff check .
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

bench: $(STAMP) $(CATALOGUES)
	@for script in tests/benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

# Static security checks (bandit, exceptions documented in pyproject.toml) and known vulnerabilities of the
# installed packages (pip-audit, which asks PyPI's vulnerability data).
audit: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[audit]"
	$(BIN)/bandit -c pyproject.toml -q -r campaign
	$(BIN)/pip-audit --progress-spinner off

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
