"""Crash-safe file primitives: atomic replacement, fsync, and the flock-based writer and run locks."""

# Standard library only: ingestion, acks, the gate record, publication and reports all build on
# this module, so it must sit below every one of them (tests/finstat/test_layering.py).

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


def fsync_dir(directory: Path) -> None:
    """Make a directory's entries (a rename, a new file) durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_into_place(tmp: Path, target: Path) -> None:
    """fsync a finished temp file, rename it over target (same directory), fsync the directory."""
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    fsync_dir(target.parent)


def replace_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write through a temp file in the same directory, fsync it, then rename over the target.

    A reader therefore sees either the old file or the new one, never half of either.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # some writers (DuckDB) refuse to open an existing empty file
        write(tmp)
        move_into_place(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextlib.contextmanager
def writer_lock(directory: Path) -> Iterator[None]:
    """Serialise writers of a directory across processes (two runs of one month, a UI and a CLI run)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".writer.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_lock_path(home: Path) -> Path:
    """The warehouse run lock: one monthly run at a time writes the lake, the working database and published/."""
    return home / "locks" / "run.lock"


def acquire_run_lock(home: Path, holder: str, on_wait: Callable[[str], None] | None = None) -> IO[str]:
    """Block until this process holds the run lock; the lock file then names the holder.

    flock is released by the kernel when the holder dies, so a killed run never leaves the
    warehouse locked. A second run waits (it does not fail): two runs of one month, or a backfill
    of several months from the UI, are done one after the other.
    """
    path = run_lock_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # held open until release_run_lock()
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


def release_run_lock(handle: IO[str]) -> None:
    """Let the next run in (closing the file drops the flock)."""
    try:
        handle.seek(0)
        handle.truncate()
    finally:
        handle.close()
