"""One `dbt build` per session on a tiny generated lake; tests read the resulting DuckDB file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from finstat.reference import dbt_vars
from finstat.settings import OFFLINE_ENV, PROJECT_ROOT
from ingestion.registry import SOURCES
from tests.dbt import tiny_lake, tiny_ledgers, tiny_pbc, tiny_platform, tiny_programmes, tiny_rural

# The dbt of the running venv (.venv, or .venv-spark under `make test-spark`).
DBT = Path(sys.executable).parent / "dbt"


@dataclass
class DbtRun:
    db_path: Path
    seconds: float
    stdout: str
    root: Path | None = None  # the folder with home/, reference/ and dbt's target/

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.sql(sql, params=params).to_arrow_table().to_pylist()


def write_tiny_home(root: Path) -> tuple[Path, Path]:
    """The tiny lake of every source and the reference data under root; (home, reference)."""
    home, reference = root / "home", root / "reference"
    tiny_lake.write_lake(home)
    tiny_rural.write_lake(home)
    tiny_platform.write_lake(home)
    tiny_pbc.write_lake(home)
    tiny_programmes.write_lake(home)
    tiny_ledgers.write_lake(home)
    # A source with no tiny lake of its own yet still has its zero-row tables, for dbt's globs.
    for source in SOURCES:
        source.ensure_schema_files(home / "lake")
    tiny_lake.write_reference(reference)
    tiny_programmes.write_reference(reference)
    (home / "work").mkdir()
    return home, reference


def run_dbt(
    root: Path,
    home: Path,
    reference: Path,
    *args: str,
    period: str = tiny_lake.BUILD_PERIOD,
    target: str = "dev",
    timeout: int = 300,
) -> DbtRun:
    """One dbt command (e.g. build) for `period` on the warehouse at home; fails the test if dbt fails."""
    # Each target keeps its own target folder (dbt's partial parse is per profile).
    suffix = "" if target == "dev" else f"-{target}"
    env = {
        **os.environ,
        **OFFLINE_ENV,
        "FINSTAT_HOME": str(home),
        "FINSTAT_REFERENCE_DIR": str(reference),
    }
    command = [
        str(DBT),
        *args,
        "--target",
        target,
        "--project-dir",
        str(PROJECT_ROOT / "dbt_project"),
        "--profiles-dir",
        str(PROJECT_ROOT / "dbt_project"),
        "--target-path",
        str(root / f"target{suffix}"),
        "--log-path",
        str(root / f"logs{suffix}"),
        "--vars",
        # The job's own --vars: the city comes from the reference folder's regions.csv.
        json.dumps({"period": period, **dbt_vars(reference)}),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=root, timeout=timeout)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    return DbtRun(home / "work" / "finstat.duckdb", seconds, done.stdout, root)


RURAL_TABLES = ("rural_credit_loans", "rural_credit_disposals")


def hold_back(home: Path, stash: Path, period: str) -> None:
    """Move a month's rural-credit lake folders out of the lake (not yet delivered)."""
    for table in RURAL_TABLES:
        folder = home / "lake" / table / f"period={period}"
        if folder.exists():
            (stash / period).mkdir(parents=True, exist_ok=True)
            shutil.move(folder, stash / period / table)


def restore(home: Path, stash: Path, period: str) -> None:
    for table in RURAL_TABLES:
        if (stash / period / table).exists():
            shutil.move(stash / period / table, home / "lake" / table / f"period={period}")


@pytest.fixture(scope="session")
def dbt_run(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    """Write the tiny lake and reference data, then build every model, seed and test.

    Built as a warehouse is, month by month: first 2022-04 before the build month's rural-credit
    files arrived, then the build month, which the incremental-by-month models add (the tests of
    every model then check an incremental build against hand-computed figures).
    """
    root = tmp_path_factory.mktemp("dbt")
    home, reference = write_tiny_home(root)
    hold_back(home, root / "stash", tiny_lake.BUILD_PERIOD)
    run_dbt(root, home, reference, "build", period="2022-04")
    restore(home, root / "stash", tiny_lake.BUILD_PERIOD)
    run = run_dbt(root, home, reference, "build")
    print(f"dbt build of the build month on the tiny lake: {run.seconds:.1f} s")
    return run
