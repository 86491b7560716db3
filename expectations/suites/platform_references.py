"""Rule 19: requests reference enterprises and products of the same snapshot; products a registered bank."""

import great_expectations as gx

from expectations.suites.common import base_suite


def build_suite() -> gx.ExpectationSuite:
    """Rows are dangling references (or a missing snapshot file); any row fails."""
    return base_suite("qr_19_platform_references")
