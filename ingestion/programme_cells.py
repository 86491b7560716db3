"""What a parsed bank_programmes report hands to the lake: one ProgrammeCell per reported 户数 or 金额."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from finstat.items import COUNT_QUANTITY, PROGRAMME_ITEMS, PROGRAMME_QUANTITIES
from ingestion.errors import AmountError
from ingestion.numbers import to_decimal

_CENT = Decimal("0.01")
# The lake's DECIMAL(20,2) holds at most 18 integer digits.
_LIMIT = Decimal(10) ** 18
# 计量 as the template writes it: 户数 or 金额, optionally with its unit in full- or half-width brackets.
_QUANTITY = re.compile(r"^(户数|金额)(?:[（(](.+)[）)])?$")


@dataclass(frozen=True)
class ProgrammeCell:
    """One reported 户数 (as reported) or 金额 (in 元), with where it was read from."""

    county_code: str
    item_code: str
    quantity: str  # 户数 or 金额
    value: Decimal
    unit: str | None  # the report's 单位 for 金额; for 户数 the unit the file gives, if any
    sheet: str | None
    row_number: int
    column_ref: str


def split_quantity(text: str) -> tuple[str, str | None] | None:
    """(户数 or 金额, bracketed unit or None) of a 计量 cell without spaces; None when it is neither."""
    match = _QUANTITY.match(text)
    if match is None:
        return None
    return match[1], match[2]


def to_count(value: object) -> Decimal:
    """A 户数 cell, never scaled: non-negative, at most two decimals; raise AmountError otherwise.

    A count with a fraction is stored as given (gate rule 24 reports it); more than two decimals would
    not fit the lake's DECIMAL(20,2) without rounding what the sender wrote, so it is refused.
    """
    count = to_decimal(value, COUNT_QUANTITY)
    if count < 0:
        raise AmountError(f"户数 {count} 为负数")
    if abs(count) >= _LIMIT:
        raise AmountError(f"户数 {count} 超出可存储范围")
    if count != count.quantize(_CENT):
        raise AmountError(f"户数 {count} 的小数超过两位")
    # Decimal("-0") from "-0" would otherwise print as -0.00.
    return count.quantize(_CENT) + Decimal("0.00")


def missing_items(present: set[tuple[str, str]]) -> list[str]:
    """'F01 户数'-style names of the (item, 计量) pairs of the catalogue the report lacks, in catalogue order."""
    return [
        f"{item} {quantity}"
        for item in PROGRAMME_ITEMS
        for quantity in PROGRAMME_QUANTITIES
        if (item, quantity) not in present
    ]
