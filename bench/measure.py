"""Run one command as a fresh child process: wall time, its peak RSS, and the peak RSS of its process tree."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    """One child's run: exit code, wall seconds, ru_maxrss (largest single process) and tree peak, MiB."""

    code: int
    wall_s: float
    max_rss_mib: float
    tree_peak_mib: float
    log: Path


def _tree_rss(root: int) -> int:
    """Bytes resident in root and all its descendants now (dbt runs as a child of finstat)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += parents.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def run_measured(command: list[str], env: dict[str, str], log: Path, cwd: Path | None = None) -> Measured:
    """Run command to completion with stdout+stderr in log; reaped with wait4 for its own rusage."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_rss(child.pid))
            time.sleep(0.2)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    # ru_maxrss (KiB on Linux) covers the child and its waited-for descendants: the largest one.
    max_rss = usage.ru_maxrss / 1024
    return Measured(child.returncode, round(wall, 2), round(max_rss), round(max(peak / 2**20, max_rss)), log)
