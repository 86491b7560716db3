"""Atomic file replacement and the single-writer lock of published/."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


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
