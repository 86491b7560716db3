"""Volume measurement (not a test): ingest a generated 1,000,000-row 贷款明细 file, print rows/s and peak RSS.

Run: .venv/bin/python -m tests.ingestion.measure_rural_credit [rows]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from ingestion.run import ingest_landing
from tests.ingestion.rural_builders import make_rural_settings, write_large_loans


def main(rows: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_rural_settings(Path(tmp))
        path = write_large_loans(settings, rows)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        (outcome,) = ingest_landing(settings, "2022-05", source="rural_credit").outcomes
        seconds = time.perf_counter() - start
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"file {path.stat().st_size / 2**20:.0f} MiB, {outcome.status}, {outcome.row_count} rows")
        print(f"{seconds:.1f} s, {rows / seconds:,.0f} rows/s")
        print(f"peak RSS {peak_mib:.0f} MiB (before ingestion {before / 1024:.0f} MiB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
