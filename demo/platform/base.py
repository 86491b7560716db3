"""The platform's dates and calibration anchors, its random streams and time helpers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from demo.types import SEED, split_cents
from finstat.periods import add_months, month_range

SOURCE = "platform"
OPENED = dt.datetime(2020, 9, 1, 9, 0)
FIRST_PERIOD = "2020-09"
CALIBRATION_PERIOD = "2022-05"

# Calibration anchors (see the package docstring, demo/platform/__init__.py).
ENTERPRISES_BY_CALIBRATION = 5_400
REQUESTS_BY_CALIBRATION = 4_600
GRANT_TARGET = Decimal("979301.57")  # 万元 = 97.930157 亿元
# Share of grants that are drawn at all; the rest stay 已授信 (credit lines never used).
DRAWN_SHARE = 0.51

# Products change on days 5.._LAST_PRODUCT_DAY only: never between a month's end and its export.
_LAST_PRODUCT_DAY = 25


def _rng(*key: object) -> random.Random:
    """A generator seeded by purpose and key, so no draw depends on loop order or horizon."""
    return random.Random("|".join(map(str, (SEED, SOURCE, *key))))


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    """One value of (value, weight) pairs."""
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _month_start(period: str) -> dt.datetime:
    """Midnight of the first day of `period`."""
    year, month = map(int, period.split("-"))
    return dt.datetime(year, month, 1)


def month_end(period: str) -> dt.datetime:
    """The last second of `period` (the "end of M" of the indicator definitions)."""
    return _month_start(add_months(period, 1)) - dt.timedelta(seconds=1)


def export_time(period: str) -> dt.datetime:
    """Office hours (08:00-18:00) of the 1st, 2nd or 3rd of the next month, fixed per month."""
    rng = _rng("export", period)
    day = _month_start(add_months(period, 1)) + dt.timedelta(days=rng.randrange(3), hours=8)
    return day + dt.timedelta(seconds=rng.randrange(10 * 3600))


def _online_time(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A moment in [start, end) between 07:00 and 23:00: enterprises use the platform after hours too."""
    while True:
        day = start.date() + dt.timedelta(days=rng.randrange((end.date() - start.date()).days + 1))
        moment = dt.datetime.combine(day, dt.time(7)) + dt.timedelta(seconds=rng.randrange(16 * 3600))
        if start <= moment < end:
            return moment


def _bank_time(rng: random.Random, after: dt.datetime, min_days: float, max_days: float) -> dt.datetime:
    """A weekday 08:30-17:30 moment some days after `after`: banks act in office hours."""
    day = (after + dt.timedelta(days=rng.uniform(min_days, max_days))).date()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    moment = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(seconds=rng.randrange(9 * 3600))
    # A same-day answer to a late application comes a little later that evening.
    return moment if moment > after else after + dt.timedelta(minutes=rng.randint(5, 120))


def _product_day(rng: random.Random, period: str) -> dt.datetime:
    """A weekday listing moment on days 5..25, so no listing falls between month end and export."""
    year, month = map(int, period.split("-"))
    while True:
        day = dt.date(year, month, rng.randint(5, _LAST_PRODUCT_DAY))
        if day.weekday() < 5:
            return dt.datetime.combine(day, dt.time(9)) + dt.timedelta(seconds=rng.randrange(8 * 3600))


def _monthly_counts(
    kind: str, total: int, launch_weight: float, growth: float, horizon: str
) -> dict[str, int]:
    """Records per month: `total` split up to the calibration month, the same pace continued after."""

    def weight(period: str) -> Decimal:
        t = len(month_range(FIRST_PERIOD, period)) - 1
        base = launch_weight if t == 0 else 1 + growth * t
        return Decimal(str(base)) * Decimal(str(_rng(kind, "month", period).uniform(0.88, 1.12)))

    calibrated = month_range(FIRST_PERIOD, CALIBRATION_PERIOD)
    weights = [weight(p) for p in calibrated]
    counts = dict(zip(calibrated, split_cents(total, weights), strict=True))
    unit = Decimal(total) / sum(weights, Decimal(0))
    for period in month_range(add_months(CALIBRATION_PERIOD, 1), horizon):
        counts[period] = int(unit * weight(period))
    return counts
