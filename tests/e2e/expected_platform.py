"""P01-P06 computed straight from the demo generator's snapshot records (not the pipeline)."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from demo.city import HEBI, DemoCity


def end_of_month(period: str) -> dt.datetime:
    year, month = int(period[:4]), int(period[5:])
    return dt.datetime(year, month, calendar.monthrange(year, month)[1], 23, 59, 59)


def _yi(wan: Decimal) -> Decimal:
    """万元 -> 亿元 rounded half up to 2 places, widened to the published 4."""
    return (wan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).quantize(Decimal("0.0001"))


def _count(n: int) -> Decimal:
    return Decimal(n).quantize(Decimal("0.0001"))


def expected_platform_figures(snapshot, city: DemoCity = HEBI) -> dict[tuple[str, str], Decimal]:
    """(indicator, region) -> published value for one month's snapshot of a city (P01 by county too)."""
    end = end_of_month(snapshot.period)
    registered = [e for e in snapshot.enterprises if e.status == "正常" and e.registered_at <= end]
    listed = [
        p
        for p in snapshot.products
        if p.listed_at <= end and (p.delisted_at > end if p.delisted_at else p.status == "上架")
    ]
    granted = [r for r in snapshot.requests if r.granted_at is not None and r.granted_at <= end]
    disbursed = [r for r in snapshot.requests if r.disbursed_at is not None and r.disbursed_at <= end]
    figures = {("P01", city.code): _count(len(registered))}
    for county in city.county_codes:
        figures[("P01", county)] = _count(sum(1 for e in registered if e.county_code == county))
    figures[("P02", city.code)] = _count(len({p.inst_code for p in listed}))
    figures[("P03", city.code)] = _count(len(listed))
    figures[("P04", city.code)] = _yi(sum((r.amount_granted for r in granted), Decimal(0)))
    figures[("P05", city.code)] = _yi(sum((r.amount_disbursed for r in disbursed), Decimal(0)))
    figures[("P06", city.code)] = _count(len({r.enterprise_id for r in granted}))
    return figures
