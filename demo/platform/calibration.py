"""Amounts and the P04 calibration: one factor for every amount, then the remainder on the last grants."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from demo.platform.base import CALIBRATION_PERIOD, GRANT_TARGET, month_end
from demo.platform.records import _RequestLife


def _nice(value: Decimal) -> Decimal:
    """Round like a loan officer: 10 万 steps from 100 万, 5 万 from 20 万, else 0.5 万 (at least 1 万)."""
    step = Decimal(10) if value >= 100 else Decimal(5) if value >= 20 else Decimal("0.5")
    return max(Decimal(1), (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step)


def _set_amounts(requests: list[_RequestLife], factor: Decimal) -> None:
    """Applied, granted and drawn amounts from the raw amounts scaled by `factor`."""
    for r in requests:
        r.amount_applied = min(_nice(r.raw_amount * factor), r.limit)
        granted = r.amount_applied
        if r.grant_ratio != 1:
            granted = min(_nice(r.amount_applied * r.grant_ratio), r.amount_applied)
        r.amount_granted = granted if r.granted_at else None
        drawn = granted if r.disbursed_ratio == 1 else min(_nice(granted * r.disbursed_ratio), granted)
        r.amount_disbursed = drawn if r.disbursed_at else None


def _granted_by(requests: list[_RequestLife], cutoff: dt.datetime) -> Decimal:
    """P04 in 万元: grants made up to `cutoff`."""
    return sum((r.amount_granted for r in requests if r.granted_at and r.granted_at <= cutoff), Decimal(0))


def _solve_factor(requests: list[_RequestLife], cutoff: dt.datetime) -> Decimal:
    """The amount factor whose grants up to `cutoff` come within 300 万元 of GRANT_TARGET (amounts left set).

    Grants rise with the factor but flatten where applications reach the product limits, so plain
    proportional steps crawl; interpolation inside a bracket, alternating with halving, does not.
    """
    low: tuple[Decimal, Decimal] | None = None
    high: tuple[Decimal, Decimal] | None = None
    factor = Decimal(1)
    for step in range(40):
        _set_amounts(requests, factor)
        total = _granted_by(requests, cutoff)
        if abs(GRANT_TARGET - total) < 300:
            return factor
        if total < GRANT_TARGET:
            low = (factor, total)
        else:
            high = (factor, total)
        if low is None or high is None:
            factor = factor * GRANT_TARGET / total
        elif step % 2:
            factor = (low[0] + high[0]) / 2
        else:
            factor = low[0] + (GRANT_TARGET - low[1]) * (high[0] - low[0]) / (high[1] - low[1])
    raise AssertionError("the P04 calibration factor did not converge")


def _calibrate(requests: list[_RequestLife]) -> None:
    """Scale every amount so P04 of May 2022 nears GRANT_TARGET, then settle the rest on the last grants."""
    cutoff = month_end(CALIBRATION_PERIOD)
    _solve_factor(requests, cutoff)
    remainder = GRANT_TARGET - _granted_by(requests, cutoff)
    latest = sorted(
        (r for r in requests if r.granted_at and r.granted_at <= cutoff),
        key=lambda r: r.granted_at,
        reverse=True,
    )
    for r in latest:
        if remainder == 0:
            break
        # A grant stays within the application and above what has been drawn on it.
        floor = max(r.amount_disbursed or Decimal(0), Decimal(1))
        change = max(floor - r.amount_granted, min(r.amount_applied - r.amount_granted, remainder))
        r.amount_granted += change
        remainder -= change
    if remainder:
        raise AssertionError(f"could not settle {remainder} 万元 of the P04 calibration")
