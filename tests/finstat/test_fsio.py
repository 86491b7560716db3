"""finstat.fsio: the run lock (a second holder waits, a killed holder never leaves it locked) and atomic replacement."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from finstat.fsio import acquire_run_lock, release_run_lock, replace_atomically, run_lock_path, writer_lock
from finstat.settings import PROJECT_ROOT


def test_a_second_run_waits_and_is_told_who_holds_the_lock(tmp_path):
    first = acquire_run_lock(tmp_path, "run A")
    waits, got = [], threading.Event()

    def second():
        handle = acquire_run_lock(tmp_path, "run B", on_wait=waits.append)
        got.set()
        release_run_lock(handle)

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.5)
    assert not got.is_set(), "the second run must wait while the first holds the lock"
    assert len(waits) == 1 and "held by: run A" in waits[0]
    release_run_lock(first)
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
                from finstat.fsio import acquire_run_lock
                acquire_run_lock(Path({str(tmp_path)!r}), "doomed run")
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
    handle = acquire_run_lock(
        tmp_path, "next run"
    )  # returns at once: the kernel dropped the dead holder's lock
    release_run_lock(handle)


def test_a_failing_writer_leaves_the_old_file_and_no_temp_file(tmp_path):
    target = tmp_path / "t.txt"
    replace_atomically(target, lambda p: p.write_text("one", encoding="utf-8"))

    def half(p):
        p.write_text("ha", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_atomically(target, half)
    assert target.read_text(encoding="utf-8") == "one"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_the_writer_lock_serialises_writers_of_a_directory(tmp_path):
    second_in = threading.Event()

    def second():
        with writer_lock(tmp_path):
            second_in.set()

    with writer_lock(tmp_path):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        assert not second_in.is_set(), "a second writer must wait while the first holds the lock"
    thread.join(timeout=10)
    assert second_in.is_set()
