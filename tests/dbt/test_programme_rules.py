"""Gate rules 23-29 on the tiny programme lake: the clean month passes, each planted defect fails with its keys."""

from __future__ import annotations

from decimal import Decimal

import pytest

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import load_rule_rows, run_rule
from expectations.suites.common import RULE_COLUMNS
from tests.dbt.tiny_lake import B1, B2, BUILD_PERIOD, CITY
from tests.dbt.tiny_programmes import PLANTED, PREVIOUS


def _rows(dbt_run, rule: int, period: str) -> list[dict]:
    model = RULES_BY_NUMBER[rule].model
    return dbt_run.rows(f"select * from audit.{model} where period = ?", [period])


def _failing(rows: list[dict]) -> set[tuple]:
    return {(r["inst_code"], r["county_code"], r["item_code"], r["measure"]) for r in rows if not r["passed"]}


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_layout_is_rule_columns(dbt_run, rule):
    columns = dbt_run.rows(
        "select column_name from information_schema.columns "
        "where table_schema = 'audit' and table_name = ? order by ordinal_position",
        [RULES_BY_NUMBER[rule].model],
    )
    assert tuple(c["column_name"] for c in columns) == RULE_COLUMNS


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_planted_defect_fails_with_its_keys_and_names_them(dbt_run, rule):
    rows = _rows(dbt_run, rule, BUILD_PERIOD)
    assert _failing(rows) == PLANTED[rule]
    for row in rows:
        assert row["rule"] == rule and row["detail"]
        if not row["passed"]:
            assert row["inst_code"] in row["detail"]  # name and code, so the officer can call the bank
            if row["county_code"] not in (None, "TOTAL"):
                assert row["county_code"] in row["detail"]
            if rule != 23:
                assert row["source_file"].startswith(f"bank_programmes/{BUILD_PERIOD}/")


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_gate_suites_fail_the_defect_month_and_pass_the_clean_one(dbt_run, rule):
    spec = RULES_BY_NUMBER[rule]
    failed = run_rule(spec, load_rule_rows(dbt_run.db_path, spec.model, BUILD_PERIOD))
    assert not failed.passed
    clean_rows = _rows(dbt_run, rule, PREVIOUS)
    assert clean_rows or rule == 25  # April is the year's first report: rule 25 has no previous
    clean = run_rule(spec, load_rule_rows(dbt_run.db_path, spec.model, PREVIOUS))
    assert clean.passed, clean.failing_rows


def test_a_month_without_any_programme_report_is_not_blocked_by_rule_23(dbt_run):
    assert _rows(dbt_run, 23, "2021-12") == []
    assert {r["inst_code"]: r["found"] for r in _rows(dbt_run, 23, PREVIOUS)} == {
        **{inst: 1 for inst in (B1, B2)},
        "B3000000000003": 1,
    }


def test_numbers_of_the_planted_rows(dbt_run):
    def row(rule, county, item, measure):
        [r] = [
            r
            for r in _rows(dbt_run, rule, BUILD_PERIOD)
            if (r["county_code"], r["item_code"], r["measure"]) == (county, item, measure) and not r["passed"]
        ]
        return r["expected"], r["found"], r["tolerance"]

    assert row(24, "TOTAL", "E02", "金额") == (Decimal("7407.36"), Decimal("7907.36"), 300)
    assert row(25, "410622", "E01", "金额") == (150000, 149000, 100)
    assert row(27, CITY, "F02", "金额") == (330000, 400000, 0)
    assert row(28, "410611", "F01", "金额") == (200000, Decimal("200000.01"), 0)
    expected, found, tolerance = row(26, "410621", "F02", "金额")
    assert (found - expected, tolerance) == (20000, 10000)


def test_rule_29_names_the_row_to_add(dbt_run):
    [row] = [r for r in _rows(dbt_run, 29, BUILD_PERIOD) if not r["passed"]]
    assert "2022,410603,<脱贫户数>,<监测对象户数>" in row["detail"]
    assert not [r for r in _rows(dbt_run, 29, BUILD_PERIOD) if r["county_code"] == CITY]  # 市本级 needs none


def test_rural_reconciliation_checks_only_rural_credit_institutions(dbt_run):
    assert {r["inst_code"] for r in _rows(dbt_run, 26, BUILD_PERIOD)} == {B2}
