"""The ledgers in dbt: staging, marts, figures M/S/G and gate rules 30-32 on the tiny ledger lake."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from expectations.rules import RULES_BY_NUMBER
from finstat.settings import DBT_PROJECT_DIR
from tests.dbt import tiny_ledgers
from tests.dbt.tiny_lake import B1, B2, B3, CITY

MONTHS = ("2021-12", "2022-03", "2022-04", "2022-05")
CODES_OF = {
    "ledger_matchmaking": [f"M{n:02d}" for n in range(1, 14)],
    "ledger_listing": [f"S{n:02d}" for n in range(1, 7)],
    "ledger_documents": ["G01"],
}


def _figures(dbt_run, period: str) -> dict[str, Decimal]:
    rows = dbt_run.rows(
        "select indicator_code, region_code, value from audit.candidate_figures "
        "where period = ? and regexp_matches(indicator_code, '^[MSG][0-9]')",
        [period],
    )
    assert {r["region_code"] for r in rows} <= {CITY}  # the ledgers' figures are the city's only
    return {r["indicator_code"]: r["value"] for r in rows}


@pytest.mark.parametrize("period", MONTHS)
def test_figures_equal_the_hand_computed_values(dbt_run, period):
    expected = {code: Decimal(str(value)) for code, value in tiny_ledgers.EXPECTED[period].items()}
    assert _figures(dbt_run, period) == expected


def test_a_missing_workbook_withholds_its_figures_naming_the_month(dbt_run):
    rows = dbt_run.rows(
        "select period, indicator_code, missing_period from audit.missing_base_periods "
        "where regexp_matches(indicator_code, '^[MSG][0-9]')"
    )
    got = {(r["period"], r["indicator_code"], r["missing_period"]) for r in rows}
    # Every month with any source's data and without the workbook: the tiny lake's 2021-05 has bank
    # loans only, 2021-12 the 上市后备企业台账 only, 2022-04 no 监管文书台账.
    months = {"2021-05", *MONTHS}
    expected = {
        (period, code, period)
        for table, codes in CODES_OF.items()
        for period in months - set(tiny_ledgers.DELIVERED[table])
        for code in codes
    }
    assert got == expected
    assert ("2022-04", "G01", "2022-04") in got and ("2021-12", "M01", "2021-12") in got


def test_catalogue_lists_every_ledger_figure_for_its_workbook(dbt_run):
    rows = dbt_run.rows("select indicator_code, source, base_months, by_county from indicators")
    ledger_rows = {r["indicator_code"]: r for r in rows if r["source"].startswith("ledger_")}
    assert sorted(ledger_rows) == sorted(code for codes in CODES_OF.values() for code in codes)
    for table, codes in CODES_OF.items():
        for code in codes:
            assert (ledger_rows[code]["source"], ledger_rows[code]["base_months"]) == (table, "own_month")
            assert ledger_rows[code]["by_county"] is False


def test_m13_is_answerable_per_project_and_institution(dbt_run):
    rows = dbt_run.rows(
        "select project_id, inst_code, is_signed, signed_yuan, disbursed_yuan, landing_rate_pct "
        "from fct_ledger_signing_follow_up where period = '2022-05' and is_signed order by project_id"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("P1", B1, True, Decimal("8000000.00"), Decimal("5000000.00"), Decimal("62.5")),
        # Disbursed in May, filled in May's ledger (empty in April's).
        ("P2", B2, True, Decimal("4000000.00"), Decimal("3000000.00"), Decimal("75")),
    ]
    april = dbt_run.rows(
        "select disbursed_yuan, landing_rate_pct from fct_ledger_signing_follow_up "
        "where period = '2022-04' and project_id = 'P2'"
    )
    assert april == [{"disbursed_yuan": Decimal("0.00"), "landing_rate_pct": Decimal("0")}]


def test_pipeline_stages_month_by_month(dbt_run):
    rows = dbt_run.rows(
        "select period, listing_stage, previous_period, previous_stage from fct_ledger_pipeline_enterprises "
        "where enterprise_id = 'E1' order by period"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("2021-12", "培育", None, None),
        ("2022-03", "股改完成", "2021-12", "培育"),
        ("2022-04", "辅导备案", "2022-03", "股改完成"),
        ("2022-05", "辅导备案", "2022-04", "辅导备案"),
    ]


def test_repeated_keys_keep_their_first_row(dbt_run):
    [credit] = dbt_run.rows(
        "select credit_yuan, disbursed_yuan, row_number from fct_ledger_credit_follow_up "
        "where period = '2022-05' and project_id = 'P1' and inst_code = ?",
        [B1],
    )
    assert credit == {
        "credit_yuan": Decimal("8000000.00"),
        "disbursed_yuan": Decimal("5000000.00"),
        "row_number": 3,
    }


# ---- rules 30-32 ---------------------------------------------------------------------------------
PLANTED = {
    30: {
        ("键唯一", "对接活动", "A4"),
        ("键唯一", "授信跟踪", f"P1/{B1}"),
        ("键唯一", "后备企业", "E5"),
        ("键唯一", "文书", "D4"),
        ("项目编号引用", "授信跟踪", "P9"),
        ("活动编号引用", "签约", "A9"),
        ("机构代码引用", "签约", tiny_ledgers.UNKNOWN_BANK),
        ("放款金额<=授信金额", "授信跟踪", f"P4/{B3}"),
        ("签约金额与签约日期", "签约", f"A4/P5/{B1}"),
        ("签约金额与签约日期", "签约", f"A3/P4/{B2}"),
        ("企业编号引用", "服务记录", "E9"),
    },
    31: {("本年累计", None, "M01"), ("记录", "对接活动", tiny_ledgers.DELETED_ACTIVITY)},
    32: {
        ("阶段", "后备企业", tiny_ledgers.STAGE_BACK),
        ("重点企业出库", "后备企业", tiny_ledgers.GONE_KEY_ENTERPRISE),
    },
}


def _rule_rows(dbt_run, rule: int, period: str) -> list[dict]:
    return dbt_run.rows(f"select * from audit.{RULES_BY_NUMBER[rule].model} where period = ?", [period])


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_each_rule_fails_exactly_on_its_planted_defects(dbt_run, rule):
    rows = _rule_rows(dbt_run, rule, "2022-05")
    failing = {(r["measure"], r["sheet"], r["key_value"]) for r in rows if not r["passed"]}
    assert failing == PLANTED[rule]
    for row in rows:
        assert row["rule"] == rule and row["ledger"] in tiny_ledgers.LEDGER_OF.values() and row["detail"]


@pytest.mark.parametrize("rule", sorted(PLANTED))
@pytest.mark.parametrize("period", ["2021-12", "2022-03", "2022-04"])
def test_each_rule_passes_in_the_clean_months(dbt_run, rule, period):
    assert [r["detail"] for r in _rule_rows(dbt_run, rule, period) if not r["passed"]] == []


def test_rule_30_names_workbook_sheet_row_and_amounts(dbt_run):
    rows = {r["measure"] + r["key_value"]: r for r in _rule_rows(dbt_run, 30, "2022-05")}
    excess = rows[f"放款金额<=授信金额P4/{B3}"]
    assert (excess["inst_code"], excess["expected"], excess["found"]) == (
        B3,
        Decimal("500000.00"),
        Decimal("800000.00"),
    )
    assert excess["detail"].startswith("银企对接台账 2022-05 工作表 授信跟踪 第 ")
    assert "80.00 万元" in excess["detail"] and "50.00 万元" in excess["detail"]
    repeated = rows["键唯一A4"]
    assert repeated["found"] == 2 and "第 6、8 行" in repeated["detail"], repeated["detail"]


def test_rule_31_compares_with_the_latest_earlier_month_of_the_same_year(dbt_run):
    # 2022-03 is the year's first ledger month (2021-12's listing ledger is last year's): no rows.
    assert _rule_rows(dbt_run, 31, "2022-03") == []
    rows = _rule_rows(dbt_run, 31, "2022-05")
    g01 = next(r for r in rows if r["item_code"] == "G01" and r["measure"] == "本年累计")
    # April had no 监管文书台账: May's G01 is compared with March's.
    assert (g01["expected"], g01["found"], g01["passed"]) == (Decimal("2.00"), Decimal("3.00"), True)
    assert "2022-03" in g01["detail"]
    m01 = next(r for r in rows if r["item_code"] == "M01" and r["measure"] == "本年累计")
    assert (m01["expected"], m01["found"]) == (Decimal("5.00"), Decimal("4.00"))
    m05 = next(r for r in rows if r["item_code"] == "M05" and r["measure"] == "本年累计")
    assert (m05["expected"], m05["found"]) == (Decimal("36000000.00"), Decimal("37000000.00"))
    assert {r["item_code"] for r in rows if r["measure"] == "本年累计"} == {
        *CODES_OF["ledger_matchmaking"][:12],
        "S04",
        "S05",
        "S06",
        "G01",
    }


def test_rule_32_passes_an_enterprise_that_left_with_its_exit_date(dbt_run):
    rows = _rule_rows(dbt_run, 32, "2022-05")
    gone = {r["key_value"]: r["passed"] for r in rows if r["measure"] == "重点企业出库"}
    assert gone == {"E4": True, tiny_ledgers.GONE_KEY_ENTERPRISE: False}


def test_no_rule_text_names_an_enterprise_or_a_project(dbt_run):
    names = (
        "项目P",
        "某小额贷款公司",
        "对接活动A",
    )  # the tiny ledgers' project, organisation, activity names
    for rule in PLANTED:
        for period in MONTHS:
            for row in _rule_rows(dbt_run, rule, period):
                assert not any(name in row["detail"] for name in names), row["detail"]
                assert "uscc" not in row["detail"] and len(row["detail"]) < 300


def test_the_tiny_lake_has_the_dbt_source_s_types():
    """The tiny lake is written with the contract's types; the dbt source yml declares the same."""
    sources = yaml.safe_load(
        (DBT_PROJECT_DIR / "models/staging/ledgers/_ledgers__sources.yml").read_text("utf-8")
    )
    tables = {t["name"]: t for t in sources["sources"][0]["tables"]}
    spark = {
        "string": "string",
        "int32": "int",
        "bool": "boolean",
        "date32[day]": "date",
        "timestamp[us]": "timestamp_ntz",
    }
    for name, schema in tiny_ledgers.SCHEMAS.items():
        declared = [(c["name"], c["data_type"]) for c in tables[name]["columns"]]
        lake = [(f.name, spark.get(str(f.type), f"decimal({getattr(f.type, 'precision', 0)},{getattr(f.type, 'scale', 0)})"))
                for f in schema]  # fmt: skip
        assert declared == lake, name
