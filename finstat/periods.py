"""Report months as `YYYY-MM` text: parsing, arithmetic and ranges."""

from __future__ import annotations

import re

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_period(period: str) -> str:
    """Return period unchanged if it is a valid `YYYY-MM`, else raise ValueError."""
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise ValueError(f"not a month in YYYY-MM form: {period!r}")
    return period


def add_months(period: str, months: int) -> str:
    """Shift a `YYYY-MM` period by a number of months (negative goes back)."""
    year, month = map(int, check_period(period).split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_december(period: str) -> str:
    """The December before the period's year (the base of 较年初 figures)."""
    return f"{int(check_period(period)[:4]) - 1:04d}-12"


def month_range(first: str, last: str) -> list[str]:
    """Every period from first to last inclusive, in order."""
    if check_period(first) > check_period(last):
        raise ValueError(f"{first} is after {last}")
    out, cur = [], first
    while cur <= last:
        out.append(cur)
        cur = add_months(cur, 1)
    return out
