"""Incremental-by-month models: a build recomputes only the months it must, and equals a full rebuild."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.dbt import tiny_rural
from tests.dbt.conftest import RURAL_TABLES, run_dbt
from tests.dbt.tiny_lake import B2, BUILD_PERIOD

CORRECTED = "2022-04"  # already built, then corrected by a revision ingested with 2022-05
INCREMENTAL = (
    "int_bank_loans__balance_cells",
    "int_bank_loans__disposal_cells",
    "fct_rural_loan_month",
    "fct_rural_disposals",
    "fct_rural_npl",
    "int_rural_poverty_by_month",
    "qr_13_loan_id_unique",
    "qr_15_overdue_class",
    "qr_16_id_check_digit",
    "qr_17_npl_vanished",
)


def _correct(home: Path) -> Decimal:
    """A revision of B2's 2022-04 loan detail: one loan 100 元 higher. Return the new balance of B2."""
    folder = home / "lake" / "rural_credit_loans" / f"period={CORRECTED}"
    (current,) = folder.glob(f"{B2}__*.parquet")
    table = pq.read_table(current).to_pylist()
    table[0]["balance_yuan"] += Decimal("100.00")
    for row in table:
        row["revision"] = 2
        row["file_sha256"] = "f" * 64
        row["source_file"] = row["source_file"].replace(".csv", "_v2.csv")
    pq.write_table(
        pa.Table.from_pylist(table, schema=tiny_rural.LOANS_SCHEMA), folder / f"{B2}__{'f' * 12}.parquet"
    )
    return sum(row["balance_yuan"] for row in table)


def _compiled_months(root: Path, model: str, target: str = "target") -> str:
    """The months a model's last compiled SQL wrote (its last `period in (...)` list)."""
    (sql,) = (root / target / "compiled").rglob(f"{model}.sql")
    found = re.findall(r"period in (\([^)]*\))", sql.read_text())
    return found[-1] if found else ""


def _tables(db: Path) -> dict[str, list[tuple]]:
    """Every model table (main and audit schemas) as sorted rows, the ledger left out."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.sql(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_name <> 'lake_build_ledger' order by all"
        ).fetchall()
        return {
            f"{schema}.{name}": sorted(con.sql(f'select * from "{schema}"."{name}"').fetchall(), key=repr)
            for schema, name in names
        }


def _expected(model: str, months: str) -> str:
    """Rule 17 checks a month against the one before it: a rebuilt month's successor is checked again."""
    if model != "qr_17_npl_vanished":
        return f"({months})"
    last = months.rsplit("'", 2)[-2]
    return f"({months}, '{last[:5]}{int(last[5:]) + 1:02d}')"


@pytest.fixture(scope="module")
def builds(dbt_run, tmp_path_factory):
    """The session's warehouse corrected (a 2022-04 revision) and built again; then rebuilt in full."""
    root = tmp_path_factory.mktemp("incremental")
    for folder in ("home", "reference"):
        shutil.copytree(dbt_run.root / folder, root / folder)
    home, reference = root / "home", root / "reference"
    corrected_balance = _correct(home)
    incremental = run_dbt(root, home, reference, "build")
    months = {model: _compiled_months(root, model) for model in INCREMENTAL}
    full_root = root / "full"
    shutil.copytree(home, full_root / "home")
    full = run_dbt(full_root, full_root / "home", reference, "build", "--full-refresh")
    return {
        "incremental": incremental,
        "full": full,
        "months": months,
        "corrected_balance": corrected_balance,
    }


def test_the_month_after_the_first_build_recomputes_only_itself(dbt_run):
    for model in INCREMENTAL:
        assert _compiled_months(dbt_run.root, model) == _expected(model, f"'{BUILD_PERIOD}'"), model


def test_a_correction_of_a_built_month_recomputes_it_with_the_build_month(builds):
    for model in INCREMENTAL:
        assert builds["months"][model] == _expected(model, f"'{CORRECTED}', '{BUILD_PERIOD}'"), model


def test_incremental_tables_equal_a_full_rebuild(builds):
    incremental = _tables(builds["incremental"].db_path)
    full = _tables(builds["full"].db_path)
    assert set(incremental) == set(full)
    assert "main.fct_rural_loan_month" in incremental and "audit.qr_17_npl_vanished" in incremental
    for name in full:
        assert incremental[name] == full[name], name


def test_the_correction_reached_the_figures(builds):
    rows = builds["incremental"].rows(
        "select sum(balance_yuan) as b from fct_rural_npl where period = ? and inst_code = ?", [CORRECTED, B2]
    )
    assert rows[0]["b"] == builds["corrected_balance"]
    # Every month is there once: the month added later did not replace the ones before it.
    periods = builds["incremental"].rows("select distinct period from fct_rural_loan_month order by 1")
    assert [r["period"] for r in periods] == ["2021-12", "2022-04", "2022-05"]


def test_the_ledger_records_the_lake_after_a_complete_build(builds):
    rows = builds["incremental"].rows("select period, lake_files from lake_build_ledger order by period")
    lake = builds["incremental"].db_path.parent.parent / "lake"
    months = sorted(
        {
            p.name.removeprefix("period=")
            for t in ("bank_loans", *RURAL_TABLES)
            for p in (lake / t).glob("period=*")
        }
    )
    assert [r["period"] for r in rows] == months
    april = dict((r["period"], r["lake_files"]) for r in rows)[CORRECTED].split("|")
    assert f"rural_credit_loans/period=2022-04/{B2}__{'f' * 12}.parquet" in april
