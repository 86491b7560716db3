"""Monthly schedule: on the 10th (reports are due by the 8th) run the month just closed."""

import datetime as dt

import dagster as dg

from finstat.periods import add_months
from finstat.reference import ReferenceError
from finstat.settings import Settings
from ingestion.log import ACCEPTED, read_log
from ingestion.register import load_reference
from orchestration.defs.jobs import monthly_job
from orchestration.resources import FinstatPaths


def missing_reports(settings: Settings, period: str) -> list[str]:
    """In-scope institutions with no accepted bank_loans report for the month in the ingestion log.

    The landing sensor ingests files as they arrive, so by the 10th the log knows what came; the
    run's rule 6 then checks completeness on the ingested data itself.
    """
    reference = load_reference(settings.reference_dir)
    received = {
        o.inst_code
        for o in read_log(settings.lake, "bank_loans")
        if o.status == ACCEPTED and o.period == period
    }
    return sorted(
        code
        for code, inst in reference.institutions.items()
        if inst.in_scope(period) and code not in received
    )


@dg.schedule(
    name="finstat_monthly_schedule",
    job=monthly_job,
    cron_schedule="0 6 10 * *",
    execution_timezone="Asia/Shanghai",
    description=(
        "每月10日6时运行上月（报表于次月8日前报送），并在运行标签和日志中列出尚未报送的机构。"
        "Runs the previous month on the 10th at 06:00 and names the institutions that have not reported."
    ),
)
def monthly_schedule(context: dg.ScheduleEvaluationContext, finstat: FinstatPaths):
    """One run for the month before the scheduled date, tagged with the missing institutions."""
    scheduled = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    period = add_months(f"{scheduled:%Y-%m}", -1)
    try:
        missing = missing_reports(finstat.settings(), period)
    except ReferenceError as exc:
        # A run would fail at ingestion anyway: the tick says what to fix instead.
        return dg.SkipReason(f"{period} 未运行：参考数据有误 reference data not usable: {exc}")
    if missing:
        context.log.warning(f"{period}: {len(missing)} institutions have not reported: {', '.join(missing)}")
    return dg.RunRequest(
        partition_key=period,
        run_key=f"schedule:{period}",
        tags={
            "finstat/missing_reports": str(len(missing)),
            "finstat/missing_institutions": ",".join(missing)[:1000],
        },
    )
