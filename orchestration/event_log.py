"""Dagster's SQLite event log, storing a batch of asset events in one transaction per database."""

# Dagster's SQLite storage writes every event on a new connection in its own transaction: the run's
# shard, then (asset events) the asset index, fsynced. A range's build run over 17 months stores
# 1,819 "materialization planned" events before its first step and 1,819 materializations (one per
# dbt model and month): ~22 s of a 42 s build run, ~6 ms an event (docs/performance.md). Dagster hands such
# events over in batches (all the planned events of a run; an output's materializations of every
# month of the range) when DAGSTER_EVENT_BATCH_SIZE is set, and its SQLite storage then still
# stores them one by one. This class stores a batch of asset events of one run with one transaction
# in the shard and one in the index: the same rows, written by Dagster's own statements, in order.
# Any other batch (a check event, a run status event, several runs) goes through Dagster's loop.
# Pinned with dagster==1.13.27: it calls the storage's own insert helpers.

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from dagster._config import StringSource
from dagster._core.events import ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.schema import SqlEventLogStorageTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME
from dagster._core.storage.sqlalchemy_compat import db_result
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

# Read by Dagster where events are reported (dagster/_core/instance/methods/event_methods.py): above
# 0, events reported as a batch are stored together. The largest batch of a monthly run is a range's
# planned events (~110 assets x months); a bigger batch is flushed in parts of this size.
EVENT_BATCH_SIZE = "10000"


def enable_event_batches() -> None:
    """Let Dagster hand batches to the storage in this process (an explicit setting is kept)."""
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)


def _is_asset_event(event: EventLogEntry) -> bool:
    return (
        event.is_dagster_event
        and event.dagster_event_type in ASSET_EVENTS
        and bool(event.dagster_event.asset_key)
    )


class BatchedSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage under $DAGSTER_HOME/history/runs (Dagster's default place), batches in one go.

    Config: `dagster_home` (in finstat's dagster.yaml `{env: DAGSTER_HOME}`), so a copied or moved
    home keeps writing into itself.
    """

    def __init__(self, dagster_home: str, inst_data=None):
        self._index_engine = None
        super().__init__(os.path.join(dagster_home, "history", "runs", ""), inst_data=inst_data)

    @classmethod
    def config_type(cls):
        return {"dagster_home": StringSource}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        """The asset index on a connection kept open; a run's shard as Dagster does it."""
        # Dagster opens and closes a connection for every statement; closing the last connection
        # to a WAL database (Dagster creates its databases in WAL mode) checkpoints it, so each
        # asset or check event paid the index a commit and a checkpoint. A kept connection pays
        # the commit. Run shards stay as they are: the UI
        # follows a running run by watching its shard file change, which a kept connection delays
        # until a checkpoint.
        if shard != INDEX_SHARD_NAME:
            with super()._connect(shard) as conn:
                yield conn
            return
        with self._db_lock:
            if self._index_engine is None:
                engine = create_engine(
                    self.conn_string_for_shard(shard),
                    poolclass=QueuePool,
                    pool_size=1,
                    # Dagster's schema check opens a second connection while holding the first.
                    max_overflow=4,
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                )
                if shard not in self._initialized_dbs:
                    self._initdb(engine)
                    self._initialized_dbs.add(shard)
                self._index_engine = engine
            with self._index_engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        super().dispose()
        if self._index_engine is not None:
            self._index_engine.dispose()
            self._index_engine = None

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """Asset events of one run: one transaction in its shard, one in the index; else event by event."""
        if not events or len({e.run_id for e in events}) != 1 or not all(map(_is_asset_event, events)):
            super().store_event_batch(events)
            return
        statements = [self.prepare_insert_event(event) for event in events]
        shard_ids = []
        with self.run_connection(events[0].run_id) as conn:
            for statement in statements:
                with db_result(conn, statement) as result:
                    shard_ids.append(result.inserted_primary_key[0])
        try:
            with self.index_transaction() as conn:
                index_ids = []
                for statement in statements:
                    with db_result(conn, statement) as result:
                        index_ids.append(result.inserted_primary_key[0])
                self._store_asset_event_tags(conn, events, index_ids)
                for event, event_id in zip(events, index_ids, strict=True):
                    self._store_asset_event(conn, event, event_id)
        except BaseException:
            # The index rolled back: take the shard's rows out again, so that Dagster's fallback
            # (each event stored on its own) does not store them twice.
            with self.run_connection(events[0].run_id) as conn:
                conn.execute(
                    SqlEventLogStorageTable.delete().where(SqlEventLogStorageTable.c.id.in_(shard_ids))
                )
            raise
