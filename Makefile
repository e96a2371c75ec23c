# The commands a person types. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

# The sandbox's own key: not a secret (the sandbox holds no real money). Real accounts name
# their own variables in ledgerdesk.yaml.
export LEDGERDESK_STRIPE_SANDBOX_KEY ?= sk_test_ledgerdesk_sandbox
export LEDGERDESK_BRAINTREE_MERCHANT_ID ?= ledgerdesk_sandbox
export LEDGERDESK_BRAINTREE_PUBLIC_KEY ?= ledgerdesk_public
export LEDGERDESK_BRAINTREE_PRIVATE_KEY ?= ledgerdesk_private
export LEDGERDESK_PAYPAL_CLIENT_ID ?= client-id
export LEDGERDESK_PAYPAL_CLIENT_SECRET ?= client-secret

.DEFAULT_GOAL := help
help:
	@echo "make demo      set up, start the gateway sandboxes, run the pipeline, serve the apps (NO_SERVE=1: exit after the summary)"
	@echo "make test      set up and run the whole test suite"
	@echo "make serve     serve the dashboards and the Dagster UI on the existing warehouse (no rebuild)"
	@echo "make pipeline  one incremental run against the accounts in ledgerdesk.yaml"
	@echo "make ui        the Dagster UI;  make sandbox: the Stripe sandbox alone"
	@echo "make test-mutations  check that the tests fail when a business rule is broken"
	@echo "make bench     benchmarks (bench-extract, bench-dbt);  make lint: ruff and sqlfluff"
	@echo "make test-spark  the Spark warehouse (dbt-spark session): landing, build, marts equal DuckDB's"

# dagster-dbt reads dbt's manifest when the code location loads.
manifest: setup
	@mkdir -p data
	cd dbt_project && LEDGERDESK_WAREHOUSE=$${LEDGERDESK_WAREHOUSE:-$(CURDIR)/data/warehouse.duckdb} \
		$(CURDIR)/$(VENV)/bin/dbt parse --quiet --project-dir . --profiles-dir .

.PHONY: help ui manifest setup setup-spark test-spark demo serve pipeline test test-mutations lint format bench bench-extract bench-dbt browser sandbox clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# The optional Spark engine (pyproject's `spark` extra) on top of setup; its own stamp, so the
# default setup never downloads PySpark.
SPARK_STAMP := $(VENV)/.installed-spark-$(shell sha1sum pyproject.toml | cut -c1-12)
setup-spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,spark]'
	@rm -f $(VENV)/.installed-spark-* && touch $@

demo: manifest
	$(PY) -m scripts.demo $(if $(filter 1 true yes,$(NO_SERVE)),--no-serve)

# The dashboards and the Dagster UI on what the last run built; nothing is rebuilt or replaced.
serve: manifest
	$(PY) -m scripts.serve $(if $(filter 1 true yes,$(NO_DAGSTER)),--no-dagster)

pipeline: manifest
	$(PY) -m scripts.pipeline

# The Dagster UI on the real code location (the demo starts it too).
ui: manifest
	@mkdir -p data/dagster
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/data/dagster} PATH=$(CURDIR)/$(VENV)/bin:$$PATH \
		$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

sandbox: setup
	$(PY) -m sandbox.stripe --seed 42 --scale 1 --port 12111

browser:
	@bash scripts/ensure_chromium.sh

# Two workers (the machine's two cores); tests that share an expensive build go to one worker
# (tests/conftest.py: xdist groups), in the order conftest.py gives them (the shared builds'
# groups first; xdist would otherwise sort groups by their number of tests).
# LEDGERDESK_BUILD_LOG=<file> counts each worker's builds (tests/build_log.py).
test: manifest browser
	$(PY) -m pytest -q -n 2 --dist loadgroup --no-loadscope-reorder

# Spark (issue 16): raw landing as Parquet, `dbt build --target spark` in a local session, every
# mart equal to DuckDB's. An opt-in suite: `make test` collects its build tests and skips them
# (a JVM per build); here LEDGERDESK_SPARK_TESTS=1 asks for them, and without Java they fail.
test-spark: setup-spark manifest
	LEDGERDESK_SPARK_TESTS=1 $(PY) -m pytest -q -s tests/spark

# Deliberate wrong rules, one at a time on a copy of the project: each must make its tests fail
# (scripts/mutations/ lists them, by area). A few minutes; `.ci/run` runs it after `make test`.
# MUTATIONS_ARGS: e.g. `--baseline collect` right after a green `make test` (.ci/run).
test-mutations: manifest
	$(PY) -m scripts.mutations $(MUTATIONS_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	LEDGERDESK_WAREHOUSE=$(CURDIR)/data/lint.duckdb $(VENV)/bin/sqlfluff lint dbt_project/models dbt_project/tests dbt_project/macros

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: bench-extract bench-dbt

# Every registered gateway: SDK transport vs a bare reader, memory, all at once, Stripe's limits.
bench-extract: setup
	$(PY) bench/extract.py

# `dbt build` per engine (DuckDB; PostgreSQL when 127.0.0.1:5432 answers) at demo scale and ten
# times it: full, incremental with nothing new, and the pipeline's no-change check. ~10 minutes.
bench-dbt: setup
	nice -n 19 $(PY) bench/dbt.py

clean:
	rm -rf data dbt_project/target dbt_project/logs
