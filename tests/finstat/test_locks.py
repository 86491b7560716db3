"""The warehouse run lock: a second holder waits, and a killed holder never leaves it locked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

from finstat.locks import acquire, release, run_lock_path
from finstat.settings import PROJECT_ROOT


def test_a_second_run_waits_and_is_told_who_holds_the_lock(tmp_path):
    first = acquire(tmp_path, "run A")
    waits, got = [], threading.Event()

    def second():
        handle = acquire(tmp_path, "run B", on_wait=waits.append)
        got.set()
        release(handle)

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.5)
    assert not got.is_set(), "the second run must wait while the first holds the lock"
    assert len(waits) == 1 and "held by: run A" in waits[0]
    release(first)
    thread.join(timeout=10)
    assert got.is_set()


def test_a_killed_holder_releases_the_lock(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from pathlib import Path
                from finstat.locks import acquire
                acquire(Path({str(tmp_path)!r}), "doomed run")
                print("locked", flush=True)
                time.sleep(600)
                """
            ),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    assert "doomed run" in run_lock_path(tmp_path).read_text(encoding="utf-8")
    holder.kill()
    holder.wait(timeout=10)
    handle = acquire(tmp_path, "next run")  # returns at once: the kernel dropped the dead holder's lock
    release(handle)
