"""Rule 6: every in-scope institution has exactly one current report for the month."""

import great_expectations as gx


def add_expectations(suite: gx.ExpectationSuite) -> None:
    """found = number of current reports of an in-scope institution; exactly one is expected."""
    suite.add_expectation(gx.expectations.ExpectTableRowCountToBeBetween(min_value=1))
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeBetween(column="found", min_value=1, max_value=1)
    )
