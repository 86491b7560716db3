"""R01-R09 computed straight from the demo generator's loans and disposal events (not the pipeline)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from demo.city import HEBI, DemoCity
from finstat.periods import previous_december

NPL = ("次级", "可疑", "损失")


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round an exact fraction half away from zero, as publication does, to a Decimal."""
    scaled = abs(value) * 10**places
    units = math.floor(scaled + Fraction(1, 2))
    return Decimal(units if value >= 0 else -units).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def _loans(rural, period):
    return [row for inst in rural.institutions for row in rural.loans.get((period, inst), [])]


def _amounts(rows, county=None) -> tuple[Fraction, Fraction]:
    """(balance, NPL balance) in 元 as exact fractions, for the city or one county."""
    mine = [r for r in rows if county is None or r.county_code == county]
    total = sum((Fraction(r.balance) for r in mine), Fraction(0))
    npl = sum((Fraction(r.balance) for r in mine if r.risk_class in NPL), Fraction(0))
    return total, npl


def expected_rural_figures(rural, period: str, city: DemoCity = HEBI) -> dict[tuple[str, str], Decimal]:
    """(indicator, region) -> the published value: R01-R09 for the city, R01-R03 by county."""
    yi, wan = Fraction(100_000_000), Fraction(10_000)
    rows, dec_rows = _loans(rural, period), _loans(rural, previous_december(period))
    balance, npl = _amounts(rows)
    balance_dec, npl_dec = _amounts(dec_rows)
    ratio, ratio_dec = npl / balance * 100, npl_dec / balance_dec * 100
    year = period[:4]
    disposed = sum(
        (
            Fraction(event.principal)
            for (p, _inst), events in rural.disposals.items()
            if p[:4] == year and p <= period
            for event in events
        ),
        Fraction(0),
    )
    poverty = [r for r in rows if r.poverty]
    poverty_balance = sum((Fraction(r.balance) for r in poverty), Fraction(0))
    city_figures = {
        "R01": round_half_up(balance / yi),
        "R02": round_half_up(npl / yi),
        "R03": round_half_up(ratio),
        "R04": round_half_up((ratio_dec - ratio) / ratio_dec * 100),
        "R05": round_half_up((npl - npl_dec) / yi),
        "R06": Decimal(int(npl < npl_dec and ratio < ratio_dec)).quantize(Decimal("0.01")),
        "R07": round_half_up(disposed / yi),
        "R08": round_half_up(poverty_balance / wan),
        "R09": Decimal(len({(r.id_type, r.id_number) for r in poverty})).quantize(Decimal("0.01")),
    }
    out = {(code, city.code): value for code, value in city_figures.items()}
    for county in city.county_codes:
        c_balance, c_npl = _amounts(rows, county)
        out[("R01", county)] = round_half_up(c_balance / yi)
        out[("R02", county)] = round_half_up(c_npl / yi)
        if c_balance:  # a ratio over no loans is not a figure
            out[("R03", county)] = round_half_up(c_npl / c_balance * 100)
    return out
