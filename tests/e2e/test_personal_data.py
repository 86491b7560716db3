"""No clear 客户名称/企业名称 or 证件号码/统一社会信用代码 of the demo reaches the warehouse: lake, DuckDB, logs, Dagster."""

from __future__ import annotations

import re

import duckdb
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.e2e

ID_TOKEN = re.compile(r"[0-9A-Z]{17}[0-9A-Z]")
NAME_SAMPLE = 150  # names searched inside long texts; every name is checked against whole values


@pytest.fixture(scope="module")
def personal_data(rural_data, demo_dataset):
    names, ids = set(), set()
    for rows in rural_data.loans.values():
        for row in rows:
            names.add(row.customer_name)
            ids.add(row.id_number)
    borrower_names = sorted(names)
    # The platform's enterprises: a 个体工商户's name is often its owner's.
    enterprises = demo_dataset.platform.snapshot(demo_dataset.last).enterprises
    names.update(e.name for e in enterprises)
    ids.update(e.uscc for e in enterprises)
    assert names and ids and enterprises
    # Longest names first: company names are the likeliest to be quoted in a message.
    sample = (
        sorted(borrower_names, key=lambda n: (-len(n), n))[: NAME_SAMPLE // 2]
        + borrower_names[: NAME_SAMPLE // 2]
        + sorted(e.name for e in enterprises)[: NAME_SAMPLE // 3]
    )
    return {"names": names, "ids": ids, "sample": sample}


def _leaks(text: str, pii) -> list[str]:
    found = [token for token in ID_TOKEN.findall(text.upper()) if token in pii["ids"]]
    if text in pii["names"]:
        found.append(text)
    if len(text) > 6:
        found += [name for name in pii["sample"] if name in text]
    return found


def _parquet_leaks(path, pii) -> list[str]:
    table = pq.read_table(path)
    leaks = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if str(column.type) in ("string", "large_string"):
            for value in set(column.to_pylist()) - {None}:
                leaks += [f"{path.name}:{name}:{hit}" for hit in _leaks(value, pii)]
    return leaks


def _duckdb_leaks(path, pii) -> list[str]:
    leaks = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            values = con.execute(f'select distinct "{column}" from "{schema}"."{table}"').fetchall()
            for (value,) in values:
                if value is not None:
                    leaks += [f"{path.name}:{schema}.{table}.{column}:{hit}" for hit in _leaks(value, pii)]
    return leaks


def _byte_leaks(path, pii) -> list[str]:
    raw = path.read_bytes()
    leaks = []
    for encoding in ("utf-8", "gb18030"):
        text = raw.decode(encoding, errors="ignore")
        leaks += [f"{path.name}:{hit}" for hit in _leaks(text, pii)]
    return leaks


def test_no_clear_name_or_id_anywhere_in_the_warehouse(demo_run, personal_data):
    home = demo_run["home"]
    leaks, scanned, seen = [], 0, set()
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        if "secrets" in path.parts:
            continue  # the pseudonymisation key: no personal data, and never read here
        inode = (path.stat().st_dev, path.stat().st_ino)
        if inode in seen:
            continue  # releases share unchanged files as hard links: the same bytes, scanned once
        seen.add(inode)
        scanned += 1
        if path.suffix == ".parquet":
            leaks += _parquet_leaks(path, personal_data)
        elif path.suffix == ".duckdb":
            leaks += _duckdb_leaks(path, personal_data)
        else:  # Dagster's SQLite event log and run storage, run logs, gate JSON, dbt artefacts
            leaks += _byte_leaks(path, personal_data)
    assert scanned > 50
    assert leaks == []


def test_the_landing_files_do_hold_the_clear_values(demo_run, personal_data):
    """The check above can fail: the same scan finds the clear values in the landing files."""
    folder = demo_run["landing"] / "rural_credit"
    some = next(p for p in sorted(folder.rglob("*贷款明细*.csv")))
    assert _byte_leaks(some, personal_data)
