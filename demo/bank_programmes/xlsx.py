"""A programme report as the Excel template (spec 5a): the 计量 column and the 1a layout variations."""

from __future__ import annotations

import io
from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name

from demo.bank_programmes.base import COUNT, COUNT_WORDS, ITEMS, MEASURES, SHEET, TITLE, _rng
from demo.bank_programmes.numbers import ProgrammeData
from demo.files import (
    AmountWriter,
    column_names,
    in_unit,
    info_parts,
    new_workbook,
    styled_name,
    write_below_table,
    write_preamble,
)
from demo.types import DemoDataset, FilePlan

# Section rows some clerks put between the items (no 指标代码: ignored by the contract).
_SECTIONS = {"F01": "一、巩固拓展脱贫攻坚成果", "E01": "二、金融惠企政策"}
# A row the contract does not name, with a code of the bank's own.
_UNKNOWN = ("G01", "创业担保贷款本年累计发放")
_NOTES = (
    "填报说明",
    "1. 户数为户数或企业家数（E03），不随单位换算。",
    "2. F01、E01-E03 为本年累计数，每年1月起重新累计；F04 为项目开始以来累计数。",
    "3. 金额按表头单位填报。",
)


def _measure_label(measure: str, item: str, unit: str, style: str) -> str:
    """计量 as written: plain, or with its unit in full-width or ASCII brackets (金额's is 单位)."""
    if style == "plain":
        return measure
    word = COUNT_WORDS.get(item, "户") if measure == COUNT else unit
    return f"{measure}（{word}）" if style == "fullwidth" else f"{measure}({word})"


def _layout_rows(plan: FilePlan) -> list[tuple[str, str, str, str]]:
    """(kind, code, name, measure) per row below the header: items, section labels, unknown codes."""
    rows = []
    for item, (name, level, first_child) in ITEMS.items():
        if plan.option("extra_rows") == "no_code" and item in _SECTIONS:
            rows.append(("label", "", _SECTIONS[item], ""))
        for measure in MEASURES:
            rows.append(
                ("item", item, styled_name(name, level, first_child, plan.option("name_style")), measure)
            )
        if plan.option("extra_rows") == "unknown_code" and item == "F04":
            rows += [("other", *_UNKNOWN, measure) for measure in MEASURES]
    return rows


def render_xlsx(dataset: DemoDataset, data: ProgrammeData, plan: FilePlan) -> bytes:
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, TITLE, plan.period)
    if plan.option("sheet") == "named_not_first":
        notes = workbook.add_worksheet("填报说明")
        for i, line in enumerate(_NOTES):
            notes.write_string(i, 0, line)
    ws = workbook.add_worksheet("Sheet1" if plan.option("sheet") == "first" else SHEET)
    sheet = AmountWriter(workbook, ws, plan)
    date_format = workbook.add_format({"num_format": 'yyyy"年"m"月"'})
    title_format = workbook.add_format({"bold": True, "align": "center", "font_size": 14})

    columns = list(plan.option("columns"))
    parts = info_parts(dataset, plan)
    subtitle = "（户数不随金额单位换算）"
    header_row = write_preamble(
        ws, plan, parts, TITLE, subtitle, 5 + len(columns), (title_format, date_format)
    )
    names = column_names(dataset.city)
    headers = ["行次", "指标代码", "指标名称", "计量", "合计"] + [
        names[c] if plan.option("header_by") == "name" or c == dataset.city.code else c for c in columns
    ]
    for col, text in enumerate(headers):
        ws.write_string(header_row, col, text)

    report = data.report(plan.period, plan.inst_code)
    first_col, last_col = 5, 4 + len(columns)
    formula = plan.option("amount_style") == "formula"
    line = 0
    rows = _layout_rows(plan)
    for i, (kind, code, name, measure) in enumerate(rows):
        row = header_row + 1 + i
        if kind == "item":
            line += 1
            ws.write_number(row, 0, line)
        ws.write_string(row, 1, code)
        ws.write_string(row, 2, name)
        if kind == "label":
            continue
        ws.write_string(row, 3, _measure_label(measure, code, sheet.unit, plan.option("measure_style")))
        span = f"=SUM({xl_col_to_name(first_col)}{row + 1}:{xl_col_to_name(last_col)}{row + 1})"
        if kind == "other":
            rng = _rng("unknown", dataset.city.slot_inst(plan.inst_code), plan.period, measure)
            for j in range(len(columns)):
                ws.write_number(row, first_col + j, rng.randrange(1, 90))
            continue
        cells = [report.get((county, code), (0, Decimal(0))) for county in columns]
        if measure == COUNT:
            counts = [households for households, _amount in cells]
            for j, value in enumerate(counts):
                sheet.count(row, first_col + j, value)
            sheet.count(row, 4, sum(counts), span if formula else None)
        else:
            amounts = [in_unit(amount, sheet.unit) for _households, amount in cells]
            for j, value in enumerate(amounts):
                sheet.amount(row, first_col + j, value)
            total = sum(amounts, Decimal(0))
            if formula:
                sheet.formula(row, 4, span, total)
            else:
                sheet.amount(row, 4, total)

    write_below_table(ws, dataset, plan, parts, header_row + 1 + len(rows), date_format)
    ws.set_column(0, 1, 8)
    ws.set_column(2, 2, 28)
    ws.set_column(3, 3, 12)
    ws.set_column(4, last_col, 16)
    workbook.close()
    return buffer.getvalue()
