"""Shared test set-up: no telemetry, and isolated FINSTAT_* locations per test session."""

import os

from finstat.settings import OFFLINE_ENV

for _key, _value in OFFLINE_ENV.items():
    os.environ.setdefault(_key, _value)

# The demo warehouse is built once per session and shared by tests/e2e and tests/reliability.
from tests.demo_warehouse import demo_dataset, demo_run, rural_data  # noqa: E402, F401
