"""Hostile amounts (1e308, NaN, inf, -0, 1,00, 30 digits, error cells) in every source: rule 5 or exact."""

from __future__ import annotations

from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from ingestion.platform import REQUESTS
from ingestion.run import ingest_landing
from tests.ingestion.builders import Workbook, csv_rows, write_csv, write_workbook
from tests.ingestion.platform_builders import request_row, write_snapshot_file
from tests.ingestion.programme_builders import (
    ProgrammeWorkbook,
    programme_csv_rows,
    write_programme_csv,
    write_programme_workbook,
)
from tests.ingestion.rural_builders import (
    OTHER_RURAL,
    disposal_row,
    disposals_name,
    loan_row,
    write_disposals,
    write_loans,
)
from tests.ingestion.test_pbc import ROWS as PBC_ROWS
from tests.ingestion.test_pbc import write_workbook as write_pbc_workbook
from tests.reliability.harness import (
    MONTH,
    PBC_NAME,
    assert_rejected,
    folder,
    make_settings,
    run_month,
    set_error_cell,
)

THIRTY_DIGITS = "123456789012345678901234567890"
# Text every source must refuse as an amount (rule 5), whatever its own number format.
# Full-width and Arabic-Indic digits: Decimal() reads both as 123, but the contract names neither.
NOT_AMOUNTS = ["1e308", "NaN", "inf", "1,00", THIRTY_DIGITS, "１２３", "١٢٣"]


def _bank_csv(settings, value):
    rows = csv_rows()
    rows[4][5] = value  # line 6 (header = line 1)
    return write_csv(folder(settings, "bank_loans") / "bank.csv", rows), "bank.csv, 第 6 行, 列 金额"


def _bank_xlsx(settings, value):
    # A07 of 淇滨区: row 10, column E (header on row 3).
    path = write_workbook(
        folder(settings, "bank_loans") / "bank.xlsx", Workbook(overrides={("A07", "410611"): value})
    )
    return path, "bank.xlsx, 工作表 贷款余额, 第 10 行, 列 E (淇滨区)"


def _programme_xlsx(settings, value):
    # F02 金额 of 山城区: row 7, column G (header on row 3).
    layout = ProgrammeWorkbook(overrides={("F02", "金额", "410603"): value})
    path = write_programme_workbook(folder(settings, "bank_programmes") / "programmes.xlsx", layout)
    return path, "programmes.xlsx, 工作表 专项统计, 第 7 行, 列 G (山城区)"


def _programme_csv(settings, value):
    rows = programme_csv_rows()
    rows[3][5] = value  # line 5: 410611 F02 金额
    path = write_programme_csv(folder(settings, "bank_programmes") / "programmes.csv", rows)
    return path, "programmes.csv, 第 5 行, 列 数值"


def _rural_loans(settings, value):
    return write_loans(settings, [loan_row(贷款余额=value)]), "贷款明细.csv, 第 2 行, 列 贷款余额"


def _rural_disposals(settings, value):
    row = disposal_row(机构代码=OTHER_RURAL, 处置本金=value)
    path = write_disposals(settings, [row], name=disposals_name(OTHER_RURAL))
    return path, "不良处置.csv, 第 2 行, 列 处置本金"


def _platform(settings, value):
    path = write_snapshot_file(settings, REQUESTS, [request_row(**{"申请金额(万元)": value})])
    return path, "融资需求_202205.csv, 第 2 行, 列 申请金额(万元)"


def _pbc(settings, value):
    rows = [list(r) for r in PBC_ROWS]
    rows[0][1] = value  # 各项贷款 本月末余额: row 4 (title, unit, header above), column B
    return write_pbc_workbook(settings, rows=rows, name=f"0_{PBC_NAME}"), "工作表 金融统计, 第 4 行, 列 B"


WRITERS = {
    "bank_csv": ("bank_loans", _bank_csv),
    "bank_xlsx": ("bank_loans", _bank_xlsx),
    "rural_loans": ("rural_credit", _rural_loans),
    "rural_disposals": ("rural_credit", _rural_disposals),
    "platform": ("platform", _platform),
    "pbc": ("pbc", _pbc),
    "programme_xlsx": ("bank_programmes", _programme_xlsx),
    "programme_csv": ("bank_programmes", _programme_csv),
}


@pytest.mark.parametrize("value", NOT_AMOUNTS)
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_text_that_is_not_an_amount_is_rule_5_naming_row_and_column(tmp_path, writer, value):
    settings = make_settings(tmp_path)
    source, write = WRITERS[writer]
    path, where = write(settings, value)
    outcome = run_month(settings, source, path, hostile_kind=REQUESTS if source == "platform" else None)
    assert_rejected(outcome, 5, where)


@pytest.mark.parametrize(
    ("writer", "value"), [("bank_xlsx", 1e308), ("bank_xlsx", 1e30), ("pbc", 1e308), ("pbc", 1e30)]
)
def test_huge_excel_number_is_rule_5_not_a_crash(tmp_path, writer, value):
    """A float cell of 1e308 used to raise decimal.InvalidOperation: rule 1 with no row."""
    settings = make_settings(tmp_path)
    source, write = WRITERS[writer]
    path, where = write(settings, value)
    assert_rejected(run_month(settings, source, path), 5, where, "超出可存储范围")


@pytest.mark.parametrize("error", ["#NUM!", "#DIV/0!", "#REF!", "#VALUE!"])
@pytest.mark.parametrize("source", ["bank_loans", "pbc", "bank_programmes"])
def test_excel_error_cell_is_rule_5_not_zero(tmp_path, source, error):
    """Excel holds NaN and infinity only as error cells; calamine reads them as "" (= zero)."""
    settings = make_settings(tmp_path)
    if source == "bank_loans":
        path = set_error_cell(write_workbook(folder(settings, source) / "bank.xlsx"), "E10", error)
        where = "bank.xlsx, 工作表 贷款余额, 第 10 行, 列 E (淇滨区)"
    elif source == "bank_programmes":
        # The 户数 of F01 in 合计: counts are checked like amounts.
        path = set_error_cell(write_programme_workbook(folder(settings, source) / "p.xlsx"), "E4", error)
        where = "p.xlsx, 工作表 专项统计, 第 4 行, 列 E (合计)"
    else:
        path = set_error_cell(write_pbc_workbook(settings, name=f"0_{PBC_NAME}"), "C4", error)
        where = "工作表 金融统计, 第 4 行, 列 C"
    outcome = run_month(settings, source, path)
    assert_rejected(outcome, 5, where, f"错误值 {error}")


def test_error_cell_outside_the_amounts_is_harmless(tmp_path):
    settings = make_settings(tmp_path)
    # Column C holds the item names (A07's name on row 10), which nothing reads as a number.
    path = set_error_cell(write_workbook(folder(settings, "bank_loans") / "bank.xlsx"), "C10", "#REF!")
    (outcome,) = ingest_landing(settings, MONTH).outcomes
    assert (outcome.status, outcome.file_path) == ("accepted", f"bank_loans/{MONTH}/{path.name}"), (
        outcome.reason
    )


def _lake_value(settings, table, column, where) -> Decimal:
    (lake,) = settings.lake.glob(f"{table}/period=*/*.parquet")
    return next(r[column] for r in pq.read_table(lake).to_pylist() if where(r))


NEGATIVE_ZERO = {
    # writer -> (value, table, column, row filter)
    "bank_csv": ("-0", "bank_loans", "amount_yuan", lambda r: r["row_number"] == 6),
    "bank_xlsx": (
        -0.0,
        "bank_loans",
        "amount_yuan",
        lambda r: (r["row_number"], r["column_ref"]) == (10, "E"),
    ),
    "bank_xlsx_text": (
        "-0",
        "bank_loans",
        "amount_yuan",
        lambda r: (r["row_number"], r["column_ref"]) == (10, "E"),
    ),
    "rural_loans": ("-0", "rural_credit_loans", "balance_yuan", lambda r: True),
    "rural_disposals": ("-0.00", "rural_credit_disposals", "principal_yuan", lambda r: True),
    "platform": ("-0", "platform_requests", "applied_yuan", lambda r: True),
    "pbc": (-0.0, "pbc_figures", "balance_yuan", lambda r: r["item_code"] == "PBC_LOANS"),
}


@pytest.mark.parametrize("case", sorted(NEGATIVE_ZERO))
def test_negative_zero_is_accepted_as_exactly_zero(tmp_path, case):
    """-0 is zero, not a negative balance: stored as 0.00 (no sign), the file accepted."""
    settings = make_settings(tmp_path)
    value, table, column, where = NEGATIVE_ZERO[case]
    source, write = WRITERS[case.removesuffix("_text")]
    path, _ = write(settings, value)
    outcomes = {o.file_path: o for o in ingest_landing(settings, MONTH, source=source).outcomes}
    assert outcomes[path.relative_to(settings.landing).as_posix()].status == "accepted"
    stored = _lake_value(settings, table, column, where)
    assert stored == 0 and not stored.is_signed() and str(stored) == "0.00"
