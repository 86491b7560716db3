"""Rule 14: loan-level totals equal the institution's bank_loans report (A01, C03-C05, D01-D07)."""

import great_expectations as gx

from expectations.suites.common import base_suite, within_tolerance


def build_suite() -> gx.ExpectationSuite:
    """The shared layout, a decided outcome, and |found - expected| <= 1 万元 on every row."""
    return within_tolerance(base_suite("qr_14_rural_reconciliation"))
