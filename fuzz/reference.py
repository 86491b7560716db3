"""The shipped reference data (as ingestion.run loads it) and the senders and counties the inputs use."""

from __future__ import annotations

from functools import cache

from finstat.settings import SHIPPED_REFERENCE_DIR
from ingestion.register import CITY_LEVEL_NAME, Reference, load_reference

# The readers that pseudonymise need a key; any fixed 32 bytes make runs repeatable.
KEY = bytes(range(32))


@cache
def reference() -> Reference:
    return load_reference(SHIPPED_REFERENCE_DIR)


def _codes(rural: bool) -> tuple[str, ...]:
    return tuple(sorted(c for c, i in reference().institutions.items() if i.is_rural_credit == rural))[:3]


BANKS = _codes(rural=False)
RURALS = _codes(rural=True)
CITY = reference().city_code
# (column header by name, region code) as a 1a template lists the counties; 市本级 is the city.
COUNTIES = (
    *((name, code) for code, name in sorted(reference().region_names.items()) if code != CITY),
    (CITY_LEVEL_NAME, CITY),
)
REGION_CODES = tuple(sorted(reference().region_names))
