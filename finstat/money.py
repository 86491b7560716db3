"""Decimal rounding at publication: 亿元/万元/% to 2 decimals, counts to integers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

COUNT_UNITS = frozenset({"家", "支", "户", "1/0", "个", "笔", "次", "批", "户次", "份"})
_QUANT = {0: Decimal("1"), 2: Decimal("0.01")}


def publication_places(unit: str) -> int:
    """Decimal places a published value of this unit carries."""
    return 0 if unit in COUNT_UNITS else 2


def round_for_publication(value: Decimal, unit: str) -> Decimal:
    """Round half up (the convention of the bureau's reports) and widen to 4 places for DECIMAL(20,4)."""
    if not isinstance(value, Decimal):
        raise TypeError(f"published values must be Decimal, got {type(value).__name__}")
    rounded = value.quantize(_QUANT[publication_places(unit)], rounding=ROUND_HALF_UP)
    return rounded.quantize(Decimal("0.0001"))
