"""Shared test set-up: no telemetry, and isolated FINSTAT_* locations per test session."""

import os

import pytest

from finstat.settings import OFFLINE_ENV

for _key, _value in OFFLINE_ENV.items():
    os.environ.setdefault(_key, _value)

# The demo warehouse is built once per session and shared by tests/e2e and tests/reliability.
from tests.demo_warehouse import demo_dataset, demo_run, rural_data  # noqa: E402, F401

# One throw-away PostgreSQL server per session for the PostgreSQL publication tests.
from tests.postgres_server import postgres_dsn  # noqa: E402, F401

# Session fixtures that cost minutes: under pytest-xdist every test using one runs in the same
# worker, so each is built once per run, not once per worker.
_EXPENSIVE_SESSION_FIXTURES = ("demo_run", "dbt_run", "landing", "rural_data")


# Before xdist's own hook, which reads the xdist_group markers to assign the tests.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Group the tests of each expensive session fixture for `--dist loadgroup`."""
    for item in items:
        for name in _EXPENSIVE_SESSION_FIXTURES:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name))
                break
