"""The loan-level warnings are summarised per institution with counts and shares of balance."""

from decimal import Decimal as D

from orchestration.defs.gate.summary import loan_warning_summary


def test_counts_and_shares_per_institution():
    rows = [
        {"inst_code": "B2", "balance_yuan": D("300.00"), "inst_balance_yuan": D("1000.00")},
        {"inst_code": "B1", "balance_yuan": D("50.00"), "inst_balance_yuan": D("400.00")},
        {"inst_code": "B2", "balance_yuan": D("100.00"), "inst_balance_yuan": D("1000.00")},
    ]
    summary = loan_warning_summary(rows)
    assert [(s["inst_code"], s["loan_count"], s["balance_yuan"], s["share_pct"]) for s in summary] == [
        ("B1", 1, D("50.00"), D("12.50")),
        ("B2", 2, D("400.00"), D("40.00")),
    ]


def test_rules_without_loan_columns_have_no_summary():
    assert loan_warning_summary([{"inst_code": "B1", "found": D(1)}]) == []
    assert loan_warning_summary([]) == []
