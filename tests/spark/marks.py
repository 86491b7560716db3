"""The marks every Spark test carries: opt-in by FINSTAT_TEST_SPARK=1, and the Spark venv's packages present."""

from __future__ import annotations

import importlib.util
import os

import pytest


def spark_only(*modules: str) -> list:
    """pytestmark for a module needing pyspark and `modules` (found only in .venv-spark)."""
    needed = ("pyspark", *modules)
    return [
        pytest.mark.spark,
        pytest.mark.skipif(
            os.environ.get("FINSTAT_TEST_SPARK") != "1",
            reason="Spark runs take minutes: run them with `make test-spark` (FINSTAT_TEST_SPARK=1)",
        ),
        pytest.mark.skipif(
            any(importlib.util.find_spec(name) is None for name in needed),
            reason=f"{', '.join(needed)} not in this venv: `make test-spark` runs these in .venv-spark",
        ),
    ]
