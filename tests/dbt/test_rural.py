"""Rural credit: staging/marts, R01-R09 against hand-computed Decimals, and rules 13-17 catching their defects."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import load_rule_rows, run_rule
from expectations.suites.common import RULE_COLUMNS
from tests.dbt import tiny_rural
from tests.dbt.tiny_lake import B2, B4, BUILD_PERIOD, CITY, COUNTIES

RULE_MODELS = {
    13: "qr_13_loan_id_unique",
    14: "qr_14_rural_reconciliation",
    15: "qr_15_overdue_class",
    16: "qr_16_id_check_digit",
    17: "qr_17_npl_vanished",
}
LOAN_EXTRA = {
    "loan_id": "VARCHAR",
    "balance_yuan": "DECIMAL(38,2)",
    "inst_balance_yuan": "DECIMAL(38,2)",
    "share_of_inst_balance_pct": "DECIMAL(38,10)",
}


def _r_figures(dbt_run, period: str) -> dict[tuple[str, str], Decimal]:
    rows = dbt_run.rows(
        "select * from audit.candidate_figures where period = ? and indicator_code like 'R%'", [period]
    )
    return {(r["indicator_code"], r["region_code"]): r["value"] for r in rows}


# ---- staging and marts ------------------------------------------------------------------------


def test_latest_revision_per_table_and_duplicate_kept_once(dbt_run):
    files = dbt_run.rows(
        "select distinct source_file, revision from fct_rural_loan_month where inst_code = ? and period = ?",
        [B2, BUILD_PERIOD],
    )
    assert files == [
        {"source_file": "rural_credit/2022-05/B2000000000002_202205_贷款明细_v2.csv", "revision": 2}
    ]
    # The 不良处置 file has no revision 2: the loan detail's correction does not drop it.
    disposals = dbt_run.rows(
        "select disposal_id, revision from fct_rural_disposals where period = ?", [BUILD_PERIOD]
    )
    assert disposals == [{"disposal_id": "CZ202205001", "revision": 1}]
    kept = dbt_run.rows(
        "select balance_yuan, row_number, rows_with_loan_id from fct_rural_loan_month "
        "where loan_id = ? and period = ?",
        [tiny_rural.DUPLICATE, BUILD_PERIOD],
    )
    assert kept == [{"balance_yuan": Decimal("250000.00"), "row_number": 6, "rows_with_loan_id": 2}]


def test_npl_mart_grain_and_amounts(dbt_run):
    rows = dbt_run.rows(
        "select county_code, balance_yuan, substandard_yuan, doubtful_yuan, loss_yuan, npl_yuan, npl_ratio_pct "
        "from fct_rural_npl where inst_code = ? and period = ? order by county_code",
        [B2, BUILD_PERIOD],
    )
    # 410621: base 500000.00 x 14 = A01; 410622: base 116666.66, 20000 元 moved from 次级 to 可疑.
    assert rows == [
        {
            "county_code": "410621",
            "balance_yuan": Decimal("7000000.00"),
            "substandard_yuan": Decimal("500000.00"),
            "doubtful_yuan": Decimal("250000.00"),
            "loss_yuan": Decimal("250000.00"),
            "npl_yuan": Decimal("1000000.00"),
            "npl_ratio_pct": Decimal("14.2857142857"),
        },
        {
            "county_code": "410622",
            "balance_yuan": Decimal("1633333.24"),
            "substandard_yuan": Decimal("96666.66"),
            "doubtful_yuan": Decimal("78333.33"),
            "loss_yuan": Decimal("58333.33"),
            "npl_yuan": Decimal("233333.32"),
            "npl_ratio_pct": Decimal("14.2857142857"),
        },
    ]


def test_no_personal_data_beyond_the_pseudonymous_key(dbt_run):
    columns = dbt_run.rows(
        "select table_name, column_name from information_schema.columns "
        "where table_name like '%rural%' and (column_name like '%name_key%' or column_name like '%id_no%')"
    )
    assert columns == []


# ---- figures R01-R09 --------------------------------------------------------------------------


@pytest.mark.parametrize("period", list(tiny_rural.RURAL_INSTS))
def test_rural_figures_equal_python_decimal_computation(dbt_run, period):
    assert _r_figures(dbt_run, period) == tiny_rural.expected_figures(period)


@pytest.mark.parametrize(
    ("indicator", "value"),
    [
        # B2 2022-05: 410621 500000.00 x 14 + 410622 116666.66 x 14 = 8633333.24 元
        ("R01", Decimal("0.0863333324")),
        # 次级+可疑+损失: 1000000.00 + 233333.32 = 1233333.32 元 (the 次级/可疑 move keeps the sum)
        ("R02", Decimal("0.0123333332")),
        ("R03", Decimal("14.2857142857")),
        # Dec 2021 (B2 + B4): NPL 841222.18 of 5825555.40 元 (B2 9000 元 more 次级 than its report)
        # (841222.18 x 8633333.24 - 1233333.32 x 5825555.40) / (841222.18 x 8633333.24) x 100, truncated
        ("R04", Decimal("1.0698695557")),
        ("R05", Decimal("0.0039211114")),  # 1233333.32 - 841222.18 = 392111.14 元
        ("R06", Decimal("0")),  # the ratio fell but the NPL balance rose: no 双降
        ("R08", Decimal("108.1000000000")),  # 50000 + 30000 + 1001000 (P1's 关注 loan) 元, in 万元
        ("R09", Decimal("2")),  # P1 (two loans) and P2
    ],
)
def test_rural_city_figures_hand_computed(dbt_run, indicator, value):
    assert _r_figures(dbt_run, BUILD_PERIOD)[(indicator, CITY)] == value


def test_r07_sums_the_disposals_of_the_year_but_a_month_without_data_withholds_it(dbt_run):
    """The tiny lake's 2022 starts in April: the sum of April and May is not the year's disposals."""
    [computed] = dbt_run.rows(
        "select r07 from int_rural_indicators where period = ? and is_city_total", [BUILD_PERIOD]
    )
    # 转让 300000.00 (April) + 现金清收 4000.00 (May) 元
    assert computed["r07"] == Decimal("0.0030400000") == tiny_rural.disposed_ytd_yi(BUILD_PERIOD)
    assert ("R07", CITY) not in _r_figures(dbt_run, BUILD_PERIOD)
    missing = dbt_run.rows(
        "select missing_period from audit.missing_base_periods "
        "where period = ? and indicator_code = 'R07' order by 1",
        [BUILD_PERIOD],
    )
    assert [r["missing_period"] for r in missing] == ["2022-01", "2022-02", "2022-03"]


def test_rural_december_figures_hand_computed(dbt_run):
    dec = _r_figures(dbt_run, "2021-12")
    assert dec[("R08", CITY)] == Decimal("75.6666660000")  # 50000 + 30000 + 666666.66 + 10000 (B4) 元
    assert dec[("R09", CITY)] == Decimal("2")  # P2 borrows at B2 and at B4: one borrower
    assert ("R04", CITY) not in dec and ("R06", CITY) not in dec  # no December 2020


def test_rural_units_regions_types_and_bank_only_months(dbt_run):
    rows = dbt_run.rows(
        "select indicator_code, region_code, unit, typeof(value) as t from audit.candidate_figures "
        "where indicator_code like 'R%' and period = ?",
        [BUILD_PERIOD],
    )
    assert {r["t"] for r in rows} == {"DECIMAL(38,10)"}
    units = {r["indicator_code"]: r["unit"] for r in rows}
    # No R07: it is withheld, 2022-01..03 hold no rural-credit data.
    assert units == {
        "R01": "亿元", "R02": "亿元", "R03": "%", "R04": "%", "R05": "亿元",
        "R06": "1/0", "R08": "万元", "R09": "户",
    }  # fmt: skip
    by_county = {r["indicator_code"] for r in rows if r["region_code"] != CITY}
    assert by_county == {"R01", "R02", "R03"}
    assert {r["region_code"] for r in rows} == {CITY, *COUNTIES}
    # 2021-05 has bank reports only: L figures, no R figure.
    assert dbt_run.rows(
        "select count(*) as n from audit.candidate_figures where period = '2021-05' and indicator_code like 'R%'"
    ) == [{"n": 0}]


def test_missing_base_periods_for_rural(dbt_run):
    rows = dbt_run.rows(
        "select period, indicator_code, missing_period from audit.missing_base_periods "
        "where indicator_code like 'R%' order by all"
    )
    # R04..R06 need December 2020; R07 every earlier month of its year, and the tiny lake's rural
    # months are 2021-12, 2022-04 and 2022-05 only.
    assert [tuple(r.values()) for r in rows] == sorted(
        [
            *(("2021-12", code, "2020-12") for code in ("R04", "R05", "R06")),
            *(("2021-12", "R07", f"2021-{m:02d}") for m in range(1, 12)),
            *((p, "R07", f"2022-{m:02d}") for p in ("2022-04", "2022-05") for m in (1, 2, 3)),
        ]
    )


# ---- rules 13-17 ------------------------------------------------------------------------------

# rule -> (period, inst_code, key) of every failing row in every month; key = 借据号, or the item (14)
PLANTED = {
    13: {(BUILD_PERIOD, B2, tiny_rural.DUPLICATE)},
    14: {
        # No loan detail for 2021-05: the bank side against 0.
        *(("2021-05", B2, item) for item in ("A01", "C03", "C04", "C05")),
        (BUILD_PERIOD, B2, "C03"),  # 20000 元 of 次级 reported as 可疑 in the loan detail
        (BUILD_PERIOD, B2, "C04"),
    },
    15: {(BUILD_PERIOD, B2, tiny_rural.OVERDUE)},
    16: {("2021-12", B4, tiny_rural.BAD_ID_B4), (BUILD_PERIOD, B2, tiny_rural.BAD_ID)},
    17: {(BUILD_PERIOD, B2, tiny_rural.VANISHED)},
}
LOAN_ID = re.compile(r"借据号 (\S+?)[：（ ]")


def _failing_keys(rule: int, rows: list[dict]) -> set[tuple]:
    keys = set()
    for r in rows:
        if r["passed"]:
            continue
        key = r["item_code"] if rule == 14 else r.get("loan_id") or LOAN_ID.search(r["detail"]).group(1)
        keys.add((r["period"], r["inst_code"], key))
    return keys


@pytest.mark.parametrize("rule", sorted(RULE_MODELS))
def test_rule_layout(dbt_run, rule):
    columns = dbt_run.rows(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'audit' and table_name = ? order by ordinal_position",
        [RULE_MODELS[rule]],
    )
    names = tuple(c["column_name"] for c in columns)
    types = {c["column_name"]: c["data_type"] for c in columns}
    extra = LOAN_EXTRA if rule >= 15 else {}
    assert names == RULE_COLUMNS + tuple(extra)
    assert {types[c] for c in ("expected", "found", "diff", "abs_diff", "tolerance")} == {"DECIMAL(38,2)"}
    assert (types["rule"], types["row_number"], types["passed"]) == ("INTEGER", "INTEGER", "BOOLEAN")
    assert {c: types[c] for c in extra} == extra


@pytest.mark.parametrize("rule", sorted(RULE_MODELS))
def test_planted_defect_caught_with_its_institution_and_loan(dbt_run, rule):
    rows = dbt_run.rows(f"select * from audit.{RULE_MODELS[rule]} order by all")
    assert _failing_keys(rule, rows) == PLANTED[rule]
    for r in rows:
        assert r["rule"] == rule and r["passed"] is not None
        # Actionable: institution name and code; never a pseudonymous key (64 hex) in the text.
        assert r["inst_code"] in r["detail"] and (
            "浚县农村商业银行" in r["detail"] or "淇县农村信用社" in r["detail"]
        )
        assert not re.search(r"[0-9a-f]{32}", r["detail"])
        if not r["passed"] and rule != 14:
            assert "借据号 " in r["detail"] and "万元" in r["detail"]
            assert r["source_file"].startswith("rural_credit/") and r["row_number"]


def test_rule_numbers(dbt_run):
    dup = dbt_run.rows("select * from audit.qr_13_loan_id_unique")
    assert [(r["expected"], r["found"], r["row_number"]) for r in dup] == [(1, 2, 6)]
    overdue = dbt_run.rows("select * from audit.qr_15_overdue_class")
    # 关注 loan of 2 x 500000 + 1000 元 (bank defect carried into the loan detail) of B2's 8633333.24 元
    assert [(r["expected"], r["found"], r["balance_yuan"], r["inst_balance_yuan"], r["share_of_inst_balance_pct"])
            for r in overdue] == [(90, 120, Decimal("1001000.00"), Decimal("8633333.24"), Decimal("11.5945947199"))]  # fmt: skip
    vanished = dbt_run.rows("select * from audit.qr_17_npl_vanished")
    assert [(r["expected"], r["found"], r["item_code"], r["source_file"]) for r in vanished] == [
        (Decimal("6000.00"), 0, "C03", "rural_credit/2022-04/B2000000000002_202204_贷款明细.csv")
    ]


def test_reconciliation_tolerance_and_readable_model(dbt_run):
    rows = {
        (r["period"], r["inst_code"], r["item_code"]): r
        for r in dbt_run.rows("select * from audit.qr_14_rural_reconciliation")
    }
    assert {r["tolerance"] for r in rows.values()} == {Decimal("10000.00")}
    shifted = rows[("2021-12", B2, "C03")]  # 9000 元 over the report: within 1 万元
    assert (shifted["abs_diff"], shifted["passed"]) == (9000, True)
    # In 万元 as the report form, 2 decimals at least, the loan level's 元 digits kept.
    assert shifted["detail"] == (
        "浚县农村商业银行（B2000000000002） 2021-12 次级类（C03）余额：贷款月报 41.11111 万元，"
        "贷款明细合计 42.01111 万元，差额 0.90 万元（容差 1 万元以内）"
    )
    assert rows[(BUILD_PERIOD, B2, "C03")]["detail"] == (
        "浚县农村商业银行（B2000000000002） 2022-05 次级类（C03）余额：贷款月报 61.666666 万元，"
        "贷款明细合计 59.666666 万元，差额 -2.00 万元，超过 1 万元容差，请机构核对贷款明细与贷款月报"
    )
    cash = rows[(BUILD_PERIOD, B2, "D01")]  # 现金清收 4000 元 the report does not carry
    assert (cash["expected"], cash["found"], cash["passed"]) == (0, 4000, True)
    sold = rows[("2022-04", B2, "D03")]
    assert (sold["expected"], sold["found"], sold["passed"]) == (300000, 300000, True)
    assert {k[:2] for k in rows} == {
        ("2021-05", B2),
        ("2021-12", B2),
        ("2021-12", B4),
        ("2022-04", B2),
        (BUILD_PERIOD, B2),
    }
    readable = dbt_run.rows(
        "select inst_name, item_name, bank_loans_wan, loan_level_wan, diff_wan, within_tolerance "
        "from audit.rural_vs_bank_loans where period = ? and item_code = 'C03'",
        [BUILD_PERIOD],
    )
    assert readable == [
        {
            "inst_name": "浚县农村商业银行",
            "item_name": "次级类",
            "bank_loans_wan": Decimal("61.666666"),
            "loan_level_wan": Decimal("59.666666"),
            "diff_wan": Decimal("-2.000000"),
            "within_tolerance": False,
        }
    ]


@pytest.mark.parametrize("rule", sorted(RULE_MODELS))
def test_gate_suites_fail_the_defect_month_and_pass_a_clean_one(dbt_run, rule):
    spec = RULES_BY_NUMBER.get(rule)
    if spec is None:
        pytest.skip(f"rule {rule} is not in the gate registry yet")
    assert spec.model == RULE_MODELS[rule]
    assert not run_rule(spec, load_rule_rows(dbt_run.db_path, spec.model, BUILD_PERIOD)).passed
    clean = run_rule(spec, load_rule_rows(dbt_run.db_path, spec.model, "2022-04"))
    assert clean.passed, clean.failing_rows


def test_figure_base_periods_for_rural(dbt_run):
    """The months each R figure is computed from: publication flags their dependents on a correction."""
    rows = dbt_run.rows(
        "select period, indicator_code, base_period, base_available from audit.figure_base_periods "
        "where indicator_code like 'R%' and period >= '2022-01' order by all"
    )
    expected = [
        *(("2022-04", code, "2021-12", True) for code in ("R04", "R05", "R06")),
        *(("2022-05", code, "2021-12", True) for code in ("R04", "R05", "R06")),
        # Disposals of January..M: every earlier month of the year, the ones never ingested too.
        *((p, "R07", f"2022-{m:02d}", False) for p in ("2022-04", "2022-05") for m in (1, 2, 3)),
        ("2022-05", "R07", "2022-04", True),
    ]
    assert sorted(tuple(r.values()) for r in rows) == sorted(expected)
