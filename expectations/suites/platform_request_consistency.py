"""Rule 18: 放款金额 <= 授信金额, 授信时间 >= 申请时间 and 放款时间 >= 授信时间 for every request."""

import great_expectations as gx


def add_expectations(suite: gx.ExpectationSuite) -> None:
    """Rows are broken requests; the amount rows are also recomputed (授信 expected >= 放款 found)."""
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="expected", column_B="found", or_equal=True, ignore_row_if="either_value_is_missing"
        )
    )
