"""V01-V09 and H01-H06 computed straight from the demo generator's programme reports (not the pipeline)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from demo.city import HEBI, DemoCity

WAN, YI = Decimal(10_000), Decimal(100_000_000)
# (indicator, item, 户数 or 金额 and its divisor) of the sums; the rates follow below.
SUMS = {
    "V01": ("F01", None),
    "V02": ("F01", WAN),
    "V04": ("F02", WAN),
    "V05": ("F02", None),
    "V07": ("F04", WAN),
    "V08": ("F04", None),
    "H01": ("E01", None),
    "H02": ("E01", YI),
    "H03": ("E02", None),
    "H04": ("E02", WAN),
    "H05": ("E03", None),
    "H06": ("E03", YI),
}
BY_COUNTY = {"V01", "V02", "V03", "V04", "V05", "V06"}


def _published(value: Decimal, places: int) -> Decimal:
    exponent = Decimal(1) if places == 0 else Decimal("0.01")
    return value.quantize(exponent, rounding=ROUND_HALF_UP).quantize(Decimal("0.0001"))


def expected_programme_figures(
    programmes, period: str, poverty: dict[tuple[int, str], tuple[int, int]], city: DemoCity = HEBI
) -> dict[tuple[str, str], Decimal]:
    """(indicator, region) -> published value for one month; poverty is (year, county) -> (脱贫, 监测)."""
    # region -> item -> [户数, 金额]; 市本级 (the city's code) counts in the city's sums only.
    sums: dict[str, dict[str, list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])
    )
    for (p, _inst, county, item), (households, yuan) in programmes.values.items():
        if p != period:
            continue
        for region in {city.code, county}:
            sums[region][item][0] += households
            sums[region][item][1] += yuan
    year = int(period[:4])
    rows = {county: poverty[(year, county)] for county in city.county_codes if (year, county) in poverty}
    denominators = {county: Decimal(row[0]) for county, row in rows.items()}
    denominators[city.code] = sum((Decimal(r[0]) for r in rows.values()), Decimal(0))
    out = {}
    for region in (city.code, *city.county_codes):
        cells = sums[region]
        codes = SUMS if region == city.code else {c: s for c, s in SUMS.items() if c in BY_COUNTY}
        for code, (item, divisor) in codes.items():
            households, yuan = cells[item]
            out[(code, region)] = _published(yuan / divisor, 2) if divisor else _published(households, 0)
        if denominators.get(region):
            out[("V03", region)] = _published(cells["F01"][0] / denominators[region] * 100, 2)
        if cells["F02"][1]:
            out[("V06", region)] = _published(cells["F03"][1] / cells["F02"][1] * 100, 2)
    monitored = sum((Decimal(r[1]) for r in rows.values()), Decimal(0))
    if denominators[city.code] + monitored:
        out[("V09", city.code)] = _published(
            sums[city.code]["F04"][0] / (denominators[city.code] + monitored) * 100, 2
        )
    return out
