"""Rule 20 (warn): the cumulative figures P04, P05, P06 never fall below last month's."""

import great_expectations as gx


def add_expectations(suite: gx.ExpectationSuite) -> None:
    """Recompute from the numbers: this month's value (found) >= last month's (expected) on every row."""
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="found", column_B="expected", or_equal=True, ignore_row_if="either_value_is_missing"
        )
    )
