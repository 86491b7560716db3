"""The programme figures per institution, county and month: calibrated year-to-date paths, stocks, F02 from loans."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from demo.bank_programmes.base import ITEMS, SINCE_START, START, YEAR_TO_DATE, _rng
from demo.bank_programmes.calibration import (
    CALIBRATION_PERIOD,
    CITY_TOTALS,
    HOUSEHOLD_CEILING,
    SHARE_GROUP,
    SHARES,
    load_poverty_households,
)
from demo.city import SLOT_CITY
from demo.files import counties_of
from demo.types import DemoDataset, FilePlan, split_cents

# A cell of the calibration: (slot institution, slot county, item) -> (户数, cents).
Cells = dict[tuple[str, str, str], tuple[int, int]]
# County weights of an institution's book (slot codes), as the bank_loans generator spreads it.
CountyWeights = Mapping[str, tuple[tuple[str, Decimal], ...]]

# How a year's new business spreads over its months (poverty micro-credit peaks with spring
# ploughing); each cell jitters it, so the cells do not move in lockstep.
_SEASON = (8, 12, 14, 12, 9, 7, 6, 6, 7, 7, 6, 6)
_CALIBRATION_YEAR, _CALIBRATION_MONTH = map(int, CALIBRATION_PERIOD.split("-"))


@dataclass(repr=False)
class ProgrammeData:
    """(period, inst, county, item) -> (户数, 金额 in 元) for every report, and the planned files."""

    periods: list[str]
    values: dict[tuple[str, str, str, str], tuple[int, Decimal]]
    files: list[FilePlan] = field(default_factory=list)
    _reports: dict | None = field(default=None, init=False, compare=False)

    def __repr__(self) -> str:
        return f"ProgrammeData({len(self.files)} reports, {len(self.values)} cells)"

    def report(self, period: str, inst: str) -> dict[tuple[str, str], tuple[int, Decimal]]:
        """One report's cells: (county, item) -> (户数, 金额 in 元)."""
        if self._reports is None:
            self._reports = defaultdict(dict)
            for (p, code, county, item), pair in self.values.items():
                self._reports[(p, code)][(county, item)] = pair
        return self._reports.get((period, inst), {})

    @property
    def variations(self) -> dict[str, list[str]]:
        """Variation name -> relative paths of the files that use it."""
        out: dict[str, list[str]] = defaultdict(list)
        for plan in self.files:
            for name in plan.variations:
                out[name].append(plan.relpath)
        return dict(out)


def _factor(rng: random.Random, low: str, high: str) -> Decimal:
    """A factor between low and high in steps of 1/10000 (Decimal: the amounts stay exact)."""
    lo, hi = (int(Decimal(x) * 10_000) for x in (low, high))
    return Decimal(rng.randint(lo, hi)).scaleb(-4)


def _index(period: str) -> int:
    year, month = map(int, period.split("-"))
    return year * 12 + month - 1


def _calibrate(counties: CountyWeights, slots: list[str], poverty: dict) -> Cells:
    """Split each city total of CALIBRATION_PERIOD over the institutions' counties (exact sums)."""
    poor = {county: n for (year, county), (n, _m) in poverty.items() if year == _CALIBRATION_YEAR}
    out: Cells = {}
    for item, (households, cents) in CITY_TOTALS.items():
        group = SHARE_GROUP[item]
        keys, weights, sizes = [], [], []
        for slot in slots:
            share = SHARES[slot][group]
            if not share:
                continue
            book = counties[slot]
            if group == "poverty":
                # Poverty micro-credit follows the poverty households; 市本级 has none.
                book = tuple((c, w * poor[c]) for c, w in book if c != SLOT_CITY)
            total = sum((w for _c, w in book), Decimal(0))
            for county, w in book:
                rng = _rng("cell", slot, county, item)
                keys.append((slot, county, item))
                weights.append(share * w / total * _factor(rng, "0.85", "1.15"))
                # Average size per household or enterprise, relative to the city's.
                sizes.append(_factor(rng, "0.72", "1.32") if item == "F01" else _factor(rng, "0.6", "1.4"))
        counts = split_cents(households, weights)
        amounts = split_cents(cents, [n * s for n, s in zip(counts, sizes, strict=True)])
        for key, n, amount in zip(keys, counts, amounts, strict=True):
            if item == "F01" and amount > n * HOUSEHOLD_CEILING:
                raise AssertionError(f"F01 above the policy ceiling in the calibration: {key}")
            out[key] = (n, amount)
    return out


def _guarded(households: int, cents: int) -> tuple[int, int]:
    """户数 is 0 exactly when 金额 is (rule 24): a cell rounded down to nothing on one side is nothing."""
    return (0, 0) if households == 0 or cents == 0 else (households, cents)


def _year_to_date(cell: tuple[int, int], key: tuple[str, str, str], period: str) -> tuple[int, int]:
    """A 本年累计 value: the calibration month's scaled to the year and along the year's own season."""
    year, month = map(int, period.split("-"))
    households, cents = cell
    if year != _CALIBRATION_YEAR:
        scale = _factor(_rng("year", *key, year), "0.80", "1.10")
        households, cents = int(households * scale), int(cents * scale)
    season = _rng("season", *key, year)
    weights = [w * _factor(season, "0.7", "1.3") for w in _SEASON]
    # Relative to the calibration month: exactly 1 there, so the calibration is exact.
    share = sum(weights[:month], Decimal(0)) / sum(weights[:_CALIBRATION_MONTH], Decimal(0))
    n, amount = int(households * share), int(cents * share)
    if key[2] == "F01":
        amount = min(amount, n * HOUSEHOLD_CEILING)  # the ceiling holds every month, not only May
    return _guarded(n, amount)


def _since_start(cell: tuple[int, int], key: tuple[str, str, str], period: str) -> tuple[int, int]:
    """F04, cumulative since the programme began: grows a little every month, never falls."""
    growth = 1 + _factor(_rng("growth", *key), "0.008", "0.025")
    scale = growth ** (_index(period) - _index(CALIBRATION_PERIOD))
    return _guarded(int(cell[0] * scale), int(cell[1] * scale))


def _stock(
    calibrated: Cells, key: tuple[str, str], period: str, a02: int
) -> tuple[tuple[int, int], tuple[int, int]]:
    """F02 and F03 of a bank outside the rural credit system: a book about twice the year's new loans."""
    slot, county = key
    new = calibrated.get((slot, county, "F01"), (0, 0))[0]
    fixed, monthly = _rng("stock", slot, county), _rng("stock-month", slot, county, period)
    base = new * _factor(fixed, "1.5", "2.2")
    trend = 1 + Decimal("0.004") * (_index(period) - _index(CALIBRATION_PERIOD))
    households = int((base * trend * _factor(monthly, "0.97", "1.03")).to_integral_value())
    size = 2_200_000 + fixed.randrange(1_600_001)  # 2.2 to 3.8 万元 a household, in cents
    cents = min(a02, int(households * size * _factor(monthly, "0.98", "1.02")))
    f02 = _guarded(households, cents)
    if monthly.random() < 0.3:
        return f02, (0, 0)  # nobody overdue this month
    rate = _factor(monthly, "0.004", "0.04")
    overdue = min(f02[0], max(1, int(f02[0] * rate * Decimal("1.5"))))
    return f02, _guarded(overdue, int(f02[1] * rate))


def _loan_stocks(dataset: DemoDataset) -> dict[tuple[str, str, str, str], tuple[int, int]]:
    """F02 and F03 of the rural credit institutions from their loan files: (period, inst, county, item)."""
    rural = dataset.rural_credit
    out: dict[tuple[str, str, str, str], tuple[int, int]] = {}
    if rural is None:
        return out
    for (period, inst), rows in rural.snapshots.items():
        borrowers: dict[tuple[str, str], set] = defaultdict(set)
        cents: dict[tuple[str, str], int] = defaultdict(int)
        for loan, balance, _cls, days in rows:
            if not loan.poverty:
                continue
            who = (loan.borrower.id_type, loan.borrower.id_number)
            for item in ("F02", "F03") if days > 0 else ("F02",):
                borrowers[(loan.county, item)].add(who)
                cents[(loan.county, item)] += balance
        for (county, item), people in borrowers.items():
            out[(period, inst, county, item)] = (len(people), cents[(county, item)])
    return out


def build_programmes(dataset: DemoDataset, counties: CountyWeights) -> ProgrammeData:
    """Every in-scope institution's figures for each month from START (none before: V and H withheld).

    counties: each slot institution's county weights (the bank_loans generator's profile), so the
    programme business sits where the institution lends. Numbers are keyed by the slots, so every
    city gets Hebi's numbers under its own codes.
    """
    city = dataset.city
    slots = {inst.code: city.slot_inst(inst.code) for inst in dataset.institutions}
    in_scope = [slots[i.code] for i in dataset.institutions if i.in_scope(CALIBRATION_PERIOD)]
    calibrated = _calibrate(counties, in_scope, load_poverty_households())
    loans = _loan_stocks(dataset)
    rural = {inst.code for inst in dataset.institutions if inst.is_rural_credit}
    periods = [p for p in dataset.periods if p >= START]
    values: dict[tuple[str, str, str, str], tuple[int, Decimal]] = {}
    for period in periods:
        for inst in dataset.institutions:
            if not inst.in_scope(period):
                continue
            slot = slots[inst.code]
            for county in counties_of(dataset, inst.code, period):
                cell: dict[str, tuple[int, int]] = {}
                slot_county = city.slot_region(county)
                for item in (*YEAR_TO_DATE, *SINCE_START):
                    key = (slot, slot_county, item)
                    target = calibrated.get(key, (0, 0))
                    path = _year_to_date if item in YEAR_TO_DATE else _since_start
                    cell[item] = path(target, key, period)
                if inst.code in rural:
                    for item in ("F02", "F03"):
                        cell[item] = loans.get((period, inst.code, county, item), (0, 0))
                else:
                    a02 = int(dataset.balances[(period, inst.code, county, "A02")] * 100)
                    cell["F02"], cell["F03"] = _stock(calibrated, (slot, slot_county), period, a02)
                for item in ITEMS:
                    households, cents = cell[item]
                    values[(period, inst.code, county, item)] = (households, Decimal(cents).scaleb(-2))
    return ProgrammeData(periods=periods, values=values)
