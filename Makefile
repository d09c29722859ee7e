# The two commands of the README (`make run`, `make test`), plus `make bench` and `make lint`.
# Each creates .venv on first use and installs the package with its test extras.
#   make run ARGS="--port 8080 --host 0.0.0.0"   options for `campaign up`
#   make test PYTEST_ARGS="-k letters"            options for pytest; TEST_WORKERS=0 runs in one process

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Parallel test processes (pytest-xdist): one per CPU core.
TEST_WORKERS ?= auto

.PHONY: run test bench lint audit clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python campaign/checks.py --warn
	touch $(STAMP)

# campaign/checks.py: stop with the install command if WeasyPrint's system libraries are missing; `make run`
# only warns about HarfBuzz-Subset (PDFs work without it), `make test` stops (warnings are errors there).
run: $(STAMP)
	@$(BIN)/python campaign/checks.py --warn
	$(BIN)/campaign up $(ARGS)

test: $(STAMP)
	@$(BIN)/python campaign/checks.py
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: $(STAMP)
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
