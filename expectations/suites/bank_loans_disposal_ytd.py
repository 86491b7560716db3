"""Rule 10: 本年累计 disposals never decrease in a year and equal the sum of the 本月 amounts."""

import great_expectations as gx

from expectations.suites.common import base_suite, within_tolerance


def build_suite() -> gx.ExpectationSuite:
    """The shared layout, a decided outcome, and |found - expected| <= tolerance on every row."""
    return within_tolerance(base_suite("qr_10_disposal_ytd"))
