"""Rule 9: C01+..+C05 equals A01; memo items B01..B03 never exceed A01."""

import great_expectations as gx
from great_expectations.expectations.row_conditions import Column

MEMO_ITEMS = ["B01", "B02", "B03"]


def add_expectations(suite: gx.ExpectationSuite) -> None:
    """Memo rows (B items) must have found <= expected (the class sums are within tolerance)."""
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="expected",
            column_B="found",
            or_equal=True,
            row_condition=Column("item_code").is_in(MEMO_ITEMS),
        )
    )
