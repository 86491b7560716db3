"""Rule 22: the bureau's side of the reconciliation equals its own figures; differences and tolerance."""

from __future__ import annotations

from decimal import Decimal

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import load_rule_rows, run_rule
from tests.dbt import tiny_pbc
from tests.dbt.tiny_lake import CITY

YI = Decimal(100_000_000)


def _lines(dbt_run) -> dict[str, dict]:
    rows = dbt_run.rows("select * from audit.qr_22_pbc_reconciliation where period = ?", [tiny_pbc.PERIOD])
    return {r["measure"]: r for r in rows}


def _city(dbt_run, code: str) -> Decimal:
    rows = dbt_run.rows(
        "select value from audit.candidate_figures where period = ? and indicator_code = ? and region_code = ?",
        [tiny_pbc.PERIOD, code, CITY],
    )
    return rows[0]["value"]


def test_bureau_side_is_the_bureaus_own_figures(dbt_run):
    lines = _lines(dbt_run)
    for measure, code in (
        ("各项贷款余额", "L01"),
        ("各项贷款比年初增减", "L02"),
        ("住户贷款余额", "L08"),
        ("企（事）业单位贷款余额", "L07"),
        ("不良贷款余额", "L10"),
        ("不良贷款率", "L11"),
    ):
        assert lines[measure]["bureau_value"] == _city(dbt_run, code), measure


def test_yoy_growth_is_the_plain_a01_growth(dbt_run):
    amounts = {
        r["period"]: r["a01_yuan"]
        for r in dbt_run.rows("select period, a01_yuan from int_loan_amounts_by_region where is_city_total")
    }
    line = _lines(dbt_run)["各项贷款同比增长"]
    expected = (amounts["2022-05"] - amounts["2021-05"]) * 100 / amounts["2021-05"]
    assert abs(line["bureau_value"] - expected) < Decimal("1e-9")
    assert line["pbc_value"] == Decimal("12.34")


def test_each_line_compares_within_its_tolerance(dbt_run):
    lines = _lines(dbt_run)
    # Only what both sides state: the branch left 住户贷款 比年初增减 and the enterprise YoY empty.
    assert "住户贷款比年初增减" not in lines and "企（事）业单位贷款同比增长" not in lines
    for measure, line in lines.items():
        assert line["diff_value"] == line["bureau_value"] - line["pbc_value"], measure
        tolerance = Decimal("0.05") if line["unit"] == "%" else Decimal("0.5")
        assert line["tolerance_value"] == tolerance
        assert line["passed"] == (abs(line["diff_value"]) <= tolerance), measure
        assert ("超出容差" in line["detail"]) == (not line["passed"])


def test_rule_22_suite_flags_the_lines_outside_tolerance(dbt_run):
    spec = RULES_BY_NUMBER[22]
    assert spec.blocks_publication is False
    result = run_rule(spec, load_rule_rows(dbt_run.db_path, spec.model, tiny_pbc.PERIOD))
    outside = {m for m, line in _lines(dbt_run).items() if not line["passed"]}
    assert outside, "the tiny branch figures are chosen to differ somewhere"
    assert {r["measure"] for r in result.failing_rows} == outside
