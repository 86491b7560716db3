"""A small published/ folder written by the real publication code: May 2022 with the report's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finstat.publication.publish import publish_period
from finstat.reference import read_regions
from finstat.settings import SHIPPED_REFERENCE_DIR
from reports.briefing.catalogue import known_indicators

# The report's May 2022 figures (spec/indicators.md); L05 and L06 withheld for a missing base month.
MAY = {
    "L01": "785.03", "L03": "58.00", "L04": "7.15", "L07": "444.86", "L09": "116.27",
    "L10": "16.29", "L11": "2.08", "L12": "-3.10", "L13": "-0.55", "L14": "1",
    "P01": "5308", "P02": "12", "P03": "92", "P04": "97.93", "P05": "41.81", "P06": "2079",
    "V01": "1309", "V02": "2375.99", "V03": "14.28", "V04": "8745.87", "V05": "2531", "V06": "4.05",
    "V07": "5278.00", "V08": "3927", "V09": "42.04",
    "H01": "265", "H02": "10.53", "H03": "822", "H04": "823.46", "H05": "219", "H06": "4.79",
    "R01": "146.01", "R02": "8.19", "R03": "5.61", "R04": "46.22", "R05": "-7.32", "R06": "1", "R07": "17.31",
}  # fmt: skip
COUNTY_L01 = {"410621": "158.13", "410622": "117.80"}
WITHHELD = [
    {"period": "2022-05", "indicator_code": code, "missing_period": "2021-05"} for code in ("L05", "L06")
]


def _rows(values: dict[str, str], regions) -> list[dict]:
    indicators = known_indicators()
    city = regions.city
    rows = [
        {
            "indicator_code": code,
            "indicator_name": indicators[code].name,
            "region_code": city.code,
            "region_name": city.name,
            "unit": indicators[code].unit,
            "value": Decimal(value),
        }
        for code, value in values.items()
    ]
    for county, value in COUNTY_L01.items():
        rows.append(
            {**rows[0], "region_code": county, "region_name": regions.names[county], "value": Decimal(value)}
        )
    return rows


@pytest.fixture
def regions():
    return read_regions(SHIPPED_REFERENCE_DIR)


@pytest.fixture
def published(tmp_path, regions):
    """published/ with April (a trend point) and May 2022, version 1 each; an acknowledged rule 22 in May."""
    folder = tmp_path / "published"
    april = {**MAY, "L01": "780.00"}
    publish_period(folder, "2022-04", _rows(april, regions))
    ack = [{"rule": 22, "reason": "票据融资入账月份不同", "acknowledged_by": "officer"}]
    publish_period(
        folder, "2022-05", _rows(MAY, regions), acknowledgements=ack, missing_base_periods=WITHHELD
    )
    return folder
