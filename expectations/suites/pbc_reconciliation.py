"""Rule 22 (warn, reported): the bureau's figures sit within tolerance of the central bank branch's."""

import great_expectations as gx


def add_expectations(suite: gx.ExpectationSuite) -> None:
    """Recompute from the unrounded values: tolerance_value >= |bureau - pbc| on every line."""
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="tolerance_value", column_B="abs_diff_value", or_equal=True
        )
    )
