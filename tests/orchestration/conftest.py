"""Shared by the orchestration tests: the CLI's exported locations are put back after each test."""

import os

import pytest


@pytest.fixture(autouse=True)
def _restore_locations(monkeypatch):
    """The CLI exports its locations to the environment: put them back after each test."""
    import orchestration.definitions  # noqa: F401 - sets the defaults the Dagster resources read

    for key in ("FINSTAT_LANDING", "FINSTAT_HOME", "FINSTAT_REFERENCE_DIR"):
        if key in os.environ:
            monkeypatch.setenv(key, os.environ[key])
        else:
            monkeypatch.delenv(key, raising=False)
