"""Official figures computed straight from the demo generator's source numbers (not the pipeline)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from finstat.periods import add_months, previous_december

YI = Decimal(100_000_000)
ADDED_BACK = ("D02", "D03", "D04", "D05")


def _r2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _sums(dataset, period: str, items: tuple[str, ...]) -> dict[str, Decimal]:
    """Sum of items per county at a period (市本级 under the city's code), the city total under 'CITY'."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for (p, _inst, county, item), amount in dataset.balances.items():
        if p == period and item in items:
            out[county] += amount
            out["CITY"] += amount
    return out


def _ytd_added_back(dataset, period: str) -> Decimal:
    return sum(
        (
            ytd
            for (p, _inst, item), (_month, ytd) in dataset.disposals.items()
            if p == period and item in ADDED_BACK
        ),
        Decimal(0),
    )


def expected_city_figures(dataset, period: str) -> dict[str, Decimal]:
    """L01-L14 for the whole city, rounded as published (亿元, % and 百分点 to 2 decimals)."""
    dec, last_year = previous_december(period), add_months(period, -12)
    l01 = _sums(dataset, period, ("A01",))["CITY"]
    l01_dec = _sums(dataset, dec, ("A01",))["CITY"]
    l01_ly = _sums(dataset, last_year, ("A01",))["CITY"]
    ytd, ytd_dec, ytd_ly = (_ytd_added_back(dataset, p) for p in (period, dec, last_year))
    l03 = l01 - l01_dec + ytd
    l05 = l01 - l01_ly + ytd + ytd_dec - ytd_ly
    npl = _sums(dataset, period, ("C03", "C04", "C05"))["CITY"]
    npl_dec = _sums(dataset, dec, ("C03", "C04", "C05"))["CITY"]
    return {
        "L01": _r2(l01 / YI),
        "L02": _r2((l01 - l01_dec) / YI),
        "L03": _r2(l03 / YI),
        "L04": _r2(l03 / l01_dec * 100),
        "L05": _r2(l05 / YI),
        "L06": _r2(l05 / l01_ly * 100),
        "L07": _r2(_sums(dataset, period, ("A05",))["CITY"] / YI),
        "L08": _r2(_sums(dataset, period, ("A02",))["CITY"] / YI),
        "L09": _r2(_sums(dataset, period, ("B01",))["CITY"] / YI),
        "L10": _r2(npl / YI),
        "L11": _r2(npl / l01 * 100),
        "L12": _r2((npl - npl_dec) / YI),
        "L13": _r2(npl / l01 * 100 - npl_dec / l01_dec * 100),
        # 双降: both the NPL balance and its ratio below December's.
        "L14": Decimal(1 if npl < npl_dec and npl * l01_dec < npl_dec * l01 else 0),
    }


def expected_county_figures(dataset, period: str) -> dict[tuple[str, str], Decimal]:
    """The by-county figures (L01, L02, L07-L13) keyed by (indicator, county code) of the dataset's city."""
    dec = previous_december(period)
    a01, a01_dec = _sums(dataset, period, ("A01",)), _sums(dataset, dec, ("A01",))
    a05, a02 = _sums(dataset, period, ("A05",)), _sums(dataset, period, ("A02",))
    b01, npl = _sums(dataset, period, ("B01",)), _sums(dataset, period, ("C03", "C04", "C05"))
    npl_dec = _sums(dataset, dec, ("C03", "C04", "C05"))
    out = {}
    # 市本级 shares the city's code, so it is in the city total but has no row of its own.
    for county in (c for c in a01 if c not in ("CITY", dataset.city.code)):
        out[("L01", county)] = _r2(a01[county] / YI)
        out[("L02", county)] = _r2((a01[county] - a01_dec.get(county, Decimal(0))) / YI)
        out[("L07", county)] = _r2(a05.get(county, Decimal(0)) / YI)
        out[("L08", county)] = _r2(a02.get(county, Decimal(0)) / YI)
        out[("L09", county)] = _r2(b01.get(county, Decimal(0)) / YI)
        out[("L10", county)] = _r2(npl.get(county, Decimal(0)) / YI)
        out[("L11", county)] = _r2(npl.get(county, Decimal(0)) / a01[county] * 100)
        out[("L12", county)] = _r2((npl.get(county, Decimal(0)) - npl_dec.get(county, Decimal(0))) / YI)
        if a01_dec.get(county):
            rate_dec = npl_dec.get(county, Decimal(0)) / a01_dec[county] * 100
            out[("L13", county)] = _r2(npl.get(county, Decimal(0)) / a01[county] * 100 - rate_dec)
    return out
