"""Rule 9: C01+..+C05 equals A01; memo items B01..B03 never exceed A01."""

import great_expectations as gx

from expectations.suites.common import base_suite, within_tolerance


def build_suite() -> gx.ExpectationSuite:
    """Class sums within tolerance; memo rows (B items) must have found <= expected."""
    suite = within_tolerance(base_suite("qr_09_classes_and_memos"))
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="expected",
            column_B="found",
            or_equal=True,
            row_condition='item_code.str.startswith("B")',
            condition_parser="pandas",
        )
    )
    return suite
