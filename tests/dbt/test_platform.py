"""Platform: staging/marts, P01-P06 against hand-computed values, status history and rules 18-21."""

from __future__ import annotations

from decimal import Decimal

import pytest

from expectations.rules import RULES_BY_NUMBER
from expectations.runner import load_rule_rows, run_rule
from expectations.suites.common import RULE_COLUMNS
from tests.dbt import tiny_platform
from tests.dbt.tiny_lake import CITY


def _p_figures(dbt_run, period: str) -> dict[tuple[str, str], Decimal]:
    rows = dbt_run.rows(
        "select * from audit.candidate_figures where period = ? and indicator_code like 'P%'", [period]
    )
    return {(r["indicator_code"], r["region_code"]): r["value"] for r in rows}


@pytest.mark.parametrize("period", ["2022-04", "2022-05"])
def test_p01_to_p06_equal_the_hand_computed_values(dbt_run, period):
    expected = tiny_platform.EXPECTED[period]
    figures = _p_figures(dbt_run, period)
    wanted = {("P01", region): Decimal(n) for region, n in expected["P01"].items()}
    wanted.update({(code, CITY): Decimal(expected[code]) for code in ("P02", "P03", "P04", "P05", "P06")})
    # Counties without a registered enterprise publish 0, not nothing.
    assert {k: v for k, v in figures.items() if v != 0} == wanted
    assert {region for code, region in figures if code == "P01"} == {
        CITY,
        "410602",
        "410603",
        "410611",
        "410621",
        "410622",
    }
    assert {code for code, _ in figures} == {"P01", "P02", "P03", "P04", "P05", "P06"}


def test_a_partial_snapshot_publishes_no_platform_figure(dbt_run):
    assert _p_figures(dbt_run, "2022-03") == {}
    rows = dbt_run.rows("select * from int_platform__snapshots order by period")
    assert [(r["period"], r["is_complete"]) for r in rows] == [
        ("2022-03", False),
        ("2022-04", True),
        ("2022-05", True),
    ]


def test_months_without_any_platform_file_list_the_p_figures_as_withheld(dbt_run):
    rows = dbt_run.rows(
        "select period, indicator_code, missing_period from audit.missing_base_periods "
        "where indicator_code like 'P%' order by all"
    )
    withheld = {(r["period"], r["missing_period"]) for r in rows}
    assert ("2021-12", "2021-12") in withheld
    # 2022-03 has a (partial) snapshot: rule 19 blocks it instead; 2022-04/05 have complete ones.
    assert not {p for p, _ in withheld} & {"2022-03", "2022-04", "2022-05"}
    assert {r["indicator_code"] for r in rows} == {"P01", "P02", "P03", "P04", "P05", "P06"}


def test_request_fact_counts_events_by_month_end(dbt_run):
    rows = dbt_run.rows(
        "select request_id, is_granted_by_month_end, is_disbursed_by_month_end, granted_yuan "
        "from fct_platform_requests where period = '2022-05' order by request_id"
    )
    r8 = next(r for r in rows if r["request_id"] == "R8")
    assert (r8["is_granted_by_month_end"], r8["is_disbursed_by_month_end"]) == (True, False)
    assert r8["granted_yuan"] == Decimal("100000.00")


def test_status_history_answers_which_requests_changed_in_may(dbt_run):
    rows = dbt_run.rows(
        "select request_id, status, previous_status, previous_period from fct_platform_request_status_history "
        "where period = '2022-05' order by request_id"
    )
    assert [(r["request_id"], r["previous_status"], r["status"]) for r in rows] == [
        ("R2", "已授信", "已撤回"),
        ("R3", "待受理", "已受理"),
        ("R5", None, "已放款"),
        ("R6", None, "已授信"),
        ("R7", None, "待受理"),
        ("R8", None, "已放款"),
    ]
    # R1 did not change in May: its April row stays the current one.
    r1 = dbt_run.rows("select * from fct_platform_request_status_history where request_id = 'R1'")
    assert [(r["period"], r["status"], r["next_change_period"]) for r in r1] == [("2022-04", "已放款", None)]


def test_dims_hold_the_latest_description_without_clear_identifiers(dbt_run):
    product = dbt_run.rows("select * from dim_platform_product where product_id = 'P2'")[0]
    assert (product["status"], product["first_period"], product["last_period"]) == (
        "下架",
        "2022-04",
        "2022-05",
    )
    enterprise = dbt_run.rows("select * from dim_platform_enterprise where enterprise_id = 'E4'")[0]
    assert enterprise["uscc_check_ok"] is False and len(enterprise["uscc_key"]) == 64
    columns = {r["column_name"] for r in dbt_run.rows("describe dim_platform_enterprise")}
    assert not columns & {"uscc", "enterprise_name", "name"}


def _rule_rows(dbt_run, rule: int, period: str = "2022-05"):
    spec = RULES_BY_NUMBER[rule]
    return run_rule(spec, load_rule_rows(dbt_run.db_path, spec.model, period))


@pytest.mark.parametrize("rule", [18, 19, 20, 21])
def test_platform_rule_models_have_the_shared_layout_and_record_columns(dbt_run, rule):
    columns = [r["column_name"] for r in dbt_run.rows(f"describe audit.{RULES_BY_NUMBER[rule].model}")]
    assert columns == [*RULE_COLUMNS, "request_id", "product_id", "enterprise_id"]


def test_the_clean_month_passes_every_platform_rule(dbt_run):
    for rule in (18, 19, 20, 21):
        assert _rule_rows(dbt_run, rule, "2022-04").passed, rule


def test_rule_18_names_the_requests(dbt_run):
    result = _rule_rows(dbt_run, 18)
    assert not result.passed
    found = {(r["request_id"], r["measure"]) for r in result.failing_rows}
    assert found == {("R5", "放款金额<=授信金额"), ("R6", "授信时间>=申请时间")}
    r5 = next(r for r in result.failing_rows if r["request_id"] == "R5")
    assert (r5["expected"], r5["found"]) == (Decimal("300000.00"), Decimal("400000.00"))
    assert "放款金额 40 万元 大于授信金额 30 万元" in r5["detail"]
    assert "expect_column_pair_values_a_to_be_greater_than_b expected" in result.failed_expectations


def test_rule_19_names_requests_products_and_the_missing_files(dbt_run):
    result = _rule_rows(dbt_run, 19)
    found = {
        (r["measure"], r["request_id"], r["product_id"], r["enterprise_id"]) for r in result.failing_rows
    }
    assert found == {
        ("企业ID", "R7", "P9", "E9"),
        ("产品ID", "R7", "P9", "E9"),
        ("机构代码", None, "P4", None),
    }
    march = _rule_rows(dbt_run, 19, "2022-03")
    assert [r["measure"] for r in march.failing_rows] == ["快照文件"]
    assert "金融产品_202203.csv、融资需求_202203.csv" in march.failing_rows[0]["detail"]


def test_rule_20_flags_the_falling_figures_and_the_records_behind_them(dbt_run):
    result = _rule_rows(dbt_run, 20)
    failing = {(r["measure"][:3], r["request_id"], r["enterprise_id"]) for r in result.failing_rows}
    assert failing == {("P04", None, None), ("P04", "R2", "E2"), ("P06", None, None), ("P06", None, "E2")}
    p04 = next(r for r in result.failing_rows if r["measure"].startswith("P04") and r["request_id"] is None)
    assert (p04["expected"], p04["found"]) == (Decimal("1500000.00"), Decimal("1450000.00"))
    p05 = _rule_rows(dbt_run, 20).checked_rows
    assert p05 == 5  # three figure rows and the two record rows


def test_rule_21_names_the_enterprise_without_its_code(dbt_run):
    result = _rule_rows(dbt_run, 21)
    assert [r["enterprise_id"] for r in result.failing_rows] == ["E4"]
    assert "统一社会信用代码校验位不正确" in result.failing_rows[0]["detail"]
