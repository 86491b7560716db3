"""dbt models as Dagster assets (dagster-dbt), built for the partition month."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt import dbt_project, prepare_manifest
from orchestration.partitions import monthly_partitions

# dbt sources that are produced by finstat's own Python assets, by source name.
SOURCE_ASSETS = {"bank_loans": dg.AssetKey("bank_loans_lake"), "reference": dg.AssetKey("reference_data")}


class FinstatDbtTranslator(DagsterDbtTranslator):
    """Model keys are the model names; sources point at the assets that write them."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return SOURCE_ASSETS.get(
                dbt_resource_props["source_name"], super().get_asset_key(dbt_resource_props)
            )
        return dg.AssetKey(dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return f"dbt_{fqn[1]}" if len(fqn) > 2 else "dbt"


reference_data = dg.AssetSpec(
    key="reference_data",
    group_name="ingestion",
    description=(
        "参考数据：机构名录 institutions.csv 与行政区划 regions.csv（由 FINSTAT_REFERENCE_DIR 指定）。\n\n"
        "Reference data edited by the data officer: the institution register and the regions."
    ),
)


@dbt_assets(
    manifest=prepare_manifest(),
    project=dbt_project,
    partitions_def=monthly_partitions,
    dagster_dbt_translator=FinstatDbtTranslator(),
    pool="finstat_warehouse",
)
def finstat_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """dbt build (models, seeds, unit tests, data tests) with the partition as the `period` var."""
    dbt_vars = {"period": context.partition_key}
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()
