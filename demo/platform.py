"""Deterministic 普惠金融共享平台 demo: monthly full snapshots (企业, 产品, 融资需求) calibrated to May 2022.

The platform opens on 2020-09-01 and is simulated record by record: enterprises register (a few
later 注销), banks list and delist products, enterprises apply for products and each request runs
its own life cycle 待受理 -> 已受理 -> 已授信 -> 已放款 (or ends 已拒绝 / 已撤回). The snapshot of month
M is every record as it stands at the export time, a little after month end (office hours of the
1st to 3rd of the next month), so it already holds some events of the next month's first days.

Calibration, with the definitions of spec/indicators.md on the 2022-05 snapshot and end of M =
2022-05-31 23:59:59 (the bureau's "平台已注册企业 5000 多家, 12 家银行机构上线金融产品 92 支, 累计授信
97.93 亿元, 信贷投放 40 余亿元"):
- P01: exactly ENTERPRISES_BY_CALIBRATION enterprises register up to end of May 2022; minus the
  few already 注销 at the export time this leaves about 5,300 (5,001..5,999).
- P02 / P03: the bank table below lists 92 products still 上架 at end of May 2022 from 12 banks;
  a 13th bank (平安银行) listed products earlier and has delisted all of them by then.
  Products are listed and delisted only on days 5..25 of a month (launch day 2020-09-01 aside,
  which precedes every snapshot's window), so a snapshot's 状态 column always agrees with "上架 at
  end of M" (上架时间 <= end of M and 下架时间 empty or later).
- P04: all amounts are scaled by one factor until the grants up to end of May 2022 come close to
  GRANT_TARGET, then the remainder goes to the latest grants, so P04 is exactly GRANT_TARGET 万元
  (97.930157 亿, 97.93 rounded).
- P05: follows from the share of grants drawn and the drawn fractions (about 42 亿); not forced.
Every draw comes from a generator seeded by its purpose and key, and the months up to May 2022
are built the same whatever horizon is asked for, so the calibration holds for any range.
Records never lose a grant or a drawing, so P04..P06 never fall from one month to the next.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from demo.city import HEBI, DemoCity
from demo.generator import SEED, Institution, split_cents
from demo.rural_credit import _org_check
from finstat.identifiers import uscc_check_char
from finstat.periods import add_months, month_range

SOURCE = "platform"
OPENED = dt.datetime(2020, 9, 1, 9, 0)
FIRST_PERIOD = "2020-09"
CALIBRATION_PERIOD = "2022-05"
ENCODING = "utf-8-sig"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

ENTERPRISE_HEADER = (
    "企业ID",
    "统一社会信用代码",
    "企业名称",
    "县区代码",
    "行业代码",
    "企业规模",
    "注册时间",
    "状态",
)
PRODUCT_HEADER = (
    "产品ID",
    "产品名称",
    "机构代码",
    "担保方式",
    "额度上限(万元)",
    "上架时间",
    "下架时间",
    "状态",
)
REQUEST_HEADER = (
    "需求ID",
    "企业ID",
    "产品ID",
    "机构代码",
    "申请金额(万元)",
    "申请时间",
    "状态",
    "授信金额(万元)",
    "授信时间",
    "放款金额(万元)",
    "放款时间",
)

# Calibration anchors (see the module docstring).
ENTERPRISES_BY_CALIBRATION = 5_400
REQUESTS_BY_CALIBRATION = 4_600
GRANT_TARGET = Decimal("979301.57")  # 万元 = 97.930157 亿元
# Share of grants that are drawn at all; the rest stay 已授信 (credit lines never used).
DRAWN_SHARE = 0.51

# Enterprises per county slot (Hebi's codes; demo/city.py gives the city's).
COUNTY_WEIGHTS = (("410611", 36), ("410621", 22), ("410622", 20), ("410603", 12), ("410602", 10))

# Banks on the platform: products still 上架 at end of May 2022, products delisted by then, and
# the month of the first listing. Launch banks list about a third of their products on opening
# day. 平安银行 left the platform: it counts among the banks that ever listed, not in P02. Codes
# are the slots and short names Hebi's: DemoCity relabels both.
_BANK_TABLE = """
code            short          active  delisted  first
B1280H41061121  淇滨农商银行    14      2         2020-09
B1281H41062122  浚县农商银行    11      1         2020-09
D1282H41062223  淇县农信社      10      1         2020-09
B0002H41060003  农业银行        9       2         2020-09
B0018H41060007  邮储银行        9       1         2020-09
B1062H41060016  中原银行        8       2         2020-09
B0001H41060002  工商银行        7       1         2020-09
B0004H41060005  建设银行        7       1         2020-10
B0003H41060004  中国银行        5       1         2020-12
S1301H41062124  浚县中原村镇银行  4       0         2021-01
B1050H41060017  郑州银行        5       0         2021-03
S1304H41060327  山城郑银村镇银行  3       0         2021-09
B0014H41060015  平安银行        0       3         2020-10
"""
# Products change on days 5.._LAST_PRODUCT_DAY only: never between a month's end and its export.
_LAST_PRODUCT_DAY = 25

_GUARANTEES = (("信用", 40), ("保证", 25), ("抵押", 25), ("质押", 10))
_LIMITS = {
    "信用": (50, 100, 200, 300, 500, 800, 1000),
    "保证": (200, 300, 500, 1000, 2000),
    "抵押": (500, 1000, 2000, 3000),
    "质押": (300, 500, 1000, 2000),
}
_PRODUCT_NAMES = {
    "信用": ("税e贷", "信用快贷", "小微易贷", "商户e贷", "科创贷", "政采贷", "普惠快贷", "惠农e贷", "云税贷"),
    "保证": ("助业贷", "创业担保贷", "银担通", "农担贷", "保证快贷", "共富贷"),
    "抵押": ("抵押e贷", "房抵经营贷", "厂房按揭贷", "经营抵押贷", "快捷抵押贷"),
    "质押": ("应收账款质押贷", "仓单质押贷", "专利权质押贷", "存单质押贷", "订单贷"),
}

# Enterprises: kind (USCC type digit), industry and trade words for names.
_KINDS = (("company", 68), ("sole", 24), ("cooperative", 8))
_TYPE_DIGIT = {"company": "1", "sole": "2", "cooperative": "3"}
_COMPANY_TRADES = {
    "A01": ("农业科技", "种植", "生态农业"),
    "A03": ("牧业", "养殖"),
    "C13": ("粮油", "面粉", "饲料"),
    "C14": ("食品", "调味品"),
    "C17": ("纺织", "服饰"),
    "C30": ("建材", "水泥制品"),
    "C33": ("五金制品", "机械制造"),
    "C39": ("电子科技", "光电"),
    "E47": ("建筑工程", "建设工程"),
    "F51": ("商贸", "农资", "贸易"),
    "G54": ("物流", "运输"),
    "I65": ("信息技术", "软件"),
    "L72": ("企业管理咨询", "农业服务"),
}
_COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
_COOPERATIVE_TRADES = {"A01": ("种植", "农业", "果蔬"), "A03": ("养殖", "畜牧")}
_SHOPS = {
    "F52": ("便利店", "超市", "粮油店", "日杂店"),
    "F51": ("批发部", "商行"),
    "H62": ("饭店", "烩面馆", "小吃店"),
    "O80": ("汽车修理部", "理发店", "家电维修部"),
    "A01": ("家庭农场", "果园"),
}
# Place names (company-name prefixes, a shop's county) are the city's: DemoCounty.platform_places, .name.
_BRAND_FIRST = "宏鑫丰瑞恒佳禾永金华盛兴昌润泰德信源达安嘉隆旺福广"
_BRAND_SECOND = "达源丰泰盛昌隆发信旺通远康和顺利辉祥鼎诚"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
# An application asks for this share of the product's limit (before the calibration factor), by
# 企业规模; small firms prefer 信用 / 保证 products, larger ones 抵押 / 质押 (weights below).
_SIZE_SHARE = {"微型": (0.1, 0.6), "小型": (0.2, 0.8), "中型": (0.3, 1.0), "大型": (0.5, 1.0)}
_SIZE_GUARANTEE_WEIGHT = {
    "微型": {"信用": 3, "保证": 3, "抵押": 1, "质押": 1},
    "小型": {"信用": 2, "保证": 2, "抵押": 1, "质押": 1},
    "中型": {"信用": 1, "保证": 1, "抵押": 2, "质押": 2},
    "大型": {"信用": 1, "保证": 1, "抵押": 3, "质押": 3},
}
_COMPANY_SIZES = (("微型", 40), ("小型", 42), ("中型", 14), ("大型", 4))


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


# ---------------------------------------------------------------------------------------------
# Deterministic randomness and time helpers
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# Enterprises
# ---------------------------------------------------------------------------------------------
class _Names:
    """Unique enterprise names and USCCs across the platform, in the city's places (counties as slots)."""

    def __init__(self, city: DemoCity) -> None:
        self.city = city
        self.names: set[str] = set()
        self.codes: set[str] = set()

    def uscc(self, rng: random.Random, kind: str, county: str) -> str:
        """A valid 统一社会信用代码: 9, type digit, county, 组织机构代码 with its check, check char.

        The type digit is GB 32100's: 1 enterprise, 2 个体工商户, 3 农民专业合作社 (as in rural_credit).
        """
        while True:
            digits = f"{rng.randrange(10**8):08d}"
            body = f"9{_TYPE_DIGIT[kind]}{self.city.region(county)}{digits}{_org_check(digits)}"
            code = body + uscc_check_char(body)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(self, rng: random.Random, kind: str, county: str, industry: str) -> str:
        """A synthetic name in the local style (鹤壁市宏达商贸有限公司, 浚县李记烩面馆)."""
        place = self.city.county(county)
        while True:
            first = rng.choice(_BRAND_FIRST)
            brand = first + rng.choice(_BRAND_SECOND.replace(first, ""))
            if kind == "company":
                trade = rng.choice(_COMPANY_TRADES[industry])
                text = f"{rng.choice(place.platform_places)}{brand}{trade}{rng.choice(_COMPANY_SUFFIXES)}"
            elif kind == "cooperative":
                trade = rng.choice(_COOPERATIVE_TRADES[industry])
                text = f"{place.name}{brand}{trade}专业合作社"
            else:
                owner = f"{rng.choice(_SURNAMES)}记" if rng.random() < 0.3 else brand
                text = f"{place.name}{owner}{rng.choice(_SHOPS[industry])}"
            if text not in self.names:
                self.names.add(text)
                return text


def _enterprise(seq: int, registered_at: dt.datetime, names: _Names) -> _EnterpriseLife:
    """The seq-th enterprise to register (its attributes depend on seq only)."""
    rng = _rng("enterprise", seq)
    kind = _pick(rng, _KINDS)
    county = _pick(rng, COUNTY_WEIGHTS)
    if kind == "company":
        industry, size = rng.choice(tuple(_COMPANY_TRADES)), _pick(rng, _COMPANY_SIZES)
    elif kind == "cooperative":
        industry, size = rng.choice(tuple(_COOPERATIVE_TRADES)), rng.choice(("微型", "小型"))
    else:
        industry, size = rng.choice(tuple(_SHOPS)), "微型"
    cancelled_at = None
    if rng.random() < 0.045:
        # A few close down or merge later; their records stay with 状态 注销.
        cancelled_at = _bank_time(rng, registered_at, 30, 720)
    return _EnterpriseLife(
        enterprise_id=f"QY{seq:06d}",
        uscc=names.uscc(rng, kind, county),
        name=names.name(rng, kind, county, industry),
        county_code=names.city.region(county),
        industry_code=industry,
        size=size,
        registered_at=registered_at,
        cancelled_at=cancelled_at,
    )


def _build_enterprises(horizon: str, city: DemoCity) -> list[_EnterpriseLife]:
    """Every enterprise registering from opening to the end of the month after `horizon`."""
    counts = _monthly_counts("enterprises", ENTERPRISES_BY_CALIBRATION, 3.0, 0.07, add_months(horizon, 1))
    names, out = _Names(city), []
    for period, count in counts.items():
        rng = _rng("enterprise-times", period)
        start = max(_month_start(period), OPENED)
        times = sorted(_online_time(rng, start, _month_start(add_months(period, 1))) for _ in range(count))
        out += [_enterprise(len(out) + i + 1, at, names) for i, at in enumerate(times)]
    return out


# ---------------------------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Bank:
    """One line of the bank table."""

    code: str
    short: str
    active: int
    delisted: int
    first: str


def _register(institutions: Sequence[Institution], city: DemoCity) -> dict[str, Institution]:
    """The city's register by slot code, the bank table's key."""
    return {city.slot_inst(inst.code): inst for inst in institutions}


def _banks(institutions: Sequence[Institution], city: DemoCity) -> list[_Bank]:
    """The bank table, checked against the register (banks only, in scope from their first listing).

    Codes stay slots (they key the random streams and the listing order); names are the city's.
    """
    register = _register(institutions, city)
    banks = []
    for line in _BANK_TABLE.strip().splitlines()[1:]:
        code, short, active, delisted, first = line.split()
        inst = register.get(code)
        if inst is None or inst.inst_type == "其他":
            raise ValueError(f"platform bank {code} is not a bank of the register")
        if not (inst.in_scope(first) and inst.in_scope(CALIBRATION_PERIOD)):
            raise ValueError(f"platform bank {code} is not in scope from {first} to {CALIBRATION_PERIOD}")
        banks.append(_Bank(code, city.inst_name(short), int(active), int(delisted), first))
    return banks


def _product_times(bank: _Bank, index: int) -> tuple[dt.datetime, dt.datetime | None]:
    """(listed, delisted) of a bank's index-th product; the first `active` ones stay listed."""
    rng = _rng("product", bank.code, index)
    stays = index < bank.active
    at_launch = bank.first == FIRST_PERIOD and index % 3 == 0 and (stays or bank.active == 0)
    if at_launch:
        listed = OPENED + dt.timedelta(seconds=rng.randrange(2 * 3600))
    else:
        # Products that go again were listed early enough to stay a few months; the bank that left
        # the platform tried it in its first half year only.
        last = CALIBRATION_PERIOD if stays else "2021-03" if bank.active == 0 else "2021-12"
        listed = _product_day(rng, rng.choice(month_range(max(bank.first, "2020-10"), last)))
    if stays:
        return listed, None
    # A bank that left the platform delisted everything by February 2022.
    last_delisting = "2022-02" if bank.active == 0 else CALIBRATION_PERIOD
    first_delisting = add_months(f"{listed:%Y-%m}", 3)
    period = rng.choice(month_range(first_delisting, max(first_delisting, last_delisting)))
    return listed, _product_day(rng, min(period, last_delisting))


def _product_name(rng: random.Random, bank: _Bank, guarantee: str, used: set[str]) -> str:
    """The bank's short name and a product brand not yet used by this bank."""
    brands = [b for b in _PRODUCT_NAMES[guarantee] if f"{bank.short}{b}" not in used]
    if not brands:
        brands = [
            f"{b}（升级版）" for b in _PRODUCT_NAMES[guarantee] if f"{bank.short}{b}（升级版）" not in used
        ]
    name = f"{bank.short}{rng.choice(brands)}"
    used.add(name)
    return name


def _build_products(institutions: Sequence[Institution], city: DemoCity) -> list[_ProductLife]:
    """Every product of the bank table, numbered CP0001.. in listing order, under the city's codes."""
    register = _register(institutions, city)
    planned = []
    for bank in _banks(institutions, city):
        used: set[str] = set()
        for index in range(bank.active + bank.delisted):
            rng = _rng("product-terms", bank.code, index)
            guarantee = _pick(rng, _GUARANTEES)
            listed, delisted = _product_times(bank, index)
            if not register[bank.code].in_scope(f"{listed:%Y-%m}"):
                raise ValueError(f"platform bank {bank.code} lists a product while out of scope")
            limit = Decimal(rng.choice(_LIMITS[guarantee]))
            planned.append(
                (
                    listed,
                    bank.code,
                    index,
                    _product_name(rng, bank, guarantee, used),
                    guarantee,
                    limit,
                    delisted,
                )
            )
    planned.sort(key=lambda p: (p[0], p[1], p[2]))
    return [
        _ProductLife(f"CP{seq:04d}", name, city.inst_code(code), guarantee, limit, listed, delisted)
        for seq, (listed, code, _i, name, guarantee, limit, delisted) in enumerate(planned, start=1)
    ]


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# Amounts and the P04 calibration
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# The public API
# ---------------------------------------------------------------------------------------------
def build_platform(
    institutions: Sequence[Institution], periods: Sequence[str], city: DemoCity = HEBI
) -> PlatformData:
    """Simulate the platform from opening and export the months of `periods` it was open in.

    The simulation always runs at least to the calibration month, so May 2022's figures do not
    depend on the months asked for; months before the opening have no export. `institutions` is
    the city's register; any city's platform has the same records under its own codes and names.
    """
    horizon = max([*periods, CALIBRATION_PERIOD])
    enterprises = _build_enterprises(horizon, city)
    products = _build_products(institutions, city)
    requests = _build_requests(enterprises, products, horizon)
    _calibrate(requests)
    return PlatformData(
        periods=[p for p in periods if p >= FIRST_PERIOD],
        enterprises=enterprises,
        products=products,
        requests=requests,
    )


def _time_text(value: dt.datetime | None) -> str:
    """YYYY-MM-DD HH:MM:SS, empty when the event has not happened."""
    return "" if value is None else value.strftime(TIME_FORMAT)


@functools.cache
def _two_decimals(record_id: str) -> bool:
    """Whether a record's amounts are written with 2 decimals (cached: asked once per file and month)."""
    return _rng("amount-style", record_id).random() < 0.15


def _amount_text(value: Decimal | None, record_id: str) -> str:
    """万元 as plain decimal text: mostly shortest (500, 120.5), some records with 2 decimals (35.00)."""
    if value is None:
        return ""
    text = f"{value:.2f}"
    return text if _two_decimals(record_id) else text.rstrip("0").rstrip(".")


def _render(header: Sequence[str], rows: list[Sequence[str]]) -> bytes:
    """A UTF-8 (with BOM) comma-separated file with CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(ENCODING)


def _enterprise_cells(e: Enterprise) -> tuple[str, ...]:
    """The cells of one 入驻企业 row."""
    return (
        e.enterprise_id,
        e.uscc,
        e.name,
        e.county_code,
        e.industry_code,
        e.size,
        _time_text(e.registered_at),
        e.status,
    )


def _product_cells(p: Product) -> tuple[str, ...]:
    """The cells of one 金融产品 row."""
    return (
        p.product_id,
        p.name,
        p.inst_code,
        p.guarantee,
        _amount_text(p.limit, p.product_id),
        _time_text(p.listed_at),
        _time_text(p.delisted_at),
        p.status,
    )


def _request_cells(r: Request) -> tuple[str, ...]:
    """The cells of one 融资需求 row."""
    return (
        r.request_id,
        r.enterprise_id,
        r.product_id,
        r.inst_code,
        _amount_text(r.amount_applied, r.request_id),
        _time_text(r.applied_at),
        r.status,
        _amount_text(r.amount_granted, r.request_id),
        _time_text(r.granted_at),
        _amount_text(r.amount_disbursed, r.request_id),
        _time_text(r.disbursed_at),
    )


def render_enterprises(snapshot: PlatformSnapshot) -> bytes:
    """入驻企业_<YYYYMM>.csv of a snapshot."""
    return _render(ENTERPRISE_HEADER, [_enterprise_cells(e) for e in snapshot.enterprises])


def render_products(snapshot: PlatformSnapshot) -> bytes:
    """金融产品_<YYYYMM>.csv of a snapshot."""
    return _render(PRODUCT_HEADER, [_product_cells(p) for p in snapshot.products])


def render_requests(snapshot: PlatformSnapshot) -> bytes:
    """融资需求_<YYYYMM>.csv of a snapshot."""
    return _render(REQUEST_HEADER, [_request_cells(r) for r in snapshot.requests])


def file_names(period: str) -> tuple[str, str, str]:
    """(enterprises, products, requests) file names of a month."""
    yyyymm = period.replace("-", "")
    return f"入驻企业_{yyyymm}.csv", f"金融产品_{yyyymm}.csv", f"融资需求_{yyyymm}.csv"


def write_platform(data: PlatformData, landing: Path) -> list[Path]:
    """Write landing/platform/<YYYY-MM>/ with the three files of every month; return the paths."""
    written = []
    for period in data.periods:
        folder = Path(landing) / SOURCE / period
        folder.mkdir(parents=True, exist_ok=True)
        snapshot = data.snapshot(period)
        renders = (render_enterprises, render_products, render_requests)
        for name, render in zip(file_names(period), renders, strict=True):
            (folder / name).write_bytes(render(snapshot))
            written.append(folder / name)
    return written
