"""The rural-credit gate suites (rules 13-17): clean months pass, planted rows fail and are named."""

from decimal import Decimal as D

import pandas as pd
import pytest

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import run_rule

# The rural credit loan-level rules of spec/quality-rules.md.
RURAL_CREDIT_RULES = [RULES_BY_NUMBER[n] for n in range(13, 18)]

INST = "B1280H41061121"


def row(rule, expected, found, *, tolerance=None, passed=False, item="C01", loan="JJ0001", **extra):
    diff = None if expected is None or found is None else D(found) - D(expected)
    return {
        "period": "2022-05",
        "rule": rule,
        "inst_code": INST,
        "county_code": "410611",
        "item_code": item,
        "measure": "贷款余额",
        "expected": None if expected is None else D(expected),
        "found": None if found is None else D(found),
        "diff": diff,
        "abs_diff": None if diff is None else abs(diff),
        "tolerance": tolerance,
        "passed": passed,
        "detail": f"借据号 {loan}",
        "source_file": "rural_credit/2022-05/x.csv",
        "row_number": 7,
        **extra,
    }


def loan_columns(balance="50000.00"):
    return {
        "loan_id": "JJ0001",
        "balance_yuan": D(balance),
        "inst_balance_yuan": D("1000000.00"),
        "share_of_inst_balance_pct": D(balance) / D("10000"),
    }


@pytest.mark.parametrize("spec", RURAL_CREDIT_RULES, ids=lambda s: s.check_name)
def test_a_month_without_rows_passes(spec):
    """Rules 13, 15-17 list offending loans only, and rule 14 has rows only where a rural
    institution reported: an empty frame is a clean month."""
    columns = list(row(spec.rule, "1", "1"))
    frame = pd.DataFrame(columns=columns)
    assert run_rule(spec, frame).passed


@pytest.mark.parametrize(
    ("rule", "bad"),
    [
        (13, row(13, "1", "2", item=None)),
        (14, row(14, "100000000.00", "100020000.00", tolerance=D("10000"), item="A01")),
        (15, row(15, "90", "123", item="C02", **loan_columns())),
        (16, row(16, None, None, **loan_columns())),
        (17, row(17, "80000.00", "0", item="C03", **loan_columns("80000.00"))),
    ],
)
def test_planted_row_fails_with_its_loan(rule, bad):
    result = run_rule(RULES_BY_NUMBER[rule], pd.DataFrame([bad]))
    assert not result.passed
    assert [r["inst_code"] for r in result.failing_rows] == [INST]
    assert result.failing_rows[0]["detail"] == "借据号 JJ0001"


def test_reconciliation_within_one_wan_passes_and_numbers_decide():
    ok = row(14, "100000000.00", "100009999.99", tolerance=D("10000"), passed=True, item="A01")
    assert run_rule(RULES_BY_NUMBER[14], pd.DataFrame([ok])).passed
    lying = row(14, "100000000.00", "100010000.01", tolerance=D("10000"), passed=True, item="A01")
    assert not run_rule(RULES_BY_NUMBER[14], pd.DataFrame([lying])).passed


def test_overdue_rule_recomputes_from_days_even_if_flag_says_passed():
    lying = row(15, "90", "91", passed=True, **loan_columns())
    assert not run_rule(RULES_BY_NUMBER[15], pd.DataFrame([lying])).passed
