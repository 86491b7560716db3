"""Ingestion: landing files of every month up to the partition -> the Parquet lake and the ingestion log."""

import dagster as dg

from ingestion.run import ingest_landing
from orchestration.metadata import markdown_table
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths

OUTCOME_COLUMNS = ["file_path", "status", "rule", "inst_code", "period", "row_count", "reason"]


# Two assets from one step: dbt reads the lake, publication waits on the log. The file-level check
# sits on the log, so a rejected file blocks publication while rules 6-12 still run on the rest.
@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "bank_loans_lake",
            group_name="ingestion",
            kinds={"python", "parquet"},
            description=(
                "银行贷款月报入湖：解析落地区本月及以前各月新到或变更的文件，单位折算为元。\n\n"
                "Bank loan reports in the Parquet lake: every accepted landing file up to the partition, "
                "amounts in 元 with lineage (file, sheet, row, column, SHA-256)."
            ),
        ),
        dg.AssetSpec(
            "bank_loans_ingestion_log",
            group_name="ingestion",
            kinds={"python", "parquet"},
            description=(
                "入湖日志：每个落地文件一行（接收/拒收/重复及原因），文件级规则1-5的结果。\n\n"
                "The ingestion log: one row per landing file (accepted, rejected or duplicate, with the "
                "reason naming file, sheet, row and column); file rules 1-5 are checked on it."
            ),
        ),
    ],
    partitions_def=monthly_partitions,
    pool="finstat_warehouse",
)
def bank_loans_ingestion(context: dg.AssetExecutionContext, finstat: FinstatPaths):
    """Ingest landing up to the partition month; re-running adds nothing for unchanged files."""
    report = ingest_landing(finstat.settings(), up_to_period=context.partition_key)
    outcomes = [o.__dict__ for o in report.outcomes]
    for outcome in outcomes:
        if outcome["status"] == "rejected":
            context.log.warning(f"rejected: {outcome['reason']}")
    by_status: dict[str, int] = {}
    for outcome in outcomes:
        by_status[outcome["status"]] = by_status.get(outcome["status"], 0) + 1
    accepted_rows = sum(o["row_count"] or 0 for o in outcomes if o["status"] == "accepted")
    yield dg.MaterializeResult(
        asset_key="bank_loans_lake",
        metadata={"files_accepted_this_run": by_status.get("accepted", 0), "rows_added": accepted_rows},
    )
    yield dg.MaterializeResult(
        asset_key="bank_loans_ingestion_log",
        metadata={
            "files_processed": len(outcomes),
            **{f"files_{status}": count for status, count in sorted(by_status.items())},
            "outcomes": dg.MetadataValue.md(markdown_table(outcomes, OUTCOME_COLUMNS)),
        },
    )
