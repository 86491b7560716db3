"""Publication asset: the gated month's figures become a new published version (write-audit-publish)."""

import dagster as dg
import duckdb

from expectations.rules import GATE_RULES
from finstat.acks import load_acks
from finstat.publication.publish import publish_period
from orchestration.defs.ingestion.assets import SOURCES
from orchestration.metadata import markdown_table
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths

GATED_ASSETS = [
    *(source.log_key for source in SOURCES if source.blocks_publication),
    *(spec.model for spec in GATE_RULES if spec.blocks_publication),
]


def read_candidates(db_path, period: str) -> tuple[list[dict], list[dict]]:
    """The month's candidate figures and the indicators withheld for a missing base month."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        figures = (
            con.sql(
                "select * from audit.candidate_figures where period = ? order by indicator_code, region_code",
                params=[period],
            )
            .to_arrow_table()
            .to_pylist()
        )
        missing = (
            con.sql("select * from audit.missing_base_periods where period = ? order by all", params=[period])
            .to_arrow_table()
            .to_pylist()
        )
    return figures, missing


@dg.asset(
    key="published_figures",
    group_name="publication",
    partitions_def=monthly_partitions,
    deps=["candidate_figures", "missing_base_periods", *GATED_ASSETS],
    pool="finstat_warehouse",
    kinds={"duckdb", "parquet"},
    description=(
        "正式发布数据：仅在全部阻断性规则通过（警告已确认）后，作为新版本写入 published/，历史版本永不覆盖。\n\n"
        "Official figures: published as a new version only when every blocking rule passed "
        "(warnings acknowledged); Parquet, CSV and the BI DuckDB are replaced atomically."
    ),
)
def published_figures(context: dg.AssetExecutionContext, finstat: FinstatPaths) -> dg.MaterializeResult:
    """Round and publish the partition month; unchanged figures add no version."""
    settings = finstat.settings()
    period = context.partition_key
    figures, missing = read_candidates(settings.work_db, period)
    if missing:
        months = sorted({row["missing_period"] for row in missing})
        context.log.warning(
            f"{period}: {len({r['indicator_code'] for r in missing})} indicators withheld, "
            f"base months not ingested: {', '.join(months)}"
        )
    acks = list(load_acks(settings.acks_dir, period).values())
    outcome = publish_period(
        settings.published,
        period,
        figures,
        acknowledgements=acks,
        missing_base_periods=missing,
        run_id=context.run.run_id,
    )
    city = [f for f in figures if f["region_code"] == "410600"]
    return dg.MaterializeResult(
        metadata={
            "version": outcome.version,
            "new_version": outcome.created,
            "figure_count": outcome.figure_count,
            "changed_figures": len(outcome.changes),
            "withheld_missing_base": dg.MetadataValue.md(
                markdown_table(missing, ["indicator_code", "missing_period"])
            ),
            "figures_city": dg.MetadataValue.md(
                markdown_table(city, ["indicator_code", "indicator_name", "value", "unit"])
            ),
            "published_dir": dg.MetadataValue.path(str(settings.published)),
        }
    )
