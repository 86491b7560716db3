"""Requests: applications for listed products and each one's life cycle up to 已放款."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from decimal import Decimal

from demo.platform.base import (
    DRAWN_SHARE,
    OPENED,
    REQUESTS_BY_CALIBRATION,
    _bank_time,
    _month_start,
    _monthly_counts,
    _online_time,
    _rng,
)
from demo.platform.records import _EnterpriseLife, _ProductLife, _RequestLife
from finstat.periods import add_months

# An application asks for this share of the product's limit (before the calibration factor), by
# 企业规模; small firms prefer 信用 / 保证 products, larger ones 抵押 / 质押 (weights below).
_SIZE_SHARE = {"微型": (0.1, 0.6), "小型": (0.2, 0.8), "中型": (0.3, 1.0), "大型": (0.5, 1.0)}
_SIZE_GUARANTEE_WEIGHT = {
    "微型": {"信用": 3, "保证": 3, "抵押": 1, "质押": 1},
    "小型": {"信用": 2, "保证": 2, "抵押": 1, "质押": 1},
    "中型": {"信用": 1, "保证": 1, "抵押": 2, "质押": 2},
    "大型": {"信用": 1, "保证": 1, "抵押": 3, "质押": 3},
}


def _lifecycle(rng: random.Random, applied: dt.datetime) -> dict:
    """Event times and outcome of a request: accepted?, rejected / withdrawn?, granted, drawn."""
    life: dict = {"accepted_at": None, "closed_at": None, "outcome": None, "granted_at": None}
    life.update(disbursed_at=None, grant_ratio=Decimal(1), disbursed_ratio=Decimal(1))
    u = rng.random()
    if u < 0.05:
        life.update(closed_at=applied + dt.timedelta(hours=rng.uniform(2, 240)), outcome="已撤回")
        return life
    if u < 0.11:
        # 不予受理: the bank turns the request down before accepting it.
        life.update(closed_at=_bank_time(rng, applied, 0.2, 5), outcome="已拒绝")
        return life
    accepted = life["accepted_at"] = _bank_time(rng, applied, 0.1, 4)
    if u < 0.25:
        life.update(closed_at=_bank_time(rng, accepted, 3, 25), outcome="已拒绝")
        return life
    if u < 0.28:
        life.update(closed_at=accepted + dt.timedelta(hours=rng.uniform(24, 480)), outcome="已撤回")
        return life
    granted = life["granted_at"] = _bank_time(rng, accepted, 2, 30)
    if rng.random() >= 0.45:
        life["grant_ratio"] = Decimal(str(round(rng.uniform(0.5, 0.95), 3)))
    if rng.random() < DRAWN_SHARE:
        life["disbursed_at"] = _bank_time(rng, granted, 0, 40)
        if rng.random() >= 0.65:
            life["disbursed_ratio"] = Decimal(str(round(rng.uniform(0.3, 0.9), 3)))
    return life


def _build_requests(
    enterprises: list[_EnterpriseLife], products: list[_ProductLife], horizon: str
) -> list[_RequestLife]:
    """Applications month by month: an enterprise 正常 at that time applies for a product then listed."""
    counts = _monthly_counts("requests", REQUESTS_BY_CALIBRATION, 0.4, 0.10, add_months(horizon, 1))
    registered = [e.registered_at for e in enterprises]
    catalogue = _Catalogue(products)
    out: list[_RequestLife] = []
    for period, count in counts.items():
        # The first applications come after the launch week's registrations.
        start = max(_month_start(period), OPENED + dt.timedelta(days=6))
        month_rng = _rng("request-times", period)
        times = sorted(
            _online_time(month_rng, start, _month_start(add_months(period, 1))) for _ in range(count)
        )
        for applied in times:
            seq = len(out) + 1
            rng = _rng("request", seq)
            enterprise = _applicant(rng, enterprises, registered, applied)
            product = _product_for(rng, enterprise.size, catalogue.listed(applied))
            raw = product.limit * Decimal(str(round(rng.uniform(*_SIZE_SHARE[enterprise.size]), 4)))
            out.append(
                _RequestLife(
                    request_id=f"XQ{seq:08d}",
                    enterprise_id=enterprise.enterprise_id,
                    product_id=product.product_id,
                    inst_code=product.inst_code,
                    limit=product.limit,
                    raw_amount=raw,
                    applied_at=applied,
                    **_lifecycle(rng, applied),
                )
            )
    return out


class _Catalogue:
    """The products listed at a moment, recomputed only when a listing or delisting has happened."""

    def __init__(self, products: list[_ProductLife]) -> None:
        self.products = products
        self.changes = sorted(
            {p.listed_at for p in products} | {p.delisted_at for p in products if p.delisted_at}
        )
        self.cache: dict[int, list[_ProductLife]] = {}

    def listed(self, at: dt.datetime) -> list[_ProductLife]:
        """Products that can be applied for at `at`."""
        index = bisect.bisect_right(self.changes, at)
        if index not in self.cache:
            self.cache[index] = [p for p in self.products if p.listed(at)]
        return self.cache[index]


def _product_for(rng: random.Random, size: str, listed: list[_ProductLife]) -> _ProductLife:
    """A listed product, chosen with the preference of the enterprise's size."""
    weights = _SIZE_GUARANTEE_WEIGHT[size]
    return rng.choices(listed, weights=[weights[p.guarantee] for p in listed])[0]


def _applicant(
    rng: random.Random, enterprises: list[_EnterpriseLife], registered: list[dt.datetime], at: dt.datetime
) -> _EnterpriseLife:
    """A random enterprise registered before `at` and not cancelled by then."""
    available = bisect.bisect_left(registered, at)
    while True:
        enterprise = enterprises[rng.randrange(available)]
        if enterprise.cancelled_at is None or enterprise.cancelled_at > at:
            return enterprise
