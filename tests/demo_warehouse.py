"""The published demo warehouse: generated extracts run once per session through the real Dagster job."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from demo.generator import build_dataset, build_rural_credit, write_landing


@pytest.fixture(scope="session")
def demo_dataset():
    """The generator's own source numbers (the independent truth for the end-to-end test)."""
    return build_dataset()


def use_locations(landing: Path, home: Path) -> None:
    """Point the CLI and the Dagster resources at a test's own landing and warehouse home."""
    os.environ["FINSTAT_LANDING"] = str(landing)
    os.environ["FINSTAT_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(home / "dagster")


@pytest.fixture(scope="session")
def rural_data(demo_dataset):
    """The generator's loans and disposal events (the truth for R01-R09 and the personal-data scan)."""
    return build_rural_credit(demo_dataset)


# The months the session publishes through the real job: one whose growth figures lack their base
# months, the month the central bank branch's figures differ (reported, explained, not blocking),
# and the bureau's May 2022. Each run ingests every landing month up to its own and dbt
# builds the whole history, so every other demo month is still modelled and gated in the working
# database (test_demo_pipeline checks all of them there); `make demo` publishes all 17 months.
JOB_MONTHS = ("2021-06", "2022-03", "2022-05")


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, demo_dataset):
    """Generate 2021-01..2022-05 and run `finstat run --month M` for each of JOB_MONTHS, once per session."""
    from orchestration.cli import main

    root = tmp_path_factory.mktemp("demo")
    landing, home = root / "landing", root / "warehouse"
    write_landing(demo_dataset, landing)
    use_locations(landing, home)
    # The officer's explanation of the demo's reconciliation difference, given before the run.
    from demo.pbc import DEMO_EXPLANATION, OFF_MONTH

    main(["--home", str(home), "ack", "--month", OFF_MONTH, "--rule", "22", "--reason", DEMO_EXPLANATION])
    codes = [
        main(["--landing", str(landing), "--home", str(home), "run", "--month", month])
        for month in JOB_MONTHS
    ]
    return {"codes": codes, "landing": landing, "home": home}


@contextmanager
def demo_copy(demo_run, root: Path):
    """A copy of the published demo landing and warehouse, the FINSTAT_* variables pointing at it.

    A module that re-delivers or plants files works on its copy, so the demo stays as published.
    """
    from finstat.settings import load_settings

    landing, home = root / "landing", root / "warehouse"
    shutil.copytree(demo_run["landing"], landing)
    shutil.copytree(demo_run["home"], home, symlinks=True)  # published/ stays a link into releases/
    saved = {k: os.environ.get(k) for k in ("FINSTAT_LANDING", "FINSTAT_HOME", "DAGSTER_HOME")}
    use_locations(landing, home)
    try:
        yield {"landing": landing, "home": home, "settings": load_settings(landing, home)}
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
