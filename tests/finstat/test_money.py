"""Tests for publication rounding."""

import csv
from decimal import Decimal

import pytest

from finstat.money import COUNT_UNITS, round_for_publication
from finstat.settings import DBT_PROJECT_DIR


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("785.0300000000", "亿元", "785.0300"),
        ("7.1499892", "%", "7.1500"),
        ("13.835", "%", "13.8400"),  # half up, as the bureau rounds
        ("5012", "家", "5012.0000"),
        ("91.5", "支", "92.0000"),
        ("160.5", "户次", "161.0000"),
        ("-26.155", "亿元", "-26.1600"),
    ],
)
def test_round_for_publication(value, unit, expected):
    assert round_for_publication(Decimal(value), unit) == Decimal(expected)
    assert str(round_for_publication(Decimal(value), unit)) == expected


def test_float_is_refused():
    with pytest.raises(TypeError):
        round_for_publication(785.03, "亿元")


def test_every_catalogue_unit_has_its_places():
    """A unit of the indicator catalogue is a count (integer) or an amount/rate (2 decimals), never unknown."""
    with (DBT_PROJECT_DIR / "seeds" / "indicators.csv").open(encoding="utf-8") as f:
        units = {row["unit"] for row in csv.DictReader(f)}
    assert units - COUNT_UNITS == {"亿元", "万元", "%", "百分点"}
    assert {"次", "批", "户次", "份"} <= units  # the ledgers' counts (M01, M04, S04, G01)
