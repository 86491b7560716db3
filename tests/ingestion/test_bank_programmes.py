"""bank_programmes ingestion: both formats, every variation, rules 1-5 named to the cell, resubmissions."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from demo.bank_programmes import ALL_VARIATIONS, render_programme
from demo.generator import build_dataset
from finstat.settings import SHIPPED_REFERENCE_DIR, load_settings
from ingestion.bank_programmes import LAKE_SCHEMA
from ingestion.log import read_log
from ingestion.run import ingest_landing
from tests.ingestion.builders import BANK, COUNTIES, FUTURE_BANK, RETIRED_BANK, make_settings
from tests.ingestion.programme_builders import (
    AMOUNT,
    COUNT,
    SOURCE,
    ProgrammeWorkbook,
    expected_cells,
    programme_csv_rows,
    write_programme_csv,
    write_programme_workbook,
)

MONTH = "2022-05"


def _folder(settings, month=MONTH):
    return settings.landing / SOURCE / month


def _ingest(settings, month=MONTH):
    return ingest_landing(settings, month, source=SOURCE).outcomes


def _only(settings, month=MONTH):
    (outcome,) = _ingest(settings, month)
    return outcome


def _lake_rows(settings) -> list[dict]:
    return [
        row
        for path in sorted(settings.lake.glob(f"{SOURCE}/period=*/*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]


def _cells(settings) -> set:
    return {(r["county_code"], r["item_code"], r["quantity"], r["value"]) for r in _lake_rows(settings)}


def _rejected(outcome, rule: int, *fragments: str) -> None:
    assert (outcome.status, outcome.rule) == ("rejected", rule), outcome.reason
    assert outcome.reason.startswith(f"rule {rule}: 文件 {outcome.file_path}"), outcome.reason
    for fragment in fragments:
        assert fragment in outcome.reason, (fragment, outcome.reason)


# ---------------------------------------------------------------------------------------------
# The demo's files: every variation of section 5 ingests to the numbers the generator wrote
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory):
    """For each variation, the first demo file that has it, written and ingested with the shipped reference."""
    dataset = build_dataset()
    chosen = {}
    for variation in ALL_VARIATIONS:
        plan = next(p for p in dataset.programmes.files if variation in p.variations)
        chosen[plan.relpath] = plan
    root = tmp_path_factory.mktemp("demo_programmes")
    settings = load_settings(
        landing=root / "landing", home=root / "home", reference_dir=SHIPPED_REFERENCE_DIR
    )
    for plan in chosen.values():
        path = settings.landing / plan.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_programme(dataset, dataset.programmes, plan))
    outcomes = ingest_landing(settings, dataset.last, source=SOURCE).outcomes
    return dataset, chosen, settings, outcomes


def test_every_variation_of_the_demo_is_accepted(demo_lake):
    _dataset, chosen, _settings, outcomes = demo_lake
    assert {o.file_path for o in outcomes} == set(chosen)
    assert [(o.file_path, o.reason) for o in outcomes if o.status != "accepted"] == []
    assert {v for plan in chosen.values() for v in plan.variations} == set(ALL_VARIATIONS)


def test_the_lake_holds_what_the_demo_files_state(demo_lake):
    dataset, chosen, settings, _outcomes = demo_lake
    stored = defaultdict(dict)
    for row in _lake_rows(settings):
        stored[row["source_file"]][(row["county_code"], row["item_code"], row["quantity"])] = row
    for relpath, plan in chosen.items():
        truth = dataset.programmes.report(plan.period, plan.inst_code)
        rows = stored[relpath]
        counties = plan.option("columns") or plan.option("counties")
        for county in counties:
            for item in {code for _, code in truth}:
                households, amount = truth.get((county, item), (0, Decimal(0)))
                assert rows[(county, item, COUNT)]["value"] == households, (relpath, county, item)
                assert rows[(county, item, AMOUNT)]["value"] == amount, (relpath, county, item)
                assert rows[(county, item, AMOUNT)]["unit"] == plan.option("unit")
        # Only the workbook has a 合计 column; it is stored as the file states it.
        totals = {key for key in rows if key[0] == "TOTAL"}
        assert bool(totals) == (plan.fmt == "xlsx"), relpath
        assert {key[0] for key in rows} == set(counties) | ({"TOTAL"} if totals else set())
        assert all(r["inst_code"] == plan.inst_code and r["period"] == plan.period for r in rows.values())


def test_count_rows_keep_the_unit_the_file_gives(demo_lake):
    _dataset, chosen, settings, _outcomes = demo_lake
    units = defaultdict(set)
    for row in _lake_rows(settings):
        if row["quantity"] == COUNT:
            units[row["source_file"]].add(row["unit"])
    for relpath, plan in chosen.items():
        if plan.fmt == "csv":
            style = plan.option("count_unit")
            expected = {"repeated": {plan.option("unit")}, "empty": {None}, "word": {"户", "家"}}[style]
        else:
            style = plan.option("measure_style")
            expected = {None} if style == "plain" else {"户", "家"}
        assert units[relpath] == expected, (relpath, style)


# ---------------------------------------------------------------------------------------------
# Accepted forms, built small
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("unit", ["元", "万元", "亿元"])
@pytest.mark.parametrize("quantity_style", ["plain", "fullwidth", "ascii"])
def test_workbook_cells_in_any_unit_and_quantity_style(tmp_path, unit, quantity_style):
    settings = make_settings(tmp_path)
    write_programme_workbook(
        _folder(settings) / "p.xlsx", ProgrammeWorkbook(unit=unit, quantity_style=quantity_style)
    )
    outcome = _only(settings)
    assert outcome.status == "accepted", outcome.reason
    assert _cells(settings) == expected_cells()
    assert outcome.row_count == len(expected_cells())


def test_the_named_sheet_wins_over_a_notes_sheet_before_it_and_extra_rows_are_ignored(tmp_path):
    settings = make_settings(tmp_path)
    layout = ProgrammeWorkbook(notes_sheet_first=True, extra_rows=True)
    write_programme_workbook(_folder(settings) / "p.xlsx", layout)
    assert _only(settings).status == "accepted"
    assert _cells(settings) == expected_cells()
    assert {r["sheet"] for r in _lake_rows(settings)} == {"专项统计"}


def test_the_first_sheet_is_read_when_none_is_named(tmp_path):
    settings = make_settings(tmp_path)
    write_programme_workbook(_folder(settings) / "p.xlsx", ProgrammeWorkbook(sheet="Sheet1"))
    assert _only(settings).status == "accepted"
    assert _cells(settings) == expected_cells()


def test_absent_counties_produce_no_rows(tmp_path):
    settings = make_settings(tmp_path)
    counties = [c for c in COUNTIES if c[1] not in ("410602", "410600")]
    write_programme_workbook(_folder(settings) / "p.xlsx", ProgrammeWorkbook(counties=counties))
    assert _only(settings).status == "accepted"
    assert _cells(settings) == expected_cells([code for _, code in counties])


def test_a_fractional_count_is_stored_for_the_gate(tmp_path):
    """Rule 24 (in the gate) reports a 户数 that is not whole; ingestion keeps what the file says."""
    settings = make_settings(tmp_path)
    layout = ProgrammeWorkbook(
        overrides={("F01", COUNT, "410611"): 2.5, ("F02", COUNT, "410603"): "1,234.25"}
    )
    write_programme_workbook(_folder(settings) / "p.xlsx", layout)
    assert _only(settings).status == "accepted"
    values = {(r["county_code"], r["item_code"], r["quantity"]): r["value"] for r in _lake_rows(settings)}
    assert values[("410611", "F01", COUNT)] == Decimal("2.50")
    assert values[("410603", "F02", COUNT)] == Decimal("1234.25")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("count_unit", ["户", "", "万元"])
def test_csv_in_each_encoding_gives_the_county_cells(tmp_path, encoding, count_unit):
    settings = make_settings(tmp_path)
    write_programme_csv(_folder(settings) / "p.csv", programme_csv_rows(count_unit=count_unit), encoding)
    outcome = _only(settings)
    assert outcome.status == "accepted", outcome.reason
    assert _cells(settings) == expected_cells(total=False)
    rows = _lake_rows(settings)
    assert {r["unit"] for r in rows if r["quantity"] == COUNT} == {count_unit or None}
    assert {r["unit"] for r in rows if r["quantity"] == AMOUNT} == {"万元"}
    assert {(r["sheet"], r["column_ref"]) for r in rows} == {(None, "数值")}


def test_csv_units_scale_amounts_only(tmp_path):
    settings = make_settings(tmp_path)
    write_programme_csv(_folder(settings) / "p.csv", programme_csv_rows(unit="亿元", count_unit="亿元"))
    assert _only(settings).status == "accepted"
    assert _cells(settings) == expected_cells(total=False)


def test_the_lake_file_has_the_contract_schema(tmp_path):
    settings = make_settings(tmp_path)
    write_programme_workbook(_folder(settings) / "p.xlsx")
    _only(settings)
    (path,) = settings.lake.glob(f"{SOURCE}/period=2022-05/{BANK}__*.parquet")
    assert pq.read_schema(path) == LAKE_SCHEMA
    assert pq.read_table(settings.lake / SOURCE / "_schema.parquet").schema == LAKE_SCHEMA


# ---------------------------------------------------------------------------------------------
# Rejections: each names the file, and the sheet, row and column where there is one
# ---------------------------------------------------------------------------------------------
SHEET = "工作表 专项统计"
XLSX_REJECTIONS = {
    # case -> (layout, rule, fragments)
    "no_report_sheet": (
        ProgrammeWorkbook(sheet="说明", header=["行次", "代码", "指标名称", "计量", "合计"]),
        1,
        ("工作表 说明", "找不到表头行（含“指标代码”的行）"),
    ),
    "no_total_column": (
        ProgrammeWorkbook(header=["行次", "指标代码", "指标名称", "计量"]),
        1,
        (SHEET, "第 3 行", "表头缺少“合计”列"),
    ),
    "no_quantity_column": (
        ProgrammeWorkbook(header=["行次", "指标代码", "指标名称", "口径", "合计"]),
        1,
        (SHEET, "第 3 行", "表头缺少“计量”列"),
    ),
    "unknown_quantity": (
        ProgrammeWorkbook(quantity_text={("F02", AMOUNT): "笔数"}),
        1,
        (SHEET, "第 7 行", "列 D (计量)", "计量 '笔数' 不是 户数 或 金额"),
    ),
    "amount_unit_disagrees": (
        ProgrammeWorkbook(unit="万元", quantity_text={("F03", AMOUNT): "金额（元）"}),
        5,
        (SHEET, "第 9 行", "列 D (计量)", "单位“元”与表头单位“万元”不一致"),
    ),
    "bad_amount": (
        ProgrammeWorkbook(overrides={("F01", AMOUNT, "410603"): "12,3a"}),
        5,
        (SHEET, "第 5 行", "列 G (山城区)", '金额 "12,3a" 不是数字'),
    ),
    "bad_count": (
        ProgrammeWorkbook(overrides={("E01", COUNT, "TOTAL"): "约 20"}),
        5,
        (SHEET, "第 12 行", "列 E (合计)", '户数 "约 20" 不是数字'),
    ),
    "count_with_three_decimals": (
        ProgrammeWorkbook(overrides={("F04", COUNT, "410621"): 3.125}),
        5,
        (SHEET, "第 10 行", "列 I (浚县)", "户数 3.125 的小数超过两位"),
    ),
    "negative_count": (
        ProgrammeWorkbook(overrides={("E03", COUNT, "410622"): -2}),
        5,
        (SHEET, "第 16 行", "列 J (淇县)", "户数 -2.0 为负数"),
    ),
    "missing_item_row": (
        ProgrammeWorkbook(drop=(("F03", COUNT), ("E02", AMOUNT))),
        1,
        (SHEET, "列 B (指标代码)", "缺少指标 F03 户数、E02 金额"),
    ),
    "repeated_item_row": (
        ProgrammeWorkbook(repeat=("F01", AMOUNT)),
        1,
        (SHEET, "第 18 行", "列 B", "指标 F01 金额 重复出现（另见第 5 行）"),
    ),
    "bad_period": (ProgrammeWorkbook(period="2022年13月"), 1, (SHEET, "第 2 行", "列 A", "不是有效月份")),
}


@pytest.mark.parametrize("case", sorted(XLSX_REJECTIONS))
def test_a_broken_workbook_is_rejected_naming_the_cell(tmp_path, case):
    layout, rule, fragments = XLSX_REJECTIONS[case]
    settings = make_settings(tmp_path)
    write_programme_workbook(_folder(settings) / "p.xlsx", layout)
    outcome = _only(settings)
    _rejected(outcome, rule, *fragments)
    assert outcome.row_count == 0 and _lake_rows(settings) == []


def _csv_with(line: int, column: str, text: str) -> list[list[str]]:
    """The canonical rows with one cell replaced; `line` is the file line (header = 1)."""
    rows = programme_csv_rows()
    rows[line - 2][CSV_COLUMNS.index(column)] = text
    return rows


CSV_COLUMNS = ["报表期", "机构代码", "县区代码", "指标代码", "计量", "数值", "单位"]
CSV_REJECTIONS = {
    "unknown_item": (_csv_with(4, "指标代码", "G01"), 1, ("第 4 行", "列 指标代码", "指标代码 'G01' 不在指标目录中")),
    "unknown_quantity": (_csv_with(5, "计量", "户数（户）"), 1, ("第 5 行", "列 计量", "计量应为 户数 或 金额")),
    "bad_county": (_csv_with(6, "县区代码", "TOTAL"), 1, ("第 6 行", "列 县区代码", "'TOTAL' 不是本市的区划代码")),
    "bad_amount_unit": (_csv_with(3, "单位", "千元"), 1, ("第 3 行", "列 单位", "单位 '千元' 不是")),
    "bad_amount": (_csv_with(7, "数值", "1,23"), 5, ("第 7 行", "列 数值", '金额 "1,23" 不是数字')),
    "negative_amount": (_csv_with(9, "数值", "-5"), 5, ("第 9 行", "列 数值", "为负数")),
    "count_with_three_decimals": (_csv_with(8, "数值", "1.005"), 5, ("第 8 行", "列 数值", "户数 1.005 的小数超过两位")),
    "period_differs_inside": (_csv_with(10, "报表期", "2022-04"), 2, ("第 10 行", "列 报表期", "与文件首行的 2022-05 不一致")),
    "second_institution": (_csv_with(11, "机构代码", "BANK0000000002"), 1, ("第 11 行", "列 机构代码", "一个文件只能报一家机构")),
    "missing_item": (
        [row for row in programme_csv_rows() if not (row[3] == "E01" and row[4] == AMOUNT)],
        1,
        ("列 指标代码", "缺少指标 E01 金额"),
    ),
    "repeated_cell": (
        [*programme_csv_rows(), programme_csv_rows()[0]],
        1,
        ("第 86 行", "列 指标代码", "410611 F01 户数 重复出现（另见第 2 行）"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CSV_REJECTIONS))
def test_a_broken_csv_is_rejected_naming_row_and_column(tmp_path, case):
    rows, rule, fragments = CSV_REJECTIONS[case]
    settings = make_settings(tmp_path)
    write_programme_csv(_folder(settings) / "p.csv", rows)
    outcome = _only(settings)
    _rejected(outcome, rule, *fragments)
    assert (outcome.inst_code, outcome.period) == (BANK, MONTH)  # the header was read: the log says whose


def test_a_csv_without_a_required_column_is_rule_1(tmp_path):
    settings = make_settings(tmp_path)
    path = write_programme_csv(_folder(settings) / "p.csv")
    path.write_text(path.read_text(encoding="utf-8").replace("计量", "口径", 1), encoding="utf-8")
    _rejected(_only(settings), 1, "第 1 行", "缺少列 计量")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_report_for_another_month_than_its_folder_is_rule_2(tmp_path, fmt):
    settings = make_settings(tmp_path)
    if fmt == "xlsx":
        write_programme_workbook(_folder(settings) / "p.xlsx", ProgrammeWorkbook(period="2022-04"))
        where = (SHEET, "第 2 行", "列 A")
    else:
        write_programme_csv(_folder(settings) / "p.csv", programme_csv_rows(period="2022-04"))
        where = ("第 2 行", "列 报表期")
    _rejected(_only(settings), 2, *where, "2022-04")


@pytest.mark.parametrize(
    ("inst", "fragment"),
    [
        ("BANK0000000099", "机构代码 BANK0000000099 不在机构名录中"),
        (RETIRED_BANK, f"机构 {RETIRED_BANK}（已撤并银行）2022-05 不在报送范围内（2019-01 至 2021-12）"),
        (FUTURE_BANK, "不在报送范围内（2023-01 至 今）"),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_unregistered_or_out_of_scope_institution_is_rule_3(tmp_path, fmt, inst, fragment):
    settings = make_settings(tmp_path)
    if fmt == "xlsx":
        write_programme_workbook(_folder(settings) / "p.xlsx", ProgrammeWorkbook(inst_code=inst))
        where = (SHEET, "第 2 行", "列 A")
    else:
        write_programme_csv(_folder(settings) / "p.csv", programme_csv_rows(inst_code=inst))
        where = ("第 2 行", "列 机构代码")
    _rejected(_only(settings), 3, *where, fragment)


# ---------------------------------------------------------------------------------------------
# Resubmissions, as for bank_loans
# ---------------------------------------------------------------------------------------------
def test_v2_and_更正_are_revisions_and_an_unmarked_second_report_is_rule_4(tmp_path):
    settings = make_settings(tmp_path)
    folder = _folder(settings)
    write_programme_workbook(folder / "测试银行_202205.xlsx")
    assert _only(settings).revision == 1
    write_programme_workbook(folder / "测试银行_202205_v2.xlsx", ProgrammeWorkbook(unit="元"))
    write_programme_csv(folder / "测试银行_202205_更正.csv")
    outcomes = {o.file_path.rsplit("/", 1)[1]: (o.status, o.revision) for o in _ingest(settings)}
    assert outcomes == {
        "测试银行_202205_v2.xlsx": ("accepted", 2),
        "测试银行_202205_更正.csv": ("accepted", 3),
    }
    write_programme_csv(folder / "另一份.csv", programme_csv_rows(unit="元"))
    _rejected(_only(settings), 4, "2022-05")
    # Every accepted revision stays in the lake; staging keeps the highest.
    revisions = {(r["source_file"].rsplit("/", 1)[1], r["revision"]) for r in _lake_rows(settings)}
    assert revisions == {
        ("测试银行_202205.xlsx", 1),
        ("测试银行_202205_v2.xlsx", 2),
        ("测试银行_202205_更正.csv", 3),
    }
    assert [o.source for o in read_log(settings.lake, SOURCE)] == [SOURCE] * 4


def test_the_csv_and_the_workbook_give_the_same_county_cells(tmp_path):
    """Both formats produce the same rows, except the workbook's 合计 column."""
    first, second = make_settings(tmp_path / "a"), make_settings(tmp_path / "b")
    write_programme_workbook(_folder(first) / "p.xlsx", ProgrammeWorkbook(unit="亿元"))
    write_programme_csv(_folder(second) / "p.csv")
    assert _only(first).status == _only(second).status == "accepted"
    assert {c for c in _cells(first) if c[0] != "TOTAL"} == _cells(second)
