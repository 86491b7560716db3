"""Shared test set-up: no telemetry, and isolated FINSTAT_* locations per test session."""

import importlib.util
import os

from finstat.settings import OFFLINE_ENV

for _key, _value in OFFLINE_ENV.items():
    os.environ.setdefault(_key, _value)
# One test process serves many landings, each with its own first month, but imports the job's
# partitions once: they start early enough for all of them (tests/orchestration/test_partitions.py
# checks the default, the first month with landing data, in a process of its own).
os.environ.setdefault("FINSTAT_FIRST_MONTH", "2019-01")

# The demo warehouse is built once per session and shared by tests/e2e and tests/reliability.
from tests.demo_warehouse import demo_dataset, demo_run, rural_data  # noqa: E402, F401

# One throw-away PostgreSQL server per session for the PostgreSQL publication tests.
from tests.postgres_server import postgres_dsn  # noqa: E402, F401

# `make test` runs on both cores: tests sharing an expensive fixture go to one worker.
if importlib.util.find_spec("xdist") is not None:
    pytest_plugins = ["tests.xdist_groups"]
