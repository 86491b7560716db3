"""A tiny bank_programmes lake and poverty_households.csv: a clean month and one defect per rule 23-29."""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.bank_programmes import LAKE_SCHEMA
from tests.dbt import tiny_rural
from tests.dbt.tiny_lake import B1, B2, B3, BUILD_PERIOD, CITY, COLUMN_REFS

PREVIOUS = "2022-04"
# The clean month: every in-scope institution reports; the build month: B3 reports nothing (rule 23).
# 2021-12 has no programme report at all: no rule 23 row, its V and H figures are withheld instead.
REPORTING = {PREVIOUS: [B1, B2, B3], BUILD_PERIOD: [B1, B2]}
COUNTIES = {B1: ["410611", "410602", CITY], B2: ["410621", "410622"], B3: ["410603"]}
ITEMS = ["F01", "F02", "F03", "F04", "E01", "E02", "E03"]
CUMULATIVE = {"F01", "F04", "E01", "E02", "E03"}
# A county's clean April cells: (户数, 金额 in 元); F01 averages 4 万元 a household, under the ceiling.
BASE = {
    "F01": (2, "80000.00"),
    "F02": (3, "90000.00"),
    "F03": (1, "10000.00"),
    "F04": (5, "200000.00"),
    "E01": (2, "150000.00"),
    "E02": (4, "1234.56"),
    "E03": (1, "300000.00"),
}
# The poverty register has every county with poverty credit but 山城区 (410603): rule 29.
POVERTY_ROWS = [("2022", "410611", 1186, 18), ("2022", "410602", 905, 15), ("2022", "410621", 700, 9),
                ("2022", "410622", 650, 8)]  # fmt: skip
PLANTED_COUNTY = "410603"

Cell = tuple[str, str, str]  # (county, item, 计量)


def _poverty_f02(period: str) -> dict[str, tuple[int, Decimal]]:
    """B2's poverty micro-credit per county from its loan detail: what its F02 must say (rule 26)."""
    out: dict[str, tuple[set, Decimal]] = {}
    for loan in tiny_rural.month_loans(B2, period):
        if loan.poverty:
            who, amount = out.get(loan.county, (set(), Decimal(0)))
            out[loan.county] = (who | {loan.borrower}, amount + loan.balance)
    return {county: (len(who), amount) for county, (who, amount) in out.items()}


def county_cells(inst: str, period: str) -> dict[Cell, Decimal]:
    """An institution's county cells as reported, planted defects included (no 合计 column)."""
    cells: dict[Cell, Decimal] = {}
    growth = 2 if period == BUILD_PERIOD else 1  # the cumulative items double from April to May
    for county in COUNTIES[inst]:
        for item, (households, amount) in BASE.items():
            scale = growth if item in CUMULATIVE else 1
            if inst == B3:  # no such business: B3 files zeros
                households, amount, scale = 0, "0.00", 1
            cells[(county, item, "户数")] = Decimal(households * scale)
            cells[(county, item, "金额")] = Decimal(amount) * scale
        if inst == B2:  # its F02 is its loan detail's; it has no overdue poverty loans
            households, amount = _poverty_f02(period).get(county, (0, Decimal(0)))
            cells[(county, "F02", "户数")], cells[(county, "F02", "金额")] = Decimal(households), amount
            cells[(county, "F03", "户数")], cells[(county, "F03", "金额")] = Decimal(0), Decimal(0)
    if period != BUILD_PERIOD:
        return cells
    if inst == B1:
        cells[("410602", "F03", "户数")] = cells[("410602", "F02", "户数")] + 1  # rule 24: F03 > F02
        cells[(CITY, "F03", "户数")] = Decimal(0)  # rule 24: 户数 0 with 金额 10000 元
        cells[("410611", "E03", "户数")] += Decimal("0.5")  # rule 24: half a household (合计 too)
        cells[(CITY, "F02", "金额")] = Decimal("400000.00")  # rule 27: over 市本级's A02 (330,000 元)
        cells[("410611", "F01", "金额")] = Decimal("200000.01")  # rule 28: 4 户, 1 分 over 4 x 5 万元
        cells[(PLANTED_COUNTY, "F04", "户数")] = Decimal(1)  # rule 29: no poverty row for 410603
        cells[(PLANTED_COUNTY, "F04", "金额")] = Decimal("50000.00")
    if inst == B2:
        cells[("410622", "E01", "金额")] = Decimal(BASE["E01"][1]) - 1000  # rule 25: 本年累计 falls
        cells[("410621", "F02", "金额")] += Decimal("20000.00")  # rule 26: 2 万元 over its loans
    return cells


def total_cells(inst: str, period: str) -> dict[tuple[str, str], Decimal]:
    """B1's Excel 合计 column: the sum of its county columns, with one planted defect (rule 24)."""
    totals: dict[tuple[str, str], Decimal] = {}
    for (_county, item, quantity), value in county_cells(inst, period).items():
        totals[(item, quantity)] = totals.get((item, quantity), Decimal(0)) + value
    if period == BUILD_PERIOD and inst == B1:
        totals[("E02", "金额")] += Decimal("500.00")  # 3 summed cells: tolerance 300 元
    return totals


# rule -> (inst_code, county_code, item_code, measure) of every failing row of the build month
PLANTED = {
    23: {(B3, None, None, "报表份数")},
    24: {
        (B1, "TOTAL", "E02", "金额"),
        (B1, "410602", "F03", "户数"),
        (B1, CITY, "F03", "户数与金额"),
        (B1, "410611", "E03", "户数"),
        (B1, "TOTAL", "E03", "户数"),
    },
    25: {(B2, "410622", "E01", "金额")},
    26: {(B2, "410621", "F02", "金额")},
    27: {(B1, CITY, "F02", "金额")},
    28: {(B1, "410611", "F01", "金额")},
    29: {(B1, PLANTED_COUNTY, "F04", "poverty_households.csv 行数")},
}


def _rows(inst: str, period: str) -> list[dict]:
    excel = inst != B2  # B2 sends the long CSV (no 合计 column)
    cells = {(c, i, q): v for (c, i, q), v in county_cells(inst, period).items()}
    if excel:
        cells |= {("TOTAL", i, q): v for (i, q), v in total_cells(inst, period).items()}
    rows = []
    for n, ((county, item, quantity), value) in enumerate(sorted(cells.items())):
        line = 4 + 2 * ITEMS.index(item) + (quantity == "金额")
        rows.append(
            {
                "county_code": county,
                "item_code": item,
                "quantity": quantity,
                "value": value,
                "unit": "万元" if quantity == "金额" else None,
                "sheet": "专项统计" if excel else None,
                "row_number": line if excel else 2 + n,
                "column_ref": COLUMN_REFS[county] if excel else "数值",
            }
        )
    return rows


def write_lake(home: Path) -> None:
    lake = home / "lake" / "bank_programmes"
    lake.mkdir(parents=True)
    pq.write_table(LAKE_SCHEMA.empty_table(), lake / "_schema.parquet")
    ingested = datetime(2022, 6, 9, 8, 0, tzinfo=UTC)
    for period, insts in REPORTING.items():
        for inst in insts:
            ext = "csv" if inst == B2 else "xlsx"
            source_file = f"bank_programmes/{period}/{inst}_{period.replace('-', '')}.{ext}"
            sha = hashlib.sha256(source_file.encode()).hexdigest()
            common = {"period": period, "inst_code": inst, "source_file": source_file, "file_sha256": sha}
            rows = [{**common, "revision": 1, "ingested_at": ingested, **row} for row in _rows(inst, period)]
            folder = lake / f"period={period}"
            folder.mkdir(exist_ok=True)
            pq.write_table(
                pa.Table.from_pylist(rows, schema=LAKE_SCHEMA), folder / f"{inst}__{sha[:12]}.parquet"
            )


def write_reference(folder: Path) -> None:
    with (folder / "poverty_households.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["year", "region_code", "脱贫户数", "监测对象户数"])
        writer.writerows(POVERTY_ROWS)
