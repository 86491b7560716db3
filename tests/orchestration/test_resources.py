"""The gate's reader: one read-only connection for a run's checks, released when the run ends."""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import duckdb

from expectations.runner import load_rule_rows
from orchestration.resources import GateReader


def _work_db(path):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema audit")
        con.execute(
            "create table audit.qr_x as select * from (values ('2022-05', 1.50::decimal(18,2)), ('2022-04', 2)) t(period, v)"
        )
    return path


def test_the_checks_share_one_connection_and_the_run_end_frees_the_file(tmp_path):
    db = _work_db(tmp_path / "finstat.duckdb")
    reader = GateReader()
    first = reader.connection(db)
    assert reader.connection(db) is first
    shared = load_rule_rows(db, "qr_x", "2022-05", first)
    assert shared.equals(load_rule_rows(db, "qr_x", "2022-05"))
    assert shared["v"].tolist() == [Decimal("1.50")]  # money stays Decimal on the shared connection
    reader.teardown_after_execution(dg.build_init_resource_context())
    # The next month's dbt opens the file for writing: nothing of this run may still hold it.
    with duckdb.connect(str(db)) as writer:
        writer.execute("insert into audit.qr_x values ('2022-06', 3)")
    assert reader.connection(db) is not first


def test_another_database_gets_its_own_connection(tmp_path):
    reader = GateReader()
    one = reader.connection(_work_db(tmp_path / "a.duckdb"))
    other = reader.connection(_work_db(tmp_path / "b.duckdb"))
    assert other is not one
    reader.close()
