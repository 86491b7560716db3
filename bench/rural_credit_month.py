"""Benchmark (not a test): ingest and build one month of N rural-credit loan rows; rows/s and peak RSS.

Run: make bench-rural (N = 1,000,000) or .venv/bin/python -m bench.rural_credit_month --rows N
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo.rural_credit import write_benchmark_month
from finstat.reference import dbt_vars
from finstat.settings import DBT_PROJECT_DIR, OFFLINE_ENV, SHIPPED_REFERENCE_DIR, load_settings
from ingestion.run import ingest_landing

PERIOD = "2022-05"


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def run(rows: int, keep: Path | None) -> dict:
    """Generate, ingest, then `dbt build` the month; return the timings and peaks."""
    root = keep or Path(tempfile.mkdtemp(prefix="finstat-bench-"))
    landing, home = root / "landing", root / "warehouse"
    started = time.perf_counter()
    files = write_benchmark_month(landing, PERIOD, rows)
    generated = time.perf_counter() - started
    settings = load_settings(landing, home, SHIPPED_REFERENCE_DIR)
    base_rss = _peak_mib(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = ingest_landing(settings, PERIOD, source="rural_credit")
    ingest_s = time.perf_counter() - started
    statuses = sorted({o.status for o in report.outcomes})
    (home / "work").mkdir(parents=True, exist_ok=True)
    ingest_landing(settings, PERIOD)  # writes the (empty) bank_loans schema file dbt's sources need
    env = {
        **os.environ,
        **OFFLINE_ENV,
        "FINSTAT_HOME": str(home),
        "FINSTAT_REFERENCE_DIR": str(SHIPPED_REFERENCE_DIR),
    }
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(root / "target"),
        "--log-path",
        str(root / "logs"),
        "--vars",
        json.dumps({"period": PERIOD, **dbt_vars(SHIPPED_REFERENCE_DIR)}),
        "--exclude",
        "resource_type:unit_test",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=root)
    build_s = time.perf_counter() - started
    # The gate (rule 14 etc.) fails on synthetic rows that agree with no bank report; the build
    # itself (models) is what is timed here, so dbt's exit code is reported, not required.
    return {
        "rows": rows,
        "file_mib": round(sum(p.stat().st_size for p in files) / 2**20, 1),
        "generate_s": round(generated, 1),
        "ingest_s": round(ingest_s, 1),
        "ingest_rows_per_s": round(rows / ingest_s),
        "ingest_outcomes": statuses,
        "ingest_peak_rss_mib": round(_peak_mib(resource.RUSAGE_SELF)),
        "rss_before_ingest_mib": round(base_rss),
        "dbt_build_s": round(build_s, 1),
        "dbt_exit_code": done.returncode,
        "dbt_peak_rss_mib": round(_peak_mib(resource.RUSAGE_CHILDREN)),
        "ingest_plus_build_rows_per_s": round(rows / (ingest_s + build_s)),
        "workdir": str(root),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    result = run(args.rows, args.keep)
    if args.keep is None:  # a million-row landing and lake are ~0.5 GB: do not leave them in /tmp
        shutil.rmtree(result.pop("workdir"), ignore_errors=True)
    for key, value in result.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
