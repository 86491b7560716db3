"""Rule 9: C01+..+C05 equals A01; memo items B01..B03 never exceed A01."""

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

from expectations.suites.common import base_suite, within_tolerance

MEMO_ITEMS = ["B01", "B02", "B03"]


def build_suite() -> gx.ExpectationSuite:
    """Class sums within tolerance; memo rows (B items) must have found <= expected."""
    suite = within_tolerance(base_suite("qr_09_classes_and_memos"))
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="expected",
            column_B="found",
            or_equal=True,
            row_condition=Column("item_code").is_in(MEMO_ITEMS),
        )
    )
    return suite
