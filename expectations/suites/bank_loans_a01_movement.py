"""Rule 11 (warn): an institution's A01 moves at most 20% from the previous month."""

import great_expectations as gx

from expectations.suites.common import base_suite, within_tolerance


def build_suite() -> gx.ExpectationSuite:
    """The shared layout, a decided outcome, and |found - expected| <= tolerance on every row."""
    return within_tolerance(base_suite("qr_11_a01_movement"))
