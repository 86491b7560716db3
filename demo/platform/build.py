"""The platform simulated from its opening: enterprises, products, requests, then the calibration."""

from __future__ import annotations

from collections.abc import Sequence

from demo.city import HEBI, DemoCity
from demo.platform.base import CALIBRATION_PERIOD, FIRST_PERIOD
from demo.platform.calibration import _calibrate
from demo.platform.enterprises import _build_enterprises
from demo.platform.products import _build_products
from demo.platform.records import PlatformData
from demo.platform.requests import _build_requests
from demo.types import Institution


def build_platform(
    institutions: Sequence[Institution], periods: Sequence[str], city: DemoCity = HEBI
) -> PlatformData:
    """Simulate the platform from opening and export the months of `periods` it was open in.

    The simulation always runs at least to the calibration month, so May 2022's figures do not
    depend on the months asked for; months before the opening have no export. `institutions` is
    the city's register; any city's platform has the same records under its own codes and names.
    """
    horizon = max([*periods, CALIBRATION_PERIOD])
    enterprises = _build_enterprises(horizon, city)
    products = _build_products(institutions, city)
    requests = _build_requests(enterprises, products, horizon)
    _calibrate(requests)
    return PlatformData(
        periods=[p for p in periods if p >= FIRST_PERIOD],
        enterprises=enterprises,
        products=products,
        requests=requests,
    )
