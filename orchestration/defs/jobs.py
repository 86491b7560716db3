"""The one monthly job behind the UI, the schedule and the `finstat` command line."""

import os

import dagster as dg

from finstat.clock import utc_now
from finstat.gate_record import FAILED, read_gate_record, write_gate_record
from orchestration.outcome_tags import RANGE_START_TAG, outcome_tags, range_tags

REFERENCE_ASSETS = ("reference_institutions", "reference_regions")


def monthly_selection(postgres_configured: bool) -> dg.AssetSelection:
    """Everything but the reference data; the PostgreSQL copy only where a server is configured.

    Without FINSTAT_POSTGRES_DSN the postgres_tables asset would never be materialized, and the
    job's Partitions page would count every month as missing.
    """
    selection = dg.AssetSelection.all() - dg.AssetSelection.assets(*REFERENCE_ASSETS)
    if not postgres_configured:
        selection = selection - dg.AssetSelection.assets("postgres_tables")
    return selection


@dg.failure_hook(name="record_failed_month", required_resource_keys={"finstat"})
def record_failed_month(context: dg.HookContext) -> None:
    """A step that crashed fails the month: recorded by the job itself, whoever started the run."""
    run = context.instance.get_run_by_id(context.run_id)
    tags = run.tags if run else {}
    period = tags.get("dagster/partition")
    if not period:
        if RANGE_START_TAG in tags:
            # A range's build run: no month's outcome is its to record (each month runs on its own
            # next), but the UI must not show it running.
            context.instance.add_run_tags(context.run_id, range_tags(tags, built=False))
        return
    settings = context.resources.finstat.settings()
    previous = read_gate_record(settings.home, period) or {}
    error = context.op_exception
    message = f"{context.step_key}: {str(error).strip().splitlines()[0] if error else 'failed'}"
    # A publication that succeeded earlier in this run stays in the record (postgres_tables fails after it).
    same_run = previous.get("run_id") == context.run_id
    record = {
        "period": period,
        "outcome": FAILED,
        "run_id": context.run_id,
        "finished_at": utc_now().isoformat(),
        "published_version": previous.get("published_version") if same_run else None,
        "checks": previous.get("checks", []) if same_run else [],
        "errors": [*(previous.get("errors", []) if same_run else []), message],
    }
    write_gate_record(settings.home, record)
    context.instance.add_run_tags(context.run_id, outcome_tags(record))


# In-process: the steps share one DuckDB writer and GX context; a process per step would only
# add start-up time and contend for the single-writer database.
monthly_job = dg.define_asset_job(
    name="finstat_monthly",
    selection=monthly_selection(bool(os.environ.get("FINSTAT_POSTGRES_DSN"))),
    executor_def=dg.in_process_executor,
    hooks={record_failed_month},
    description=(
        "月度作业：银行贷款月报、农信明细、普惠平台快照、人行数据 入湖 → dbt 建模 → 质量闸门 → 发布（按月分区）。"
        "结果（已发布 vN / 被阻止 / 无数据 / 运行失败）记在运行标签 finstat/outcome 上，`finstat status` 显示同一结果。\n\n"
        "The monthly job: ingest, build, gate, publish one month. Its outcome is the run tag "
        "finstat/outcome, the month's gate record and what `finstat status` shows."
    ),
)
