"""Rule 15 (warn): no loan more than 90 days overdue is still classed 正常 or 关注."""

import great_expectations as gx

from expectations.suites.common import base_suite


def build_suite() -> gx.ExpectationSuite:
    """Rows are such loans: found (days overdue) must not exceed expected (90)."""
    suite = base_suite("qr_15_overdue_class")
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="expected", column_B="found", or_equal=True
        )
    )
    return suite
