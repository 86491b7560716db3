"""No ledger's enterprise name, credit code or project name leaves the warehouse: published/ and the PostgreSQL copy.

The bureau's ledgers (extracts.md section 6) name enterprises and their listing plans: inside
information that stays in the working database. Everything a reader outside gets is scanned here:
every file of every release (Parquet, CSV, the BI database, the reports, zipped ones member by
member) and the tables of the PostgreSQL copy.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.e2e

# The columns whose values must never be published (the header cells of the ledger sheets).
SECRET_COLUMNS = ("企业名称", "统一社会信用代码", "项目名称", "对象名称")
HEADER_SCAN_ROWS = 6  # up to 3 title rows, then the header (extracts.md section 6), with margin


def _sheet_secrets(sheet) -> set[str]:
    """The values under the secret columns of one ledger sheet (the header found among its first rows)."""
    rows = sheet.iter_rows(values_only=True)
    found: set[str] = set()
    columns: list[int] = []
    for index, row in enumerate(rows):
        cells = ["" if v is None else str(v).strip() for v in row]
        if not columns:
            columns = [i for i, cell in enumerate(cells) if cell in SECRET_COLUMNS]
            if not columns and index >= HEADER_SCAN_ROWS:
                return found
            continue
        found.update(cells[i] for i in columns if i < len(cells) and len(cells[i]) >= 4)
    return found


def ledger_secrets(landing: Path) -> set[str]:
    """Every enterprise name, credit code, project name and organisation name in the landing ledgers."""
    secrets: set[str] = set()
    for path in sorted((landing / "ledgers").rglob("*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                secrets |= _sheet_secrets(sheet)
        finally:
            book.close()
    return secrets


class Scanner:
    """Finds any secret inside a text (a substring search per secret: C speed on long report XML)."""

    def __init__(self, secrets: set[str]) -> None:
        self._secrets = sorted(secrets)

    def hits(self, where: str, text: str) -> list[str]:
        return [f"{where}: {secret}" for secret in self._secrets if secret in text]


def _parquet(path: Path, scan: Scanner) -> list[str]:
    table = pq.read_table(path)
    hits = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        for value in set(column.to_pylist()) - {None}:
            hits += scan.hits(f"{path.name}:{name}", str(value))
    return hits


def _duckdb(path: Path, scan: Scanner) -> list[str]:
    hits = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
        ).fetchall()
        for schema, table, column in columns:
            values = con.execute(f'select distinct cast("{column}" as varchar) from "{schema}"."{table}"')
            for (value,) in values.fetchall():
                if value is not None:
                    hits += scan.hits(f"{path.name}:{table}.{column}", value)
    return hits


def _zip(path: Path, scan: Scanner) -> list[str]:
    hits = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            text = archive.read(member).decode("utf-8", errors="ignore")
            hits += scan.hits(f"{path.name}!{member}", text)
    return hits


def _file(path: Path, scan: Scanner) -> list[str]:
    if path.suffix == ".parquet":
        return _parquet(path, scan)
    if path.suffix == ".duckdb":
        return _duckdb(path, scan)
    if zipfile.is_zipfile(path):  # xlsx, docx: the text is compressed inside
        return _zip(path, scan)
    raw = path.read_bytes()
    return scan.hits(path.name, raw.decode("utf-8", errors="ignore")) + scan.hits(
        path.name, raw.decode("gb18030", errors="ignore")
    )


def published_files(home: Path) -> list[Path]:
    """Every file a reader of published/ can reach: all releases, each file once."""
    releases = home / "releases"
    return sorted(p for p in releases.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def scanner(demo_run):
    secrets = ledger_secrets(demo_run["landing"])
    # Enterprises visited, listing candidates and their codes, projects: hundreds of each.
    assert len(secrets) > 500
    return Scanner(secrets)


def test_the_scan_finds_them_in_the_landing_ledgers(demo_run, scanner):
    """The scan can fail: the landing ledgers themselves hold the secrets it looks for."""
    some = next(iter(sorted((demo_run["landing"] / "ledgers").rglob("银企对接台账_*.xlsx"))))
    assert _zip(some, scanner)


def test_nothing_published_holds_a_ledger_name_or_code(demo_run, scanner):
    files = published_files(demo_run["home"])
    suffixes = {p.suffix for p in files}
    # The publication contract's files and the reports are all there to be scanned.
    assert {".parquet", ".csv", ".duckdb", ".xlsx"} <= suffixes
    hits = [hit for path in files for hit in _file(path, scanner)]
    assert hits == []


def test_the_postgresql_copy_holds_no_ledger_name_or_code(demo_run, scanner, postgres_dsn):
    import psycopg

    from finstat.publication import postgres
    from finstat.settings import PostgresSettings

    settings = PostgresSettings(dsn=postgres_dsn, schema="ledger_scan")
    result = postgres.sync(demo_run["home"] / "published", settings, "test_ledger_confidentiality")
    assert result.rows["official_figures"] > 300  # the three months the demo run published
    hits = []
    with psycopg.connect(postgres_dsn) as conn:
        for table in postgres.TABLES:
            rows = conn.execute(f'select * from "{settings.schema}"."{table.name}"').fetchall()
            hits += [
                hit for row in rows for value in row if value is not None
                for hit in scanner.hits(table.name, str(value))
            ]  # fmt: skip
    assert hits == []
