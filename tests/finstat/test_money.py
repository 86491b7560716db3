"""Tests for publication rounding."""

from decimal import Decimal

import pytest

from finstat.money import round_for_publication


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("785.0300000000", "亿元", "785.0300"),
        ("7.1499892", "%", "7.1500"),
        ("13.835", "%", "13.8400"),  # half up, as the bureau rounds
        ("5012", "家", "5012.0000"),
        ("91.5", "支", "92.0000"),
        ("-26.155", "亿元", "-26.1600"),
    ],
)
def test_round_for_publication(value, unit, expected):
    assert round_for_publication(Decimal(value), unit) == Decimal(expected)
    assert str(round_for_publication(Decimal(value), unit)) == expected


def test_float_is_refused():
    with pytest.raises(TypeError):
        round_for_publication(785.03, "亿元")
