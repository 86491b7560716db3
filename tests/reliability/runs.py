"""Run `finstat` as a real subprocess (its own process group, as a service would be) and fingerprint published/."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo.files import render_file
from demo.types import DemoDataset
from finstat.fsio import run_lock_path
from finstat.settings import PROJECT_ROOT

_OUTPUTS: dict = {}


def start(world: dict, *args: str, fault: str | None = None) -> subprocess.Popen:
    """Start `finstat <args>` on the world's landing and home; FINSTAT_FAULT kills it at that point."""
    env = {
        **os.environ,
        "FINSTAT_LANDING": str(world["landing"]),
        "FINSTAT_HOME": str(world["home"]),
        "DAGSTER_HOME": str(world["home"] / "dagster"),
    }
    env.pop("FINSTAT_FAULT", None)
    if fault:
        env["FINSTAT_FAULT"] = fault
    # Output to a file, not a pipe: nobody reads a pipe while the run goes on, and a full one blocks it.
    output = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # closed by finish()
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group of its own: the fault kills it and its dbt child
    )
    _OUTPUTS[process.pid] = output
    return process


def finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    """The exit code and everything the run printed."""
    code = process.wait(timeout=timeout)
    with _OUTPUTS.pop(process.pid) as output:
        output.seek(0)
        return code, output.read()


def wait_for_lock(world: dict, process: subprocess.Popen, timeout: float = 300) -> None:
    """Return once the process holds the warehouse run lock (the lock file names its pid)."""
    lock = run_lock_path(world["home"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and f"(pid {process.pid})" in lock.read_text(encoding="utf-8"):
            return
        if process.poll() is not None:
            raise AssertionError(f"finstat exited with {process.returncode} before taking the lock")
        time.sleep(0.2)
    raise AssertionError(f"finstat (pid {process.pid}) did not take the run lock in {timeout} s")


def fingerprint(published: Path) -> dict[str, str]:
    """Where published/ points and the SHA-256 of every file a reader can reach through it."""
    files = {
        str(path.relative_to(published)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(published.rglob("*"))
        if path.is_file()
    }
    return {"->": os.readlink(published), **files}


def corrected_bank_report(
    dataset: DemoDataset, period: str, inst_code: str, county: str, delta
) -> tuple[str, bytes]:
    """The institution's report re-rendered with `delta` 元 more loans in one county, as `_v2`.

    The delta goes to A11 (其他贷款), A01 and C01 (正常) together, so every identity of the report
    still holds (A01 = A02 + A05 + A11, C01..C05 = A01) and only the amounts change.
    """
    balances = dict(dataset.balances)
    for item in ("A11", "A01", "C01"):
        balances[(period, inst_code, county, item)] += delta
    corrected = dataclasses.replace(dataset, balances=balances)
    plan = next(p for p in dataset.files if p.period == period and p.inst_code == inst_code)
    path = Path(plan.relpath)
    return str(path.with_name(f"{path.stem}_v2{path.suffix}")), render_file(corrected, plan)
