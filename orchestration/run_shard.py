"""A run's own Dagster event shard is written without fsync; the shared run and asset indexes keep it."""

# Dagster's SQLite storage stores every event in its own transaction on a new connection: 571 events
# a demo month, each fsynced once in the run's shard (history/runs/<run id>.db) and asset events a
# second time in history/runs/index.db. Measured: 5 s of a 38 s month on a quiet machine, 23-30 s
# of 80-100 s when other work contends for the disk. The shard only holds that run's event log: the
# month's outcome is the gate record and the publication, both written with fsync on their own,
# and the index (asset history, check evaluations across runs) and runs.db keep SQLite's default.
# What a power cut can cost is the event log of the run that was running, or had just ended.

from __future__ import annotations

import os
import re
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

_SHARD = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.db$")
_installed = False


def is_run_shard(path: str) -> bool:
    """history/runs/<run id>.db: one run's event log (not runs.db, not runs/index.db)."""
    folder, name = os.path.split(path)
    return os.path.basename(folder) == "runs" and bool(_SHARD.match(name))


def _on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    row = dbapi_connection.execute("pragma database_list").fetchone()
    if row and is_run_shard(row[2] or ""):
        dbapi_connection.execute("pragma synchronous=OFF")


def write_run_shards_without_fsync() -> None:
    """Install the connect hook once per process (every SQLAlchemy engine; only run shards change)."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _on_connect)
        _installed = True
