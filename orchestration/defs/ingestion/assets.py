"""Ingestion asset: landing files of every month up to the partition -> the Parquet lake."""

import dagster as dg

from ingestion.run import ingest_landing
from orchestration.metadata import markdown_table
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths


@dg.asset(
    key="bank_loans_lake",
    group_name="ingestion",
    partitions_def=monthly_partitions,
    pool="finstat_warehouse",
    kinds={"python", "parquet"},
    description=(
        "银行贷款月报入湖：解析落地区本月及以前各月新到或变更的文件，单位折算为元，校验文件级规则1-5。\n\n"
        "Bank loan reports ingested: every landing month up to the partition that is new or changed is "
        "parsed, converted to 元 and checked against file rules 1-5; one ingestion-log row per file."
    ),
)
def bank_loans_lake(context: dg.AssetExecutionContext, finstat: FinstatPaths) -> dg.MaterializeResult:
    """Ingest landing up to the partition month; re-running adds nothing for unchanged files."""
    period = context.partition_key
    report = ingest_landing(finstat.settings(), up_to_period=period)
    outcomes = [o.__dict__ if hasattr(o, "__dict__") else dict(o) for o in report.outcomes]
    for outcome in outcomes:
        if outcome.get("status") == "rejected":
            context.log.warning(f"rejected: {outcome.get('reason')}")
    by_status: dict[str, int] = {}
    for outcome in outcomes:
        by_status[outcome["status"]] = by_status.get(outcome["status"], 0) + 1
    return dg.MaterializeResult(
        metadata={
            "files_processed": len(outcomes),
            **{f"files_{status}": count for status, count in sorted(by_status.items())},
            "outcomes": dg.MetadataValue.md(
                markdown_table(
                    outcomes, ["file_path", "status", "rule", "inst_code", "period", "row_count", "reason"]
                )
            ),
        }
    )
