"""The bank_programmes demo: start month, every section 5 variation, rules 23-29 on the files, May 2022.

The files are read back with a small reader of this module (openpyxl / csv), not with the
generator's objects; the rural credit loan files with pyarrow.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from openpyxl import load_workbook

from demo.bank_programmes import ALL_VARIATIONS, START, render_programme
from demo.city import REFERENCE_DIR
from demo.generator import build_bank_programmes
from demo.rural_credit import LOAN_HEADER, write_rural_credit
from finstat.periods import add_months

# Months written and read back: December, the January after it (本年累计 restarts), April and May.
MONTHS = ("2021-12", "2022-01", "2022-04", "2022-05")
MAY = "2022-05"
# The bureau's report, as published (amounts rounded to 2 decimals, counts whole).
BUREAU_MAY_2022 = {
    "V01": "1309",
    "V02": "2375.99",
    "V03": "14.28",
    "V07": "5278.00",
    "V08": "3927",
    "V09": "42.04",
    "H01": "265",
    "H02": "10.53",
    "H03": "822",
    "H05": "219",
    "H06": "4.79",
}
# Every variation spec/extracts.md section 5 accepts, by the line of the spec that allows it.
SPEC_VARIATIONS = {
    # the two formats
    "format_xlsx",
    "format_csv",
    # 1a: 0 to 6 rows above the header
    *(f"rows_above_{n}" for n in range(7)),
    # 1a: 机构代码 / 报表期 / 单位 in one cell or separate cells (or after the table), either colon
    "info_one_cell",
    "info_separate_cells",
    "info_label_value_cells",
    "info_below_table",
    "colon_fullwidth",
    "colon_ascii",
    # 1a: 报表期 forms
    *(f"period_{s}" for s in ("cn_padded", "cn", "dash", "dot", "compact", "excel_date")),
    # 1a: units
    "unit_元",
    "unit_万元",
    "unit_亿元",
    # 1a: county columns in any order, by name or code, absent, 市本级 absent
    "county_order_template",
    "county_order_shuffled",
    "county_header_name",
    "county_header_code",
    "county_absent",
    "city_level_absent",
    "zero_county_column",
    # 1a: number forms and zeros
    "amount_number",
    "amount_text_thousands",
    "amount_formula_total",
    "zero_blank",
    "zero_dash",
    "zero_emdash",
    "zero_number",
    # 1a: padded names, 其中：
    "name_plain",
    "name_spaces",
    "name_fullwidth_spaces",
    "name_qizhong",
    # 1a: title, footer, rows the contract does not name
    "title_merged",
    "title_plain",
    "footer",
    "extra_row_no_code",
    "extra_row_unknown_code",
    # 5a: sheet "专项统计" (anywhere) or the first sheet
    "sheet_专项统计",
    "sheet_专项统计_not_first",
    "sheet_Sheet1",
    # 5a: 计量 with or without a bracketed unit, full-width or ASCII
    "measure_plain",
    "measure_brackets_fullwidth",
    "measure_brackets_ascii",
    # 5b: encodings and line ends; 单位 on 户数 rows repeated, empty, 户 or 家
    "csv_utf-8",
    "csv_utf-8-sig",
    "csv_gb18030",
    "csv_crlf",
    "csv_lf",
    "csv_count_unit_repeated",
    "csv_count_unit_empty",
    "csv_count_unit_户",
    "csv_count_unit_家",
}
YEAR_TO_DATE = ("F01", "E01", "E02", "E03")
ZERO_TOGETHER = ("F01", "F02", "F03", "E01", "E03")
UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
CEILING = Decimal(50_000)  # 元 per household (rule 28)
TOTAL = "合计"


# ---------------------------------------------------------------------------------------------
# An independent reader of the two formats
# ---------------------------------------------------------------------------------------------
def _period(value) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m}"
    match = re.fullmatch(r"(\d{4})(?:年|-|\.)?(\d{1,2})月?", str(value).strip())
    assert match, value
    return f"{match[1]}-{int(match[2]):02d}"


def _number(value) -> Decimal:
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "—")):
        return Decimal(0)
    if isinstance(value, str):
        return Decimal(value.replace(",", ""))
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _in_yuan(value: Decimal, unit: str) -> Decimal:
    yuan = value * UNITS[unit]
    assert yuan == yuan.quantize(Decimal("0.01")), f"{value} {unit} is not whole cents"
    return yuan.quantize(Decimal("0.01"))


def _whole(value: Decimal) -> int:
    assert value == value.to_integral_value(), f"户数 {value} is not whole"
    return int(value)


def _info(rows) -> dict[str, object]:
    """机构代码, 报表期 and 单位 from the info cells, wherever they sit and however they are split."""
    found: dict[str, object] = {}
    for row in rows:
        cells = [c for c in row if c is not None]
        for i, cell in enumerate(cells):
            if not isinstance(cell, str):
                continue
            for key in ("机构代码", "报表期", "单位"):
                for match in re.finditer(rf"(?<!\S){key}[:：]\s*(\S*)", cell):
                    value = match[1] or (cells[i + 1] if i + 1 < len(cells) else None)
                    found.setdefault(key, value)
    return found


def read_xlsx(path: Path, regions: dict[str, str]) -> tuple[str, str, dict, dict]:
    """(inst, period, {(county, item, 计量): value}, {(item, 计量): 合计}); amounts in 元."""
    book = load_workbook(path, data_only=True)
    sheet = book["专项统计"] if "专项统计" in book.sheetnames else book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    info = _info(rows)
    unit = info["单位"]
    header_at = next(i for i, r in enumerate(rows) if "指标代码" in r)
    header = rows[header_at]
    by_name = {name: code for code, name in regions.items()}
    city = next(code for code in regions if code.endswith("00"))
    columns = {}
    for col, text in enumerate(header[header.index("合计") + 1 :], start=header.index("合计") + 1):
        text = str(text).strip()
        columns[col] = city if text == "市本级" else by_name.get(text, text)
    code_at, measure_at, total_at = header.index("指标代码"), header.index("计量"), header.index("合计")
    cells, totals = {}, {}
    for row in rows[header_at + 1 :]:
        code = str(row[code_at] or "").strip()
        if not re.fullmatch(r"[FE]0\d", code):
            continue  # section labels, a code of the bank's own, the footer
        match = re.fullmatch(r"(户数|金额)(?:[（(](.+)[）)])?", str(row[measure_at]).strip())
        measure, bracket = match[1], match[2]
        if measure == "金额" and bracket:
            assert bracket == unit, (path.name, bracket, unit)

        def value(cell, measure=measure):
            return _whole(_number(cell)) if measure == "户数" else _in_yuan(_number(cell), unit)

        for col, county in columns.items():
            cells[(county, code, measure)] = value(row[col])
        totals[(code, measure)] = value(row[total_at])
    return info["机构代码"], _period(info["报表期"]), cells, totals


def read_csv(path: Path) -> tuple[str, str, dict, dict]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["报表期", "机构代码", "县区代码", "指标代码", "计量", "数值", "单位"]
    cells = {}
    for row in rows:
        number = _number(row["数值"])
        value = _whole(number) if row["计量"] == "户数" else _in_yuan(number, row["单位"])
        cells[(row["县区代码"], row["指标代码"], row["计量"])] = value
    [inst] = {r["机构代码"] for r in rows}
    [period] = {_period(r["报表期"]) for r in rows}
    return inst, period, cells, {}


def read_report(path: Path, regions: dict[str, str]):
    return read_csv(path) if path.suffix == ".csv" else read_xlsx(path, regions)


# ---------------------------------------------------------------------------------------------
# Fixtures: the session's demo build, a few of its months written and read back
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def written(tmp_path_factory, dataset):
    """The programme files of MONTHS and the rural loan files of April and May, written once."""
    root = tmp_path_factory.mktemp("programmes")
    paths = {}
    for plan in dataset.programmes.files:
        if plan.period in MONTHS:
            path = root / plan.relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(render_programme(dataset, dataset.programmes, plan))
            paths[path] = plan
    write_rural_credit(dataset.rural_credit.restrict(["2022-04", MAY]), root)
    return root, paths


@pytest.fixture(scope="module")
def reports(written, dataset):
    """(period, inst) -> (cells, totals) as read from the files."""
    _root, paths = written
    out = {}
    for path in paths:
        inst, period, cells, totals = read_report(path, dataset.regions)
        assert (period, inst) not in out, path
        out[(period, inst)] = (cells, totals)
    return out


@pytest.fixture(scope="module")
def poverty():
    """(year, county) -> (脱贫户数, 监测对象户数) of the shipped poverty_households.csv."""
    with open(REFERENCE_DIR / "poverty_households.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["year", "region_code", "脱贫户数", "监测对象户数"]
    return {(r["year"], r["region_code"]): (int(r["脱贫户数"]), int(r["监测对象户数"])) for r in rows}


def _r2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _sum(reports, period, item, measure, county=None):
    return sum(
        (
            value
            for (p, _i), (cells, _t) in reports.items()
            if p == period
            for (c, code, m), value in cells.items()
            if code == item and m == measure and county in (None, c)
        ),
        Decimal(0),
    )


# ---------------------------------------------------------------------------------------------
# Plans: start month, completeness (rule 23), variations
# ---------------------------------------------------------------------------------------------
def test_the_variation_list_is_the_spec(dataset):
    assert set(ALL_VARIATIONS) == SPEC_VARIATIONS
    used = dataset.programmes.variations
    assert sorted(name for name in SPEC_VARIATIONS if not used.get(name)) == []
    assert set(used) <= SPEC_VARIATIONS


def test_reports_start_after_the_first_demo_month_and_come_from_every_institution(dataset):
    """Rule 23: from START on, every in-scope institution files exactly one report a month."""
    assert dataset.first < START <= MAY
    plans = dataset.programmes.files
    assert min(plan.period for plan in plans) == START
    for period in dataset.periods:
        filers = sorted(plan.inst_code for plan in plans if plan.period == period)
        expected = (
            sorted(i.code for i in dataset.institutions if i.in_scope(period)) if period >= START else []
        )
        assert filers == expected, period
    assert all(plan.relpath.startswith(f"bank_programmes/{plan.period}/") for plan in plans)
    # 更正 and _vN mark resubmissions (docs/architecture.md); first deliveries never carry them.
    assert not [plan.relpath for plan in plans if re.search(r"更正|_[vV]\d", plan.relpath)]


def test_a_shorter_range_and_a_second_build_give_the_same_numbers(dataset, rebuilt):
    # The loan numbers do not depend on the range (test_numbers.py); nor do the programmes built on them.
    short = build_bank_programmes(dataclasses.replace(dataset, first="2022-04"))
    full = dataset.programmes.values
    assert short.periods == ["2022-04", MAY]
    assert short.values == {k: v for k, v in full.items() if k[0] >= "2022-04"}
    assert short.files == [plan for plan in dataset.programmes.files if plan.period >= "2022-04"]
    assert rebuilt.programmes.values == full
    assert rebuilt.programmes.files == dataset.programmes.files


def test_files_are_byte_identical_across_runs(written, rebuilt):
    _root, paths = written
    for path, plan in list(paths.items())[::7]:
        assert render_programme(rebuilt, rebuilt.programmes, plan) == path.read_bytes(), path.name


# ---------------------------------------------------------------------------------------------
# What the files say
# ---------------------------------------------------------------------------------------------
def test_files_read_back_to_the_generator_numbers_in_any_unit(written, reports, dataset):
    """Amounts scale back to the cent from 万元 / 亿元; 户数 are never scaled."""
    _root, paths = written
    units = set()
    for plan in paths.values():
        cells, _totals = reports[(plan.period, plan.inst_code)]
        units.add(plan.option("unit"))
        truth = dataset.programmes.report(plan.period, plan.inst_code)
        for (county, item), (households, amount) in truth.items():
            assert cells[(county, item, "户数")] == households, (plan.relpath, county, item)
            assert cells[(county, item, "金额")] == amount, (plan.relpath, county, item)
        # A column the truth lacks is a county with no business: zeros only.
        assert all(v == 0 for (c, i, _m), v in cells.items() if (c, i) not in truth)
    assert units == set(UNITS)


def test_rule_24_totals_overdue_and_zero_households(reports):
    for key, (cells, totals) in reports.items():
        counties = {c for c, _i, _m in cells}
        for (item, measure), total in totals.items():
            assert total == sum(cells[(c, item, measure)] for c in counties), (key, item, measure)
        for values in [
            {(c, i, m): v for (c, i, m), v in cells.items() if c == county} for county in counties
        ] + [{(TOTAL, i, m): v for (i, m), v in totals.items()}]:
            for county in {c for c, _i, _m in values}:
                for measure in ("户数", "金额"):
                    assert values[(county, "F03", measure)] <= values[(county, "F02", measure)], (key, county)
                for item in ZERO_TOGETHER:
                    households, amount = values[(county, item, "户数")], values[(county, item, "金额")]
                    assert (households == 0) == (amount == 0), (key, county, item)
                    assert isinstance(households, int)


def test_rule_25_year_to_date_never_falls_and_restarts_in_january(reports):
    jan, apr = "2022-01", "2022-04"
    for (period, inst), (cells, _t) in reports.items():
        if period not in (apr, MAY):
            continue
        earlier = reports[(add_months(period, -1 if period == MAY else -3), inst)][0]
        for (county, item, measure), value in cells.items():
            if item in (*YEAR_TO_DATE, "F04"):
                assert value >= earlier.get((county, item, measure), 0), (period, inst, county, item, measure)
    for (period, inst), (cells, _t) in reports.items():
        if period == jan:  # F04 never resets, not even across the year
            dec = reports[("2021-12", inst)][0]
            for (county, item, measure), value in cells.items():
                if item == "F04":
                    assert value >= dec.get((county, item, measure), 0)
    assert _sum(reports, jan, "F01", "户数") < _sum(reports, "2021-12", "F01", "户数")
    assert _sum(reports, jan, "E01", "金额") < _sum(reports, "2021-12", "E01", "金额")


def _loan_file_poverty(path: Path) -> dict[str, tuple[int, Decimal]]:
    """County -> (distinct borrowers, sum of 贷款余额) of the poverty micro-credit rows, read with pyarrow."""
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding="gb18030"),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(LOAN_HEADER, pa.string())),
    )
    borrowers, balance = defaultdict(set), defaultdict(Decimal)
    for row in table.to_pylist():
        if row["脱贫人口小额信贷标志"] in ("是", "Y"):
            borrowers[row["县区代码"]].add((row["证件类型"], row["证件号码"]))
            balance[row["县区代码"]] += Decimal(row["贷款余额"])
    return {county: (len(borrowers[county]), balance[county]) for county in borrowers}


def test_rule_26_rural_f02_equals_the_loan_files_to_the_cent(written, reports, dataset):
    root, _paths = written
    rural = [i.code for i in dataset.institutions if i.is_rural_credit]
    assert rural
    for period in ("2022-04", MAY):
        for inst in rural:
            [loans] = (root / "rural_credit" / period).glob(f"{inst}_*_贷款明细.csv")
            expected = _loan_file_poverty(loans)
            cells = reports[(period, inst)][0]
            found = {
                c: (cells[(c, "F02", "户数")], cells[(c, "F02", "金额")])
                for c, item, _m in cells
                if item == "F02" and cells[(c, "F02", "户数")]
            }
            assert found == expected, (period, inst)
            assert expected, "a rural institution with no poverty micro-credit proves nothing"


def test_rule_27_f02_within_household_loans(reports, dataset):
    for (period, inst), (cells, _t) in reports.items():
        for (county, item, measure), value in cells.items():
            if item == "F02" and measure == "金额":
                a02 = dataset.balances.get((period, inst, county, "A02"), Decimal(0))
                assert value <= a02, (period, inst, county)


def test_rule_28_ceiling_and_rates(reports, poverty, dataset):
    for (period, inst), (cells, _t) in reports.items():
        for (county, item, measure), households in cells.items():
            if item == "F01" and measure == "户数" and households:
                assert cells[(county, "F01", "金额")] / households <= CEILING, (period, inst, county)
    for period in MONTHS:
        year = period[:4]
        counties = [c for y, c in poverty if y == year]
        for county in counties:
            assert _sum(reports, period, "F01", "户数", county) <= poverty[(year, county)][0], (
                period,
                county,
            )
        poor = sum(poverty[(year, c)][0] for c in counties)
        monitored = sum(poverty[(year, c)][1] for c in counties)
        assert _sum(reports, period, "F01", "户数") <= poor
        assert _sum(reports, period, "F04", "户数") <= poor + monitored


def test_rule_29_every_county_with_poverty_business_has_its_row(reports, poverty, dataset):
    city = dataset.city.code
    assert all(county != city for _y, county in poverty)
    for (period, inst), (cells, _t) in reports.items():
        for (county, item, _m), value in cells.items():
            if item in ("F01", "F02", "F04") and value and county != city:
                assert (period[:4], county) in poverty, (period, inst, county, item)


# ---------------------------------------------------------------------------------------------
# May 2022: the bureau's figures
# ---------------------------------------------------------------------------------------------
def test_may_2022_city_totals_are_the_bureau_report(reports, poverty):
    year = MAY[:4]
    poor = sum(n for (y, _c), (n, _m) in poverty.items() if y == year)
    monitored = sum(m for (y, _c), (_n, m) in poverty.items() if y == year)
    wan, yi = UNITS["万元"], UNITS["亿元"]
    v01, v08 = _sum(reports, MAY, "F01", "户数"), _sum(reports, MAY, "F04", "户数")
    figures = {
        "V01": v01,
        "V02": _r2(_sum(reports, MAY, "F01", "金额") / wan),
        "V03": _r2(v01 / poor * 100),
        "V07": _r2(_sum(reports, MAY, "F04", "金额") / wan),
        "V08": v08,
        "V09": _r2(v08 / (poor + monitored) * 100),
        "H01": _sum(reports, MAY, "E01", "户数"),
        "H02": _r2(_sum(reports, MAY, "E01", "金额") / yi),
        "H03": _sum(reports, MAY, "E02", "户数"),
        "H05": _sum(reports, MAY, "E03", "户数"),
        "H06": _r2(_sum(reports, MAY, "E03", "金额") / yi),
    }
    assert figures == {code: Decimal(value) for code, value in BUREAU_MAY_2022.items()}


def test_may_2022_npl_falls_in_balance_and_ratio_l14(dataset):
    """L14 = 1 comes from the bank_loans demo: the city's NPL and NPL ratio are below December's."""

    def npl_and_ratio(period):
        npl = sum(
            v
            for (p, _i, _c, item), v in dataset.balances.items()
            if p == period and item in ("C03", "C04", "C05")
        )
        a01 = sum(v for (p, _i, _c, item), v in dataset.balances.items() if p == period and item == "A01")
        return npl, npl / a01

    npl_may, ratio_may = npl_and_ratio(MAY)
    npl_dec, ratio_dec = npl_and_ratio("2021-12")
    assert npl_may < npl_dec and ratio_may < ratio_dec
