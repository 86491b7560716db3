"""The worker processes ingestion shares (HMAC of IDs and names, GB18030 decoding), started on first use."""

from __future__ import annotations

import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

_pool: ProcessPoolExecutor | None = None


def cores() -> int:
    """How many processes can run at once here."""
    return os.cpu_count() or 1


def shared_pool() -> ProcessPoolExecutor:
    """One pool per process, one worker per core, shut down when the process exits."""
    global _pool
    if _pool is None:
        # spawn, not fork: the ingesting process runs threads (the CSV read-ahead, Arrow's pool).
        context = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(max_workers=cores(), mp_context=context)
        atexit.register(_pool.shutdown, cancel_futures=True)
    return _pool
