"""Rule 20 (warn): the cumulative figures P04, P05, P06 never fall below last month's."""

import great_expectations as gx

from expectations.suites.common import base_suite


def build_suite() -> gx.ExpectationSuite:
    """Recompute from the numbers: this month's value (found) >= last month's (expected) on every row."""
    suite = base_suite("qr_20_platform_cumulative")
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="found", column_B="expected", or_equal=True, ignore_row_if="either_value_is_missing"
        )
    )
    return suite
