"""Shared test set-up: no telemetry, and isolated FINSTAT_* locations per test session."""

import os

from finstat.settings import OFFLINE_ENV

for _key, _value in OFFLINE_ENV.items():
    os.environ.setdefault(_key, _value)
