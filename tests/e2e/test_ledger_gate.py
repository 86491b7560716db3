"""The ledgers through the real Dagster job: each of rules 30-32 blocking its own month.

January's ledgers are clean (published with their figures); February deletes an activity (rule 31:
blocked until acknowledged); March sends a listing enterprise back a stage (rule 32); April repeats
an activity's number (rule 30, an error: blocked whatever is acknowledged). Each failing record is
named by workbook, sheet and key. A month without ledgers: tests/e2e/test_demo_pipeline.py (the
demo's month without them) and tests/dbt/test_ledgers.py.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

from finstat.settings import load_settings
from ingestion.ledger_tables import DOCUMENTS, LISTING, MATCHMAKING
from tests.e2e import scenario as sc
from tests.e2e.test_gate_blocks import _deliver_clean
from tests.ingestion.ledger_builders import sheets_of, write_ledger

pytestmark = pytest.mark.e2e

JAN, FEB, MAR, APR = "2022-01", "2022-02", "2022-03", "2022-04"
BANK = next(iter(sc.INSTITUTIONS))
# Activities (活动编号, 活动日期): HD2 is in January's ledger and gone from February's (rule 31).
ACTIVITIES = {
    JAN: [("HD1", "2022-01-10"), ("HD2", "2022-01-20")],
    FEB: [("HD1", "2022-01-10")],
    MAR: [("HD1", "2022-01-10"), ("HD3", "2022-03-08")],
    APR: [("HD1", "2022-01-10"), ("HD3", "2022-03-08"), ("HD3", "2022-04-06")],  # rule 30
}
# The listing enterprise's stage: 辅导备案 until March sends it back to 培育 (rule 32).
STAGES = {JAN: "辅导备案", FEB: "辅导备案", MAR: "培育", APR: "辅导备案"}


def _deliver_ledgers(landing_settings, month: str) -> None:
    """The three workbooks of a month: the builders' valid rows, re-dated into 2022 and to the month."""
    matchmaking = sheets_of(MATCHMAKING)
    header, rows = matchmaking["对接活动"]
    template = rows[0]
    matchmaking["对接活动"] = (header, [[code, date, *template[2:]] for code, date in ACTIVITIES[month]])
    matchmaking["走访企业"][1][0][1] = "2022-01-12"
    matchmaking["推介项目"][1][0][2] = "2022-01-06"
    matchmaking["授信跟踪"][1][0][1] = BANK
    matchmaking["授信跟踪"][1][0][3] = "2022-01-20"
    # The fair's signing: activity HD1, the one project, the scenario's first bank.
    matchmaking["签约"][1][0][:3] = ["HD1", "XM001", BANK]
    matchmaking["签约"][1][0][6] = dt.datetime(2022, 1, 24)
    listing = sheets_of(LISTING)
    listing["后备企业"][1][0][7:9] = [STAGES[month], "2022-01-15"]
    listing["服务记录"][1][0][0] = "2022-01-12"
    documents = sheets_of(DOCUMENTS)
    documents["文书"][1][0][1] = "2022-01-18"
    for kind, sheets in ((MATCHMAKING, matchmaking), (LISTING, listing), (DOCUMENTS, documents)):
        write_ledger(landing_settings, kind, sheets, folder=month)


def _failed(outcome, check: str) -> list[dict]:
    found = [c for c in outcome.failed_checks if c["check"] == check]
    assert found, f"{check} did not fail; failed: {[c['check'] for c in outcome.failed_checks]}"
    return [r for r in found[0]["metadata"]["failing_rows_json"]]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from orchestration.runner import dagster_instance, run_month

    root = tmp_path_factory.mktemp("ledger_gate")
    landing, home, reference = root / "landing", root / "warehouse", sc.write_reference(root / "reference")
    names = ("FINSTAT_LANDING", "FINSTAT_HOME", "FINSTAT_REFERENCE_DIR", "DAGSTER_HOME")
    saved = {k: os.environ.get(k) for k in names}
    os.environ.update(
        FINSTAT_LANDING=str(landing),
        FINSTAT_HOME=str(home),
        FINSTAT_REFERENCE_DIR=str(reference),
        DAGSTER_HOME=str(home / "dagster"),
    )
    settings = load_settings(landing, home, reference)
    instance = dagster_instance(settings)
    outcomes = {}
    for n, month in enumerate((JAN, FEB, MAR, APR), start=1):
        _deliver_clean(landing, month, "10", str(10 * n))
        _deliver_ledgers(settings, month)
        outcomes[month] = run_month(month, settings, instance)
    yield {"settings": settings, "instance": instance, "outcomes": outcomes}
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _published(settings, month: str) -> dict[str, Decimal]:
    from finstat.publication.publish import read_history

    rows = read_history(settings.published).to_pylist()
    return {r["indicator_code"]: r["value"] for r in rows if r["period"] == month}


def test_clean_ledgers_publish_their_figures(world):
    january = world["outcomes"][JAN]
    assert january.status == "published", (january.failed_checks, january.errors)
    figures = _published(world["settings"], JAN)
    # Two activities, one visit (2 problems solved), one project of 12,345.678901 万元 granted 5,000
    # 万元; the signing: 7,779.5 万元 intended, 4,000 万元 signed, nothing lent yet (M13 0%).
    assert figures["M01"] == 2 and figures["M02"] == 1 and figures["M03"] == 2
    assert figures["M05"] == Decimal("1.23") and figures["M06"] == Decimal("0.5")
    assert figures["M08"] == Decimal("0.78") and figures["M11"] == Decimal("0.4")
    assert figures["M13"] == 0
    assert figures["S01"] == 1 and figures["S03"] == 1 and figures["S04"] == 40 and figures["G01"] == 1


def test_a_deleted_activity_blocks_until_acknowledged(world):
    from finstat.acks import record_ack
    from orchestration.runner import run_month

    february = world["outcomes"][FEB]
    assert february.status == "blocked"
    assert [c["check"] for c in february.failed_checks] == ["rule_31_ledger_ytd"]
    rows = _failed(february, "rule_31_ledger_ytd")
    assert {(r["ledger"], r["sheet"], r["key_value"]) for r in rows if r["key_name"] == "活动编号"} == {
        ("银企对接台账", "对接活动", "HD2")
    }
    assert "L01" not in _published(world["settings"], FEB)

    settings = world["settings"]
    record_ack(settings, FEB, 31, "HD2 为重复登记的活动，已删除", by="officer")
    again = run_month(FEB, settings, world["instance"])
    assert again.status == "published", (again.failed_checks, again.errors)
    assert _published(settings, FEB)["M01"] == 1


def test_a_stage_going_back_blocks_its_month_naming_the_enterprise(world):
    march = world["outcomes"][MAR]
    assert march.status == "blocked"
    assert [c["check"] for c in march.failed_checks] == ["rule_32_ledger_pipeline"]
    rows = _failed(march, "rule_32_ledger_pipeline")
    assert [(r["ledger"], r["sheet"], r["key_value"]) for r in rows] == [
        ("上市后备企业台账", "后备企业", "QY001")
    ]


def test_a_repeated_activity_number_is_an_error_naming_workbook_sheet_and_key(world):
    from finstat.acks import record_ack

    april = world["outcomes"][APR]
    assert april.status == "blocked"
    assert [c["check"] for c in april.failed_checks] == ["rule_30_ledger_integrity"]
    rows = _failed(april, "rule_30_ledger_integrity")
    assert [(r["ledger"], r["sheet"], r["key_value"]) for r in rows] == [("银企对接台账", "对接活动", "HD3")]
    with pytest.raises(ValueError, match="错误规则"):  # corrected, never acknowledged
        record_ack(world["settings"], APR, 30, "不应被接受", by="officer")
