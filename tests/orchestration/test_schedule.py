"""The monthly schedule runs the month just closed and names the institutions that have not reported."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from ingestion.log import ACCEPTED, REJECTED, FileOutcome, write_outcome
from orchestration.defs.publication.schedules import monthly_schedule
from orchestration.resources import FinstatPaths
from tests.ingestion.builders import BANK, OTHER_BANK, RETIRED_BANK, make_settings


def _logged(settings, inst: str, status: str, period: str = "2022-05") -> None:
    write_outcome(
        settings.lake,
        FileOutcome(
            logged_at=dt.datetime(2022, 6, 7, 9, tzinfo=dt.UTC), source="bank_loans", folder_period=period,
            file_path=f"bank_loans/{period}/{inst}.xlsx", file_sha256=inst.lower() * 4, file_size=1,
            status=status, rule=None, severity=None, reason=None, inst_code=inst, period=period,
            revision=1, row_count=10,
        ),
    )  # fmt: skip


def _evaluate(settings, when: dt.datetime) -> dg.RunRequest:
    resource = FinstatPaths(
        landing=str(settings.landing), home=str(settings.home), reference_dir=str(settings.reference_dir)
    )
    context = dg.build_schedule_context(scheduled_execution_time=when, resources={"finstat": resource})
    return monthly_schedule(context)


def test_schedule_runs_last_month_and_tags_who_has_not_reported(tmp_path):
    settings = make_settings(tmp_path)
    _logged(settings, BANK, ACCEPTED)
    _logged(settings, OTHER_BANK, REJECTED)  # a rejected report is not a report
    request = _evaluate(settings, dt.datetime(2022, 6, 10, 6, tzinfo=dt.UTC))
    assert request.partition_key == "2022-05"
    # RETIRED_BANK left the register's scope in 2021; FUTURE_BANK starts in 2023.
    assert request.tags["finstat/missing_reports"] == "1"
    assert request.tags["finstat/missing_institutions"] == OTHER_BANK
    assert RETIRED_BANK not in request.tags["finstat/missing_institutions"]


def test_january_runs_december_of_the_year_before(tmp_path):
    settings = make_settings(tmp_path)
    request = _evaluate(settings, dt.datetime(2023, 1, 10, 6, tzinfo=dt.UTC))
    assert request.partition_key == "2022-12"
    assert request.tags["finstat/missing_reports"] == "2"


def test_a_bad_reference_folder_skips_the_tick_and_says_why(tmp_path):
    settings = make_settings(tmp_path)
    regions = settings.reference_dir / "regions.csv"
    # Two city rows: the register cannot be read against it.
    regions.write_text(regions.read_text(encoding="utf-8") + "410500,安阳市\n", encoding="utf-8")
    skipped = _evaluate(settings, dt.datetime(2022, 6, 10, 6, tzinfo=dt.UTC))
    assert isinstance(skipped, dg.SkipReason)
    assert "2022-05 未运行" in skipped.skip_message and "regions.csv" in skipped.skip_message
