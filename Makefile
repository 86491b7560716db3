# finstat: `make demo`, `make test`, `make ui` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

export FINSTAT_LANDING ?= $(CURDIR)/data/landing
export FINSTAT_HOME ?= $(CURDIR)/data/warehouse
export DAGSTER_HOME ?= $(FINSTAT_HOME)/dagster
# Offline by design: no usage telemetry from dbt, GX or Dagster.
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := False
export DAGSTER_DISABLE_TELEMETRY := 1

DEMO_FIRST ?= 2021-01
DEMO_LAST ?= 2022-05

.PHONY: demo test test-spark ui lint format manifest venv clean-demo bench bench-rural fuzz fonts

venv: $(VENV)/.installed

# constraints.txt pins every transitive package to the set resolved and tested together.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

# The dbt manifest is prepared at build time so Dagster loads definitions without running dbt.
manifest: venv
	cd dbt_project && ../$(BIN)/dbt parse --profiles-dir . --quiet

# The briefing's charts draw Chinese labels: a CJK font from Debian (no-op when one is installed).
fonts:
	bash tests/fonts_install.sh

demo: manifest fonts
	@if [ ! -d "$(FINSTAT_LANDING)/bank_loans" ]; then \
		$(BIN)/python -m demo generate --landing "$(FINSTAT_LANDING)" --last-period $(DEMO_LAST); \
	else echo "demo extracts already in $(FINSTAT_LANDING) (make clean-demo to regenerate)"; fi
	@# The officer's explanation of the demo's one difference with the central bank branch (rule 22).
	$(BIN)/finstat ack --month 2022-03 --rule 22 --reason "$$($(BIN)/python -c 'from demo.pbc import DEMO_EXPLANATION; print(DEMO_EXPLANATION)')"
	$(BIN)/finstat run --from $(DEMO_FIRST) --to $(DEMO_LAST)
	$(BIN)/finstat figures --month $(DEMO_LAST)

# The slowest tests are listed so the suite's 15-minute budget stays visible. Two workers, one per
# core; tests sharing an expensive fixture (the demo warehouse, the tiny dbt build) share a worker.
test: manifest
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup --durations=15

# A venv of its own for Spark: great_expectations imports pyspark whenever it is installed (half a
# second and a FutureWarning in every process of the DuckDB path), so pyspark stays out of .venv.
SPARK_VENV := .venv-spark
$(SPARK_VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,spark,spark-thrift]'
	touch $@

# The dbt project on a local Spark (dbt-spark session method, pyspark on Java 17) against DuckDB:
# the tiny lake of tests/dbt and the demo months built on both, every table compared row for row
# and the figures as publication rounds them; and the monthly job itself with FINSTAT_ENGINE=spark
# against a local Spark Thrift server, release for release (docs/scale-out.md "Spark"). Not part
# of `make test`.
test-spark: $(SPARK_VENV)/.installed
	FINSTAT_TEST_SPARK=1 $(SPARK_VENV)/bin/python -m pytest -q -s --durations=5 -p no:cacheprovider tests/spark

ui: manifest
	mkdir -p "$(DAGSTER_HOME)"
	@# The instance's dagster.yaml as `finstat run` writes it (orchestration/runner.py DAGSTER_YAML):
	@# no telemetry, no "Join the Dagster community" dialog; an earlier finstat file is brought up to date.
	$(BIN)/python -c 'from finstat.settings import load_settings; from orchestration.runner import dagster_instance; dagster_instance(load_settings(None, None))'
	$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

# Not a test: finstat's monthly run (the Dagster job) against a hand-written DuckDB baseline on a
# demo month, N = 1M and 10M rural-credit loan rows and 12 months of 1M; wall, rows/s, peak RSS, ratio
# (bench/README.md). Fewer cases: make bench BENCH_ARGS="--rows 1000000 --months 0".
bench: manifest
	$(BIN)/python -m bench $(BENCH_ARGS)

# Not a test: one month of 1,000,000 rural-credit loan rows ingested and built; rows/s and peak RSS.
bench-rural: manifest
	$(BIN)/python -m bench.rural_credit_month --rows $${ROWS:-1000000}

# Not a test: Hypothesis-generated hostile files through every landing parser; fails on any crash.
fuzz: manifest
	$(BIN)/python -m fuzz --examples $${EXAMPLES:-1000}

# sqlfluff and its dbt templater in a venv of their own: they cap click below the tested set's pin
# (requirements-lint.txt says why), and the lint venv holds nothing else but the dbt that renders models.
LINT_VENV := .venv-lint
$(LINT_VENV)/.installed: requirements-lint.txt
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-lint.txt
	touch $@

# sqlfluff's dbt templater compiles each model, and a model's macros may read a seed while compiling
# (macros/indicators.sql): dbt's `lint` target (profiles.yml) is a DuckDB file of the seeds alone, made
# anew each time, so lint needs no warehouse. Its own target path, target/lint, keeps the manifest and
# partial-parse state Dagster loads from target/ untouched.
LINT_DBT := DBT_TARGET_PATH=target/lint DBT_LOG_PATH=target/lint/logs
lint: venv $(LINT_VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	rm -f dbt_project/target/lint/lint.duckdb && mkdir -p dbt_project/target/lint
	cd dbt_project && $(LINT_DBT) ../$(LINT_VENV)/bin/dbt seed --profiles-dir . --target lint --quiet
	cd dbt_project && set -o pipefail && $(LINT_DBT) ../$(LINT_VENV)/bin/sqlfluff lint models tests --processes 2 2>&1 \
		| tee target/lint/sqlfluff.log
	@# sqlfluff only warns when dbt raises while compiling a model (it skips the file, exit code 0): a
	@# model that lint could not render is a failure, not a model that passed.
	@! grep 'Skipped file' dbt_project/target/lint/sqlfluff.log

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean-demo:
	rm -rf data/landing data/warehouse
