"""Rule 15 (warn): no loan more than 90 days overdue is still classed 正常 or 关注."""

import great_expectations as gx


def add_expectations(suite: gx.ExpectationSuite) -> None:
    """Rows are such loans: found (days overdue) must not exceed expected (90)."""
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="expected", column_B="found", or_equal=True
        )
    )
