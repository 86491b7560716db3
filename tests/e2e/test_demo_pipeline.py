"""The real Dagster job on generated extracts 2021-01..2022-05 publishes the bureau's May 2022 figures."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pyarrow.parquet as pq
import pytest

from finstat.gate_record import read_gate_record
from finstat.settings import load_settings
from tests.demo_warehouse import JOB_MONTHS
from tests.e2e.expected_figures import expected_city_figures, expected_county_figures
from tests.e2e.expected_ledgers import expected_ledger_figures
from tests.e2e.expected_platform import expected_platform_figures
from tests.e2e.expected_programme import expected_programme_figures
from tests.e2e.expected_rural import expected_rural_figures

pytestmark = pytest.mark.e2e

# The bureau's own report for May 2022 (shared/seed): these must come out exactly as published.
BUREAU_MAY_2022 = {
    "L01": Decimal("785.03"),
    "L03": Decimal("58.00"),
    "L04": Decimal("7.15"),
    "L05": Decimal("105.74"),
    "L06": Decimal("13.84"),
    "L07": Decimal("444.86"),
}


def _published(home, period):
    table = pq.read_table(home / "published" / "official_figures.parquet")
    return [r for r in table.to_pylist() if r["period"] == period]


def test_the_job_publishes_each_month_it_runs(demo_run):
    assert demo_run["codes"] == [0] * len(JOB_MONTHS)
    table = pq.read_table(demo_run["home"] / "published" / "official_figures.parquet")
    assert sorted(set(table.column("period").to_pylist())) == sorted(JOB_MONTHS)


def _work_rows(demo_run, sql: str) -> list[dict]:
    with duckdb.connect(str(demo_run["home"] / "work" / "finstat.duckdb"), read_only=True) as con:
        return con.sql(sql).to_arrow_table().to_pylist()


def test_every_demo_month_passes_every_gate_rule(demo_run, demo_dataset):
    """The whole history is gated in the working database: no demo month would be blocked."""
    from expectations.rules import GATE_RULES
    from expectations.runner import run_rule

    log = pq.read_table(demo_run["home"] / "lake" / "ingestion_log").to_pylist()
    assert {r["status"] for r in log} == {"accepted"}
    assert {r["folder_period"] for r in log} == set(demo_dataset.periods)
    for spec in GATE_RULES:
        with duckdb.connect(str(demo_run["home"] / "work" / "finstat.duckdb"), read_only=True) as con:
            frame = con.sql(f"select * from audit.{spec.model} order by all").to_arrow_table().to_pandas()
        result = run_rule(spec, frame)
        if spec.blocks_publication:
            assert result.passed, (spec.rule, result.failing_rows[:3])
        else:
            # Rule 22: the demo's one reconciliation difference, the bills of March 2022.
            assert {(r["period"], r["measure"]) for r in result.failing_rows} == {
                ("2022-03", "各项贷款余额"),
                ("2022-03", "各项贷款比年初增减"),
                ("2022-03", "各项贷款同比增长"),
            }
    figures = _work_rows(
        demo_run, "select distinct period from audit.candidate_figures where indicator_code = 'L01'"
    )
    assert sorted(r["period"] for r in figures) == demo_dataset.periods


def test_bureau_figures_for_may_2022(demo_run):
    rows = {
        r["indicator_code"]: r["value"]
        for r in _published(demo_run["home"], "2022-05")
        if r["region_code"] == "410600"
    }
    for code, value in BUREAU_MAY_2022.items():
        assert rows[code] == value, code


def test_every_may_2022_figure_matches_the_generator(demo_run, demo_dataset):
    published = [r for r in _published(demo_run["home"], "2022-05") if r["indicator_code"].startswith("L")]
    city = {r["indicator_code"]: r["value"] for r in published if r["region_code"] == "410600"}
    assert city == expected_city_figures(demo_dataset, "2022-05")
    county = {
        (r["indicator_code"], r["region_code"]): r["value"] for r in published if r["region_code"] != "410600"
    }
    assert county == expected_county_figures(demo_dataset, "2022-05")
    assert {r["version"] for r in published} == {1}


def test_2021_withholds_indicators_without_base_month(demo_run):
    """2020 was never ingested: the growth figures of 2021 are not published, and the record says why."""
    codes = {
        r["indicator_code"] for r in _published(demo_run["home"], "2021-06") if r["region_code"] == "410600"
    }
    # L02-L06 and L12-L14 need 2020-12 and 2020-06, R04-R06 need 2020-12: none of them was
    # ingested. The platform and programme figures need only the month's own snapshot or reports.
    assert codes == {
        "L01", "L07", "L08", "L09", "L10", "L11", "R01", "R02", "R03", "R07", "R08", "R09",
        "P01", "P02", "P03", "P04", "P05", "P06",
        "V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V09",
        "H01", "H02", "H03", "H04", "H05", "H06",
    } | set(expected_ledger_figures(demo_run["landing"], "2021-06"))  # fmt: skip
    with duckdb.connect(str(demo_run["home"] / "published" / "finstat_bi.duckdb"), read_only=True) as con:
        missing = con.execute(
            "select missing_base_periods_json from publications where period = '2021-06'"
        ).fetchone()[0]
    assert "2020-12" in missing and "2020-06" in missing


def test_bi_database_matches_parquet_and_is_decimal(demo_run):
    published = demo_run["home"] / "published"
    with duckdb.connect(str(published / "finstat_bi.duckdb"), read_only=True) as con:
        count, value_type = con.execute(
            "select count(*), any_value(typeof(value)) from official_figures"
        ).fetchone()
    assert count == pq.read_table(published / "official_figures.parquet").num_rows
    assert value_type == "DECIMAL(20,4)"


def test_rerun_is_unchanged_then_forced_publishes_no_new_version(demo_run, capsys):
    """Nothing new in landing: the month answers without a run; --force runs the job, same version."""
    from orchestration.cli import main
    from orchestration.runner import dagster_instance

    argv = [
        "--landing",
        str(demo_run["landing"]),
        "--home",
        str(demo_run["home"]),
        "run",
        "--month",
        "2022-05",
    ]
    settings = load_settings(demo_run["landing"], demo_run["home"])
    runs = dagster_instance(settings).get_runs_count()
    published_by = read_gate_record(demo_run["home"], "2022-05")["run_id"]
    capsys.readouterr()
    assert main(argv) == 0
    assert capsys.readouterr().out == f"2022-05: unchanged since run {published_by} — published version 1\n"
    assert dagster_instance(settings).get_runs_count() == runs, "the shortcut starts no Dagster run"
    assert main([*argv, "--force"]) == 0
    assert capsys.readouterr().out.startswith("2022-05: published (version 1)")
    assert dagster_instance(settings).get_runs_count() == runs + 1
    history = pq.read_table(demo_run["home"] / "published" / "official_figures_history.parquet").to_pylist()
    assert {r["version"] for r in history if r["period"] == "2022-05"} == {1}
    # The forced run confirmed the month: the next plain run answers at once again, with its id.
    forced_by = read_gate_record(demo_run["home"], "2022-05")["run_id"]
    assert forced_by != published_by
    assert main(argv) == 0
    assert f"unchanged since run {forced_by}" in capsys.readouterr().out


def test_rural_credit_figures_match_the_generators_loans(demo_run, rural_data):
    published = {
        (r["indicator_code"], r["region_code"]): r["value"]
        for r in _published(demo_run["home"], "2022-05")
        if r["indicator_code"].startswith("R")
    }
    assert published == expected_rural_figures(rural_data, "2022-05")
    # The bureau's statement: 农信系统不良贷款率较年初下降 46.22%, 双降.
    assert published[("R04", "410600")] == Decimal("46.22")
    assert published[("R06", "410600")] == Decimal("1")


def test_platform_figures_match_the_generators_snapshot(demo_run, demo_dataset):
    published = {
        (r["indicator_code"], r["region_code"]): r["value"]
        for r in _published(demo_run["home"], "2022-05")
        if r["indicator_code"].startswith("P")
    }
    assert published == expected_platform_figures(demo_dataset.platform.snapshot("2022-05"))
    # The bureau's statement: 平台已注册企业 5000 多家, 12 家银行机构上线金融产品 92 支, 累计授信
    # 97.93 亿元, 信贷投放 40 余亿元.
    city = {code: value for (code, region), value in published.items() if region == "410600"}
    assert (city["P02"], city["P03"], city["P04"]) == (Decimal(12), Decimal(92), Decimal("97.93"))
    assert 5000 < city["P01"] < 6000 and 40 < city["P05"] < 50
    assert (
        sum(v for (code, region), v in published.items() if code == "P01" and region != "410600")
        == city["P01"]
    )


def test_platform_figures_of_every_month_match_the_generator(demo_run, demo_dataset):
    """Every month's snapshot, as modelled (the candidates publication would round)."""
    from finstat.money import round_for_publication

    rows = _work_rows(demo_run, "select * from audit.candidate_figures where indicator_code like 'P%'")
    for period in demo_dataset.periods:
        candidates = {
            (r["indicator_code"], r["region_code"]): round_for_publication(r["value"], r["unit"])
            for r in rows
            if r["period"] == period
        }
        assert candidates == expected_platform_figures(demo_dataset.platform.snapshot(period)), period


# The bureau's report for May 2022 on poverty-alleviation credit, relief policies and 双降 (shared/seed).
BUREAU_PROGRAMMES_MAY_2022 = {
    "V01": Decimal("1309"),
    "V02": Decimal("2375.99"),
    "V03": Decimal("14.28"),
    "V07": Decimal("5278"),
    "V08": Decimal("3927"),
    "V09": Decimal("42.04"),
    "H01": Decimal("265"),
    "H02": Decimal("10.53"),
    "H03": Decimal("822"),
    "H05": Decimal("219"),
    "H06": Decimal("4.79"),
    "L14": Decimal("1"),
}


def test_programme_figures_match_the_bureau_and_the_generator(demo_run, demo_dataset):
    from demo.bank_programmes import load_poverty_households

    rows = _published(demo_run["home"], "2022-05")
    city = {r["indicator_code"]: r["value"] for r in rows if r["region_code"] == "410600"}
    assert {code: city.get(code) for code in BUREAU_PROGRAMMES_MAY_2022} == BUREAU_PROGRAMMES_MAY_2022
    published = {
        (r["indicator_code"], r["region_code"]): r["value"] for r in rows if r["indicator_code"][0] in "VH"
    }
    for period in ("2021-06", "2022-05"):
        got = (
            published
            if period == "2022-05"
            else {
                (r["indicator_code"], r["region_code"]): r["value"]
                for r in _published(demo_run["home"], period)
                if r["indicator_code"][0] in "VH"
            }
        )
        assert got == expected_programme_figures(
            demo_dataset.programmes, period, load_poverty_households()
        ), period


def test_months_without_programme_reports_withhold_v_and_h(demo_run, demo_dataset):
    """The demo's reports start after its first months: those withhold V and H, their own month missing."""
    from demo.bank_programmes import START

    before = [p for p in demo_dataset.periods if p < START]
    assert before
    rows = _work_rows(
        demo_run,
        "select period, indicator_code, missing_period from audit.missing_base_periods"
        " where indicator_code like 'V%' or indicator_code like 'H%'",
    )
    codes = {f"V0{i}" for i in range(1, 10)} | {f"H0{i}" for i in range(1, 7)}
    assert {(r["period"], r["indicator_code"], r["missing_period"]) for r in rows} == {
        (p, code, p) for p in before for code in codes
    }
    withheld = _work_rows(
        demo_run,
        "select distinct period from audit.candidate_figures"
        " where indicator_code like 'V%' or indicator_code like 'H%'",
    )
    assert not {r["period"] for r in withheld} & set(before)


# The bureau's report for May 2022 on its own work (indicators.md, "The bureau's ledgers").
BUREAU_LEDGERS_MAY_2022 = {
    "M02": 943, "M03": 278, "M04": 6, "M05": Decimal("455.32"), "M06": Decimal("124.08"),
    "M08": Decimal("77.79"), "M09": 10, "M10": 20, "M12": 10, "S01": 39, "S05": 29, "S06": 14, "G01": 14,
}  # fmt: skip


def test_ledger_figures_are_the_bureau_s_and_the_workbooks(demo_run):
    """Every published M/S/G figure of the job's months equals the workbooks read by a reader of our own."""
    for period in JOB_MONTHS:
        got = {
            r["indicator_code"]: r["value"]
            for r in _published(demo_run["home"], period)
            if r["indicator_code"][0] in "MSG"
        }
        expected = expected_ledger_figures(demo_run["landing"], period)
        assert len(expected) >= 19 and got == expected, period
    may = {r["indicator_code"]: r["value"] for r in _published(demo_run["home"], "2022-05")}
    assert {code: may[code] for code in BUREAU_LEDGERS_MAY_2022} == BUREAU_LEDGERS_MAY_2022
    assert 50 <= may["M01"] <= 59 and 38 <= may["M11"] < 40 and 160 <= may["S04"] <= 169


def test_the_month_without_ledgers_withholds_m_s_g_and_publishes_the_rest(demo_run):
    from demo.ledgers import MISSING_PERIOD

    rows = _work_rows(
        demo_run,
        "select distinct indicator_code, missing_period from audit.missing_base_periods"
        f" where period = '{MISSING_PERIOD}'",
    )
    withheld = {r["indicator_code"] for r in rows if r["missing_period"] == MISSING_PERIOD}
    ledger = {f"M{i:02d}" for i in range(1, 14)} | {f"S0{i}" for i in range(1, 7)} | {"G01"}
    assert ledger - {"M13"} <= withheld
    candidates = _work_rows(
        demo_run,
        f"select distinct indicator_code from audit.candidate_figures where period = '{MISSING_PERIOD}'",
    )
    codes = {r["indicator_code"] for r in candidates}
    assert "L01" in codes and "P01" in codes and not codes & ledger
