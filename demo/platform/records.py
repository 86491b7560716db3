"""The platform's records: typed rows of a month's files and the life of each record behind them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from demo.platform.base import export_time


# ---------------------------------------------------------------------------------------------
# Typed rows: one record as written into a month's file (amounts in 万元, None / empty when absent)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Enterprise:
    """One row of 入驻企业_<YYYYMM>.csv."""

    enterprise_id: str
    uscc: str
    name: str
    county_code: str
    industry_code: str
    size: str
    registered_at: dt.datetime
    status: str


@dataclass(frozen=True, slots=True)
class Product:
    """One row of 金融产品_<YYYYMM>.csv (delisted_at None while listed)."""

    product_id: str
    name: str
    inst_code: str
    guarantee: str
    limit: Decimal
    listed_at: dt.datetime
    delisted_at: dt.datetime | None
    status: str


@dataclass(frozen=True, slots=True)
class Request:
    """One row of 融资需求_<YYYYMM>.csv (grant and drawing None until they happen)."""

    request_id: str
    enterprise_id: str
    product_id: str
    inst_code: str
    amount_applied: Decimal
    applied_at: dt.datetime
    status: str
    amount_granted: Decimal | None
    granted_at: dt.datetime | None
    amount_disbursed: Decimal | None
    disbursed_at: dt.datetime | None


@dataclass(frozen=True)
class PlatformSnapshot:
    """One month's export: every record since opening, in its state at the export time."""

    period: str
    export_time: dt.datetime
    enterprises: list[Enterprise]
    products: list[Product]
    requests: list[Request]


# ---------------------------------------------------------------------------------------------
# Life of a record: fixed attributes plus the times of its events (the truth behind every snapshot)
# ---------------------------------------------------------------------------------------------
@dataclass(eq=False, slots=True)
class _EnterpriseLife:
    """An enterprise and when it registered and (perhaps) was cancelled."""

    enterprise_id: str
    uscc: str
    name: str
    county_code: str
    industry_code: str
    size: str
    registered_at: dt.datetime
    cancelled_at: dt.datetime | None

    def row(self, at: dt.datetime) -> Enterprise:
        """The record as exported at `at`."""
        cancelled = self.cancelled_at is not None and self.cancelled_at <= at
        return Enterprise(
            self.enterprise_id,
            self.uscc,
            self.name,
            self.county_code,
            self.industry_code,
            self.size,
            self.registered_at,
            "注销" if cancelled else "正常",
        )


@dataclass(eq=False, slots=True)
class _ProductLife:
    """A product and when it was listed and (perhaps) delisted."""

    product_id: str
    name: str
    inst_code: str
    guarantee: str
    limit: Decimal
    listed_at: dt.datetime
    delisted_at: dt.datetime | None

    def listed(self, at: dt.datetime) -> bool:
        """True when the product can be applied for at `at`."""
        return self.listed_at <= at and (self.delisted_at is None or self.delisted_at > at)

    def row(self, at: dt.datetime) -> Product:
        """The record as exported at `at`."""
        delisted = self.delisted_at if self.delisted_at is not None and self.delisted_at <= at else None
        return Product(
            self.product_id,
            self.name,
            self.inst_code,
            self.guarantee,
            self.limit,
            self.listed_at,
            delisted,
            "下架" if delisted else "上架",
        )


@dataclass(eq=False, slots=True)
class _RequestLife:
    """A request's fixed terms, event times and amounts (raw amount before the calibration factor)."""

    request_id: str
    enterprise_id: str
    product_id: str
    inst_code: str
    limit: Decimal
    raw_amount: Decimal
    applied_at: dt.datetime
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None  # 已拒绝 / 已撤回, only before a grant
    outcome: str | None
    granted_at: dt.datetime | None
    grant_ratio: Decimal
    disbursed_at: dt.datetime | None
    disbursed_ratio: Decimal  # 1 = the whole grant is drawn
    amount_applied: Decimal = Decimal(0)
    amount_granted: Decimal | None = None
    amount_disbursed: Decimal | None = None

    def status(self, at: dt.datetime) -> str:
        """The status at `at` (events are ordered, so the latest one that happened wins)."""
        if self.disbursed_at is not None and self.disbursed_at <= at:
            return "已放款"
        if self.granted_at is not None and self.granted_at <= at:
            return "已授信"
        if self.closed_at is not None and self.closed_at <= at:
            return self.outcome
        if self.accepted_at is not None and self.accepted_at <= at:
            return "已受理"
        return "待受理"

    def row(self, at: dt.datetime) -> Request:
        """The record as exported at `at`."""
        granted = self.granted_at is not None and self.granted_at <= at
        drawn = self.disbursed_at is not None and self.disbursed_at <= at
        return Request(
            self.request_id,
            self.enterprise_id,
            self.product_id,
            self.inst_code,
            self.amount_applied,
            self.applied_at,
            self.status(at),
            self.amount_granted if granted else None,
            self.granted_at if granted else None,
            self.amount_disbursed if drawn else None,
            self.disbursed_at if drawn else None,
        )


@dataclass(eq=False, repr=False)
class PlatformData:
    """The simulated platform and the months whose snapshots are exported."""

    periods: list[str]
    enterprises: list[_EnterpriseLife]
    products: list[_ProductLife]
    requests: list[_RequestLife]
    # Snapshots are built on first use: the tests and the writer ask for the same months again.
    _cache: dict[str, PlatformSnapshot] = field(default_factory=dict, init=False)

    def __repr__(self) -> str:
        span = f"{self.periods[0]}..{self.periods[-1]}" if self.periods else "no months"
        return (
            f"PlatformData({span}, {len(self.enterprises)} enterprises, {len(self.products)} products, "
            f"{len(self.requests)} requests)"
        )

    def export_time(self, period: str) -> dt.datetime:
        """When the operator exported the snapshot of `period`."""
        return export_time(period)

    def snapshot(self, period: str) -> PlatformSnapshot:
        """Every record registered, listed or applied for by the export time, in its state then."""
        if period not in self._cache:
            at = export_time(period)
            self._cache[period] = PlatformSnapshot(
                period=period,
                export_time=at,
                enterprises=[e.row(at) for e in self.enterprises if e.registered_at <= at],
                products=[p.row(at) for p in self.products if p.listed_at <= at],
                requests=[r.row(at) for r in self.requests if r.applied_at <= at],
            )
        return self._cache[period]

    def restrict(self, periods: Sequence[str]) -> PlatformData:
        """The same platform exported for fewer months (the records are shared, not copied)."""
        wanted = set(periods)
        return PlatformData(
            periods=[p for p in self.periods if p in wanted],
            enterprises=self.enterprises,
            products=self.products,
            requests=self.requests,
        )
