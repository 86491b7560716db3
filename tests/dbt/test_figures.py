"""audit.candidate_figures and audit.missing_base_periods against independently computed values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.dbt import tiny_lake


def _figures(dbt_run, period: str) -> dict[tuple[str, str], Decimal]:
    # L01..L14 only: the rural-credit figures R01..R09 are tested in test_rural.py.
    rows = dbt_run.rows(
        "select * from audit.candidate_figures where period = ? and indicator_code like 'L%'", [period]
    )
    return {(r["indicator_code"], r["region_code"]): r["value"] for r in rows}


def _npl_changes(period: str) -> dict[tuple[str, str], Decimal]:
    """L12, L13 (by region) and L14 (city) against the December before, when it has data."""
    dec = f"{int(period[:4]) - 1}-12"
    if dec not in tiny_lake.FACTORS:
        return {}
    out = {}
    npl_items = {"C03", "C04", "C05"}
    for region in [tiny_lake.CITY, *tiny_lake.COUNTIES]:
        county = None if region == tiny_lake.CITY else region
        npl, npl_dec = tiny_lake._sum(period, npl_items, county), tiny_lake._sum(dec, npl_items, county)
        a01, a01_dec = tiny_lake._sum(period, {"A01"}, county), tiny_lake._sum(dec, {"A01"}, county)
        out[("L12", region)] = tiny_lake._yi(npl - npl_dec)
        if a01 and a01_dec:
            out[("L13", region)] = tiny_lake._pct(npl, a01) - tiny_lake._pct(npl_dec, a01_dec)
            if region == tiny_lake.CITY:
                both_fell = npl < npl_dec and npl * a01_dec < npl_dec * a01
                out[("L14", region)] = Decimal(1 if both_fell else 0)
    return out


@pytest.mark.parametrize("period", ["2021-05", "2021-12", "2022-04", "2022-05"])
def test_figures_equal_python_decimal_computation(dbt_run, period):
    assert _figures(dbt_run, period) == tiny_lake.expected_figures(period) | _npl_changes(period)


@pytest.mark.parametrize(
    ("indicator", "value"),
    [
        # B1 (1100000.01 + 275000.55 + 110000.00) x 14 + B2 (500000.00 + 116666.66) x 14 元
        ("L01", Decimal("0.2942334108")),
        # - Dec 2021: (1350000.51 + 411111.10 + 10000 + 5000) x 14 = 24865562.54 元
        ("L02", Decimal("0.0455777854")),
        # + added back YTD 2022-05: D02 1200000 + D04 33.33 + D03 250000 = 1450033.33 元
        ("L03", Decimal("0.0600781187")),
        ("L04", Decimal("24.1611741553")),  # 6007811.87 / 24865562.54 x 100, truncated
        # 29423341.08 - 22316006.30 (2021-05) + 1450033.33 + 5000000 (YTD Dec) - 700000 (YTD 2021-05)
        ("L05", Decimal("0.1285736811")),
        ("L06", Decimal("57.6150048407")),  # 12857368.11 / 22316006.30 x 100, truncated
        ("L11", Decimal("14.2857142857")),  # C03..C05 = 2/14 of A01 in every county
    ],
)
def test_city_figures_hand_computed(dbt_run, indicator, value):
    assert _figures(dbt_run, "2022-05")[(indicator, tiny_lake.CITY)] == value


def test_values_are_decimal_38_10_and_no_double_anywhere(dbt_run):
    assert dbt_run.rows("select distinct typeof(value) as t from audit.candidate_figures") == [
        {"t": "DECIMAL(38,10)"}
    ]
    floats = dbt_run.rows(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where data_type in ('DOUBLE', 'FLOAT', 'REAL')"
    )
    assert floats == []


def test_names_units_and_regions(dbt_run):
    rows = dbt_run.rows(
        "select * from audit.candidate_figures where period = '2022-05' and indicator_code like 'L%'"
    )
    by_code = {r["indicator_code"]: r for r in rows if r["region_code"] == tiny_lake.CITY}
    assert by_code["L01"]["indicator_name"] == "各项贷款余额"
    assert by_code["L01"]["region_name"] == "鹤壁市"
    assert {code for code, r in by_code.items() if r["unit"] == "%"} == {"L04", "L06", "L11"}
    county_indicators = {r["indicator_code"] for r in rows if r["region_code"] != tiny_lake.CITY}
    assert county_indicators == {"L01", "L02", "L07", "L08", "L09", "L10", "L11", "L12", "L13"}
    assert by_code["L13"]["unit"] == "百分点"
    assert by_code["L14"]["unit"] == "1/0"
    assert {r["region_code"] for r in rows} == {tiny_lake.CITY, *tiny_lake.COUNTIES}


def test_missing_base_periods(dbt_run):
    rows = dbt_run.rows(
        "select period, indicator_code, missing_period from audit.missing_base_periods "
        "where indicator_code like 'L%'"
    )
    got = {(r["period"], r["indicator_code"], r["missing_period"]) for r in rows}
    no_dec_2020 = {
        (p, code, "2020-12")
        for p in ("2021-05", "2021-12")
        for code in ("L02", "L03", "L04", "L05", "L06", "L12", "L13", "L14")
    }
    assert got == no_dec_2020 | {
        ("2021-05", "L05", "2020-05"),
        ("2021-05", "L06", "2020-05"),
        ("2022-04", "L05", "2021-04"),
        ("2022-04", "L06", "2021-04"),
    }


def test_dbt_unit_tests_ran_and_passed(dbt_run):
    """The monthly build skips unit tests, so this session build is where they must run."""
    import re

    match = re.search(r"(\d+) unit tests?", dbt_run.stdout)
    assert match and int(match.group(1)) >= 2, dbt_run.stdout[-2000:]
    assert re.search(r"ERROR=0\b", dbt_run.stdout)
