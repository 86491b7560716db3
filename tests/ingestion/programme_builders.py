"""Small bank_programmes extracts built in a test's tmp_path: 5a workbooks and 5b CSVs (the bank_loans register)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from finstat.items import PROGRAMME_ITEM_NAMES, PROGRAMME_ITEMS, PROGRAMME_QUANTITIES
from tests.ingestion.builders import BANK, COUNTIES, COUNTY_CODES, in_unit, plain

SOURCE = "bank_programmes"
COUNT, AMOUNT = PROGRAMME_QUANTITIES
CSV_HEADER = ["报表期", "机构代码", "县区代码", "指标代码", "计量", "数值", "单位"]


def count(item: str, county: str) -> Decimal:
    """Canonical 户数; E02 is zero everywhere (blank/dash cells)."""
    if item == "E02":
        return Decimal(0)
    return Decimal(PROGRAMME_ITEMS.index(item) * 10 + COUNTY_CODES.index(county) + 1)


def amount_wan(item: str, county: str) -> Decimal:
    """Canonical 金额 in 万元, with cents; E02 is zero everywhere."""
    if item == "E02":
        return Decimal(0)
    return Decimal(PROGRAMME_ITEMS.index(item) * 100 + COUNTY_CODES.index(county) * 10) + Decimal("12.34")


def value(item: str, quantity: str, county: str) -> Decimal:
    """The lake's value: 户数 as written, 金额 in 元."""
    if quantity == COUNT:
        return count(item, county).quantize(Decimal("0.01"))
    return (amount_wan(item, county) * 10000).quantize(Decimal("0.01"))


def expected_cells(counties: list[str] = COUNTY_CODES, *, total: bool = True) -> set:
    """(county_code, item_code, quantity, value) every accepted variation must produce."""
    rows = set()
    for item in PROGRAMME_ITEMS:
        for quantity in PROGRAMME_QUANTITIES:
            for county in counties:
                rows.add((county, item, quantity, value(item, quantity, county)))
            if total:
                rows.add(("TOTAL", item, quantity, sum(value(item, quantity, c) for c in counties)))
    return rows


@dataclass
class ProgrammeWorkbook:
    """Layout knobs of a 5a workbook; defaults are the template as printed in the spec."""

    inst_code: str = BANK
    period: str = "2022年05月"
    unit: str = "万元"
    sheet: str = "专项统计"
    notes_sheet_first: bool = False  # a 填报说明 sheet before the report
    quantity_style: str = "plain"  # plain | fullwidth | ascii
    counties: list[tuple[str, str]] = field(default_factory=lambda: list(COUNTIES))
    header: list[str] = field(default_factory=lambda: ["行次", "指标代码", "指标名称", "计量", "合计"])
    extra_rows: bool = False  # section labels and a G01 row of the bank's own
    # (item, 计量) -> 计量 text written instead; (item, 计量, county or TOTAL) -> raw cell value
    quantity_text: dict[tuple[str, str], str] = field(default_factory=dict)
    overrides: dict[tuple[str, str, str], object] = field(default_factory=dict)
    drop: tuple[tuple[str, str], ...] = ()
    repeat: tuple[str, str] | None = None


def _quantity_label(wb: ProgrammeWorkbook, item: str, quantity: str) -> str:
    if (item, quantity) in wb.quantity_text:
        return wb.quantity_text[(item, quantity)]
    word = ("家" if item == "E03" else "户") if quantity == COUNT else wb.unit
    return {"plain": quantity, "fullwidth": f"{quantity}（{word}）", "ascii": f"{quantity}({word})"}[
        wb.quantity_style
    ]


def _cell(ws, row: int, col: int, raw: object) -> None:
    if isinstance(raw, str):
        ws.write_string(row, col, raw)
    elif raw is not None:
        ws.write(row, col, raw)


def write_programme_workbook(path: Path, wb: ProgrammeWorkbook | None = None) -> Path:
    """Write a 5a workbook (2 rows above the header); returns the path."""
    wb = wb or ProgrammeWorkbook()
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    if wb.notes_sheet_first:
        book.add_worksheet("填报说明").write(0, 0, "1. 户数不随单位换算。")
    ws = book.add_worksheet(wb.sheet)
    ws.merge_range(0, 0, 0, 8, "金融支持重点领域专项统计月报")
    ws.write(1, 0, f"填报机构：测试银行  机构代码：{wb.inst_code}  报表期：{wb.period}  单位：{wb.unit}")
    header = [*wb.header, *(name for name, _ in wb.counties)]
    ws.write_row(2, 0, header)
    first = len(wb.header)
    total_col = wb.header.index("合计") if "合计" in wb.header else None
    row = 3
    lines = [(item, quantity) for item in PROGRAMME_ITEMS for quantity in PROGRAMME_QUANTITIES]
    if wb.repeat:
        lines.append(wb.repeat)
    for item, quantity in lines:
        if (item, quantity) in wb.drop:
            continue
        if wb.extra_rows and (item, quantity) == ("E01", COUNT):
            ws.write_row(row, 0, ["", "", "二、金融惠企政策"])
            row += 1
        ws.write_row(row, 0, [row - 2, item, PROGRAMME_ITEM_NAMES[item], _quantity_label(wb, item, quantity)])
        numbers = count if quantity == COUNT else lambda i, c: in_unit(amount_wan(i, c), wb.unit)
        cells = {code: numbers(item, code) for _, code in wb.counties}
        cells["TOTAL"] = sum(cells.values(), Decimal(0))
        for key, number in cells.items():
            col = total_col if key == "TOTAL" else first + [c for _, c in wb.counties].index(key)
            if col is None:
                continue
            raw = wb.overrides.get((item, quantity, key), "-" if number == 0 else float(number))
            _cell(ws, row, col, raw)
        row += 1
        if wb.extra_rows and (item, quantity) == ("F04", AMOUNT):
            ws.write_row(row, 0, ["", "G01", "创业担保贷款本年累计发放", "户数", 7])
            row += 1
    ws.write(row + 1, 0, "单位负责人：张三    填表人：李四    填报日期：2022-06-05")
    book.close()
    return path


def programme_csv_rows(
    inst_code: str = BANK, period: str = "2022-05", unit: str = "万元", count_unit: str = "户"
) -> list[list[str]]:
    """The canonical report in long format (no 合计 rows); 户数 rows carry `count_unit` as 单位."""
    rows = []
    for county in COUNTY_CODES:
        for item in PROGRAMME_ITEMS:
            rows.append([period, inst_code, county, item, COUNT, plain(count(item, county)), count_unit])
            rows.append(
                [
                    period,
                    inst_code,
                    county,
                    item,
                    AMOUNT,
                    plain(in_unit(amount_wan(item, county), unit)),
                    unit,
                ]
            )
    return rows


def write_programme_csv(path: Path, rows: list[list[str]] | None = None, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(programme_csv_rows() if rows is None else rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
