"""The published tables mirrored into a real PostgreSQL server: types, content, one transaction."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import psycopg
import pyarrow.parquet as pq
import pytest

from finstat.publication import postgres, schema
from finstat.publication.publish import publish_period
from finstat.settings import PostgresSettings, load_postgres_settings
from tests.finstat.test_publish import _candidates

MAY, JUNE = "2022-05", "2022-06"
JSON_COLUMNS = {"changes_json", "acknowledgements_json", "missing_base_periods_json"}


@pytest.fixture
def target(postgres_dsn, request):
    """A schema of its own per test on the session's server."""
    return PostgresSettings(dsn=postgres_dsn, schema=f"t_{request.node.name[:40].lower()}".replace("[", "_"))


@pytest.fixture
def published(tmp_path):
    return tmp_path / "published"


def _figures(l01: str) -> list[dict]:
    """The publish tests' candidates plus a zero and a negative value (exact through every hop)."""
    rows = _candidates(l01=l01)
    rows.append({**rows[1], "region_code": "410622", "region_name": "淇县", "value": Decimal("0")})
    rows.append({**rows[2], "region_code": "410611", "region_name": "淇滨区", "value": Decimal("-1.234567")})
    return rows


def _publish_two_versions(published) -> None:
    """May v1 and June v1, then May v2 that flags June (its base month)."""
    publish_period(
        published, MAY, _figures("785.0299999"), run_id="r1", now=datetime(2022, 6, 10, tzinfo=UTC)
    )
    publish_period(
        published,
        JUNE,
        _figures("790.5"),
        acknowledgements=[{"rule": 11, "reason": '已核实 "大额" 贷款'}],
        missing_base_periods=[{"indicator_code": "L04", "missing_period": "2021-12"}],
        run_id="r2",
        now=datetime(2022, 7, 10, tzinfo=UTC),
    )
    publish_period(
        published,
        MAY,
        _figures("785.10"),
        dependents=[JUNE],
        run_id="r3",
        now=datetime(2022, 7, 11, 8, 30, 15, 123456, tzinfo=UTC),
    )


def _pg_rows(target: PostgresSettings, table: postgres.Table, conn: psycopg.Connection | None = None):
    """The table's rows in key order, on a connection of their own unless one is given."""
    if conn is None:
        with postgres.connect(target) as own:
            return _pg_rows(target, table, own)
    query = psycopg.sql.SQL("select {} from {} order by {}").format(
        psycopg.sql.SQL(", ").join(psycopg.sql.Identifier(c) for c, _ in table.columns),
        psycopg.sql.Identifier(target.schema, table.name),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, table.key)),
    )
    return conn.execute(query).fetchall()


def _pg_state(target: PostgresSettings, conn: psycopg.Connection | None = None) -> dict[str, list[tuple]]:
    return {table.name: _pg_rows(target, table, conn) for table in postgres.TABLES}


def _file_rows(published, table: postgres.Table) -> list[tuple]:
    """The table as the release files hold it, JSON text parsed as PostgreSQL's jsonb returns it."""
    path = published / table.file
    rows = pq.read_table(path, schema=table.arrow).to_pylist() if path.exists() else []
    return [
        tuple(json.loads(r[c]) if c in JSON_COLUMNS else r[c] for c, _ in table.columns)
        for r in sorted(rows, key=lambda r: tuple(r[k] for k in table.key))
    ]


def _bi_rows(published, table: postgres.Table) -> list[tuple]:
    """The table as the release's BI DuckDB holds it, JSON text parsed."""
    names = [c for c, _ in table.columns]
    with duckdb.connect(str(published / schema.BI_DATABASE), read_only=True) as bi:
        rows = bi.execute(
            f"select {', '.join(names)} from {table.name} order by {', '.join(table.key)}"
        ).fetchall()
    return [
        tuple(json.loads(v) if c in JSON_COLUMNS else v for c, v in zip(names, r, strict=True)) for r in rows
    ]


def _typed(rows: list[tuple]) -> list[tuple]:
    """Rows with each value next to its type name and text: Decimal('1.20') is not 1.2 here."""

    def text(v):
        if isinstance(v, list | dict):  # jsonb keeps no key order: JSON is compared by content
            return json.dumps(v, sort_keys=True, ensure_ascii=False)
        if isinstance(v, datetime):  # the session's time zone is the server's: the instant counts
            return v.astimezone(UTC).isoformat()
        return str(v)

    return [tuple((type(v).__name__, text(v)) for v in row) for row in rows]


def test_columns_follow_the_arrow_schemas():
    for table in postgres.TABLES:
        assert [c for c, _ in table.columns] == table.arrow.names, table.name
        assert set(table.key) <= set(table.arrow.names)


def test_settings_are_off_without_a_dsn(monkeypatch):
    monkeypatch.delenv("FINSTAT_POSTGRES_DSN", raising=False)
    assert load_postgres_settings() is None
    assert load_postgres_settings(dsn="") is None
    monkeypatch.setenv("FINSTAT_POSTGRES_DSN", "host=db.example dbname=finstat")
    monkeypatch.delenv("FINSTAT_POSTGRES_SCHEMA", raising=False)
    assert load_postgres_settings() == PostgresSettings("host=db.example dbname=finstat", "finstat")
    assert load_postgres_settings(dsn="") is None  # an explicit empty DSN (the Dagster resource) is off


@pytest.mark.parametrize(
    "dsn",
    ["host=db user=w password=s3cret dbname=finstat", "postgresql://w:s3cret@db:5432/finstat"],
)
def test_a_shown_dsn_never_carries_the_password(dsn):
    shown = postgres.describe(dsn)
    assert "s3cret" not in shown and "password=***" in shown and "host=db" in shown
    assert "s3cret" not in repr(PostgresSettings(dsn))


def test_a_malformed_dsn_is_refused_without_quoting_it():
    broken = PostgresSettings("host=db password s3cret")
    assert postgres.describe(broken.dsn) == "(unreadable FINSTAT_POSTGRES_DSN)"
    with pytest.raises(psycopg.ProgrammingError) as raised:
        postgres.connect(broken)
    assert "s3cret" not in str(raised.value) and raised.value.__cause__ is None


def test_tables_are_created_with_their_types_and_keys(published, target):
    _publish_two_versions(published)
    postgres.sync(published, target, written_by="test")
    with postgres.connect(target) as conn:
        columns = conn.execute(
            "select table_name, column_name, data_type, numeric_precision, numeric_scale"
            " from information_schema.columns where table_schema = %s order by table_name, ordinal_position",
            [target.schema],
        ).fetchall()
        keys = conn.execute(
            "select tc.table_name, k.column_name from information_schema.table_constraints tc"
            " join information_schema.key_column_usage k using (constraint_schema, constraint_name)"
            " where tc.table_schema = %s and tc.constraint_type = 'PRIMARY KEY'"
            " order by tc.table_name, k.ordinal_position",
            [target.schema],
        ).fetchall()
    types = {}
    for table, column, data_type, precision, scale in columns:
        types.setdefault(table, {})[column] = (
            f"{data_type}({precision},{scale})" if data_type == "numeric" else data_type
        )
    figures = {
        "period": "text",
        "indicator_code": "text",
        "indicator_name": "text",
        "region_code": "text",
        "region_name": "text",
        "value": "numeric(20,4)",
        "unit": "text",
        "version": "integer",
        "published_at": "timestamp with time zone",
    }
    assert types["official_figures"] == figures
    assert types["official_figures_history"] == figures
    assert types["publications"] == {
        "period": "text",
        "version": "integer",
        "published_at": "timestamp with time zone",
        "run_id": "text",
        "figure_count": "integer",
        "changes_json": "jsonb",
        "acknowledgements_json": "jsonb",
        "missing_base_periods_json": "jsonb",
    }
    assert types["republication_flags"] == {
        "period": "text",
        "base_period": "text",
        "base_version": "integer",
        "flagged_at": "timestamp with time zone",
        "resolved_at": "timestamp with time zone",
        "resolved_version": "integer",
        "resolution": "text",
    }
    assert set(types) == {t.name for t in postgres.TABLES} | {postgres.STATE_TABLE}
    key_columns = {}
    for table, column in keys:
        key_columns.setdefault(table, []).append(column)
    assert key_columns == {
        "official_figures": ["period", "indicator_code", "region_code"],
        "official_figures_history": ["period", "version", "indicator_code", "region_code"],
        "publications": ["period", "version"],
        "republication_flags": ["period", "base_period", "base_version"],
        postgres.STATE_TABLE: ["singleton"],
    }


def test_two_versions_are_mirrored_row_for_row(published, target):
    publish_period(published, MAY, _figures("785.0299999"), now=datetime(2022, 6, 10, tzinfo=UTC))
    first = postgres.sync(published, target, written_by="test")
    assert first.rows["official_figures"] == 5 and first.rows["publications"] == 1
    _publish_two_versions(published)  # May again is unchanged (no version), then June, May v2
    second = postgres.sync(published, target, written_by="test")
    assert second.rows == {
        "official_figures": 10,
        "official_figures_history": 15,
        "publications": 3,
        "republication_flags": 1,
    }
    for table in postgres.TABLES:
        in_pg = _pg_rows(target, table)
        assert _typed(in_pg) == _typed(_file_rows(published, table)), table.name
        assert in_pg == _bi_rows(published, table), table.name
    current = {(r[0], r[1], r[3]): r for r in _pg_rows(target, postgres.TABLES[0])}
    may_city = current[(MAY, "L01", "410600")]
    assert (may_city[5], may_city[7]) == (Decimal("785.1000"), 2) and str(may_city[5]) == "785.1000"
    assert str(current[(MAY, "L01", "410622")][5]) == "0.0000"
    assert str(current[(MAY, "L04", "410611")][5]) == "-1.2300"
    assert may_city[8] == datetime(2022, 7, 11, 8, 30, 15, 123456, tzinfo=UTC)
    state = postgres.read_state(target)
    assert state["release"] == published.resolve().name and state["publication_count"] == 3
    assert state["content_sha256"] == second.sha256 == postgres.read_release(published).sha256


def test_a_failure_mid_write_leaves_postgres_as_it_was_and_the_next_sync_repairs(
    published, target, monkeypatch
):
    publish_period(published, MAY, _figures("785.0299999"))
    postgres.sync(published, target, written_by="test")
    before = _pg_state(target)
    state_before = postgres.read_state(target)
    _publish_two_versions(published)

    def broken(point):
        if point == "postgres-writing":
            raise RuntimeError("server went away between tables")

    monkeypatch.setattr(postgres, "fault_point", broken)
    with pytest.raises(RuntimeError, match="between tables"):
        postgres.sync(published, target, written_by="test")
    assert _pg_state(target) == before
    assert postgres.read_state(target) == state_before
    # The file publication stands: May v2 is published on file.
    history = pq.read_table(published / schema.HISTORY_FILE).to_pylist()
    assert max(r["version"] for r in history if r["period"] == MAY) == 2
    monkeypatch.undo()
    postgres.sync(published, target, written_by="test")
    for table in postgres.TABLES:
        assert _typed(_pg_rows(target, table)) == _typed(_file_rows(published, table)), table.name


def test_a_reader_sees_the_old_state_or_the_new_never_half(published, target, monkeypatch):
    publish_period(published, MAY, _figures("785.0299999"))
    postgres.sync(published, target, written_by="test")
    old = _pg_state(target)
    _publish_two_versions(published)
    reached, release = threading.Event(), threading.Event()

    def hold(point):
        # The writer has rewritten official_figures in its open transaction: keep it open here.
        reached.set()
        assert release.wait(60), "the test never released the writer"

    monkeypatch.setattr(postgres, "fault_point", hold)
    errors: list[BaseException] = []

    def write():
        try:
            postgres.sync(published, target, written_by="test")
        except BaseException as exc:
            errors.append(exc)
            reached.set()

    writer = threading.Thread(target=write)
    writer.start()
    # A reader blocked by the writer (TRUNCATE's lock would do that) fails instead of hanging the test.
    reader = PostgresSettings(f"{target.dsn} options='-c statement_timeout=10000'", target.schema)
    try:
        assert reached.wait(60) and not errors, errors
        # official_figures is already rewritten in the open transaction: readers see none of it.
        assert _pg_state(reader) == old
        with postgres.connect(reader) as conn, conn.transaction():
            conn.execute("set transaction isolation level repeatable read")
            assert _pg_state(target, conn) == old  # this snapshot is taken before the commit
            release.set()
            writer.join(60)
            assert not writer.is_alive() and not errors, errors
            assert _pg_state(target, conn) == old  # committed meanwhile: the snapshot stays whole
    finally:
        release.set()
        writer.join(60)
    new = _pg_state(reader)
    assert new != old
    for table in postgres.TABLES:
        assert _typed(new[table.name]) == _typed(_file_rows(published, table)), table.name


def test_status_says_whether_postgres_holds_the_current_release(published, target):
    publish_period(published, MAY, _figures("785.0299999"))
    assert "holds nothing yet" in postgres.status_line(published, target)
    postgres.sync(published, target, written_by="test")
    assert "holds the current publication" in postgres.status_line(published, target)
    publish_period(published, JUNE, _figures("790.5"))
    line = postgres.status_line(published, target)
    assert "BEHIND" in line and "finstat postgres-sync" in line and "passfile" in line
