"""Rule 8: the 合计 column equals the sum of the county columns."""

import great_expectations as gx

from expectations.suites.common import base_suite, within_tolerance


def build_suite() -> gx.ExpectationSuite:
    """The shared layout, a decided outcome, and |found - expected| <= tolerance on every row."""
    return within_tolerance(base_suite("qr_08_total_column"))
