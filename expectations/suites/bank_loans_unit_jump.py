"""Rule 12: no institution's A01 is about 10,000 times (or 1/10,000 of) the previous month's."""

import great_expectations as gx


def add_expectations(suite: gx.ExpectationSuite) -> None:
    """The ratio test lives in the SQL model; every row must carry the value it was made on."""
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="found"))
