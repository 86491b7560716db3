"""Rule 21 (warn): 统一社会信用代码 pass GB 32100, checked on the clear code at ingestion."""

import great_expectations as gx

from expectations.suites.common import base_suite


def build_suite() -> gx.ExpectationSuite:
    """The verdict is made at ingestion; every row here is an enterprise that failed it."""
    return base_suite("qr_21_platform_uscc")
