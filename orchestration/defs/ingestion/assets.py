"""Ingestion: each source's landing files up to the partition -> its Parquet lake tables and the log."""

from dataclasses import dataclass

import dagster as dg

from finstat.reference import ReferenceError
from ingestion import registry
from ingestion.run import ingest_landing
from ingestion.source import Source
from orchestration.metadata import markdown_table
from orchestration.partitions import monthly_partitions
from orchestration.reference_failure import reference_failure
from orchestration.resources import FinstatPaths, WarehouseRunLock

OUTCOME_COLUMNS = ["file_path", "status", "rule", "inst_code", "period", "row_count", "reason"]


@dataclass(frozen=True)
class SourceAssets:
    """One landing source's assets: its lake tables (`<table>_lake`) and its log (`<source>_ingestion_log`)."""

    source: str
    title: str
    tables: tuple[str, ...]
    # False for the central bank branch's figures: reconciliation is reported, never a reason to
    # hold the month's publication (quality-rules.md rule 22), so neither is a rejected workbook.
    blocks_publication: bool = True

    @classmethod
    def of(cls, source: Source) -> "SourceAssets":
        return cls(
            source=source.name,
            title=source.title,
            tables=tuple(table.name for table in source.tables),
            blocks_publication=source.blocks_publication,
        )

    @property
    def log_key(self) -> str:
        return f"{self.source}_ingestion_log"


# One per registered source (ingestion/registry.py), in its order.
SOURCES = tuple(SourceAssets.of(source) for source in registry.SOURCES)


def _ingestion_asset(spec: SourceAssets) -> dg.AssetsDefinition:
    # Lake and log are separate assets of one step: dbt reads the lake, publication waits on the
    # log. The file-level check sits on the log, so a rejected file blocks publication while the
    # gate rules still run on everything that was accepted.
    lake_specs = [
        dg.AssetSpec(
            f"{table}_lake",
            group_name="ingestion",
            kinds={"python", "parquet"},
            description=(
                f"{spec.title}：落地区本月及以前各月新到或变更文件入湖（金额为元，带来源文件、行、列与SHA-256）。\n\n"
                f"Lake table `{table}`: every accepted landing file up to the partition, with lineage."
            ),
        )
        for table in spec.tables
    ]
    log_spec = dg.AssetSpec(
        spec.log_key,
        group_name="ingestion",
        kinds={"python", "parquet"},
        description=(
            f"{spec.title} 入湖日志：每个落地文件一行（接收/拒收/重复及原因），文件级规则1-5。\n\n"
            "One log row per landing file (accepted, rejected or duplicate, with the reason naming "
            "file, sheet, row and column); file rules 1-5 are checked on it."
        ),
    )

    @dg.multi_asset(
        name=f"{spec.source}_ingestion",
        specs=[*lake_specs, log_spec],
        partitions_def=monthly_partitions,
        pool="finstat_warehouse",
    )
    def _ingest(context: dg.AssetExecutionContext, finstat: FinstatPaths, run_lock: WarehouseRunLock):
        try:
            # A range run ingests up to its last month: the same files as each month's run in turn.
            report = ingest_landing(
                finstat.settings(), up_to_period=context.partition_key_range.end, source=spec.source
            )
        except ReferenceError as exc:
            # The officer's reference folder, not a file of the month: say which file and row to fix.
            raise reference_failure(exc, "本月未入湖") from exc
        outcomes = [o.__dict__ for o in report.outcomes]
        by_status: dict[str, int] = {}
        for outcome in outcomes:
            by_status[outcome["status"]] = by_status.get(outcome["status"], 0) + 1
            if outcome["status"] == "rejected":
                context.log.warning(f"rejected: {outcome['reason']}")
        for lake in lake_specs:
            yield dg.MaterializeResult(
                asset_key=lake.key,
                metadata={"files_accepted_this_run": by_status.get("accepted", 0)},
            )
        yield dg.MaterializeResult(
            asset_key=spec.log_key,
            metadata={
                "files_processed": len(outcomes),
                "files_already_logged": report.skipped,
                **{f"files_{status}": count for status, count in sorted(by_status.items())},
                "outcomes": dg.MetadataValue.md(markdown_table(outcomes, OUTCOME_COLUMNS)),
            },
        )

    return _ingest


ingestion_assets = [_ingestion_asset(spec) for spec in SOURCES]
