"""The audit.qr_* models: the gate's layout, and each planted defect failing with the right keys."""

from __future__ import annotations

import json

import pytest

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import load_rule_rows, run_rule
from expectations.suites.common import RULE_COLUMNS
from tests.dbt.conftest import run_dbt
from tests.dbt.tiny_lake import B1, B2, B3, BUILD_PERIOD, CITY

# rule -> (inst_code, county_code, item_code, measure) of every failing row of the build month
PLANTED = {
    6: {(B3, None, None, "报表份数")},
    7: {
        (B1, "410602", "A02", "余额"),  # A03 600 元 short
        (B1, "TOTAL", "A02", "余额"),
        (B1, CITY, "A05", "余额"),  # A09 of 市本级 in the wrong unit
        (B1, "TOTAL", "A05", "余额"),
    },
    8: {(B1, "TOTAL", "B02", "余额")},
    9: {(B2, "410621", "C01-C05", "余额"), (B2, "410622", "B01", "余额")},
    10: {(B2, CITY, "D03", "本年累计"), (B2, CITY, "D03", "本年累计较上月")},
    11: {(B2, None, "A01", "余额")},
    12: {(B1, CITY, "A09", "余额")},
}


def _rows(dbt_run, rule: int, period: str) -> list[dict]:
    model = RULES_BY_NUMBER[rule].model
    return dbt_run.rows(f"select * from audit.{model} where period = ?", [period])


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_layout_is_rule_columns(dbt_run, rule):
    model = RULES_BY_NUMBER[rule].model
    columns = dbt_run.rows(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'audit' and table_name = ? order by ordinal_position",
        [model],
    )
    assert tuple(c["column_name"] for c in columns) == RULE_COLUMNS
    types = {c["column_name"]: c["data_type"] for c in columns}
    assert {types[c] for c in ("expected", "found", "diff", "abs_diff", "tolerance")} == {"DECIMAL(38,2)"}
    assert (types["rule"], types["row_number"], types["passed"]) == ("INTEGER", "INTEGER", "BOOLEAN")


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_planted_defect_fails_with_its_keys(dbt_run, rule):
    rows = _rows(dbt_run, rule, BUILD_PERIOD)
    failing = {
        (r["inst_code"], r["county_code"], r["item_code"], r["measure"]) for r in rows if not r["passed"]
    }
    assert failing == PLANTED[rule]
    assert all(r["rule"] == rule and r["passed"] is not None and r["detail"] for r in rows)
    for row in rows:
        if not row["passed"]:
            assert row["inst_code"] in row["detail"]  # name and code, so the officer can call the bank
            if rule != 6:
                assert row["source_file"] and row["source_file"].startswith("bank_loans/2022-05/")


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_gate_suites_fail_the_defect_month_and_pass_a_clean_one(dbt_run, rule):
    spec = RULES_BY_NUMBER[rule]
    failed = run_rule(spec, load_rule_rows(dbt_run.db_path, spec.model, BUILD_PERIOD))
    assert not failed.passed
    clean = run_rule(spec, load_rule_rows(dbt_run.db_path, spec.model, "2022-04"))
    assert clean.passed, clean.failing_rows


def test_completeness_has_a_row_per_in_scope_institution(dbt_run):
    rows = _rows(dbt_run, 6, BUILD_PERIOD)
    assert {r["inst_code"]: r["found"] for r in rows} == {B1: 1, B2: 1, B3: 0}  # B4 left in 2021


def test_tolerances(dbt_run):
    sums = {r["item_code"]: r["tolerance"] for r in _rows(dbt_run, 7, BUILD_PERIOD)}
    assert sums == {"A01": 300, "A02": 200, "A05": 500}
    memo = [r for r in _rows(dbt_run, 9, BUILD_PERIOD) if r["item_code"].startswith("B")]
    assert memo and all(r["tolerance"] is None for r in memo)
    decrease = next(
        r for r in _rows(dbt_run, 10, BUILD_PERIOD) if r["measure"] == "本年累计较上月" and not r["passed"]
    )
    assert (decrease["expected"], decrease["found"], decrease["abs_diff"]) == (300000, 250000, 50000)
    jump = next(r for r in _rows(dbt_run, 12, BUILD_PERIOD) if not r["passed"])
    # 市本级 A09: 100000 x 1.05 元 in April, 110000 元 reported in the wrong unit in May.
    assert (jump["expected"], jump["found"], jump["tolerance"]) == (105000, 1_100_000_000, None)


# The bank report forms are in 万元: every amount of a detail reads in 万元 with thousands separators,
# with more than 2 decimals only where the 元 amount has them (the tiny lake's cells have).
DETAILS = {
    (7, B1, CITY, "A05", "余额"): "鹤壁银行淇滨支行（B1000000000001） 2022-05 市本级（410600） 企（事）业单位贷款（A05）："
    "报送 110.00 万元，子项之和 110,099.00 万元，差额 -109,989.00 万元（第 13 行，J 列）",
    (7, B1, "410602", "A02", "余额"): "鹤壁银行淇滨支行（B1000000000001） 2022-05 鹤山区（410602） 住户贷款（A02）："
    "报送 82.500165 万元，子项之和 82.440165 万元，差额 0.06 万元（第 12 行，G 列）",
    (8, B1, "TOTAL", "B02", "余额"): "鹤壁银行淇滨支行（B1000000000001） 2022-05 涉农贷款（B02）："
    "合计列报送 446.000168 万元，3 个县区列之和 445.500168 万元，差额 0.50 万元（第 16 行，D 列）",
    (9, B2, "410621", "C01-C05", "余额"): "浚县农村商业银行（B2000000000002） 2022-05 浚县（410621）："
    "五级分类合计（C01..C05）700.10 万元，各项贷款（A01）700.00 万元，差额 0.10 万元（第 16 行）",
    (9, B2, "410622", "B01", "余额"): "浚县农村商业银行（B2000000000002） 2022-05 淇县（410622）："
    "普惠小微贷款（B01）163.333325 万元 超过各项贷款（A01）163.333324 万元（第 32 行）",
    (10, B2, CITY, "D03", "本年累计"): "浚县农村商业银行（B2000000000002） 2022-05 不良贷款处置：转让（D03）"
    "本年累计 25.00 万元，本年 2 个月报表的本月发生额之和 30.00 万元，差额 -5.00 万元（本年有 3 个月无报表）（第 40 行）",
    (10, B2, CITY, "D03", "本年累计较上月"): "浚县农村商业银行（B2000000000002） 2022-05 不良贷款处置：转让（D03）"
    "本年累计 25.00 万元，比上月（2022-04）30.00 万元 减少 5.00 万元（第 40 行）",
    (11, B2, None, "A01", "余额"): "浚县农村商业银行（B2000000000002） 2022-05 各项贷款（A01）863.333324 万元，"
    "上月（2022-04）604.333324 万元，变动 259.00 万元（42.9%），超过 20%，请核实原因",
    (12, B1, CITY, "A09", "余额"): "鹤壁银行淇滨支行（B1000000000001） 2022-05 市本级（410600） 融资租赁（A09）："
    "本月 110,000.00 万元，上月（2022-04）10.50 万元，约为上月的 一万倍，疑似元/万元单位混用，请核对报送单位（第 9 行，J 列）",
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(DETAILS, key=str))
def test_bank_report_amounts_read_in_wan_with_thousands_separators(dbt_run, key):
    rule, inst, county, item, measure = key
    [row] = [
        r
        for r in _rows(dbt_run, rule, BUILD_PERIOD)
        if (r["inst_code"], r["county_code"], r["item_code"], r["measure"]) == (inst, county, item, measure)
    ]
    assert row["detail"] == DETAILS[key]


def test_wan_amount_text_is_exact_signed_and_grouped(dbt_run):
    """The macro behind those details, on the amounts the tiny lake has none of."""
    amounts = ["-1234567.89", "-150.00", "0", "10000", "123456789012345678.01", None]
    rows = ", ".join(
        f"({n}, cast({'null' if a is None else repr(a)} as decimal(38, 2)))" for n, a in enumerate(amounts)
    )
    sql = f"select n, {{{{ wan_amount_text('a') }}}} as t from (values {rows}) as v(n, a) order by n"
    root = dbt_run.root
    shown = run_dbt(
        root,
        root / "home",
        root / "reference",
        "show",
        "--inline",
        sql,
        "--output",
        "json",
        "--quiet",
        "--limit",
        "10",
    )
    texts = [r["t"] for r in json.loads(shown.stdout)["show"]]
    assert texts == [
        "-123.456789 万元",  # the 元 digits are kept: no rounding into or out of a tolerance
        "-0.015 万元",  # the sign of an amount under 1 万元
        "0.00 万元",
        "1.00 万元",
        "12,345,678,901,234.567801 万元",  # beyond a double's 15-16 digits
        "无",
    ]
