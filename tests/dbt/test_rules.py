"""The audit.qr_* models: the gate's layout, and each planted defect failing with the right keys."""

from __future__ import annotations

import pytest

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import load_rule_rows, run_rule
from expectations.suites.common import RULE_COLUMNS
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
