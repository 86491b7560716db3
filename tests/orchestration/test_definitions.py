"""The Definitions load and hold the monthly job, the partitioned assets, the blocking checks and the triggers."""

from __future__ import annotations

import dagster as dg
import pytest

from expectations.rules import GATE_RULES
from ingestion.registry import SOURCES


@pytest.fixture(scope="module")
def defs():
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="module")
def asset_graph(defs):
    return defs.resolve_asset_graph()


def test_monthly_job_exists(defs):
    job = defs.resolve_job_def("finstat_monthly")
    assert job.partitions_def is not None
    # tests/conftest.py sets FINSTAT_FIRST_MONTH; test_partitions checks the landing-derived start.
    assert job.partitions_def.get_partition_keys()[:2] == ["2019-01", "2019-02"]


@pytest.mark.parametrize(
    "key",
    [
        "bank_loans_lake",
        "bank_loans_ingestion_log",
        *(f"{table.name}_lake" for source in SOURCES for table in source.tables),
        *(f"{source.name}_ingestion_log" for source in SOURCES),
        "rural_credit_loans_lake",
        "rural_credit_disposals_lake",
        "rural_credit_ingestion_log",
        "fct_rural_loan_month",
        "stg_bank_loans__balances",
        "fct_loan_balances",
        "fct_loan_disposals",
        "candidate_figures",
        "missing_base_periods",
        *(spec.model for spec in GATE_RULES),
        "published_figures",
        "postgres_tables",
    ],
)
def test_every_step_is_a_monthly_partitioned_asset(asset_graph, key):
    node = asset_graph.get(dg.AssetKey(key))
    assert node.partitions_def is not None, key
    assert isinstance(node.partitions_def, dg.MonthlyPartitionsDefinition)


def test_gate_checks_are_blocking_and_partitioned(asset_graph):
    """Every gate rule blocks, except the reconciliation with the central bank branch (reported only)."""
    blocking = {(spec.model, spec.check_name): spec.blocks_publication for spec in GATE_RULES}
    for source in SOURCES:
        blocking[(f"{source.name}_ingestion_log", "rules_01_05_file_level")] = source.blocks_publication
    expected = set(blocking)
    found = {}
    for check_key in asset_graph.asset_check_keys:
        key = (check_key.asset_key.to_user_string(), check_key.name)
        if key in expected:
            found[key] = asset_graph.get_check_spec(check_key)
    assert set(found) == expected
    for name, spec in found.items():
        assert spec.blocking == blocking[name], name
        assert spec.partitions_def is not None, name
    assert [name for name, blocks in blocking.items() if not blocks] == [
        ("qr_22_pbc_reconciliation", "rule_22_pbc_reconciliation"),
        ("pbc_ingestion_log", "rules_01_05_file_level"),
    ]


def test_publication_depends_on_every_gated_asset(asset_graph):
    parents = asset_graph.get(dg.AssetKey("published_figures")).parent_keys
    gated = [
        "bank_loans_ingestion_log",
        "rural_credit_ingestion_log",
        "platform_ingestion_log",
        "candidate_figures",
    ]
    for model in [*gated, *(spec.model for spec in GATE_RULES if spec.blocks_publication)]:
        assert dg.AssetKey(model) in parents, model
    # The reconciliation is reported after publication, never a reason to hold it.
    assert dg.AssetKey("qr_22_pbc_reconciliation") not in parents
    assert (
        dg.AssetKey("published_figures") in asset_graph.get(dg.AssetKey("reconciliation_report")).parent_keys
    )


def test_postgres_copy_follows_the_publication_in_the_monthly_job(defs, asset_graph):
    """Its own step after published_figures: a PostgreSQL failure never holds the files or the report."""
    node = asset_graph.get(dg.AssetKey("postgres_tables"))
    assert node.parent_keys == {dg.AssetKey("published_figures")}
    assert (
        dg.AssetKey("postgres_tables")
        not in asset_graph.get(dg.AssetKey("reconciliation_report")).parent_keys
    )
    # Without FINSTAT_POSTGRES_DSN the job leaves it out (test_partitions checks both selections).
    job = defs.resolve_job_def("finstat_monthly")
    assert "postgres_tables" not in {node.name for node in job.graph.node_defs}


def test_the_publication_states_the_gate_outcome_in_its_own_check(asset_graph):
    """A block is recorded on published_figures' partition by the check publication_gate, not a crash."""
    key = dg.AssetCheckKey(dg.AssetKey("published_figures"), "publication_gate")
    assert key in asset_graph.asset_check_keys
    assert not asset_graph.get_check_spec(key).blocking


def test_sensor_and_schedule_target_the_monthly_job(defs):
    sensor = defs.resolve_sensor_def("landing_sensor")
    assert sensor.job_name == "finstat_monthly"
    schedule = defs.resolve_schedule_def("finstat_monthly_schedule")
    assert schedule.job_name == "finstat_monthly"
    assert schedule.cron_schedule.startswith("0 6 10 ")


def test_one_ingestion_step_per_registered_source(defs, asset_graph):
    """Each source of ingestion/registry.py is one step writing its lake tables and its log, nothing else."""
    steps = {}
    for assets_def in defs.resolve_all_asset_specs():
        if assets_def.group_name == "ingestion" and not assets_def.key.to_user_string().startswith(
            "reference_"
        ):
            steps.setdefault(asset_graph.get(assets_def.key).assets_def.node_def.name, set()).add(
                assets_def.key.to_user_string()
            )
    assert steps == {
        f"{source.name}_ingestion": {
            *(f"{table.name}_lake" for table in source.tables),
            f"{source.name}_ingestion_log",
        }
        for source in SOURCES
    }
