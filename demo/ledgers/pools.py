"""Who the ledgers name: the platform's enterprises, the register's banks, local place words; exact amount splits."""

from __future__ import annotations

import bisect
import datetime as dt
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from demo.city import DemoCity
from demo.types import Institution

# The bureau deals with the enterprises of its own platform (their USCCs come from the platform's
# generator): the same enterprise has the same keys in both sources.
_LARGE = ("中型", "大型")


@dataclass(frozen=True)
class Firm:
    """An enterprise as a ledger names it."""

    uscc: str
    name: str
    county_code: str
    size: str
    registered: dt.date
    cancelled: dt.date | None

    @property
    def is_company(self) -> bool:
        return self.uscc[1] == "1"  # GB 32100 type digit: 1 enterprise

    def open_on(self, day: dt.date) -> bool:
        return self.registered < day and (self.cancelled is None or self.cancelled > day)


class Pools:
    """The enterprises and banks of the city (in the platform's and the register's order)."""

    def __init__(self, city: DemoCity, institutions: Sequence[Institution], enterprises: Sequence) -> None:
        self.city = city
        self.firms = [
            Firm(
                e.uscc,
                e.name,
                e.county_code,
                e.size,
                e.registered_at.date(),
                e.cancelled_at.date() if e.cancelled_at else None,
            )
            for e in enterprises
        ]
        self._registered = [f.registered for f in self.firms]
        self.companies = [f for f in self.firms if f.is_company and f.cancelled is None]
        self.large = [f for f in self.companies if f.size in _LARGE]
        # Banks that lend to projects: the register without the finance companies (其他).
        self.banks = [i for i in institutions if i.inst_type != "其他"]

    def visitable(self, rng: random.Random, day: dt.date) -> Firm:
        """An enterprise registered before `day` and still open then."""
        available = bisect.bisect_left(self._registered, day)
        while True:
            firm = self.firms[rng.randrange(available)]
            if firm.open_on(day):
                return firm

    def project_owner(self, rng: random.Random, day: dt.date, taken: set[str]) -> Firm:
        """A company open on `day`, medium or large three times in four, not yet in `taken`."""
        pool = self.large if rng.random() < 0.75 else self.companies
        while True:
            firm = rng.choice(pool)
            if firm.registered < day and firm.uscc not in taken:
                taken.add(firm.uscc)
                return firm

    def banks_on(self, day: dt.date) -> list[Institution]:
        return [b for b in self.banks if b.in_scope(f"{day:%Y-%m}")]

    def county_name(self, code: str) -> str:
        return next(c.name for c in self.city.counties if c.code == code)


def bank_short(inst: Institution) -> str:
    """中国工商银行 of 中国工商银行股份有限公司XX分行: how an activity's name calls the bank."""
    return re.split(r"股份有限公司|有限公司|有限责任公司", inst.name)[0]


def weekday_after(start: dt.date, days: int) -> dt.date:
    """The first weekday at least `days` after `start`."""
    day = start + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def round_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def calibrated(raws: Sequence[Decimal], target: Decimal, step: Decimal) -> list[Decimal]:
    """raws scaled to sum exactly to target, each a multiple of step (the rounding rest on the largest)."""
    total = sum(raws, Decimal(0))
    out = [max(step, round_to(r * target / total, step)) for r in raws]
    biggest = max(range(len(out)), key=lambda i: (out[i], -i))
    out[biggest] += target - sum(out, Decimal(0))
    if out[biggest] <= 0:
        raise AssertionError("the calibration left an amount at or below zero")
    return out


def adjust_counts(rng: random.Random, values: list[int], ceilings: list[int], target: int) -> None:
    """Move single units of values (0 <= value <= ceiling) until they sum to target."""
    diff = target - sum(values)
    if not -sum(values) <= diff <= sum(ceilings) - sum(values):
        raise AssertionError(f"cannot reach {target} from {sum(values)} within the ceilings")
    while diff:
        i = rng.randrange(len(values))
        if diff > 0 and values[i] < ceilings[i]:
            values[i] += 1
            diff -= 1
        elif diff < 0 and values[i] > 0:
            values[i] -= 1
            diff += 1
