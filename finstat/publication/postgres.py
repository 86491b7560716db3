"""Mirror the current release's published tables into PostgreSQL, all of them in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row

from finstat.clock import beijing_text
from finstat.faults import fault_point
from finstat.publication import schema
from finstat.settings import PostgresSettings

Error = psycopg.Error


@dataclass(frozen=True)
class Table:
    """One mirrored table: the release file it copies, its columns with PostgreSQL types, its key."""

    name: str
    file: str
    arrow: pa.Schema
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]


# Column names are those of the Parquet files and the BI DuckDB, so BI queries carry over;
# decimal(20,4) becomes numeric(20,4) (exact, never float), timestamps become timestamptz.
_FIGURES = (
    ("period", "text"),
    ("indicator_code", "text"),
    ("indicator_name", "text"),
    ("region_code", "text"),
    ("region_name", "text"),
    ("value", "numeric(20,4)"),
    ("unit", "text"),
    ("version", "integer"),
    ("published_at", "timestamptz"),
)
_PUBLICATIONS = (
    ("period", "text"),
    ("version", "integer"),
    ("published_at", "timestamptz"),
    ("run_id", "text"),
    ("figure_count", "integer"),
    # JSON text in the files; jsonb here so BI tools can query into it (names keep the _json suffix).
    ("changes_json", "jsonb"),
    ("acknowledgements_json", "jsonb"),
    ("missing_base_periods_json", "jsonb"),
)
_FLAGS = (
    ("period", "text"),
    ("base_period", "text"),
    ("base_version", "integer"),
    ("flagged_at", "timestamptz"),
    ("resolved_at", "timestamptz"),
    ("resolved_version", "integer"),
    ("resolution", "text"),
)
TABLES = (
    Table(
        "official_figures",
        schema.CURRENT_FILE,
        schema.FIGURES,
        _FIGURES,
        ("period", "indicator_code", "region_code"),
    ),
    Table(
        "official_figures_history",
        schema.HISTORY_FILE,
        schema.FIGURES,
        _FIGURES,
        ("period", "version", "indicator_code", "region_code"),
    ),
    Table(
        "publications", schema.PUBLICATIONS_FILE, schema.PUBLICATIONS, _PUBLICATIONS, ("period", "version")
    ),
    # A flag is raised once per (month, base month, base version): flags.raise_for.
    Table(
        "republication_flags",
        schema.FLAGS_FILE,
        schema.REPUBLICATION_FLAGS,
        _FLAGS,
        ("period", "base_period", "base_version"),
    ),
)
STATE_TABLE = "publication_state"
_STATE_DDL = """
create table if not exists {} (
    singleton boolean primary key default true check (singleton),
    release text,
    content_sha256 text not null,
    publication_count integer not null,
    latest_published_at timestamptz,
    written_at timestamptz not null,
    written_by text
)
"""


@dataclass(frozen=True)
class Snapshot:
    """The mirrored files of one release, read once: their tables and one fingerprint of their bytes."""

    release: str | None
    tables: dict[str, pa.Table]
    sha256: str


@dataclass(frozen=True)
class SyncResult:
    """What a sync wrote: the release, rows per table, and the fingerprint recorded with them."""

    release: str | None
    rows: dict[str, int]
    sha256: str


def read_release(published: Path) -> Snapshot:
    """Read the mirrored files of the release published/ points at now (empty before any publication)."""
    # Resolved once, so every file comes from one release even if published/ switches meanwhile
    # (the previous releases are kept for such readers: release.KEEP_PREVIOUS).
    folder = published.resolve() if published.exists() else None
    digest = hashlib.sha256()
    tables = {}
    for table in TABLES:
        path = folder / table.file if folder else None
        data = path.read_bytes() if path and path.exists() else b""
        # Length-prefixed so the fingerprint cannot be the same for files cut at another place.
        digest.update(f"{table.file}\0{len(data)}\0".encode() + data)
        tables[table.name] = (
            pq.read_table(pa.BufferReader(data), schema=table.arrow) if data else table.arrow.empty_table()
        )
    return Snapshot(folder.name if folder else None, tables, digest.hexdigest())


def describe(dsn: str) -> str:
    """The connection string as it may be shown in logs and on screen: any password masked."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.Error:
        return "(unreadable FINSTAT_POSTGRES_DSN)"  # libpq's message could quote the string
    return " ".join(f"{key}={'***' if key == 'password' else value}" for key, value in params.items())


def where(settings: PostgresSettings) -> str:
    """The target as messages name it: server (password masked) and schema."""
    return f"PostgreSQL ({describe(settings.dsn)}, schema {settings.schema})"


def connect(settings: PostgresSettings) -> psycopg.Connection:
    """An autocommit connection (transactions are explicit) that gives up on a dead server."""
    try:
        params = conninfo_to_dict(settings.dsn)
    except psycopg.ProgrammingError:
        # libpq's own message quotes the string, and the string could hold a password.
        raise psycopg.ProgrammingError("FINSTAT_POSTGRES_DSN is not a libpq connection string") from None
    # A monthly run must fail with a message, not hang, when the server is down; the DSN can override.
    extra = {
        k: v for k, v in {"connect_timeout": "10", "application_name": "finstat"}.items() if k not in params
    }
    return psycopg.connect(make_conninfo(settings.dsn, **extra), autocommit=True)


def _name(settings: PostgresSettings, table: str) -> sql.Composable:
    return sql.Identifier(settings.schema, table)


def _lock_key(settings: PostgresSettings) -> int:
    """A bigint advisory-lock key of this schema's mirror (other schemas are not blocked)."""
    raw = hashlib.sha256(f"finstat publication mirror {settings.schema}".encode()).digest()[:8]
    return int.from_bytes(raw, "big", signed=True)


def _create(cur: psycopg.Cursor, settings: PostgresSettings) -> None:
    """Create the schema and the tables that are absent; existing tables are left as they are."""
    # CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database first: asked only
    # when the schema is missing, a DBA can create it beforehand for a writer without that right.
    if cur.execute("select 1 from pg_namespace where nspname = %s", [settings.schema]).fetchone() is None:
        cur.execute(sql.SQL("create schema {}").format(sql.Identifier(settings.schema)))
    for table in TABLES:
        columns = [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in table.columns]
        key = sql.SQL("primary key ({})").format(sql.SQL(", ").join(map(sql.Identifier, table.key)))
        cur.execute(
            sql.SQL("create table if not exists {} ({})").format(
                _name(settings, table.name), sql.SQL(", ").join([*columns, key])
            )
        )
    cur.execute(sql.SQL(_STATE_DDL).format(_name(settings, STATE_TABLE)))


def _replace(cur: psycopg.Cursor, settings: PostgresSettings, table: Table, content: pa.Table) -> None:
    """DELETE every row and COPY the new ones in (inside the caller's transaction)."""
    # DELETE, not TRUNCATE: TRUNCATE takes an ACCESS EXCLUSIVE lock that blocks BI readers until
    # commit and is not MVCC-safe (a reader on an older snapshot would see the table empty).
    cur.execute(sql.SQL("delete from {}").format(_name(settings, table.name)))
    names = [c for c, _ in table.columns]
    copy = sql.SQL("copy {} ({}) from stdin").format(
        _name(settings, table.name), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    # Values go as Python objects: Decimal stays Decimal (written as its exact text), never float.
    with cur.copy(copy) as writer:
        for row in zip(*(content.column(c).to_pylist() for c in names), strict=True):
            writer.write_row(row)


def _record(cur: psycopg.Cursor, settings: PostgresSettings, snapshot: Snapshot, written_by: str) -> None:
    """Upsert the one row saying which release PostgreSQL now holds."""
    publications = snapshot.tables["publications"].column("published_at").to_pylist()
    cur.execute(
        sql.SQL(
            "insert into {} (singleton, release, content_sha256, publication_count, latest_published_at,"
            " written_at, written_by) values (true, %s, %s, %s, %s, now(), %s)"
            " on conflict (singleton) do update set release = excluded.release,"
            " content_sha256 = excluded.content_sha256, publication_count = excluded.publication_count,"
            " latest_published_at = excluded.latest_published_at, written_at = excluded.written_at,"
            " written_by = excluded.written_by"
        ).format(_name(settings, STATE_TABLE)),
        [snapshot.release, snapshot.sha256, len(publications), max(publications, default=None), written_by],
    )


def sync(published: Path, settings: PostgresSettings, written_by: str) -> SyncResult:
    """Write the whole current release into PostgreSQL in one transaction: readers see old or new.

    Idempotent: it always writes everything from the release files, so the next sync repairs a
    failed one. A failure anywhere rolls the transaction back and PostgreSQL keeps its old state.
    """
    with connect(settings) as conn, conn.transaction(), conn.cursor() as cur:
        # Concurrent syncs (a run and `finstat postgres-sync`) would collide on the keys: one at a
        # time. The release is read after the lock, so the last one to commit wrote the newest.
        cur.execute("select pg_advisory_xact_lock(%s)", [_lock_key(settings)])
        snapshot = read_release(published)
        _create(cur, settings)
        for index, table in enumerate(TABLES):
            if index:
                fault_point("postgres-writing")
            _replace(cur, settings, table, snapshot.tables[table.name])
        _record(cur, settings, snapshot, written_by)
    rows = {name: table.num_rows for name, table in snapshot.tables.items()}
    return SyncResult(snapshot.release, rows, snapshot.sha256)


def read_state(settings: PostgresSettings) -> dict | None:
    """The publication_state row, or None when nothing was ever written to this schema."""
    with connect(settings) as conn, conn.cursor(row_factory=dict_row) as cur:
        qualified = _name(settings, STATE_TABLE).as_string(conn)
        if cur.execute("select to_regclass(%s)", [qualified]).fetchone()["to_regclass"] is None:
            return None
        return cur.execute(sql.SQL("select * from {}").format(_name(settings, STATE_TABLE))).fetchone()


def error_text(exc: BaseException) -> str:
    """One line for a terminal or a Dagster failure: the error's class and its first line."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}"[:300]


def status_line(published: Path, settings: PostgresSettings) -> str:
    """Whether PostgreSQL holds the tables of the release published/ points at (for `finstat status`)."""
    target = where(settings)
    try:
        state = read_state(settings)
    except psycopg.Error as exc:
        return f"{target}: cannot be read: {error_text(exc)}"
    current = read_release(published)
    if state is None:
        return f"{target}: holds nothing yet: run `finstat postgres-sync`"
    written = f"written {beijing_text(state['written_at'])} from release {state['release']}"
    # Compared by content: a report adds a release with the same tables, PostgreSQL is not behind.
    if state["content_sha256"] == current.sha256:
        return f"{target}: holds the current publication ({written})"
    return (
        f"{target}: BEHIND published/ (release {current.release}); it holds {written}: "
        "run `finstat postgres-sync`"
    )
