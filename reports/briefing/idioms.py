"""The bureau's number idioms as template filters (58亿元, 5000多家, 40余亿元, 近40亿元, 5月末), on Decimal only."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from finstat.periods import check_period

# What a filter shows for a figure that is withheld or not published: never a number from elsewhere.
NO_DATA = "暂无数据"
# 近: the value is within this share of the next multiple of the step (39.66 -> 近40 at step 10).
NEAR_SHARE = Decimal("0.05")


class NoData:
    """Marker base of a figure without a published value (the filters show 暂无数据 for it)."""


def _decimal(value: object, what: str) -> Decimal:
    """The published value itself; a float (or anything else) is refused rather than converted."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} needs a published Decimal value, got {type(value).__name__}")
    return Decimal(value)


def _step(step: object) -> Decimal:
    """A template's step (an int, or a decimal literal such as 0.5 written in the template)."""
    if isinstance(step, bool) or not isinstance(step, int | float | Decimal | str):
        raise TypeError(f"a step must be a number, got {type(step).__name__}")
    # A float written in a template (0.5) is taken as the decimal it was written as, not its binary value.
    value = Decimal(str(step)) if isinstance(step, float) else Decimal(step)
    if value <= 0:
        raise ValueError(f"a step must be positive, got {step}")
    return value


def plain(value: Decimal) -> str:
    """A Decimal without trailing zeros and never in exponent form (5300, not 5.3E+3; 0, not -0)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def num(value: object) -> str:
    """The published value with its trailing zeros dropped: 58.00 -> 58, 97.90 -> 97.9."""
    if isinstance(value, NoData):
        return NO_DATA
    return plain(_decimal(value, "num"))


def _floored(value: object, step: object, suffix: str, name: str) -> str:
    if isinstance(value, NoData):
        return NO_DATA
    number, unit = _decimal(value, name), _step(step)
    size = abs(number)
    floor = (size / unit).to_integral_value(rounding=ROUND_FLOOR) * unit
    # A multiple of the step is exact and a value below the step has nothing to floor to: both as num.
    if floor == size or floor == 0:
        return num(number)
    return f"{'-' if number < 0 else ''}{plain(floor)}{suffix}"


def duo(value: object, step: object) -> str:
    """多: floored to a multiple of step, then 多 (5308 -> 5000多 at step 1000); num when exact or below step."""
    return _floored(value, step, "多", "多")


def yu(value: object, step: object) -> str:
    """余: floored to a multiple of step, then 余 (41.81 -> 40余 at step 10); num when exact or below step."""
    return _floored(value, step, "余", "余")


def jin(value: object, step: object) -> str:
    """近: 近 and the next multiple of step when the value is below it by less than 5% of it; else num."""
    if isinstance(value, NoData):
        return NO_DATA
    number, unit = _decimal(value, "近"), _step(step)
    size = abs(number)
    ceiling = (size / unit).to_integral_value(rounding=ROUND_CEILING) * unit
    if ceiling == size or ceiling - size >= ceiling * NEAR_SHARE:
        return num(number)
    return f"{'-' if number < 0 else ''}近{plain(ceiling)}"


def month_end(period: object) -> str:
    """月末: the month as the report writes it, 2022-05 -> 5月末."""
    if not isinstance(period, str):
        raise TypeError(f"月末 needs a month YYYY-MM, got {type(period).__name__}")
    return f"{int(check_period(period)[5:])}月末"


FILTERS = {"num": num, "多": duo, "余": yu, "近": jin, "月末": month_end}
