"""Only a run's own event shard is written without fsync; runs.db and the asset index keep SQLite's default."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from orchestration.run_shard import is_run_shard, write_run_shards_without_fsync

FULL, OFF = 2, 0


def _synchronous(path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    # As Dagster's SQLite storage connects: an engine per database, a new connection each time.
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        return conn.execute(sa.text("pragma synchronous")).scalar()


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        (f"history/runs/{uuid.uuid4()}.db", OFF),
        ("history/runs/index.db", FULL),
        ("history/runs.db", FULL),
        ("schedules/schedules.db", FULL),
        (f"history/{uuid.uuid4()}.db", FULL),
    ],
)
def test_only_run_shards_skip_fsync(tmp_path, relative, expected):
    write_run_shards_without_fsync()
    write_run_shards_without_fsync()  # idempotent: one hook however often the definitions load
    assert _synchronous(tmp_path / relative) == expected


def test_a_run_shard_is_named_by_its_run_id():
    assert is_run_shard(f"/h/dagster/history/runs/{uuid.uuid4()}.db")
    assert not is_run_shard("/h/dagster/history/runs/index.db")
    assert not is_run_shard("/h/dagster/history/runs.db")


def test_the_definitions_install_it():
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    import orchestration.definitions  # noqa: F401
    from orchestration import run_shard

    assert event.contains(Engine, "connect", run_shard._on_connect)
