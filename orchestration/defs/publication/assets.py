"""Publication assets: the gated month's figures become a new published version; its PostgreSQL copy."""

import dagster as dg
import duckdb

from expectations.rules import GATE_RULES
from finstat.acks import load_acks, load_dismissals
from finstat.publication.publish import publish_period, read_publications
from orchestration.defs.ingestion.assets import SOURCES
from orchestration.metadata import markdown_table
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths, PostgresTarget, WarehouseRunLock

GATED_ASSETS = [
    *(source.log_key for source in SOURCES if source.blocks_publication),
    *(spec.model for spec in GATE_RULES if spec.blocks_publication),
]


def read_candidates(db_path, period: str) -> tuple[list[dict], list[dict], list[str]]:
    """The month's candidate figures, the indicators withheld for a missing base month, its dependents."""
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
        dependents = [
            row[0]
            for row in con.execute(
                "select distinct period from audit.figure_base_periods"
                " where base_period = ? and period <> ? order by period",
                [period, period],
            ).fetchall()
        ]
    return figures, missing, dependents


@dg.asset(
    key="published_figures",
    group_name="publication",
    partitions_def=monthly_partitions,
    deps=["candidate_figures", "missing_base_periods", "figure_base_periods", *GATED_ASSETS],
    pool="finstat_warehouse",
    kinds={"duckdb", "parquet"},
    description=(
        "正式发布数据：仅在全部阻断性规则通过（警告已确认）后，作为新版本写入 published/，历史版本永不覆盖。\n\n"
        "Official figures: published as a new version only when every blocking rule passed "
        "(warnings acknowledged); Parquet, CSV and the BI DuckDB are replaced atomically."
    ),
)
def published_figures(
    context: dg.AssetExecutionContext, finstat: FinstatPaths, run_lock: WarehouseRunLock
) -> dg.MaterializeResult:
    """Round and publish the partition month; unchanged figures add no version."""
    settings = finstat.settings()
    period = context.partition_key
    figures, missing, dependents = read_candidates(settings.work_db, period)
    if missing:
        months = sorted({row["missing_period"] for row in missing})
        context.log.warning(
            f"{period}: {len({r['indicator_code'] for r in missing})} indicators withheld, "
            f"base months not ingested: {', '.join(months)}"
        )
    acks = list(load_acks(settings.acks_dir, period).values())
    # Rejected files set aside by the officer travel with the publication like acknowledgements.
    acks += [
        {
            "rule": 1,
            "reason": f"被拒文件 {d['file_path']} 不再阻止发布：{d['reason']}",
            "acknowledged_by": d["dismissed_by"],
            "acknowledged_at": d["dismissed_at"],
            "file_path": d["file_path"],
            "file_sha256": d["file_sha256"],
        }
        for d in load_dismissals(settings.acks_dir, period)
    ]
    outcome = publish_period(
        settings.published,
        period,
        figures,
        acknowledgements=acks,
        missing_base_periods=missing,
        dependents=dependents,
        run_id=context.run.run_id,
    )
    if outcome.flagged:
        context.log.warning(
            f"{period} v{outcome.version} changes the base of published months "
            f"{', '.join(outcome.flagged)}: flagged for republication (finstat run --flagged)"
        )
    city = [f for f in figures if f["region_code"] == "410600"]
    return dg.MaterializeResult(
        metadata={
            "version": outcome.version,
            "new_version": outcome.created,
            "figure_count": outcome.figure_count,
            "changed_figures": len(outcome.changes),
            "flagged_for_republication": dg.MetadataValue.md(
                markdown_table([{"period": p} for p in outcome.flagged], ["period"])
            ),
            "flags_resolved": dg.MetadataValue.md(
                markdown_table(outcome.resolved, ["base_period", "base_version", "resolution"])
            ),
            "withheld_missing_base": dg.MetadataValue.md(
                markdown_table(missing, ["indicator_code", "missing_period"])
            ),
            "figures_city": dg.MetadataValue.md(
                markdown_table(city, ["indicator_code", "indicator_name", "value", "unit"])
            ),
            "published_dir": dg.MetadataValue.path(str(settings.published)),
        }
    )


def _postgres_failure(period: str, settings, target, exc: BaseException) -> str:
    """The failure's first line says what stands, what did not happen and how to retry."""
    from finstat.publication import postgres

    versions = [
        r["version"] for r in read_publications(settings.published).to_pylist() if r["period"] == period
    ]
    on_file = f"v{max(versions)}" if versions else "not yet"
    # `finstat run` prints 400 characters of it: the facts and the retry first, the details last.
    return (
        f"{period} IS published on file ({on_file}) but PostgreSQL was NOT updated; retry with "
        f"`finstat postgres-sync` or re-execute this step. PostgreSQL keeps its previous state. "
        f"{postgres.error_text(exc)} ({postgres.describe(target.dsn)}, schema {target.schema})"
    )


# Its own asset after the publication, not a step inside it: a PostgreSQL failure leaves the
# month published (and its report written), shows as this asset failing, and is retried alone.
@dg.asset(
    key="postgres_tables",
    group_name="publication",
    partitions_def=monthly_partitions,
    deps=["published_figures"],
    pool="finstat_warehouse",
    kinds={"postgres"},
    output_required=False,
    description=(
        "PostgreSQL 副本：在一个事务中把 published/ 当前版本的四张表（official_figures 等）写入 PostgreSQL；"
        "未设置 FINSTAT_POSTGRES_DSN 时不写。\n\n"
        "The tables of the current release (official_figures, official_figures_history, publications, "
        "republication_flags) written into PostgreSQL in one transaction; off when FINSTAT_POSTGRES_DSN "
        "is not set. published/ stays the system of record."
    ),
)
def postgres_tables(context: dg.AssetExecutionContext, finstat: FinstatPaths, postgres: PostgresTarget):
    """Mirror the whole current release into PostgreSQL (nothing is materialized when it is off)."""
    target = postgres.settings()
    if target is None:
        context.log.info(
            "FINSTAT_POSTGRES_DSN is not set: the published tables are not written to PostgreSQL"
        )
        return
    from finstat.publication import postgres as mirror

    settings = finstat.settings()
    try:
        result = mirror.sync(settings.published, target, written_by=f"dagster run {context.run.run_id}")
    except Exception as exc:
        raise dg.Failure(description=_postgres_failure(context.partition_key, settings, target, exc)) from exc
    yield dg.MaterializeResult(
        metadata={
            "server": mirror.describe(target.dsn),
            "schema": target.schema,
            "release": result.release or "-",
            **{f"rows_{name}": count for name, count in result.rows.items()},
        }
    )
