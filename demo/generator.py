"""Deterministic demo bank_loans data calibrated to the bureau's May 2022 report, and its landing files."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from demo.bank_programmes import ProgrammeData, build_programmes, plan_programme_files, write_bank_programmes
from demo.city import HEBI, REFERENCE_DIR, SLOT_CITY, SLOT_COUNTIES, DemoCity
from demo.files import plan_files, render_file
from demo.ledgers import build_ledgers, write_ledgers
from demo.pbc import write_pbc
from demo.platform import build_platform, write_platform
from demo.rural_credit import RuralCreditData, simulate, write_rural_credit
from demo.types import SEED, DemoDataset, Institution, split_cents
from finstat.items import DISPOSAL_ITEMS
from finstat.periods import check_period, month_range

DEFAULT_FIRST = "2021-01"
DEFAULT_LAST = "2022-05"
# YTD disposals need every month since January, so numbers are always built from the register's start.
GEN_START = "2020-01"

# The numbers are built on Hebi's codes, the slots; build_dataset relabels them for its city.
CITY = SLOT_CITY
COUNTIES = SLOT_COUNTIES

ADDED_BACK = ("D02", "D03", "D04", "D05")

# ---------------------------------------------------------------------------------------------
# Calibration anchors, in 元 (cents exact). With the formulas of spec/indicators.md they give the
# bureau's May 2022 report: L01 785.03, L03 58.00, L04 7.15, L05 105.74, L06 13.84, L07 444.86.
#   L01(2022-05) = 785.0316 亿; L01(2021-12) = 811.1928 亿 (the spec's 811.19);
#   added-back disposals 2022-01..05 = 84.1612 亿 (the spec's 84.16), so L03 = 58.0000 and L04 = 7.1500%;
#   L01(2021-05) = 764.0124 亿 and added-back disposals 2021-06..12 = 0.5595 亿, so
#   L05 = 785.0316 - 764.0124 + 84.1612 + 0.5595 = 105.7400 and L06 = 13.8401%.
# The window for L01(2021-05) is narrow: L06 rounds to 13.84 only for 763.74 < L01(2021-05) <= 764.29.
# ---------------------------------------------------------------------------------------------
A01_ANCHORS = (
    ("2020-01", 6_731_284_500_318),
    ("2021-05", 7_640_123_891_537),
    ("2021-12", 8_111_928_450_733),
    ("2022-05", 7_850_316_291_846),
)
A05_ANCHOR = ("2022-05", 4_448_637_120_488)
# Added-back (D02..D05) disposals for the whole city over consecutive month ranges, in cents.
ADDED_BACK_SEGMENTS = (
    ("2020-01", "2020-12", 10_512_336_120),
    ("2021-01", "2021-05", 6_384_211_729),
    ("2021-06", "2021-12", 5_595_321_740),
    ("2022-01", "2022-05", 841_612_345_678),
)
ADDED_BACK_AFTER = 5_200_000_000  # cents per month after the last segment (about 0.5 亿)
# Beyond the bureau's report: the rural-credit institutions' NPL ratio falls 46.22% from Dec 2021
# to May 2022 (the report's 农信系统不良贷款率下降 46.22%), so a loan-level generator agreeing with
# these reports (rule 14) reproduces R04 as well.
RURAL_NPL_DROP = ("2021-12", "2022-05", Decimal("0.4622"))


@dataclass(frozen=True)
class Profile:
    """How an institution's book looks: size and county spread (not in the register; demo only)."""

    size: Decimal  # 亿元, relative weight only
    counties: tuple[tuple[str, Decimal], ...]  # county code -> weight
    enterprise: Decimal  # natural A05 / A01
    nonbank: Decimal  # A11 / A01
    consumer: Decimal  # A03 / A02
    npl: Decimal  # C03+C04+C05 over A01 at the start
    memo: tuple[Decimal, Decimal, Decimal]  # B01, B02, B03 over A01
    corporate_mix: tuple[Decimal, Decimal, Decimal, Decimal, Decimal]  # A06..A10 weights
    disposal_items: tuple[str, ...]  # D items this institution uses


# One line per institution of the register. Counties: code:weight pairs, or `all` (the five
# districts and counties) and `all+city` (plus 市本级). Shares are of A01 (A05, A11, B01-B03, NPL) or
# of A02 (A03). Mixes split A05 into A06..A10; the disposal set names the D items used.
_PROFILE_TABLE = """
code            size  counties                                       A05   A11    A03   NPL    B01   B02   B03    mix    disposals
B0006H41060001  58    410600:.35,410621:.25,410622:.2,410611:.2      .95   0      .5    .008   .03   .75   .12    lease  small
B0001H41060002  95    all+city                                       .55   .012   .72   .013   .10   .20   .10    big    big
B0002H41060003  88    all+city                                       .50   .008   .65   .015   .12   .38   .07    big    big
B0003H41060004  46    all                                            .58   .010   .74   .012   .09   .15   .08    lease  big
B0004H41060005  92    all+city                                       .54   .015   .78   .011   .10   .18   .11    big    big
B0005H41060006  24    410611:.7,410603:.15,410621:.15                .62   .020   .75   .014   .07   .06   .06    joint  big
B0018H41060007  38    all                                            .25   0      .55   .011   .22   .35   .02    local  local
B0007H41060008  18    410611:.7,410603:.3                            .68   .015   .70   .017   .08   .05   .06    joint  big
B0015H41060009  16    410611:.8,410621:.2                            .70   .010   .70   .018   .07   .05   .05    joint  local
B0008H41060010  11    410611:.85,410600:.15                          .66   .012   .72   .016   .06   .04   .05    joint  small
B0009H41060011  9     410611:.75,410622:.25                          .72   0      .65   .021   .09   .05   .03    joint  small
B0010H41060012  7     410611:1                                       .70   0      .68   .019   .08   .03   .04    joint  small
B0013H41060013  12    410611:.8,410603:.2                            .64   .018   .74   .015   .07   .04   .09    lease  local
B0011H41060014  6     410611:1                                       .60   0      .80   .020   .06   .02   .03    joint  small
B0014H41060015  5     410611:1                                       .45   0      .85   .022   .05   .02   .02    joint  small
B1062H41060016  72    all+city                                       .62   .006   .60   .024   .15   .20   .04    local  local
B1050H41060017  23    410611:.6,410603:.25,410602:.15                .66   .005   .62   .026   .13   .08   .03    local  local
B1063H41060018  8     410611:1                                       .60   0      .60   .028   .16   .06   .02    local  small
B1051H41060019  6     410611:.7,410621:.3                            .58   0      .58   .030   .18   .10   .01    local  small
B1066H41060020  4     410611:1                                       .55   0      .60   .027   .17   .05   .01    local  none
B1280H41061121  62    410611:.6,410602:.2,410603:.2                  .42   0      .30   .092   .30   .60   .01    rural  all
B1281H41062122  46    410621:1                                       .40   0      .28   .098   .32   .70   .01    rural  all
D1282H41062223  33    410622:1                                       .35   0      .25   .105   .33   .72   .005   rural  all
S1301H41062124  3.2   410621:1                                       .30   0      .20   .035   .45   .70   0      rural  small
S1302H41062225  2.6   410622:1                                       .28   0      .22   .032   .48   .68   0      rural  small
S1303H41060226  2.2   410602:1                                       .32   0      .25   .038   .42   .55   0      rural  small
S1304H41060327  1.5   410603:1                                       .30   0      .30   .004   .50   .40   0      rural  none
B0202H41061128  1.8   410611:1                                       .85   0      .90   .004   .05   0     .05    joint  none
L0101H41060029  12    410600:1                                       .93   .04    .5    .006   .02   0     .03    lease  none
L0201H41061130  3     410611:1                                       0     0      1     .028   0     0     0      local  small
"""
# Notes on particular rows: the policy bank (B0006) lends to enterprises and books part at city
# level; the rural-credit rows (B1280, B1281, D1282) carry high NPL; S1304 opened in 2021-07 and has
# no bad loans to dispose of yet; the group finance company (L0101) books everything at city level
# with no county split; the consumer-finance company (L0201) lends to households only, so its A05
# and A06..A10 are zero. The rural-credit rows use every disposal method, so their loan-level files
# (demo/rural_credit/) show each 处置方式 over the demo months.
_ALL = "410611:.34,410603:.16,410602:.10,410621:.22,410622:.18"
_MIXES = {
    "big": ("0.36", "0.52", "0.09", "0", "0.03"),
    "joint": ("0.45", "0.40", "0.13", "0", "0.02"),
    "local": ("0.55", "0.40", "0.05", "0", "0"),
    "rural": ("0.70", "0.28", "0.02", "0", "0"),
    "lease": ("0.30", "0.55", "0.08", "0.05", "0.02"),
}
_DISPOSAL_SETS = {
    "all": DISPOSAL_ITEMS,
    "big": ("D01", "D02", "D03", "D04", "D06", "D07"),
    "local": ("D01", "D02", "D03", "D05", "D06"),
    "small": ("D01", "D02"),
    "none": (),
}


def _parse_profiles(table: str) -> dict[str, Profile]:
    out = {}
    for line in table.strip().splitlines()[1:]:
        code, size, counties, e, n, c, npl, b01, b02, b03, mix, disposals = line.split()
        counties = {"all": _ALL, "all+city": f"{_ALL},{CITY}:.12"}.get(counties, counties)
        out[code] = Profile(
            size=Decimal(size),
            counties=tuple(
                (county, Decimal(w)) for county, w in (pair.split(":") for pair in counties.split(","))
            ),
            enterprise=Decimal(e),
            nonbank=Decimal(n),
            consumer=Decimal(c),
            npl=Decimal(npl),
            memo=(Decimal(b01), Decimal(b02), Decimal(b03)),
            corporate_mix=tuple(Decimal(w) for w in _MIXES[mix]),
            disposal_items=_DISPOSAL_SETS[disposals],
        )
    return out


PROFILES: dict[str, Profile] = _parse_profiles(_PROFILE_TABLE)


def load_institutions(reference_dir: Path = REFERENCE_DIR) -> list[Institution]:
    """The register as shipped, Hebi's: the slots (the generator is calibrated for it, not another one)."""
    with (reference_dir / "institutions.csv").open(encoding="utf-8", newline="") as fh:
        return [
            Institution(
                code=row["inst_code"],
                name=row["inst_name"],
                inst_type=row["inst_type"],
                is_rural_credit=row["is_rural_credit"] == "true",
                region_code=row["region_code"],
                reports_from=row["reports_from"],
                reports_to=row["reports_to"] or None,
            )
            for row in csv.DictReader(fh)
        ]


# ---------------------------------------------------------------------------------------------
# Deterministic randomness: every draw comes from a generator seeded by its purpose and key, so a
# number does not depend on which months were asked for or on the order of the loops.
# ---------------------------------------------------------------------------------------------
def _rng(*key: object) -> random.Random:
    return random.Random("|".join(map(str, (SEED, *key))))


def _uniform(rng: random.Random, low: str | Decimal, high: str | Decimal) -> Decimal:
    low, high = Decimal(low), Decimal(high)
    return low + (high - low) * Decimal(rng.randrange(1_000_001)) / Decimal(1_000_000)


def _cents(value: Decimal) -> int:
    return int(value.to_integral_value())


def _index(period: str) -> int:
    year, month = map(int, period.split("-"))
    return year * 12 + month - 1


def city_a01(period: str) -> int:
    """The city's A01 total (cents): geometric between the anchors with a small hump, then +0.6%/month."""
    anchors = A01_ANCHORS
    if period >= anchors[-1][0]:
        months = _index(period) - _index(anchors[-1][0])
        return _cents(Decimal(anchors[-1][1]) * Decimal("1.006") ** months)
    for (p0, v0), (p1, v1) in itertools.pairwise(anchors):
        if p0 <= period < p1:
            k, n = _index(period) - _index(p0), _index(p1) - _index(p0)
            growth = (Decimal(v1) / Decimal(v0)).ln() * k / n
            # The hump vanishes at both anchors, so calibration points stay exact.
            hump = Decimal("0.004") * 4 * k * (n - k) / (n * n)
            return _cents(Decimal(v0) * growth.exp() * (1 + hump))
    raise ValueError(f"{period} is before the demo's first month {anchors[0][0]}")


def city_added_back(period: str) -> int:
    """The city's added-back (D02..D05) disposals of one month (cents)."""
    for first, last, total in ADDED_BACK_SEGMENTS:
        if first <= period <= last:
            months = month_range(first, last)
            weights = [_month_disposal_weight(p) for p in months]
            return split_cents(total, weights)[months.index(period)]
    if period > ADDED_BACK_SEGMENTS[-1][1]:
        return _cents(Decimal(ADDED_BACK_AFTER) * _month_disposal_weight(period))
    raise ValueError(f"{period} is before the demo's first month")


def _month_disposal_weight(period: str) -> Decimal:
    # Banks write off at quarter ends, when the provisions are booked.
    quarter_end = Decimal("1.6") if period[5:] in ("03", "06", "09", "12") else Decimal(1)
    return quarter_end * _uniform(_rng("disposal-month", period), "0.75", "1.25")


def _yuan(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------
def _npl_ratio(inst: Institution, profile: Profile, period: str) -> Decimal:
    t = Decimal(_index(period) - _index(GEN_START))
    if not inst.is_rural_credit:
        # Slow clean-up of the banks' books.
        return profile.npl * max(Decimal("0.6"), 1 - Decimal("0.006") * t)
    # Rural credit: NPL ratio creeps up to Dec 2021, then the 2022 disposal campaign nearly halves it.
    dec, may = _index("2021-12") - _index(GEN_START), _index("2022-05") - _index(GEN_START)
    if t <= dec:
        factor = Decimal("0.95") + Decimal("0.10") * t / dec
    elif t <= may:
        factor = Decimal("1.05") - Decimal("0.48") * (t - dec) / (may - dec)
    else:
        factor = Decimal("0.57")
    return profile.npl * factor


def _institution_a01(period: str, institutions: list[Institution]) -> dict[str, int]:
    t = _index(period) - _index(GEN_START)
    weights = {}
    for inst in institutions:
        if not inst.in_scope(period):
            continue
        profile = PROFILES[inst.code]
        drift = _uniform(_rng("drift", inst.code), "-0.003", "0.006")
        ramp = Decimal(1)
        if inst.reports_from > GEN_START:
            # A newly opened bank builds its book over its first year.
            age = _index(period) - _index(inst.reports_from)
            ramp = min(Decimal(1), Decimal("0.4") + Decimal("0.05") * age)
        noise = _uniform(_rng("inst-noise", inst.code, period), "-0.012", "0.012")
        weights[inst.code] = profile.size * (1 + drift * t) * ramp * (1 + noise)
    codes = list(weights)
    return dict(zip(codes, split_cents(city_a01(period), [weights[c] for c in codes]), strict=True))


def _county_split(period: str, code: str, total: int) -> dict[str, int]:
    counties = PROFILES[code].counties
    weights = [
        w * (1 + _uniform(_rng("county-noise", code, county, period), "-0.02", "0.02"))
        for county, w in counties
    ]
    return dict(zip((c for c, _ in counties), split_cents(total, weights), strict=True))


@dataclass
class _Cell:
    a01: int
    enterprise_share: Decimal
    consumer_share: Decimal
    items: dict[str, int] = field(default_factory=dict)


def _cell_fixed(code: str, county: str, period: str, a01: int, inst: Institution) -> _Cell:
    """Everything of a cell except the A05 / A02 split, which is scaled city-wide afterwards."""
    profile = PROFILES[code]
    fixed = _rng("cell", code, county)
    monthly = _rng("cell-month", code, county, period)

    def jitter(base: Decimal, spread_fixed: str = "0.08", spread_month: str = "0.01") -> Decimal:
        f = _uniform(fixed, f"-{spread_fixed}", spread_fixed)
        m = _uniform(monthly, f"-{spread_month}", spread_month)
        return base * (1 + f) * (1 + m)

    cell = _Cell(
        a01=a01,
        enterprise_share=min(Decimal("0.96"), jitter(profile.enterprise)),
        consumer_share=min(Decimal(1), jitter(profile.consumer, "0.05", "0.005")),
    )
    cell.items["A11"] = _cents(a01 * jitter(profile.nonbank))
    for item, share in zip(("B01", "B02", "B03"), profile.memo, strict=True):
        cell.items[item] = _cents(a01 * min(Decimal("0.95"), jitter(share)))
    npl = _cents(a01 * jitter(_npl_ratio(inst, profile, period), "0.10", "0.01"))
    attention = _cents(a01 * jitter(_npl_ratio(inst, profile, period) * Decimal("1.6"), "0.10", "0.02"))
    cell.items["NPL"] = npl
    cell.items["C02"] = attention
    return cell


def _finish_cell(cell: _Cell, code: str, county: str, period: str, a05: int, npl: int) -> dict[str, int]:
    profile = PROFILES[code]
    monthly = _rng("finish", code, county, period)
    a01, a11 = cell.a01, cell.items["A11"]
    a02 = a01 - a05 - a11
    consumer = cell.consumer_share
    a03, a04 = split_cents(a02, [consumer, 1 - consumer])
    mix = [w * _uniform(monthly, "0.97", "1.03") for w in profile.corporate_mix]
    a06, a07, a08, a09, a10 = split_cents(a05, mix)
    c02 = cell.items["C02"]
    classes = [
        _uniform(monthly, "0.42", "0.48"),
        _uniform(monthly, "0.32", "0.38"),
        _uniform(monthly, "0.17", "0.23"),
    ]
    c03, c04, c05 = split_cents(npl, classes)
    out = {
        "A01": a01,
        "A02": a02,
        "A03": a03,
        "A04": a04,
        "A05": a05,
        "A06": a06,
        "A07": a07,
        "A08": a08,
        "A09": a09,
        "A10": a10,
        "A11": a11,
        "B01": cell.items["B01"],
        "B02": cell.items["B02"],
        "B03": cell.items["B03"],
        "C01": a01 - c02 - npl,
        "C02": c02,
        "C03": c03,
        "C04": c04,
        "C05": c05,
    }
    if min(out.values()) < 0:
        raise AssertionError(f"negative demo balance for {code} {county} {period}: {out}")
    return out


def _build_numbers(institutions: list[Institution], last: str, city: DemoCity) -> tuple[dict, dict, object]:
    """Cents per (period, inst, county, item), (period, inst, item) -> (month, ytd), and the rural
    loan books, GEN_START..last, on the slot codes (the borrowers' names and IDs are the city's)."""
    horizon = max(last, A05_ANCHOR[0], RURAL_NPL_DROP[1])
    periods = month_range(GEN_START, horizon)
    by_code = {inst.code: inst for inst in institutions}
    cells: dict[tuple[str, str, str], _Cell] = {}
    for period in periods:
        for code, total in _institution_a01(period, institutions).items():
            for county, a01 in _county_split(period, code, total).items():
                cells[(period, code, county)] = _cell_fixed(code, county, period, a01, by_code[code])

    # A05: natural shares scaled by F(period), F moving linearly from 1 at GEN_START to the value
    # that makes the anchor month exact, then flat. The smooth path keeps A05 free of jumps.
    anchor_period, anchor_total = A05_ANCHOR

    def natural(period: str) -> dict[tuple[str, str, str], Decimal]:
        out = {}
        for key, cell in cells.items():
            if key[0] == period:
                out[key] = min(cell.a01 * cell.enterprise_share, Decimal(cell.a01 - cell.items["A11"]))
        return out

    anchor_natural = natural(anchor_period)
    f_anchor = Decimal(anchor_total) / sum(anchor_natural.values(), Decimal(0))
    span = _index(anchor_period) - _index(GEN_START)
    a05: dict[tuple[str, str, str], int] = {}
    for period in periods:
        t = min(_index(period) - _index(GEN_START), span)
        factor = 1 + (f_anchor - 1) * t / span
        for key, value in natural(period).items():
            room = cells[key].a01 - cells[key].items["A11"]
            a05[key] = min(room, _cents(value * factor))
        if period == anchor_period:
            # The rounding remainder (a few 元) goes to the biggest cell.
            keys = [k for k in a05 if k[0] == period]
            diff = anchor_total - sum(a05[k] for k in keys)
            biggest = max(keys, key=lambda k: (a05[k], k))
            a05[biggest] += diff
            if not 0 <= a05[biggest] <= cells[biggest].a01 - cells[biggest].items["A11"]:
                raise AssertionError("A05 calibration left the biggest cell out of range")

    npl = {key: cell.items["NPL"] for key, cell in cells.items()}
    _calibrate_rural_npl(cells, npl, by_code)

    balances = {}
    for (period, code, county), cell in cells.items():
        items = _finish_cell(
            cell, code, county, period, a05[(period, code, county)], npl[(period, code, county)]
        )
        for item, cents in items.items():
            balances[(period, code, county, item)] = cents
    disposals = _build_disposals(periods, institutions, balances)
    rural = _rural_loans(periods, institutions, balances, disposals, city)
    return balances, disposals, rural


def _rural_loans(periods, institutions, balances, disposals, city):
    """Loan books of the rural-credit institutions that reproduce their reports (rule 14).

    The loans match each county's A01 and NPL (C03+C04+C05) and each month's D items to the cent;
    how the NPL splits into 次级/可疑/损失 and how much is 关注 is whatever the loans' life cycle
    gives, and the reports take that over. A01 and the NPL total are untouched, so the calibrated
    figures (L01-L11, the rural NPL ratio behind R03/R04) and the D01/D06/D07 amounts stay as they are.
    """
    rural = [
        (inst.code, [county for county, _w in PROFILES[inst.code].counties])
        for inst in institutions
        if inst.is_rural_credit
    ]
    for code, _counties in rural:
        if any(not inst.in_scope(p) for inst in institutions if inst.code == code for p in periods):
            raise ValueError(f"the rural demo expects {code} to report in every month")
    data = simulate(rural, periods, balances, disposals, city)
    sums = data.class_sums()
    for code, counties in rural:
        for period in periods:
            for county in counties:
                key = (period, code, county)
                classes = {item: sums.get((*key, item), 0) for item in ("C01", "C02", "C03", "C04", "C05")}
                if sum(classes.values()) != balances[(*key, "A01")]:
                    raise AssertionError(f"rural loans do not add up to A01 for {key}")
                for item, cents in classes.items():
                    balances[(*key, item)] = cents
    return data


def _calibrate_rural_npl(cells, npl, by_code) -> None:
    """Scale the rural-credit NPL of May 2022 so their NPL ratio is 46.22% below December's."""
    base_period, period, drop = RURAL_NPL_DROP

    def rural(p):
        return [k for k in cells if k[0] == p and by_code[k[1]].is_rural_credit]

    base_keys, keys = rural(base_period), rural(period)
    base_ratio = Decimal(sum(npl[k] for k in base_keys)) / sum(cells[k].a01 for k in base_keys)
    target = _cents(sum(cells[k].a01 for k in keys) * base_ratio * (1 - drop))
    for key, cents in zip(keys, split_cents(target, [Decimal(npl[k]) for k in keys]), strict=True):
        npl[key] = cents
        if cents + cells[key].items["C02"] > cells[key].a01:
            raise AssertionError(f"rural NPL calibration overflows {key}")


def _build_disposals(periods, institutions, balances) -> dict[tuple[str, str, str], tuple[int, int]]:
    out = {}
    ytd: dict[tuple[str, str], int] = defaultdict(int)
    for period in periods:
        if period.endswith("-01"):
            ytd.clear()
        in_scope = [inst for inst in institutions if inst.in_scope(period)]
        disposers = [i for i in in_scope if any(d in ADDED_BACK for d in PROFILES[i.code].disposal_items)]
        weights = [
            PROFILES[i.code].size * _uniform(_rng("disp-inst", i.code, period), "0.7", "1.3")
            for i in disposers
        ]
        shares = dict(
            zip((i.code for i in disposers), split_cents(city_added_back(period), weights), strict=True)
        )
        for inst in in_scope:
            profile = PROFILES[inst.code]
            rng = _rng("disp-items", inst.code, period)
            month = dict.fromkeys(DISPOSAL_ITEMS, 0)
            active = [d for d in profile.disposal_items if d in ADDED_BACK]
            # Securitisation deals close at quarter ends only.
            if period[5:] not in ("03", "06", "09", "12"):
                active = [d for d in active if d != "D04"]
            base = {"D02": "0.55", "D03": "0.25", "D04": "0.15", "D05": "0.10"}
            if active:
                parts = split_cents(
                    shares[inst.code], [_uniform(rng, "0.8", "1.2") * Decimal(base[d]) for d in active]
                )
                month.update(zip(active, parts, strict=True))
            npl_stock = sum(
                balances.get((period, inst.code, county, c), 0)
                for county in (*COUNTIES, CITY)
                for c in ("C03", "C04", "C05")
            )
            for item, share in (("D01", "0.030"), ("D06", "0.010"), ("D07", "0.004")):
                if item in profile.disposal_items:
                    month[item] = _cents(npl_stock * _uniform(rng, "0.6", "1.4") * Decimal(share))
            for item in DISPOSAL_ITEMS:
                ytd[(inst.code, item)] += month[item]
                out[(period, inst.code, item)] = (month[item], ytd[(inst.code, item)])
    return out


# ---------------------------------------------------------------------------------------------
# The public API
# ---------------------------------------------------------------------------------------------
def relabel_institution(inst: Institution, city: DemoCity) -> Institution:
    """A register row of the slots (the shipped Hebi register) as the city's."""
    return dataclasses.replace(
        inst,
        code=city.inst_code(inst.code),
        name=city.inst_name(inst.name),
        region_code=city.region(inst.region_code),
    )


def build_dataset(first: str = DEFAULT_FIRST, last: str = DEFAULT_LAST, city: DemoCity = HEBI) -> DemoDataset:
    """Numbers in 元 and a file plan for every in-scope institution and month from first to last.

    Another city gets the same numbers under its own codes and names (demo/city.py).
    """
    check_period(first), check_period(last)
    if first < GEN_START or first > last:
        raise ValueError(f"demo months must satisfy {GEN_START} <= first <= last, got {first}..{last}")
    slots = load_institutions()
    missing = [inst.code for inst in slots if inst.code not in PROFILES]
    if missing:
        raise ValueError(f"institutions without a demo profile: {missing}")
    balances_c, disposals_c, rural = _build_numbers(slots, last, city)
    wanted = set(month_range(first, last))
    code, region = city.inst_code, city.region
    balances = {
        (p, code(inst), region(county), item): _yuan(v)
        for (p, inst, county, item), v in balances_c.items()
        if p in wanted
    }
    disposals = {
        (p, code(inst), item): (_yuan(m), _yuan(y))
        for (p, inst, item), (m, y) in disposals_c.items()
        if p in wanted
    }
    institutions = [relabel_institution(inst, city) for inst in slots]
    dataset = DemoDataset(
        first=first,
        last=last,
        institutions=institutions,
        regions=city.regions,
        balances=balances,
        disposals=disposals,
        rural_credit=rural.restrict(month_range(first, last)).relabel(city),
        city=city,
    )
    dataset.files = plan_files(dataset)
    dataset.platform = build_platform(institutions, dataset.periods, city)
    dataset.programmes = build_bank_programmes(dataset)
    dataset.ledgers = build_ledgers(dataset)
    return dataset


def build_bank_programmes(dataset: DemoDataset) -> ProgrammeData:
    """The programme reports of a demo dataset: their numbers sit in each institution's loan counties."""
    data = build_programmes(dataset, {code: profile.counties for code, profile in PROFILES.items()})
    data.files = plan_programme_files(dataset, data)
    return data


def build_rural_credit(dataset) -> RuralCreditData:
    """The loan-level data of a demo dataset (built with it, since it also fixes the rural C items)."""
    if getattr(dataset, "rural_credit", None) is None:
        return build_dataset(dataset.first, dataset.last, getattr(dataset, "city", HEBI)).rural_credit
    return dataset.rural_credit


def write_landing(dataset: DemoDataset, landing: Path) -> list[Path]:
    """Write every bank_loans report, the rural_credit loan files, the platform snapshots and the rest.

    bank_loans/<YYYY-MM>/ first, then rural_credit/<YYYY-MM>/ (two files per rural institution),
    then platform/<YYYY-MM>/ (three files per month the platform was open), then pbc/<YYYY-MM>/
    (the central bank branch's workbook), then bank_programmes/<YYYY-MM>/ (one report per in-scope
    institution from the first programme month), then ledgers/<YYYY-MM>/ (the bureau's three
    ledgers, every month but one); return the paths written.
    """
    landing = Path(landing)
    written = []
    for plan in dataset.files:
        path = landing / plan.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_file(dataset, plan))
        written.append(path)
    written += write_rural_credit(build_rural_credit(dataset), landing)
    platform = dataset.platform
    if platform is None:  # a dataset put together by hand
        platform = build_platform(dataset.institutions, dataset.periods, dataset.city)
    written += write_platform(platform, landing)
    written += write_pbc(dataset, landing)
    programmes = dataset.programmes
    if programmes is None:  # a dataset put together by hand
        programmes = build_bank_programmes(dataset)
    written += write_bank_programmes(dataset, programmes, landing)
    ledgers = dataset.ledgers
    if ledgers is None:  # a dataset put together by hand
        ledgers = build_ledgers(dataset, platform)
    written += write_ledgers(ledgers, dataset.city, landing)
    return written
