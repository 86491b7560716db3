"""One `dbt build` per session on a tiny generated lake; tests read the resulting DuckDB file."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from finstat.settings import OFFLINE_ENV, PROJECT_ROOT
from tests.dbt import tiny_lake, tiny_pbc, tiny_platform, tiny_rural

DBT = PROJECT_ROOT / ".venv" / "bin" / "dbt"


@dataclass
class DbtRun:
    db_path: Path
    seconds: float
    stdout: str

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.sql(sql, params=params).to_arrow_table().to_pylist()


@pytest.fixture(scope="session")
def dbt_run(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    """Write the tiny lake and reference data, then build every model, seed and test once."""
    root = tmp_path_factory.mktemp("dbt")
    home, reference = root / "home", root / "reference"
    tiny_lake.write_lake(home)
    tiny_rural.write_lake(home)
    tiny_platform.write_lake(home)
    tiny_pbc.write_lake(home)
    tiny_lake.write_reference(reference)
    (home / "work").mkdir()
    env = {
        **os.environ,
        **OFFLINE_ENV,
        "FINSTAT_HOME": str(home),
        "FINSTAT_REFERENCE_DIR": str(reference),
    }
    command = [
        str(DBT),
        "build",
        "--project-dir",
        str(PROJECT_ROOT / "dbt_project"),
        "--profiles-dir",
        str(PROJECT_ROOT / "dbt_project"),
        "--target-path",
        str(root / "target"),
        "--log-path",
        str(root / "logs"),
        "--vars",
        json.dumps({"period": tiny_lake.BUILD_PERIOD}),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=root, timeout=300)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    print(f"dbt build on the tiny lake: {seconds:.1f} s")
    return DbtRun(home / "work" / "finstat.duckdb", seconds, done.stdout)
