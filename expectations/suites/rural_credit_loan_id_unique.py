"""Rule 13: 借据号 is unique within an institution and month."""

import great_expectations as gx


def add_expectations(suite: gx.ExpectationSuite) -> None:
    """Rows are repeated 借据号: each one found more often than the one time expected fails."""
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="expected", column_B="found", or_equal=True
        )
    )
