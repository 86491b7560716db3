"""Expectations shared by every rule dataset (the audit.qr_* models have one column layout)."""

from __future__ import annotations

import great_expectations as gx

RULE_COLUMNS = (
    "period",
    "rule",
    "inst_code",
    "county_code",
    "item_code",
    "measure",
    "expected",
    "found",
    "diff",
    "abs_diff",
    "tolerance",
    "passed",
    "detail",
    "source_file",
    "row_number",
)


def base_suite(name: str) -> gx.ExpectationSuite:
    """A suite that requires the shared columns and a decided outcome on every row."""
    suite = gx.ExpectationSuite(name=name)
    # Every rule model has these columns; some add their own after them (loan-level warnings carry
    # the balance and its share of the institution's book).
    suite.add_expectation(
        gx.expectations.ExpectTableColumnsToMatchSet(column_set=list(RULE_COLUMNS), exact_match=False)
    )
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="passed"))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeInSet(column="passed", value_set=[True]))
    return suite


def within_tolerance(suite: gx.ExpectationSuite) -> gx.ExpectationSuite:
    """Recompute the decision from the numbers: |found - expected| <= tolerance on every row."""
    suite.add_expectation(
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="tolerance", column_B="abs_diff", or_equal=True, ignore_row_if="either_value_is_missing"
        )
    )
    return suite
