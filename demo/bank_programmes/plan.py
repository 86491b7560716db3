"""Which spec variations each programme report uses (one plan per in-scope institution and month)."""

from __future__ import annotations

from demo.bank_programmes.base import REPORT, SOURCE, TITLE, _rng
from demo.bank_programmes.numbers import ProgrammeData
from demo.files import counties_of, file_format, file_name, pick, template_layout
from demo.types import DemoDataset, FilePlan


def plan_programme_files(dataset: DemoDataset, data: ProgrammeData) -> list[FilePlan]:
    """One report per in-scope institution and month from the first programme month, in register order."""
    return [
        _plan(dataset, data, inst.code, period)
        for period in data.periods
        for inst in dataset.institutions
        if inst.in_scope(period)
    ]


def _relpath(dataset: DemoDataset, code: str, period: str, fmt: str) -> str:
    # The loan report's naming: each institution's clerk names both reports alike.
    return f"{SOURCE}/{period}/{file_name(dataset, code, period, fmt, REPORT, TITLE)}"


def _plan(dataset: DemoDataset, data: ProgrammeData, code: str, period: str) -> FilePlan:
    city = dataset.city
    slot = city.slot_inst(code)
    # Whoever exports the loan report as CSV exports this one too, in the same encoding.
    fmt, encoding = file_format(slot, period)
    template, month = _rng("template", slot), _rng("month", slot, period)
    rng = month if month.random() < 0.35 else template
    counties = counties_of(dataset, code, period)
    unit = pick(month, {"元": 2, "万元": 5, "亿元": 2})
    variations = [f"format_{fmt}", f"unit_{unit}"]
    if fmt == "csv":
        newline = "\r\n" if template.random() < 0.5 else "\n"
        count_unit = pick(rng, {"repeated": 1, "empty": 1, "word": 2})
        variations += [f"csv_{encoding}", "csv_crlf" if newline == "\r\n" else "csv_lf"]
        # The word is 户 on households' rows and 家 on E03's (enterprises).
        variations += (
            ["csv_count_unit_户", "csv_count_unit_家"]
            if count_unit == "word"
            else [f"csv_count_unit_{count_unit}"]
        )
        options = {
            "unit": unit,
            "encoding": encoding,
            "newline": newline,
            "counties": tuple(counties),
            "count_unit": count_unit,
        }
        return FilePlan(
            period,
            code,
            _relpath(dataset, code, period, fmt),
            fmt,
            tuple(sorted(options.items())),
            tuple(sorted(set(variations))),
        )

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
    ) = template_layout(city, counties, rng, month, template, zero_column_odds=0.2)
    zero_style = pick(rng, {"blank": 3, "dash": 2, "emdash": 2, "number": 2})
    name_style = pick(template, {"plain": 3, "spaces": 2, "fullwidth_spaces": 2, "qizhong": 2})
    measure_style = pick(template, {"plain": 3, "fullwidth": 2, "ascii": 2})
    sheet = pick(template, {"named": 6, "named_not_first": 2, "first": 2})
    title_merged = rng.random() < 0.6
    footer = rng.random() < 0.6
    extra_rows = pick(month, {"none": 6, "no_code": 3, "unknown_code": 1})

    variations += [
        f"rows_above_{rows_above}",
        f"info_{layout}",
        f"colon_{colon}",
        f"period_{period_style}",
        "county_order_shuffled" if shuffled and order != counties else "county_order_template",
        f"county_header_{header_by}",
        f"name_{name_style}",
        "measure_plain" if measure_style == "plain" else f"measure_brackets_{measure_style}",
        {"named": "sheet_专项统计", "named_not_first": "sheet_专项统计_not_first", "first": "sheet_Sheet1"}[
            sheet
        ],
        {"number": "amount_number", "text": "amount_text_thousands", "formula": "amount_formula_total"}[
            amount_style
        ],
    ]
    if rows_above == 0:
        variations.append("info_below_table")
    if amount_style == "formula":
        variations.append("amount_number")  # the county cells of a formula workbook are numbers
    if rows_above >= 2:
        variations.append("title_merged" if title_merged else "title_plain")
    if any(c not in columns for c in city.county_codes):
        variations.append("county_absent")
    if city.code not in columns:
        variations.append("city_level_absent")
    if extra_columns:
        variations.append("zero_county_column")
    has_zero = bool(extra_columns) or any(0 in pair for pair in data.report(period, code).values())
    if has_zero:
        variations.append(f"zero_{zero_style}")
    if footer:
        variations.append("footer")
    if extra_rows != "none":
        variations.append(f"extra_row_{extra_rows}")

    options = {
        "unit": unit,
        "rows_above": rows_above,
        "layout": layout,
        "colon": "：" if colon == "fullwidth" else ":",
        "period_style": period_style,
        "columns": tuple(columns),
        "header_by": header_by,
        "amount_style": amount_style,
        "zero_style": zero_style,
        "name_style": name_style,
        "measure_style": measure_style,
        "sheet": sheet,
        "title_merged": title_merged,
        "footer": footer,
        "extra_rows": extra_rows,
    }
    return FilePlan(
        period,
        code,
        _relpath(dataset, code, period, fmt),
        fmt,
        tuple(sorted(options.items())),
        tuple(sorted(set(variations))),
    )
