"""The demo's landing files: which spec variations each report uses, and its xlsx / CSV bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from decimal import Decimal
from typing import NamedTuple

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from demo.city import SLOT_CITY, DemoCity
from demo.types import SEED, DemoDataset, FilePlan
from finstat.items import BALANCE_ITEMS, DISPOSAL_ITEMS, ITEM_NAMES

UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
PERIOD_STYLES = ("cn_padded", "cn", "dash", "dot", "compact", "excel_date")
# Column order of the template in the spec (as slots); files shuffle it.
TEMPLATE_COUNTY_ORDER = ("410611", "410603", "410602", "410621", "410622", SLOT_CITY)
# Institutions that export the long CSV from their own systems, with the encoding they use (by
# slot code: every random draw and choice of this module is keyed by Hebi's codes, whatever the city).
CSV_INSTITUTIONS = {
    "B0007H41060008": "utf-8",
    "B0013H41060013": "utf-8-sig",
    "B1050H41060017": "gb18030",
    "B1281H41062122": "gb18030",
    "L0201H41061130": "utf-8-sig",
}
# One bank moved from the Excel template to its own CSV export in 2022.
CSV_FROM = {"B0009H41060011": ("2022-01", "utf-8")}

# Every variation of spec/extracts.md section 1 the demo must exercise at least once.
ALL_VARIATIONS = (
    "format_xlsx",
    "format_csv",
    *(f"rows_above_{n}" for n in range(7)),
    "info_one_cell",
    "info_separate_cells",
    "info_label_value_cells",
    "info_below_table",
    "colon_fullwidth",
    "colon_ascii",
    *(f"period_{style}" for style in PERIOD_STYLES),
    "unit_元",
    "unit_万元",
    "unit_亿元",
    "county_order_template",
    "county_order_shuffled",
    "county_header_name",
    "county_header_code",
    "county_absent",
    "city_level_absent",
    "zero_county_column",
    "amount_number",
    "amount_text_thousands",
    "amount_formula_total",
    "amount_formula_parents",
    "zero_blank",
    "zero_dash",
    "zero_emdash",
    "zero_number",
    "name_plain",
    "name_spaces",
    "name_fullwidth_spaces",
    "name_qizhong",
    "sheet_贷款余额",
    "sheet_Sheet1",
    "title_merged",
    "title_plain",
    "footer",
    "extra_row_no_code",
    "extra_row_unknown_code",
    "disposal_sheet",
    "disposal_sheet_omitted",
    "disposal_sheet_all_zero",
    "csv_utf-8",
    "csv_utf-8-sig",
    "csv_gb18030",
    "csv_crlf",
    "csv_lf",
)

_LEVEL = {"A02": 1, "A05": 1, "A11": 1, "B01": 1, "B02": 1, "B03": 1}
_LEVEL.update(dict.fromkeys(("A03", "A04", "A06", "A07", "A08", "A09", "A10"), 2))
_FIRST_CHILD = {"A02", "A03", "A06", "B01"}
_PARENTS = {"A01": ("A02", "A05", "A11"), "A02": ("A03", "A04"), "A05": ("A06", "A07", "A08", "A09", "A10")}
_FORBIDDEN_NAME = re.compile(r"更正|_[vV]\d")


def _rng(*key: object) -> random.Random:
    return random.Random("|".join(map(str, (SEED, "files", *key))))


def pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def column_names(city: DemoCity) -> dict[str, str]:
    """The template's county column headings; the city's own code is 市本级."""
    return {**{county.code: county.name for county in city.counties}, city.code: "市本级"}


def file_name(
    dataset: DemoDataset,
    code: str,
    period: str,
    fmt: str,
    report: str = "贷款月报",
    title: str = "金融机构贷款情况月报表",
) -> str:
    """A report's file name in its institution's own style; `report` and `title` name the report kind."""
    inst = dataset.institution(code)
    yyyy, mm = period.split("-")
    # Keyed by the institution only: its clerk names every kind of report the same way.
    style = _rng("name", dataset.city.slot_inst(code)).randrange(4)
    if fmt == "csv":
        name = f"{code}_{yyyy}{mm}.csv" if style % 2 == 0 else f"{inst.name}_{report}_{period}.csv"
    else:
        name = (
            f"{inst.name}_{yyyy}{mm}.xlsx",
            f"{inst.name}{yyyy}年{int(mm)}月{report}.xlsx",
            f"{title}_{inst.name}_{yyyy}年{mm}月.xlsx",
            f"{code}_{yyyy}{mm}_{report}.xlsx",
        )[style]
    # Resubmission markers belong to corrections only (docs/architecture.md).
    if _FORBIDDEN_NAME.search(name):
        raise AssertionError(f"demo file name looks like a resubmission: {name}")
    return name


def counties_of(dataset: DemoDataset, code: str, period: str) -> list[str]:
    order = (dataset.city.region(slot) for slot in TEMPLATE_COUNTY_ORDER)
    return [county for county in order if (period, code, county, "A01") in dataset.balances]


def file_format(code: str, period: str) -> tuple[str, str | None]:
    if code in CSV_INSTITUTIONS:
        return "csv", CSV_INSTITUTIONS[code]
    if code in CSV_FROM and period >= CSV_FROM[code][0]:
        return "csv", CSV_FROM[code][1]
    return "xlsx", None


class TemplateLayout(NamedTuple):
    """How a clerk lays out a 1a-style workbook: the draws the loan and the programme reports share."""

    rows_above: int
    period_style: str
    layout: str  # of the info cells
    colon: str
    order: list[str]  # the report's counties in the order of their columns
    shuffled: bool
    extra_columns: list[str]  # an all-zero county column, 市本级 with nothing booked there
    columns: list[str]
    header_by: str  # county columns headed by name or by code
    amount_style: str


def template_layout(
    city: DemoCity,
    counties: list[str],
    rng: random.Random,
    month: random.Random,
    template: random.Random,
    *,
    zero_column_odds: float,
) -> TemplateLayout:
    """The layout draws, in the order that keeps every generated file's bytes (the seeds are shared)."""
    rows_above = int(pick(month, {"0": 1, "1": 3, "2": 4, "3": 4, "4": 3, "5": 2, "6": 2}))
    period_style = pick(rng, dict.fromkeys(PERIOD_STYLES, 1))
    layout = pick(rng, {"one_cell": 3, "separate_cells": 2, "label_value_cells": 2})
    if period_style == "excel_date":
        layout = "label_value_cells"  # a date needs a cell of its own
    colon = pick(rng, {"fullwidth": 3, "ascii": 1})
    order = list(counties)
    shuffled = rng.random() < 0.5
    if shuffled:
        rng.shuffle(order)
    extra_columns = []
    missing_counties = [c for c in city.county_codes if c not in counties]
    if missing_counties and month.random() < zero_column_odds:
        extra_columns.append(month.choice(missing_counties))  # a county with no business, all zero
    if city.code not in counties and month.random() < 0.1:
        extra_columns.append(city.code)
    header_by = pick(template, {"name": 3, "code": 1})
    amount_style = pick(rng, {"number": 5, "text": 2, "formula": 3})
    return TemplateLayout(
        rows_above, period_style, layout, colon, order, shuffled, extra_columns, order + extra_columns,
        header_by, amount_style,
    )  # fmt: skip


def plan_files(dataset: DemoDataset) -> list[FilePlan]:
    """One report per in-scope institution and month, each with its own mix of variations."""
    plans = []
    for period in dataset.periods:
        for inst in dataset.institutions:
            if inst.in_scope(period):
                plans.append(_plan(dataset, inst.code, period))
    return plans


def _plan(dataset: DemoDataset, code: str, period: str) -> FilePlan:
    city = dataset.city
    slot = city.slot_inst(code)
    fmt, encoding = file_format(slot, period)
    # A bank keeps its template from month to month; a new clerk now and then changes details.
    template, month = _rng("template", slot), _rng("month", slot, period)
    rng = month if month.random() < 0.35 else template
    counties = counties_of(dataset, code, period)
    has_zero_disposals = all(
        dataset.disposals[(period, code, item)] == (Decimal(0), Decimal(0)) for item in DISPOSAL_ITEMS
    )
    unit = pick(month, {"元": 3, "万元": 5, "亿元": 2})
    variations = [f"format_{fmt}", f"unit_{unit}"]
    if fmt == "csv":
        newline = "\r\n" if template.random() < 0.5 else "\n"
        variations += [f"csv_{encoding}", "csv_crlf" if newline == "\r\n" else "csv_lf"]
        options = {"unit": unit, "encoding": encoding, "newline": newline, "counties": tuple(counties)}
        relpath = f"bank_loans/{period}/{file_name(dataset, code, period, fmt)}"
        return FilePlan(period, code, relpath, fmt, tuple(sorted(options.items())), tuple(variations))

    # Unpacked in the TemplateLayout's field order.
    (
        rows_above,
        period_style,
        layout,
        colon,
        order,
        shuffled,
        extra_columns,
        columns,
        header_by,
        amount_style,
    ) = template_layout(city, counties, rng, month, template, zero_column_odds=0.15)
    parent_formulas = amount_style == "formula" and rng.random() < 0.5
    zero_style = pick(rng, {"blank": 3, "dash": 2, "emdash": 2, "number": 2})
    name_style = pick(template, {"plain": 3, "spaces": 2, "fullwidth_spaces": 2, "qizhong": 2})
    sheet = "Sheet1" if template.random() < 0.2 else "贷款余额"
    title_merged = rng.random() < 0.6
    footer = rng.random() < 0.6
    extra_rows = pick(month, {"none": 6, "no_code": 3, "unknown_code": 1})
    zero_disposal_sheet = has_zero_disposals and month.random() < 0.25

    variations += [
        f"rows_above_{rows_above}",
        "info_below_table" if rows_above == 0 else f"info_{layout}",
        f"colon_{colon}",
        f"period_{period_style}",
        "county_order_shuffled" if shuffled and order != counties else "county_order_template",
        f"county_header_{header_by}",
        f"sheet_{sheet}",
        f"name_{name_style}",
    ]
    if rows_above == 0:
        variations.append(f"info_{layout}")
    if rows_above >= 2:
        variations.append("title_merged" if title_merged else "title_plain")
    if any(c not in columns for c in city.county_codes):
        variations.append("county_absent")
    if city.code not in columns:
        variations.append("city_level_absent")
    if extra_columns:
        variations.append("zero_county_column")
    variations.append(
        {"number": "amount_number", "text": "amount_text_thousands", "formula": "amount_formula_total"}[
            amount_style
        ]
    )
    if amount_style == "formula":
        variations.append("amount_number")  # the leaves of a formula workbook are numbers
    if parent_formulas:
        variations.append("amount_formula_parents")
    has_zero = bool(extra_columns) or any(
        dataset.balances[(period, code, county, item)] == 0 for county in counties for item in BALANCE_ITEMS
    )
    if has_zero:
        variations.append(f"zero_{zero_style}")
    if footer:
        variations.append("footer")
    if extra_rows != "none":
        variations.append(f"extra_row_{extra_rows}")
    if not has_zero_disposals:
        variations.append("disposal_sheet")
    else:
        variations.append("disposal_sheet_all_zero" if zero_disposal_sheet else "disposal_sheet_omitted")

    options = {
        "unit": unit,
        "rows_above": rows_above,
        "layout": layout,
        "colon": "：" if colon == "fullwidth" else ":",
        "period_style": period_style,
        "columns": tuple(columns),
        "header_by": header_by,
        "amount_style": amount_style,
        "parent_formulas": parent_formulas,
        "zero_style": zero_style,
        "name_style": name_style,
        "sheet": sheet,
        "title_merged": title_merged,
        "footer": footer,
        "extra_rows": extra_rows,
        "disposal_sheet": not has_zero_disposals or zero_disposal_sheet,
        "disposal_title": template.random() < 0.5,
    }
    relpath = f"bank_loans/{period}/{file_name(dataset, code, period, fmt)}"
    return FilePlan(
        period, code, relpath, fmt, tuple(sorted(options.items())), tuple(sorted(set(variations)))
    )


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------
def render_file(dataset: DemoDataset, plan: FilePlan) -> bytes:
    return _render_csv(dataset, plan) if plan.fmt == "csv" else _render_xlsx(dataset, plan)


def in_unit(yuan: Decimal, unit: str) -> Decimal:
    """An amount in the file's unit, exact: 元 keeps 2 places, 万元 at most 6, 亿元 at most 10."""
    value = yuan / UNIT_FACTORS[unit]
    return value.quantize(Decimal("0.01")) if unit == "元" else value.normalize()


def plain_number(value: Decimal) -> str:
    return f"{value:f}" if value else "0"


def _render_csv(dataset: DemoDataset, plan: FilePlan) -> bytes:
    unit = plan.option("unit")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=plan.option("newline"))
    writer.writerow(["报表期", "机构代码", "县区代码", "指标代码", "口径", "金额", "单位"])
    for county in plan.option("counties"):
        for item in BALANCE_ITEMS:
            amount = dataset.balances[(plan.period, plan.inst_code, county, item)]
            writer.writerow(
                [plan.period, plan.inst_code, county, item, "余额", plain_number(in_unit(amount, unit)), unit]
            )
    city = dataset.city.code  # D items are reported for the whole city
    for item in DISPOSAL_ITEMS:
        month, ytd = dataset.disposals[(plan.period, plan.inst_code, item)]
        for measure, amount in (("本月", month), ("本年累计", ytd)):
            writer.writerow(
                [plan.period, plan.inst_code, city, item, measure, plain_number(in_unit(amount, unit)), unit]
            )
    return out.getvalue().encode(plan.option("encoding"))


def period_value(period: str, style: str) -> object:
    yyyy, mm = period.split("-")
    return {
        "cn_padded": f"{yyyy}年{mm}月",
        "cn": f"{yyyy}年{int(mm)}月",
        "dash": period,
        "dot": f"{yyyy}.{mm}",
        "compact": f"{yyyy}{mm}",
        "excel_date": dt.datetime(int(yyyy), int(mm), 1),
    }[style]


def _display_name(item: str, style: str) -> str:
    return styled_name(ITEM_NAMES[item], _LEVEL.get(item, 0), item in _FIRST_CHILD, style)


def styled_name(name: str, level: int, first_child: bool, style: str) -> str:
    """An item name as a clerk pads it: indented by level with spaces or full-width spaces, or 其中："""
    if style == "spaces":
        return "  " * level + name + (" " if level else "")
    if style == "fullwidth_spaces":
        return "\u3000" * level + name
    if style == "qizhong" and first_child:
        return "其中：" + name
    return name


class AmountWriter:
    """Writes amounts and counts in one file's style (number / text / formula cache, and its zero marks)."""

    def __init__(self, workbook, worksheet, plan: FilePlan) -> None:
        self.ws = worksheet
        self.workbook = workbook
        self._counts = None
        self.unit = plan.option("unit")
        self.amount_style = plan.option("amount_style")
        self.zero_style = plan.option("zero_style")
        places = {"元": "0.00", "万元": "0.000000", "亿元": "0.0000000000"}[self.unit]
        self.number_format = workbook.add_format({"num_format": f"#,##0.{places.split('.')[1]}"})

    def amount(self, row: int, col: int, value: Decimal) -> None:
        if value == 0 and self.zero_style != "number":
            if self.zero_style != "blank":
                self.ws.write_string(row, col, "-" if self.zero_style == "dash" else "—")
            return
        if self.amount_style == "text":
            text = f"{value:,.2f}" if self.unit == "元" else f"{value:,f}"
            self.ws.write_string(row, col, text)
        else:
            # The only float in the demo: a numeric cell holds a double; 15 significant digits at
            # most, so it reads back as exactly this decimal.
            self.ws.write_number(row, col, float(value), self.number_format)

    def formula(self, row: int, col: int, formula: str, value: Decimal) -> None:
        self.ws.write_formula(row, col, formula, self.number_format, float(value))

    def count(self, row: int, col: int, value: int, formula: str | None = None) -> None:
        """A whole number of households or enterprises: never scaled by the unit, same zero marks."""
        if formula is not None:
            self.ws.write_formula(row, col, formula, self._count_format(), value)
        elif value == 0 and self.zero_style != "number":
            if self.zero_style != "blank":
                self.ws.write_string(row, col, "-" if self.zero_style == "dash" else "—")
        elif self.amount_style == "text":
            self.ws.write_string(row, col, f"{value:,}")
        else:
            self.ws.write_number(row, col, value, self._count_format())

    def _count_format(self):
        # Added on first use only: a workbook without counts keeps the styles it always had.
        if self._counts is None:
            self._counts = self.workbook.add_format({"num_format": "#,##0"})
        return self._counts


def info_parts(dataset: DemoDataset, plan: FilePlan) -> list[tuple[str, object]]:
    return [
        ("填报机构", dataset.institution(plan.inst_code).name),
        ("机构代码", plan.inst_code),
        ("报表期", period_value(plan.period, plan.option("period_style"))),
        ("单位", plan.option("unit")),
    ]


def write_info(ws, start_row: int, parts, layout: str, colon: str, rows: int, date_format) -> int:
    """Write the 填报机构/机构代码/报表期/单位 line(s) from start_row; return the next free row."""
    groups = [parts] if rows == 1 else [parts[:2], parts[2:]]
    for offset, group in enumerate(groups):
        row = start_row + offset
        if layout == "one_cell":
            ws.write_string(row, 0, "  ".join(f"{k}{colon}{v}" for k, v in group))
            continue
        col = 0
        for key, value in group:
            if layout == "separate_cells":
                ws.write_string(row, col, f"{key}{colon}{value}")
                col += 3
            else:
                ws.write_string(row, col, f"{key}{colon}")
                if isinstance(value, dt.datetime):
                    ws.write_datetime(row, col + 1, value, date_format)
                else:
                    ws.write_string(row, col + 1, str(value))
                col += 3
    return start_row + len(groups)


def filing_date(period: str) -> dt.datetime:
    """When a month's report is filed (the 6th of the next month): the workbook's fixed creation time."""
    yyyy, mm = map(int, period.split("-"))
    return dt.datetime(yyyy + mm // 12, mm % 12 + 1, 6, 9, 30)


def new_workbook(buffer: io.BytesIO, title: str, period: str) -> xlsxwriter.Workbook:
    # in_memory fixes the zip entries' timestamps; `created` fixes docProps: identical bytes each run.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": title, "author": "finstat demo", "created": filing_date(period)})
    return workbook


def write_preamble(ws, plan: FilePlan, parts, title: str, subtitle: str, ncols: int, formats) -> int:
    """The 0..6 rows above the header (title, subtitle and blank rows around a one- or two-row info
    block, as the plan says); formats = (title_format, date_format); return the header row."""
    title_format, date_format = formats
    rows_above, layout, colon = plan.option("rows_above"), plan.option("layout"), plan.option("colon")
    row = 0
    if rows_above >= 2:
        if plan.option("title_merged") and ncols > 1:
            ws.merge_range(row, 0, row, ncols - 1, title, title_format)
        else:
            ws.write_string(row, 0, title, title_format)
        row += 1
    if rows_above >= 5:
        ws.write_string(row, 0, subtitle)
        row += 1
    if rows_above >= 3:
        row += 1  # blank
    if rows_above >= 1:
        row = write_info(ws, row, parts, layout, colon, 2 if rows_above >= 4 else 1, date_format)
    if rows_above == 6:
        row += 1  # blank
    if row != rows_above:
        raise AssertionError(f"layout bug: {row} rows above the header, planned {rows_above}")
    return row


def write_below_table(ws, dataset: DemoDataset, plan: FilePlan, parts, row: int, date_format) -> None:
    """The info line when no row above the header held it, then the optional footer; row = first free row."""
    colon = plan.option("colon")
    if plan.option("rows_above") == 0:
        # No room above the header: the institution/period/unit line follows the table instead.
        row = write_info(ws, row + 1, parts, plan.option("layout"), colon, 1, date_format)
    if plan.option("footer"):
        phone = f"{dataset.city.phone_area}-3316{int(plan.inst_code[-2:]):03d}"
        footer = f"单位负责人{colon}张伟    填表人{colon}刘洋    联系电话{colon}{phone}"
        ws.write_string(row + 1, 0, f"{footer}    填报日期{colon}{filing_date(plan.period):%Y-%m-%d}")


def _render_xlsx(dataset: DemoDataset, plan: FilePlan) -> bytes:
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, "金融机构贷款情况月报表", plan.period)
    ws = workbook.add_worksheet(plan.option("sheet"))
    sheet = AmountWriter(workbook, ws, plan)
    date_format = workbook.add_format({"num_format": 'yyyy"年"m"月"'})
    title_format = workbook.add_format({"bold": True, "align": "center", "font_size": 14})

    columns = list(plan.option("columns"))
    parts = info_parts(dataset, plan)
    header_row = write_preamble(
        ws,
        plan,
        parts,
        "金融机构贷款情况月报表",
        "（人民币、外币合计，不含委托贷款）",
        4 + len(columns),
        (title_format, date_format),
    )
    names = column_names(dataset.city)
    headers = ["行次", "指标代码", "指标名称", "合计"] + [
        names[c] if plan.option("header_by") == "name" or c == dataset.city.code else c for c in columns
    ]
    for col, text in enumerate(headers):
        ws.write_string(header_row, col, text)

    # Contract rows with the rows the contract does not name woven in.
    layout_rows: list[tuple[str, str, str]] = []  # (kind, code, name)
    for item in BALANCE_ITEMS:
        if plan.option("extra_rows") == "no_code" and item in ("B01", "C01"):
            layout_rows.append(("label", "", "补充资料：" if item == "B01" else "按贷款五级分类："))
        layout_rows.append(("item", item, _display_name(item, plan.option("name_style"))))
        if plan.option("extra_rows") == "unknown_code" and item == "A11":
            layout_rows.append(("count", "E01", "贷款户数（户）"))
    row_of = {code: header_row + 1 + i for i, (kind, code, _) in enumerate(layout_rows) if kind == "item"}

    first_county_col, last_col = 4, 3 + len(columns)
    for i, (kind, code, name) in enumerate(layout_rows):
        row = header_row + 1 + i
        if kind == "item":
            ws.write_number(row, 0, BALANCE_ITEMS.index(code) + 1)
        ws.write_string(row, 1, code)
        ws.write_string(row, 2, name)
        if kind == "label":
            continue
        if kind == "count":
            rng = _rng("count", dataset.city.slot_inst(plan.inst_code), plan.period)
            for j, _county in enumerate(columns):
                ws.write_number(row, first_county_col + j, rng.randrange(50, 5000))
            continue
        values = [
            in_unit(dataset.balances.get((plan.period, plan.inst_code, county, code), Decimal(0)), sheet.unit)
            for county in columns
        ]
        total = sum(values, Decimal(0))
        for j, value in enumerate(values):
            col = first_county_col + j
            if plan.option("parent_formulas") and code in _PARENTS:
                letter = xl_col_to_name(col)
                refs = ",".join(f"{letter}{row_of[child] + 1}" for child in _PARENTS[code])
                sheet.formula(row, col, f"=SUM({refs})", value)
            else:
                sheet.amount(row, col, value)
        if plan.option("amount_style") == "formula":
            span = f"{xl_col_to_name(first_county_col)}{row + 1}:{xl_col_to_name(last_col)}{row + 1}"
            sheet.formula(row, 3, f"=SUM({span})", total)
        else:
            sheet.amount(row, 3, total)

    write_below_table(ws, dataset, plan, parts, header_row + 1 + len(layout_rows), date_format)
    ws.set_column(0, 1, 8)
    ws.set_column(2, 2, 22)
    ws.set_column(3, last_col, 16)

    if plan.option("disposal_sheet"):
        _write_disposals(workbook, dataset, plan, title_format)
    workbook.close()
    return buffer.getvalue()


def _write_disposals(workbook, dataset: DemoDataset, plan: FilePlan, title_format) -> None:
    ws = workbook.add_worksheet("不良贷款处置")
    sheet = AmountWriter(workbook, ws, plan)
    row = 0
    if plan.option("disposal_title"):
        ws.merge_range(0, 0, 0, 4, "不良贷款处置情况表", title_format)
        row = 2
    for col, text in enumerate(["行次", "指标代码", "处置方式", "本月发生额", "本年累计发生额"]):
        ws.write_string(row, col, text)
    for i, item in enumerate(DISPOSAL_ITEMS):
        month, ytd = dataset.disposals[(plan.period, plan.inst_code, item)]
        r = row + 1 + i
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, item)
        ws.write_string(r, 2, _display_name(item, plan.option("name_style")))
        sheet.amount(r, 3, in_unit(month, sheet.unit))
        sheet.amount(r, 4, in_unit(ytd, sheet.unit))
    ws.set_column(0, 2, 10)
    ws.set_column(3, 4, 18)


__all__ = ["ALL_VARIATIONS", "in_unit", "plan_files", "render_file"]
