"""Rule 13: 借据号 is unique within an institution and month."""

import great_expectations as gx

from expectations.suites.common import base_suite


def build_suite() -> gx.ExpectationSuite:
    """Rows are repeated 借据号: each one found more often than the one time expected fails."""
    suite = base_suite("qr_13_loan_id_unique")
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="expected", column_B="found", or_equal=True
        )
    )
    return suite
