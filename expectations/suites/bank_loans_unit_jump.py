"""Rule 12: no institution's A01 is about 10,000 times (or 1/10,000 of) the previous month's."""

import great_expectations as gx

from expectations.suites.common import base_suite


def build_suite() -> gx.ExpectationSuite:
    """The ratio test lives in the SQL model; the suite requires every row to have passed it."""
    suite = base_suite("qr_12_unit_jump")
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="found"))
    return suite
