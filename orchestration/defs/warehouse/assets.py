"""dbt models as Dagster assets (dagster-dbt), built for the partition month."""

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from expectations import warm_up
from finstat.faults import fault_point
from finstat.reference import ReferenceError, dbt_vars
from finstat.settings import load_engine
from ingestion.registry import SOURCES
from orchestration.dbt import dbt_project, prepare_manifest
from orchestration.outcome_tags import RANGE_START_TAG, range_tags
from orchestration.partitions import monthly_partitions
from orchestration.reference_failure import reference_failure
from orchestration.resources import FinstatPaths, WarehouseRunLock

PERIOD_ENV = "FINSTAT_PERIOD"  # read by dbt_project/macros/build_periods.sql build_period()
# The first month of a range run (build_range_periods): every month from it to FINSTAT_PERIOD is built.
PERIOD_FROM_ENV = "FINSTAT_PERIOD_FROM"
DBT_TARGET_DIR = "dbt_target"  # under FINSTAT_HOME/work: dbt's artifacts and partial-parse state
# dbt sources written by finstat's own ingestion assets (`<table>_lake`); reference tables are
# edited by the data officer and appear as external assets `reference_<table>`.
LAKE_SOURCES = {source.name for source in SOURCES}
REFERENCE_TABLES = {
    "institutions": "机构名录 institutions.csv / the institution register",
    "regions": "行政区划 regions.csv / the regions (GB/T 2260)",
}


def city_vars(reference_dir: Path, lake: Path | None = None) -> str:
    """dbt's --vars: the city of regions.csv (macros/city.sql) and the lake (FINSTAT_LAKE_DIR).

    A bad regions.csv stops the build, named.
    """
    try:
        given = dbt_vars(reference_dir)
    except ReferenceError as exc:
        raise reference_failure(exc, "本月未构建") from exc
    # Same every month for one warehouse, so it does not defeat partial parsing either.
    return json.dumps(given if lake is None else {**given, "lake_dir": str(lake)})


def engine_args(engine: str) -> list[str]:
    """dbt's target for the engine: the profile's default (DuckDB) or `thrift` (a Spark Thrift server)."""
    return ["--target", "thrift"] if engine == "spark" else []


class FinstatDbtTranslator(DagsterDbtTranslator):
    """Model keys are the model names; sources point at the assets that write them."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            if dbt_resource_props["source_name"] == "reference":
                return dg.AssetKey(f"reference_{dbt_resource_props['name']}")
            if dbt_resource_props["source_name"] in LAKE_SOURCES:
                return dg.AssetKey(f"{dbt_resource_props['name']}_lake")
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey(dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return f"dbt_{fqn[1]}" if len(fqn) > 2 else "dbt"


reference_data = [
    dg.AssetSpec(
        key=f"reference_{table}",
        group_name="ingestion",
        description=f"参考数据（由 FINSTAT_REFERENCE_DIR 指定，数据管理员维护）：{text}",
    )
    for table, text in REFERENCE_TABLES.items()
]


@dbt_assets(
    manifest=prepare_manifest(),
    project=dbt_project,
    partitions_def=monthly_partitions,
    # dbt's data tests still run in every build and fail it; they are not mirrored as Dagster asset
    # checks because each one costs two stored events per month (about 7 s of a 30 s month here),
    # and the officer's gate is the blocking GX checks on the audit models.
    dagster_dbt_translator=FinstatDbtTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=False)
    ),
    pool="finstat_warehouse",
    # One month per run, in order: a month's growth figures read the months before it.
    backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=1),
)
def finstat_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, finstat: FinstatPaths, run_lock: WarehouseRunLock
):
    """dbt build (seeds, models, data tests) of the partition month, or of a range's months in one build."""
    work = finstat.settings().work_db.parent
    # dbt-duckdb opens the working database but does not create its folder.
    work.mkdir(parents=True, exist_ok=True)
    # The month goes in the environment, not --vars, and the target folder is the same every month:
    # dbt then re-parses only changed files (partial parsing) instead of the whole project (~5 s).
    # One process builds at a time (run lock), so setting the variable here is not a race.
    # A range run (`finstat run --from A --to B`, or a single-run backfill) builds every month of the
    # range as a build month: the lake then holds them all (its ingestion ran up to the range's end).
    months = context.partition_key_range
    os.environ[PERIOD_ENV] = months.end
    os.environ[PERIOD_FROM_ENV] = months.start
    # dbt unit tests check the SQL, not the month's data: `make test` runs them (tests/dbt), the
    # monthly build does not repeat them. The city is a var: it is the same every month, so it does
    # not defeat partial parsing the way a changing month would.
    settings = finstat.settings()
    city = city_vars(settings.reference_dir, settings.lake)
    args = ["build", "--exclude", "resource_type:unit_test", "--vars", city, *engine_args(load_engine())]
    # The gate after this step needs GX: its import (~5 s) runs while dbt works in its own process.
    warm_up()
    invocation = dbt.cli(args, context=context, target_path=work / DBT_TARGET_DIR)
    for number, event in enumerate(invocation.stream()):
        if number == 10:  # a few models in: dbt is writing the working database
            fault_point("dbt-running")
        # Each dbt data test comes back as an observation of the asset it tests (~90 a month, each
        # a stored event: ~2.5 s). A failed test already fails the build and is in its log.
        if isinstance(event, dg.AssetObservation):
            continue
        yield event
    if RANGE_START_TAG in context.run.tags:
        # The last step of a range's build run: the run says it built (the lock marked it running);
        # each month's outcome is its own gate run's.
        context.instance.add_run_tags(context.run.run_id, range_tags(context.run.tags, built=True))
