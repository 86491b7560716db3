"""Only a run's own event shard is written without fsync; runs.db and the asset index keep SQLite's default."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from orchestration.run_shard import is_run_shard, write_run_shards_without_fsync

FULL, OFF = 2, 0
# A fixed run id: pytest-xdist requires every worker to collect the same parameter ids.
RUN_ID = "cef9c738-ee1c-496a-a074-eb9202d631ac"


def _synchronous(path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    # As Dagster's SQLite storage connects: an engine per database, a new connection each time.
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        return conn.execute(sa.text("pragma synchronous")).scalar()


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        (f"history/runs/{RUN_ID}.db", OFF),
        ("history/runs/index.db", FULL),
        ("history/runs.db", FULL),
        ("schedules/schedules.db", FULL),
        (f"history/{RUN_ID}.db", FULL),
    ],
)
def test_only_run_shards_skip_fsync(tmp_path, relative, expected):
    write_run_shards_without_fsync()
    write_run_shards_without_fsync()  # idempotent: one hook however often the definitions load
    assert _synchronous(tmp_path / relative) == expected


def test_a_run_shard_is_named_by_its_run_id():
    assert is_run_shard(f"/h/dagster/history/runs/{RUN_ID}.db")
    assert not is_run_shard("/h/dagster/history/runs/index.db")
    assert not is_run_shard("/h/dagster/history/runs.db")


def test_the_definitions_install_it():
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    import orchestration.definitions  # noqa: F401
    from orchestration import run_shard

    assert event.contains(Engine, "connect", run_shard._on_connect)
