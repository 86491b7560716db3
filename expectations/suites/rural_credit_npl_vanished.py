"""Rule 17 (warn): a loan non-performing last month does not vanish without a disposal record."""

import great_expectations as gx

from expectations.suites.common import base_suite


def build_suite() -> gx.ExpectationSuite:
    """Rows are vanished loans (last month's balance expected, nothing found): each one fails."""
    return base_suite("qr_17_npl_vanished")
