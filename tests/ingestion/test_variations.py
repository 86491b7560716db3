"""Every accepted variation of spec section 1 (1a Excel, 1b CSV) gives the same amounts in 元."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from ingestion.run import ingest_landing
from tests.ingestion.builders import (
    COUNTIES,
    COUNTY_CODES,
    Workbook,
    csv_rows,
    expected_rows,
    make_settings,
    write_csv,
    write_workbook,
)


def lake_rows(settings) -> set:
    files = sorted((settings.lake / "bank_loans").glob("period=*/*.parquet"))
    assert len(files) == 1, files
    return {
        (r["county_code"], r["item_code"], r["measure"], r["amount_yuan"])
        for r in pq.read_table(files[0]).to_pylist()
    }


def ingest_one(tmp_path, write) -> tuple:
    settings = make_settings(tmp_path)
    write(settings.landing / "bank_loans" / "2022-05")
    report = ingest_landing(settings, up_to_period="2022-05")
    assert [o.status for o in report.outcomes] == ["accepted"], [o.reason for o in report.outcomes]
    return settings, report.outcomes[0]


REORDERED = [COUNTIES[i] for i in (5, 3, 0, 4, 1, 2)]
WITHOUT_XIAN_AND_CITY = [c for c in COUNTIES if c[1] not in ("410621", "410600")]

EXCEL_CASES = {
    "template": Workbook(),
    "unit_yuan": Workbook(unit="元"),
    "unit_yi": Workbook(unit="亿元"),
    "period_single_digit_month": Workbook(period="2022年5月"),
    "period_dash": Workbook(period="2022-05"),
    "period_dot": Workbook(period="2022.05"),
    "period_compact": Workbook(period="202205"),
    "period_compact_number_cell": Workbook(period=202205, info="label_then_value"),
    "period_excel_date": Workbook(period=dt.date(2022, 5, 1), info="label_then_value"),
    "header_offset_0_info_below": Workbook(rows_above=0),
    "header_offset_1": Workbook(rows_above=1),
    "header_offset_6": Workbook(rows_above=6),
    "info_in_labelled_cells": Workbook(info="labelled_cells"),
    "info_label_then_value_cells": Workbook(info="label_then_value"),
    "ascii_colon_single": Workbook(colon=":"),
    "ascii_colon_split": Workbook(colon=":", info="labelled_cells"),
    "counties_reordered": Workbook(counties=REORDERED),
    "counties_by_code": Workbook(county_headers="code"),
    "counties_absent": Workbook(counties=WITHOUT_XIAN_AND_CITY),
    "text_with_thousands_separators": Workbook(amounts="text"),
    "text_yuan_separators": Workbook(amounts="text", unit="元"),
    "formulas_with_cached_values": Workbook(amounts="formula"),
    "zero_as_blank": Workbook(zeros="blank"),
    "zero_as_dash": Workbook(zeros="dash"),
    "names_padded": Workbook(names="padded"),
    "names_qizhong": Workbook(names="其中"),
    "sheet1_fallback": Workbook(sheet="Sheet1"),
    "extra_unnamed_rows": Workbook(extra_rows=True),
    "no_footer": Workbook(footer=False),
    "combination": Workbook(
        unit="亿元",
        period=dt.date(2022, 5, 31),
        rows_above=5,
        info="label_then_value",
        colon=":",
        counties=REORDERED,
        county_headers="code",
        amounts="formula",
        zeros="dash",
        names="padded",
        sheet="Sheet1",
        extra_rows=True,
    ),
}


@pytest.mark.parametrize("layout", EXCEL_CASES.values(), ids=EXCEL_CASES.keys())
def test_excel_variation_gives_canonical_amounts(tmp_path, layout):
    settings, outcome = ingest_one(tmp_path, lambda d: write_workbook(d / "report.xlsx", layout))
    counties = [code for _, code in layout.counties]
    assert lake_rows(settings) == expected_rows(counties)
    assert (outcome.inst_code, outcome.period, outcome.revision) == ("BANK0000000001", "2022-05", 1)
    assert outcome.row_count == 19 * (len(counties) + 1) + 14


def test_absent_disposal_sheet_means_no_disposal_rows(tmp_path):
    settings, _ = ingest_one(tmp_path, lambda d: write_workbook(d / "r.xlsx", Workbook(disposal_sheet=None)))
    assert lake_rows(settings) == expected_rows(disposals=False)


def test_short_disposal_sheet_name_accepted(tmp_path):
    settings, _ = ingest_one(
        tmp_path, lambda d: write_workbook(d / "r.xlsx", Workbook(disposal_sheet="不良处置"))
    )
    assert lake_rows(settings) == expected_rows()


def test_disposal_sheet_found_by_content_when_unnamed(tmp_path):
    layout = Workbook(sheet="Sheet1", disposal_sheet="Sheet2")
    settings, _ = ingest_one(tmp_path, lambda d: write_workbook(d / "r.xlsx", layout))
    assert lake_rows(settings) == expected_rows()


def test_excel_lake_row_points_at_cell(tmp_path):
    """Row numbers are 1-based Excel rows and columns Excel letters; metadata columns filled."""
    settings, outcome = ingest_one(tmp_path, lambda d: write_workbook(d / "报表.xlsx", Workbook()))
    table = pq.read_table(next((settings.lake / "bank_loans" / "period=2022-05").glob("*.parquet")))
    rows = table.to_pylist()
    # Title row 1, info row 2, header row 3: A01 is row 4; 淇滨区 is the 5th column (E).
    a01_qibin = next(r for r in rows if r["item_code"] == "A01" and r["county_code"] == "410611")
    assert (a01_qibin["sheet"], a01_qibin["row_number"], a01_qibin["column_ref"]) == ("贷款余额", 4, "E")
    assert a01_qibin["amount_yuan"] == Decimal("12342500.00")
    assert a01_qibin["source_file"] == "bank_loans/2022-05/报表.xlsx"
    assert a01_qibin["unit"] == "万元"
    assert a01_qibin["file_sha256"] == outcome.file_sha256
    assert a01_qibin["revision"] == 1
    d01 = next(r for r in rows if r["item_code"] == "D01" and r["measure"] == "本年累计")
    assert (d01["sheet"], d01["row_number"], d01["column_ref"], d01["county_code"]) == (
        "不良贷款处置",
        2,
        "E",
        "410600",
    )


CSV_CASES = {
    "utf8": {"encoding": "utf-8"},
    "utf8_bom": {"encoding": "utf-8-sig"},
    "gb18030": {"encoding": "gb18030"},
    "unit_yuan": {"unit": "元"},
    "unit_yi": {"unit": "亿元"},
    "period_chinese": {"period": "2022年05月"},
    "period_compact": {"period": "202205"},
    "period_dot": {"period": "2022.05"},
}


@pytest.mark.parametrize("case", CSV_CASES.values(), ids=CSV_CASES.keys())
def test_csv_variation_gives_canonical_amounts(tmp_path, case):
    rows = csv_rows(unit=case.get("unit", "万元"), period=case.get("period", "2022-05"))
    settings, outcome = ingest_one(
        tmp_path, lambda d: write_csv(d / "report.csv", rows, encoding=case.get("encoding", "utf-8"))
    )
    assert lake_rows(settings) == expected_rows(COUNTY_CODES, total=False)
    assert outcome.row_count == len(rows)


def test_csv_lake_row_points_at_line_and_column(tmp_path):
    settings, _ = ingest_one(tmp_path, lambda d: write_csv(d / "r.csv", encoding="gb18030"))
    rows = pq.read_table(next((settings.lake / "bank_loans").glob("period=*/*.parquet"))).to_pylist()
    first = min(rows, key=lambda r: r["row_number"])
    assert (first["row_number"], first["column_ref"], first["sheet"]) == (2, "金额", None)
    assert (first["item_code"], first["county_code"]) == ("A01", "410611")


def test_csv_thousands_separators_and_dashes(tmp_path):
    rows = csv_rows()
    rows[0][5] = "1,234.25"  # A01 淇滨区, canonical 1234.25 万元
    zero = next(r for r in rows if r[3] == "A09")
    zero[5] = "—"
    settings, _ = ingest_one(tmp_path, lambda d: write_csv(d / "r.csv", rows))
    assert lake_rows(settings) == expected_rows(COUNTY_CODES, total=False)
