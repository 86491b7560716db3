"""Products: the banks' listings and delistings, checked against the register."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from demo.city import DemoCity
from demo.platform.base import CALIBRATION_PERIOD, FIRST_PERIOD, OPENED, _pick, _product_day, _rng
from demo.platform.records import _ProductLife
from demo.types import Institution
from finstat.periods import add_months, month_range

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
