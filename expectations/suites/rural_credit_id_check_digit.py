"""Rule 16 (warn): 证件号码 pass their check digit (GB 11643, GB 32100), checked at ingestion."""

import great_expectations as gx

from expectations.suites.common import base_suite


def build_suite() -> gx.ExpectationSuite:
    """The verdict is made on the clear number at ingestion; every row here must have passed it."""
    return base_suite("qr_16_id_check_digit")
