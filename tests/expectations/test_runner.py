"""Each gate rule's GX suite passes clean rows and catches a planted defect, naming the row."""

from decimal import Decimal as D

import pandas as pd
import pytest

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import run_rule

# The bank loan report rules of spec/quality-rules.md.
BANK_LOAN_RULES = [RULES_BY_NUMBER[n] for n in range(6, 13)]


def row(rule, expected, found, tolerance=D("100"), item="A01", passed=None, inst="B0000000000001", **extra):
    diff = D(found) - D(expected)
    ok = abs(diff) <= tolerance if passed is None else passed
    return {
        "period": "2022-05",
        "rule": rule,
        "inst_code": inst,
        "county_code": "410611",
        "item_code": item,
        "measure": "余额",
        "expected": D(expected),
        "found": D(found),
        "diff": diff,
        "abs_diff": abs(diff),
        "tolerance": tolerance,
        "passed": ok,
        "detail": f"检查 {inst} {item}",
        "source_file": "f.xlsx",
        "row_number": 9,
        **extra,
    }


def clean_rows(rule):
    return [row(rule, "1000.00", "1000.00"), row(rule, "2500.00", "2550.00", inst="B0000000000002")]


@pytest.mark.parametrize("spec", BANK_LOAN_RULES, ids=lambda s: s.check_name)
def test_clean_rows_pass(spec):
    rows = clean_rows(spec.rule)
    if spec.rule == 6:
        rows = [row(6, "1", "1"), row(6, "1", "1", inst="B0000000000002")]
    result = run_rule(spec, pd.DataFrame(rows))
    assert result.passed, result.failed_expectations
    assert result.failing_rows == []
    assert result.checked_rows == 2


@pytest.mark.parametrize(
    ("rule", "bad"),
    [
        (6, row(6, "1", "0", tolerance=D("0"), inst="MISSING0000001")),
        (7, row(7, "1000.00", "1500.00", inst="MISSING0000001")),
        (8, row(8, "1000.00", "1000.02", tolerance=D("0.01"), inst="MISSING0000001")),
        (9, row(9, "1000.00", "1200.00", item="B01", tolerance=None, passed=False, inst="MISSING0000001")),
        (10, row(10, "300.00", "150.00", item="D02", inst="MISSING0000001")),
        (11, row(11, "1000.00", "1300.00", tolerance=D("200"), inst="MISSING0000001")),
        (12, row(12, "1000.00", "10000000.00", tolerance=None, passed=False, inst="MISSING0000001")),
    ],
)
def test_planted_defect_is_caught_and_named(rule, bad):
    spec = RULES_BY_NUMBER[rule]
    rows = [row(6, "1", "1")] if rule == 6 else clean_rows(rule)
    result = run_rule(spec, pd.DataFrame([*rows, bad]))
    assert not result.passed
    assert [r["inst_code"] for r in result.failing_rows] == ["MISSING0000001"]
    assert result.failing_rows[0]["found"] == bad["found"]


def test_numbers_decide_even_if_sql_flag_says_passed():
    """GX recomputes |diff| <= tolerance: a wrong `passed` flag from SQL does not hide a defect."""
    lying = row(7, "1000.00", "1500.00", passed=True)
    result = run_rule(RULES_BY_NUMBER[7], pd.DataFrame([lying]))
    assert not result.passed
    assert any("tolerance" in name for name in result.failed_expectations)


def test_memo_item_above_a01_fails_even_if_flag_says_passed():
    lying = row(9, "1000.00", "1200.00", item="B02", tolerance=None, passed=True)
    result = run_rule(RULES_BY_NUMBER[9], pd.DataFrame([lying]))
    assert not result.passed


def test_empty_completeness_frame_fails():
    frame = pd.DataFrame([row(6, "1", "1")]).iloc[0:0]
    assert not run_rule(RULES_BY_NUMBER[6], frame).passed
