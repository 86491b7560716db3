"""Rule 7: each parent item (A01, A02, A05) equals the sum of its children, per county and 合计."""

import great_expectations as gx

from expectations.suites.common import base_suite, within_tolerance


def build_suite() -> gx.ExpectationSuite:
    """The shared layout, a decided outcome, and |found - expected| <= tolerance on every row."""
    return within_tolerance(base_suite("qr_07_item_sums"))
