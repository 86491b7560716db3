"""Bad input for the programme rules: each of rules 23-29 planted in its own month of a copy of the demo.

One landing (the demo, seven programme reports altered, one defect a month), ingested by ingestion
itself, and two selective dbt builds: the planted one, where each rule blocks exactly its month naming
the planted institution and county, and the corrected one (the same reports sent again as `_v2`),
where all seven pass in every month. No Dagster job: the gate's own functions judge the rows.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from demo.bank_programmes import render_programme
from demo.bank_programmes.calibration import HOUSEHOLD_CEILING
from demo.bank_programmes.numbers import ProgrammeData
from demo.generator import build_dataset, write_landing
from expectations.rules import RULES_BY_NUMBER
from expectations.runner import load_rule_rows, run_rule
from finstat.reference import dbt_vars
from finstat.settings import OFFLINE_ENV, PROJECT_ROOT, SHIPPED_REFERENCE_DIR, load_settings
from ingestion.log import read_log
from ingestion.registry import SOURCES
from ingestion.run import ingest_landing
from tests.dbt.conftest import DBT, DbtRun

SOURCE = "bank_programmes"
LAST = "2022-05"
RULES = range(23, 30)
# A district regions.csv of the copy adds and poverty_households.csv has no row for (rule 29).
NEW_COUNTY = ("410690", "示范区")
# What the seven rules read: the programme reports, the loan reports (A02) and the loan files (F02).
INGESTED = (SOURCE, "bank_loans", "rural_credit")
MODELS = [f"+{RULES_BY_NUMBER[rule].model}" for rule in RULES]
# rule -> its month: F01 (本年累计) is raised in December, so January's restart hides it from rule
# 25; the new county's F04 (never decreasing) comes in the last month, with none after it.
MONTHS = {23: "2021-04", 24: "2021-05", 25: "2021-06", 26: "2021-07", 27: "2021-08", 28: "2021-12", 29: LAST}


@dataclasses.dataclass
class Planted:
    rule: int
    plan: object  # the FilePlan of the altered report
    county: str | None
    planted: bytes | None  # None: the report withheld (rule 23)
    corrected: bytes


def _plants(dataset, data: ProgrammeData) -> list[Planted]:
    rural = {inst.code for inst in dataset.institutions if inst.is_rural_credit}

    def pick(
        rule: int, item: str, minimum: Decimal = Decimal(1), *, rural_only=None, fmt=None, previous=False
    ):
        """The month's first report (and county) whose item has households and `minimum` 元 or more
        (in the month before with previous=True): a defect there shows."""
        month = MONTHS[rule]
        for plan in data.files:
            if plan.period != month or (fmt and plan.fmt != fmt):
                continue
            if rural_only is not None and (plan.inst_code in rural) != rural_only:
                continue
            period = data.periods[data.periods.index(month) - 1] if previous else month
            for (county, i), (n, amount) in sorted(data.report(period, plan.inst_code).items()):
                if i == item and n > 0 and amount >= minimum:
                    return (
                        plan,
                        county,
                        data.report(month, plan.inst_code),
                        data.report(period, plan.inst_code),
                    )
        raise AssertionError(f"no report of {month} to plant rule {rule} in")

    def render(plan, changes: dict, counties: tuple[str, ...] = ()) -> bytes:
        values = dict(data.values)
        values.update({(plan.period, plan.inst_code, c, i): pair for (c, i), pair in changes.items()})
        if counties:
            options = dict(plan.options)
            plan = dataclasses.replace(
                plan, options=tuple({**options, "counties": [*options["counties"], *counties]}.items())
            )
        return render_programme(dataset, ProgrammeData(data.periods, values, data.files), plan)

    def planted(rule, plan, county, changes, counties=()) -> Planted:
        return Planted(rule, plan, county, render(plan, changes, counties), render(plan, {}))

    out = []
    plan = next(p for p in data.files if p.period == MONTHS[23])
    out.append(Planted(23, plan, None, None, render(plan, {})))  # the whole report is missing
    # 24: more overdue households (F03) than households with a balance (F02).
    plan, county, report, _ = pick(24, "F02")
    overdue = (report[(county, "F02")][0] + 1, report[(county, "F03")][1] or Decimal("100.00"))
    out.append(planted(24, plan, county, {(county, "F03"): overdue}))
    # 25: 本年累计 deferrals (E01) 1 万元 below the month before.
    plan, county, report, before = pick(25, "E01", Decimal(20000), previous=True)
    fallen = (max(report[(county, "E01")][0], 1), before[(county, "E01")][1] - 10000)
    out.append(planted(25, plan, county, {(county, "E01"): fallen}))
    # 26: a rural-credit institution's F02 2 万元 above its loan files (tolerance 1 万元).
    plan, county, report, _ = pick(26, "F02", rural_only=True)
    n, amount = report[(county, "F02")]
    out.append(planted(26, plan, county, {(county, "F02"): (n, amount + 20000)}))
    # 27: another bank's F02 far above any county's 住户贷款 (A02): 1,000 亿元.
    plan, county, report, _ = pick(27, "F02", rural_only=False)
    out.append(planted(27, plan, county, {(county, "F02"): (report[(county, "F02")][0], Decimal(10**11))}))
    # 28: F01 1 万元 over its households x the policy's ceiling.
    plan, county, report, _ = pick(28, "F01")
    n = report[(county, "F01")][0]
    out.append(
        planted(28, plan, county, {(county, "F01"): (n, n * Decimal(HOUSEHOLD_CEILING) / 100 + 10000)})
    )
    # 29: enterprise lending (F04) in the district the poverty register has no row for (CSV: any column).
    plan, _, report, _ = pick(29, "F04", fmt="csv")
    code = NEW_COUNTY[0]
    zeros = {(code, item): (0, Decimal(0)) for (_c, item) in report}
    out.append(planted(29, plan, code, {**zeros, (code, "F04"): (1, Decimal(50000))}, counties=(code,)))
    return out


def _v2(path: Path) -> Path:
    return path.with_name(f"{path.stem}_v2{path.suffix}")


def _build(root: Path, settings, name: str) -> DbtRun:
    env = {
        **os.environ,
        **OFFLINE_ENV,
        "FINSTAT_HOME": str(settings.home),
        "FINSTAT_REFERENCE_DIR": str(settings.reference_dir),
    }
    command = [
        str(DBT), "build",
        "--project-dir", str(PROJECT_ROOT / "dbt_project"),
        "--profiles-dir", str(PROJECT_ROOT / "dbt_project"),
        "--target-path", str(root / "target"),
        "--log-path", str(root / f"logs-{name}"),
        "--vars", json.dumps({"period": LAST, **dbt_vars(settings.reference_dir)}),
        "--select", *MODELS,
        "--exclude-resource-type", "test", "unit_test",
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=root, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    return DbtRun(settings.work_db, 0.0, done.stdout)


def _failing(run: DbtRun, rule: int) -> list[dict]:
    return run.rows(f"select * from audit.{RULES_BY_NUMBER[rule].model} where not passed order by period")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("programme_gate")
    reference = root / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, reference)
    regions = reference / "regions.csv"
    rows = [*csv.reader(regions.read_text(encoding="utf-8").splitlines()), NEW_COUNTY]
    with regions.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    settings = load_settings(landing=root / "landing", home=root / "home", reference_dir=reference)
    dataset = build_dataset()
    write_landing(dataset, settings.landing)
    plants = _plants(dataset, dataset.programmes)
    for plant in plants:
        path = settings.landing / plant.plan.relpath
        if plant.planted is None:
            path.unlink()
        else:
            path.write_bytes(plant.planted)
    for source in INGESTED:
        ingest_landing(settings, LAST, source=source)
    for source in SOURCES:  # the sources not ingested still have their zero-row tables, for dbt's globs
        source.ensure_schema_files(settings.lake)
    (settings.home / "work").mkdir()
    planted = _build(root, settings, "planted")
    planted_failing = {rule: _failing(planted, rule) for rule in RULES}
    planted_results = {
        p.rule: run_rule(
            RULES_BY_NUMBER[p.rule],
            load_rule_rows(settings.work_db, RULES_BY_NUMBER[p.rule].model, MONTHS[p.rule]),
        )
        for p in plants
    }
    for plant in plants:  # the banks send their reports again, corrected
        _v2(settings.landing / plant.plan.relpath).write_bytes(plant.corrected)
    ingest_landing(settings, LAST, source=SOURCE)
    corrected = _build(root, settings, "corrected")
    return {
        "settings": settings,
        "plants": {p.rule: p for p in plants},
        "planted_failing": planted_failing,
        "planted_results": planted_results,
        "corrected": corrected,
    }


def test_every_report_passes_ingestion(runs):
    """The defects are plausible reports: only the gate sees them (rules 1-5 reject none)."""
    log = read_log(runs["settings"].lake, SOURCE)
    assert log and {o.status for o in log} == {"accepted"}, [(o.file_path, o.reason) for o in log if o.reason]


@pytest.mark.parametrize("rule", RULES)
def test_a_planted_rule_blocks_exactly_its_month_naming_institution_and_county(runs, rule):
    plant = runs["plants"][rule]
    failing = runs["planted_failing"][rule]
    assert {r["period"] for r in failing} == {MONTHS[rule]}
    assert {r["inst_code"] for r in failing} == {plant.plan.inst_code}
    if rule != 23:
        assert plant.county in {r["county_code"] for r in failing}
        assert {r["county_code"] for r in failing} <= {plant.county, "TOTAL"}
    for row in failing:
        assert plant.plan.inst_code in row["detail"]
        assert rule == 23 or row["county_code"] == "TOTAL" or plant.county in row["detail"]
        print(f"rule {rule} {row['period']}: {row['detail']}")
    result = runs["planted_results"][rule]
    spec = RULES_BY_NUMBER[rule]
    assert not result.passed and spec.blocks_publication
    # No other programme rule fails in that month: each month holds one defect.
    others = [
        r
        for other in RULES
        if other != rule
        for r in runs["planted_failing"][other]
        if r["period"] == MONTHS[rule]
    ]
    assert others == []


@pytest.mark.parametrize("rule", RULES)
def test_the_corrected_reports_pass_every_month(runs, rule):
    spec = RULES_BY_NUMBER[rule]
    assert _failing(runs["corrected"], rule) == []
    assert run_rule(spec, load_rule_rows(runs["settings"].work_db, spec.model, MONTHS[rule])).passed
