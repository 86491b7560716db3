"""The warehouse run lock: one monthly run at a time writes the lake, the working database and published/."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO


def run_lock_path(home: Path) -> Path:
    return home / "locks" / "run.lock"


def acquire(home: Path, holder: str, on_wait: Callable[[str], None] | None = None) -> IO[str]:
    """Block until this process holds the run lock; the lock file then names the holder.

    flock is released by the kernel when the holder dies, so a killed run never leaves the
    warehouse locked. A second run waits (it does not fail): two runs of one month, or a backfill
    of several months from the UI, are done one after the other.
    """
    path = run_lock_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # held open until release()
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if on_wait is not None:
            handle.seek(0)
            on_wait(f"waiting for the warehouse run lock {path}, held by: {handle.read().strip() or '?'}")
        fcntl.flock(handle, fcntl.LOCK_EX)
    handle.seek(0)
    handle.truncate()
    handle.write(f"{holder} (pid {os.getpid()})\n")
    handle.flush()
    return handle


def release(handle: IO[str]) -> None:
    """Let the next run in (closing the file drops the flock)."""
    try:
        handle.seek(0)
        handle.truncate()
    finally:
        handle.close()
