"""Staging keeps the current revision only; marts have their grain and keep codes as text."""

from __future__ import annotations

import os
import subprocess

from finstat.reference import load_city
from finstat.settings import OFFLINE_ENV, PROJECT_ROOT
from tests.dbt import tiny_lake
from tests.dbt.conftest import DBT

B1_V2 = "bank_loans/2022-05/B1000000000001_202205_v2.xlsx"


def test_revision_2_supersedes_revision_1(dbt_run):
    balances = dbt_run.rows(
        "select distinct source_file, revision from fct_loan_balances where inst_code = ? and period = '2022-05'",
        [tiny_lake.B1],
    )
    assert balances == [{"source_file": B1_V2, "revision": 2}]
    disposals = dbt_run.rows(
        "select item_code from fct_loan_disposals where inst_code = ? and period = '2022-05' order by 1",
        [tiny_lake.B1],
    )
    assert [r["item_code"] for r in disposals] == ["D01", "D02", "D04"]  # revision 1's D06 is gone
    completeness = dbt_run.rows(
        "select found, passed, source_file from audit.qr_06_completeness "
        "where inst_code = ? and period = '2022-05'",
        [tiny_lake.B1],
    )
    assert completeness == [{"found": 1, "passed": True, "source_file": B1_V2}]


def test_total_column_only_in_staging(dbt_run):
    assert dbt_run.rows("select count(*) as n from fct_loan_balances where county_code = 'TOTAL'") == [
        {"n": 0}
    ]
    staged = dbt_run.rows("select count(*) as n from stg_bank_loans__balances where county_code = 'TOTAL'")
    assert staged[0]["n"] > 0


def test_fact_grain_and_amounts(dbt_run):
    rows = dbt_run.rows(
        "select amount_yuan from fct_loan_balances "
        "where inst_code = ? and county_code = '410611' and item_code = 'A01' and period = '2022-05'",
        [tiny_lake.B1],
    )
    assert [r["amount_yuan"] for r in rows] == [tiny_lake.cents(tiny_lake.Decimal("1100000.01") * 14)]
    disposals = dbt_run.rows(
        "select amount_month_yuan, amount_ytd_yuan from fct_loan_disposals "
        "where inst_code = ? and item_code = 'D02' and period = '2022-05'",
        [tiny_lake.B1],
    )
    assert [tuple(r.values()) for r in disposals] == [
        (tiny_lake.Decimal("200000.00"), tiny_lake.Decimal("1200000.00"))
    ]


def test_codes_stay_text(dbt_run):
    types = dbt_run.rows(
        "select table_name, column_name, data_type from information_schema.columns "
        "where column_name in ('inst_code', 'region_code', 'county_code', 'period')"
    )
    assert types and {t["data_type"] for t in types} == {"VARCHAR"}


def test_months_cover_gaps_and_build_month(dbt_run):
    months = dbt_run.rows("select period, has_bank_loans, is_build_period from dim_month order by period")
    assert months[0]["period"] == "2021-05" and months[-1]["period"] == "2022-05"
    assert len(months) == 13
    assert [m["period"] for m in months if m["is_build_period"]] == ["2022-05"]
    assert {m["period"] for m in months if m["has_bank_loans"]} == set(tiny_lake.FACTORS)


def test_added_back_set_is_configuration(dbt_run):
    rows = dbt_run.rows("select item_code from dim_item where is_added_back order by 1")
    assert [r["item_code"] for r in rows] == ["D02", "D03", "D04", "D05"]


def test_the_city_is_the_one_the_job_passed(dbt_run):
    # run_dbt passes the tiny reference's city (finstat.reference.dbt_vars), as the job does.
    city = load_city(dbt_run.root / "reference").code
    assert dbt_run.rows("select region_code from dim_region where is_city_total") == [{"region_code": city}]


def test_no_build_without_the_city(tmp_path):
    # Nothing in the project names a city: without the job's var, dbt refuses rather than guesses.
    (tmp_path / "work").mkdir()
    done = subprocess.run(
        [
            str(DBT), "compile", "--select", "dim_region",
            "--project-dir", str(PROJECT_ROOT / "dbt_project"), "--profiles-dir", str(PROJECT_ROOT / "dbt_project"),
            "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
        ],
        env={**os.environ, **OFFLINE_ENV, "FINSTAT_HOME": str(tmp_path)},
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert done.returncode != 0
    assert "city_region_code must be the city's six-digit code ending in 00" in done.stdout
