"""Amount cells (numbers, text with thousands separators, blanks, dashes) -> Decimal 元."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ingestion.errors import AmountError

UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
}

# Dashes people type for "nothing": ASCII hyphen, em dash, full-width hyphen-minus.
ZERO_MARKS = frozenset({"", "-", "—", "－", "--", "——"})

# Thousands separators only in proper groups of three, so "12,3a" or "1,23" are not silently read.
# ASCII digits only: the contract names none other, and Decimal would read "١٢٣" or "１２３" as 123.
_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$", re.ASCII)

_CENT = Decimal("0.01")
# DECIMAL(20,2) holds at most 18 integer digits.
_LIMIT = Decimal(10) ** 18


def clean_text(value: str) -> str:
    """Strip ASCII and full-width (U+3000) spaces, and non-breaking spaces, from both ends."""
    return value.strip(" \t\r\n\u3000\u00a0")


def parse_unit(value: object) -> str:
    """Return 元/万元/亿元 for a unit cell, else raise ValueError."""
    text = clean_text(str(value)) if value is not None else ""
    text = text.strip("()（）")
    if text not in UNIT_FACTORS:
        raise ValueError(f"单位 {text!r} 不是 元、万元 或 亿元")
    return text


def to_decimal(value: object, what: str = "金额") -> Decimal:
    """The cell as a Decimal in its own unit; blank and dashes are zero; raise AmountError otherwise.

    `what` names the number in the messages (金额, or 户数 for a count).
    """
    if value is None:
        return Decimal(0)
    # bool is an int subclass; TRUE in an amount cell is a mistake, not 1.
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        raise AmountError(f"{what} {value!r} 不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise AmountError(f"{what} {value!r} 不是有效数字")
        # repr gives the shortest text that round-trips, i.e. what the sender typed (0.1, not
        # 0.1000000000000000055...); no float arithmetic ever touches the amount.
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError(f"{what} {value} 不是有效数字")
        return value
    if isinstance(value, str):
        text = clean_text(value)
        if text in ZERO_MARKS:
            return Decimal(0)
        if not _NUMBER_TEXT.match(text):
            raise AmountError(f'{what} "{text}" 不是数字')
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes this
            raise AmountError(f'{what} "{text}" 不是数字') from exc
    raise AmountError(f"{what} {value!r} 不是数字")


def to_yuan(value: object, unit: str) -> Decimal:
    """Parse an amount, refuse negatives, convert to 元 and round half up to the fen."""
    amount = to_decimal(value)
    if amount < 0:
        raise AmountError(f"金额 {amount} 为负数（余额和处置金额均不得为负）")
    scaled = amount * UNIT_FACTORS[unit]
    # Checked before quantize too, which raises InvalidOperation past 28 digits (1e308, 30 digits).
    if scaled >= _LIMIT:
        raise AmountError(f"金额 {amount} {unit} 超出可存储范围")
    yuan = scaled.quantize(_CENT, rounding=ROUND_HALF_UP)
    if yuan >= _LIMIT:
        raise AmountError(f"金额 {amount} {unit} 超出可存储范围")
    # Decimal("-0") from "-0" would otherwise print as -0.00.
    return yuan + Decimal("0.00")
