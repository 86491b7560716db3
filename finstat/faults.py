"""Fault injection for the crash tests: FINSTAT_FAULT=<point> kills the run at that point."""

from __future__ import annotations

import os
import signal

ENV = "FINSTAT_FAULT"
# The named points, in the order a monthly run passes them (tests/reliability/test_crash_safety.py).
POINTS = (
    "ingestion-lake-written",  # a file's lake Parquet is written, its log row is not
    "dbt-running",  # dbt is building the working database
    "gate-checking",  # a blocking check has validated, its result is not recorded
    "publication-staged",  # the new release is written in full but not switched in
    "publication-switched",  # published/ points at the new release; old releases not yet pruned
    "postgres-writing",  # PostgreSQL's first table is rewritten in the open transaction, the rest not
)


def fault_point(name: str) -> None:
    """SIGKILL this process (and its process group when it leads one) if FINSTAT_FAULT names the point.

    Read here and nowhere else. SIGKILL, not an exception: no finally block, no atexit and no
    Dagster failure handler runs, as when the machine loses power or the OOM killer strikes. When the
    run leads its own process group (the tests start it so), the group dies with it, dbt included.
    """
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    if wanted not in POINTS:  # a misspelt point would let a crash test pass without any crash
        raise ValueError(f"unknown fault point {wanted!r} in {ENV}; known: {', '.join(POINTS)}")
    if wanted != name:
        return
    if os.getpgrp() == os.getpid():
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
