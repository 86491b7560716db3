"""The demo numbers: calibration to the bureau's May 2022 report, item identities, rules 6-12."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from demo.generator import CITY, COUNTIES, build_dataset
from demo.types import split_cents
from finstat.items import BALANCE_ITEMS, DISPOSAL_ITEMS
from finstat.periods import add_months
from tests.e2e.expected_figures import expected_city_figures

BUREAU_MAY_2022 = {
    "L01": "785.03",
    "L03": "58.00",
    "L04": "7.15",
    "L05": "105.74",
    "L06": "13.84",
    "L07": "444.86",
}


def _cells(dataset):
    """(period, inst, county) -> {item: amount}."""
    out = defaultdict(dict)
    for (period, inst, county, item), amount in dataset.balances.items():
        out[(period, inst, county)][item] = amount
    return out


def test_two_builds_are_equal(dataset, rebuilt):
    assert rebuilt == dataset


def test_a_shorter_range_gives_the_same_numbers(dataset):
    short = build_dataset(first="2022-03", last="2022-05")
    assert short.balances == {k: v for k, v in dataset.balances.items() if k[0] >= "2022-03"}
    assert short.disposals == {k: v for k, v in dataset.disposals.items() if k[0] >= "2022-03"}


@pytest.mark.parametrize(("code", "value"), BUREAU_MAY_2022.items())
def test_may_2022_matches_the_bureau_report(dataset, code, value):
    assert expected_city_figures(dataset, "2022-05")[code] == Decimal(value)


def test_december_2021_and_disposals_match_the_spec(dataset):
    a01_dec = sum(v for (p, _i, _c, item), v in dataset.balances.items() if p == "2021-12" and item == "A01")
    added_back = sum(
        ytd
        for (p, _i, item), (_m, ytd) in dataset.disposals.items()
        if p == "2022-05" and item in ("D02", "D03", "D04", "D05")
    )
    assert round(a01_dec / 100_000_000, 2) == Decimal("811.19")
    assert round(added_back / 100_000_000, 2) == Decimal("84.16")


def test_rural_credit_npl_ratio_falls_46_22_percent_with_double_fall(dataset):
    rural = {inst.code for inst in dataset.institutions if inst.is_rural_credit}

    def npl_and_ratio(period):
        npl = sum(
            v
            for (p, i, _c, item), v in dataset.balances.items()
            if p == period and i in rural and item in ("C03", "C04", "C05")
        )
        a01 = sum(
            v
            for (p, i, _c, item), v in dataset.balances.items()
            if p == period and i in rural and item == "A01"
        )
        return npl, npl / a01

    npl_dec, ratio_dec = npl_and_ratio("2021-12")
    npl_may, ratio_may = npl_and_ratio("2022-05")
    assert round((ratio_dec - ratio_may) / ratio_dec * 100, 2) == Decimal("46.22")
    assert npl_may < npl_dec and ratio_may < ratio_dec


def test_every_cell_has_every_item_in_fen_and_never_negative(dataset):
    for key, items in _cells(dataset).items():
        assert set(items) == set(BALANCE_ITEMS), key
        for item, amount in items.items():
            assert amount >= 0, (key, item)
            assert amount.as_tuple().exponent == -2, (key, item, amount)


def test_item_identities_hold_per_county_and_in_total(dataset):
    totals = defaultdict(lambda: defaultdict(Decimal))
    for (period, inst, _county), v in _cells(dataset).items():
        for item, amount in v.items():
            totals[(period, inst)][item] += amount
    for key, v in [*_cells(dataset).items(), *totals.items()]:
        assert v["A01"] == v["A02"] + v["A05"] + v["A11"], key
        assert v["A02"] == v["A03"] + v["A04"], key
        assert v["A05"] == v["A06"] + v["A07"] + v["A08"] + v["A09"] + v["A10"], key
        assert v["C01"] + v["C02"] + v["C03"] + v["C04"] + v["C05"] == v["A01"], key
        assert all(v[b] <= v["A01"] for b in ("B01", "B02", "B03")), key
        assert v["A01"] > 0, key


def test_every_in_scope_institution_reports_every_month_and_only_then(dataset):
    reporting = defaultdict(set)
    for period, inst, _county, _item in dataset.balances:
        reporting[period].add(inst)
    for period in dataset.periods:
        expected = {inst.code for inst in dataset.institutions if inst.in_scope(period)}
        assert reporting[period] == expected, period
        assert {plan.inst_code for plan in dataset.files if plan.period == period} == expected
    late = [inst for inst in dataset.institutions if inst.reports_from > dataset.first]
    assert late, "one institution should start reporting inside the demo range"
    assert all(inst.code not in reporting[add_months(inst.reports_from, -1)] for inst in late)


def test_counties_are_the_city_s_and_keys_only_where_there_is_business(dataset):
    counties = {county for (_p, _i, county, _item) in dataset.balances}
    assert counties == {*COUNTIES, CITY}
    per_inst = defaultdict(set)
    for _p, inst, county, _item in dataset.balances:
        per_inst[inst].add(county)
    assert any(len(c) < 6 for c in per_inst.values()) and any(CITY not in c for c in per_inst.values())
    assert any(c == {CITY} for c in per_inst.values()), "an institution booked only at city level"


def test_no_institution_a01_moves_more_than_20_percent(dataset):
    a01 = defaultdict(Decimal)
    for (period, inst, _county, item), amount in dataset.balances.items():
        if item == "A01":
            a01[(period, inst)] += amount
    for (period, inst), amount in a01.items():
        previous = a01.get((add_months(period, -1), inst))
        if previous:
            assert abs(amount - previous) / previous <= Decimal("0.20"), (period, inst)


def test_no_value_jumps_anywhere_near_10000_times(dataset):
    for (period, inst, county, item), amount in dataset.balances.items():
        previous = dataset.balances.get((add_months(period, -1), inst, county, item))
        if previous and amount:
            assert Decimal("0.01") < amount / previous < 100, (period, inst, county, item)
    for (period, inst, item), (month, _ytd) in dataset.disposals.items():
        previous = dataset.disposals.get((add_months(period, -1), inst, item))
        if previous and previous[0] and month:
            assert month / previous[0] < 2000 and previous[0] / month < 2000, (period, inst, item)


def test_ytd_disposals_are_the_sum_of_months_since_january(dataset):
    running = defaultdict(Decimal)
    for period in dataset.periods:
        in_scope = {inst.code for inst in dataset.institutions if inst.in_scope(period)}
        for inst in in_scope:
            for item in DISPOSAL_ITEMS:
                month, ytd = dataset.disposals[(period, inst, item)]
                key = (period[:4], inst, item)
                running[key] += month
                assert month >= 0 and ytd == running[key], (period, inst, item)
    assert {item for (_p, _i, item) in dataset.disposals} == set(DISPOSAL_ITEMS)


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, ["1", "1", "1"], [34, 33, 33]),
        (7, ["0", "1", "3"], [0, 2, 5]),
        (0, ["1", "2"], [0, 0]),
        (1, ["1", "1"], [1, 0]),
    ],
)
def test_split_cents_is_exact(total, weights, expected):
    parts = split_cents(total, [Decimal(w) for w in weights])
    assert parts == expected and sum(parts) == total
