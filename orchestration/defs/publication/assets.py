"""Publication assets: the gated month's figures become a new published version; its PostgreSQL copy."""

import dagster as dg

from expectations.rules import GATE_RULES
from finstat.acks import acks_in_force, load_dismissals
from finstat.gate_record import OUTCOME_LABELS, PUBLISHED, write_gate_record
from finstat.publication.publish import publish_period, read_publications
from finstat.reference import load_city
from finstat.settings import Settings
from finstat.warehouse import query, sorted_rows
from ingestion.landing import has_deliveries
from ingestion.registry import SOURCE_NAMES
from orchestration.defs.gate.decision import gate_record, missing_gate_checks, record_checks, run_check_rows
from orchestration.defs.ingestion.assets import SOURCES
from orchestration.metadata import markdown_table
from orchestration.outcome_tags import outcome_summary, outcome_tags
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths, PostgresTarget, WarehouseRunLock

GATED_ASSETS = [
    *(source.log_key for source in SOURCES if source.blocks_publication),
    *(spec.model for spec in GATE_RULES if spec.blocks_publication),
]


def read_candidates(settings: Settings, period: str) -> tuple[list[dict], list[dict], list[str]]:
    """The month's candidate figures, the indicators withheld for a missing base month, its dependents."""
    figures = query(
        settings,
        "select * from audit.candidate_figures where period = ? order by indicator_code, region_code",
        [period],
    ).to_pylist()
    missing = sorted_rows(
        query(settings, "select * from audit.missing_base_periods where period = ?", [period])
    ).to_pylist()
    dependents = (
        query(
            settings,
            "select distinct period from audit.figure_base_periods"
            " where base_period = ? and period <> ? order by period",
            [period, period],
        )
        .column("period")
        .to_pylist()
    )
    return figures, missing, dependents


PUBLICATION_GATE = "publication_gate"
BLOCK_COLUMNS = ["rule", "title", "failing_row_count", "institutions"]


@dg.asset(
    key="published_figures",
    group_name="publication",
    partitions_def=monthly_partitions,
    deps=["candidate_figures", "missing_base_periods", "figure_base_periods", *GATED_ASSETS],
    pool="finstat_warehouse",
    kinds={"duckdb", "parquet"},
    output_required=False,
    check_specs=[
        dg.AssetCheckSpec(
            PUBLICATION_GATE,
            asset="published_figures",
            description=(
                "本月质量闸门结果：全部阻断性规则通过（警告已确认）则发布，否则列出阻止发布的规则与机构；"
                "本月无任何落地数据则为“无数据”。The month's gate outcome: published, blocked (which "
                "rules and institutions) or no data."
            ),
        )
    ],
    description=(
        "正式发布数据：仅在全部阻断性规则通过（警告已确认）后，作为新版本写入 published/，历史版本永不覆盖。"
        "被阻止时不发布，结果记在检查 publication_gate、运行标签 finstat/outcome 与 `finstat status` 中。\n\n"
        "Official figures: published as a new version only when every blocking rule passed "
        "(warnings acknowledged); Parquet, CSV and the BI DuckDB are replaced atomically. A blocked "
        "month is an outcome, not a failure: nothing is published and the run says why."
    ),
)
def published_figures(context: dg.AssetExecutionContext, finstat: FinstatPaths, run_lock: WarehouseRunLock):
    """Decide the month from this run's gate checks; publish it as a new version when it passes."""
    settings = finstat.settings()
    period = context.partition_key
    rows = run_check_rows(context.instance, context.run.run_id)
    skipped = missing_gate_checks(rows)
    if skipped:
        # A partial selection in the UI (this asset alone) must not publish past the gate.
        raise dg.Failure(
            description=(
                f"{period} 未发布：本次运行没有执行全部质量检查（缺 {', '.join(skipped[:5])}…），"
                "请运行完整的 finstat_monthly 作业。Not published: the gate did not run in full."
            ),
            allow_retries=False,
        )
    record = gate_record(
        period,
        context.run.run_id,
        record_checks(rows),
        has_deliveries(settings.landing, period, SOURCE_NAMES),
    )
    if record["outcome"] != PUBLISHED:
        yield from _withheld(context, settings, record)
        return
    figures, missing, dependents = read_candidates(settings, period)
    city = load_city(settings.reference_dir)
    if figures and not any(city.is_city(f["region_code"]) for f in figures):
        # dbt built for another city than regions.csv names (a reference folder switched between
        # runs): publishing would file county rows under a city that has none.
        raise dg.Failure(
            description=f"{period} 未发布：候选数据中没有本市（{city.name} {city.code}）的行，"
            "数据仓库与 regions.csv 不一致。Not published: no row for the city of regions.csv.",
            allow_retries=False,
        )
    if missing:
        months = sorted({row["missing_period"] for row in missing})
        context.log.warning(
            f"{period}: {len({r['indicator_code'] for r in missing})} indicators withheld, "
            f"base months not ingested: {', '.join(months)}"
        )
    # Only what covered a failing rule of this run travels with the publication (not a stale ack).
    acks = list(acks_in_force(settings.acks_dir, period, record["checks"]).values())
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
    record["published_version"] = outcome.version
    write_gate_record(settings.home, record)
    context.instance.add_run_tags(context.run.run_id, outcome_tags(record))
    yield dg.AssetCheckResult(
        check_name=PUBLICATION_GATE,
        passed=True,
        metadata={"outcome": outcome_summary(record)},
    )
    city_rows = [f for f in figures if city.is_city(f["region_code"])]
    yield dg.MaterializeResult(
        metadata={
            "outcome": outcome_summary(record),
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
                markdown_table(city_rows, ["indicator_code", "indicator_name", "value", "unit"])
            ),
            "published_dir": dg.MetadataValue.path(str(settings.published)),
        }
    )


def _withheld(context: dg.AssetExecutionContext, settings, record: dict):
    """A blocked or empty month: recorded, tagged and shown on the partition; nothing is published."""
    write_gate_record(settings.home, record)
    summary = outcome_summary(record)
    context.instance.add_run_tags(context.run.run_id, outcome_tags(record))
    blocks = [
        {**c, "institutions": "、".join(c["institutions"][:10])} for c in record["checks"] if c["blocking"]
    ]
    metadata = {
        "outcome": summary,
        "blocked_by": dg.MetadataValue.md(markdown_table(blocks, BLOCK_COLUMNS)),
        "how_to_release": (
            "按各检查的 how_to_release 处理（重报文件 / finstat ack / finstat dismiss，或 UI 中的 "
            "acknowledge_warning、dismiss_rejected_file 作业），再重新运行该月的 finstat_monthly。"
        ),
    }
    # An observation on the month's partition: the asset's page shows why the month has no version.
    yield dg.AssetObservation(asset_key="published_figures", partition=record["period"], metadata=metadata)
    yield dg.AssetCheckResult(
        check_name=PUBLICATION_GATE,
        passed=False,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata=metadata,
    )
    context.log.info(
        f"{record['period']}: {summary} ({OUTCOME_LABELS[record['outcome']]}, nothing published)"
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
