"""The event log storage of finstat's instance (orchestration/event_log.py): batches stored as Dagster stores events."""

from __future__ import annotations

import collections

import dagster as dg
import pytest
from dagster._core.storage.event_log import SqliteEventLogStorage

from finstat.settings import load_settings
from orchestration.event_log import BatchedSqliteEventLogStorage
from orchestration.runner import dagster_instance

MONTHS = ("2022-01", "2022-02", "2022-03")
partitions = dg.StaticPartitionsDefinition(list(MONTHS))


@dg.asset(partitions_def=partitions)
def upstream() -> None:
    """An asset of every month of the run's range (one output, a materialization per month)."""


@dg.asset(partitions_def=partitions, deps=[upstream])
def downstream() -> None:
    """A second asset, so a batch holds several assets' events."""


@dg.asset_check(asset=downstream, partitions_def=partitions)
def downstream_check() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


range_job = dg.define_asset_job("range_job", selection=[upstream, downstream])
# As a range's build run: assets only (its planned events are asset events only, one batch).
build_job = dg.define_asset_job(
    "build_job", selection=dg.AssetSelection.assets(upstream, downstream).without_checks()
)
defs = dg.Definitions(
    assets=[upstream, downstream], asset_checks=[downstream_check], jobs=[range_job, build_job]
)
RANGE_TAGS = {
    "dagster/asset_partition_range_start": MONTHS[0],
    "dagster/asset_partition_range_end": MONTHS[-1],
}


def _instance(tmp_path, monkeypatch, name: str, finstat_yaml: bool) -> dg.DagsterInstance:
    """An instance in a home of its own: finstat's dagster.yaml, or none (Dagster's default storage)."""
    home = tmp_path / name
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    if finstat_yaml:
        return dagster_instance(load_settings(tmp_path / "landing", home))
    (home / "dagster").mkdir(parents=True)
    return dg.DagsterInstance.get()


def _run_range(instance: dg.DagsterInstance, job: str = "range_job") -> str:
    result = defs.resolve_job_def(job).execute_in_process(instance=instance, tags=RANGE_TAGS)
    assert result.success
    return result.run_id


def _stored(instance: dg.DagsterInstance, run_id: str) -> dict:
    """What the UI reads of a run: its events by type, and the index's records of each asset."""
    kinds = collections.Counter(
        e.dagster_event.event_type_value for e in instance.all_logs(run_id) if e.dagster_event
    )
    assets = {}
    for key in (dg.AssetKey("upstream"), dg.AssetKey("downstream")):
        records = instance.fetch_materializations(key, limit=100).records
        planned = instance.event_log_storage.get_event_records(
            dg.EventRecordsFilter(dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED, asset_key=key)
        )
        assets[key.to_user_string()] = {
            "materialized": sorted(instance.get_materialized_partitions(key)),
            "materializations": sorted(r.partition_key for r in records),
            "planned": sorted(r.partition_key for r in planned),
            "run": {r.run_id for r in records} == {run_id},
        }
    return {"events": dict(kinds), "assets": assets}


@pytest.fixture
def batches(monkeypatch):
    """Event batches on, as finstat's definitions set them in every process that runs the job."""
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "10000")


def test_finstat_s_instance_uses_the_batching_storage_in_dagster_s_own_place(tmp_path, monkeypatch):
    instance = _instance(tmp_path, monkeypatch, "home", finstat_yaml=True)
    storage = instance.event_log_storage
    assert isinstance(storage, BatchedSqliteEventLogStorage)
    # Where Dagster's default storage keeps the shards: an instance made before keeps its history.
    assert storage._base_dir == str(tmp_path / "home" / "dagster" / "history" / "runs")


def test_a_range_run_stores_what_dagster_s_own_storage_stores(tmp_path, monkeypatch, batches):
    ours = _instance(tmp_path, monkeypatch, "ours", finstat_yaml=True)
    stored_ours = _stored(ours, _run_range(ours))
    theirs = _instance(tmp_path, monkeypatch, "theirs", finstat_yaml=False)
    assert type(theirs.event_log_storage) is SqliteEventLogStorage
    stored_theirs = _stored(theirs, _run_range(theirs))

    assert stored_ours == stored_theirs
    assert stored_ours["assets"]["upstream"] == {
        "materialized": list(MONTHS),
        "materializations": list(MONTHS),
        "planned": list(MONTHS),
        "run": True,
    }
    assert stored_ours["events"]["ASSET_MATERIALIZATION"] == 6


def test_a_batch_of_asset_events_takes_one_transaction_per_database(tmp_path, monkeypatch, batches):
    instance = _instance(tmp_path, monkeypatch, "home", finstat_yaml=True)
    storage = instance.event_log_storage
    one_by_one, batched, opened = [], [], []
    store_event, store_event_batch, connect = storage.store_event, storage.store_event_batch, storage._connect
    monkeypatch.setattr(storage, "store_event", lambda event: one_by_one.append(event) or store_event(event))

    def store_batch(events):
        opened.clear()
        store_event_batch(events)
        batched.append((len(events), list(opened)))

    monkeypatch.setattr(storage, "store_event_batch", store_batch)
    monkeypatch.setattr(storage, "_connect", lambda shard: opened.append(shard) or connect(shard))
    run_id = _run_range(instance, "build_job")

    # The run's planned events (2 assets x 3 months) as one batch, each asset's 3 materializations as
    # one; each batch opened the run's shard once and the index once.
    assert sorted(batched) == [(3, [run_id, "index"]), (3, [run_id, "index"]), (6, [run_id, "index"])]
    kinds = {e.dagster_event.event_type_value for e in one_by_one if e.dagster_event}
    assert "ASSET_MATERIALIZATION" not in kinds and "ASSET_MATERIALIZATION_PLANNED" not in kinds
    assert "STEP_START" in kinds  # everything else is stored by Dagster, event by event

    # A batch with a check's planned event (a gate run's) goes through Dagster's loop, event by event.
    one_by_one.clear()
    _run_range(instance)
    kinds = collections.Counter(e.dagster_event.event_type_value for e in one_by_one if e.dagster_event)
    assert kinds["ASSET_MATERIALIZATION_PLANNED"] == 6 and kinds["ASSET_CHECK_EVALUATION_PLANNED"] == 1


def test_a_batch_the_index_refuses_is_stored_once_by_dagster_s_fallback(tmp_path, monkeypatch, batches):
    instance = _instance(tmp_path, monkeypatch, "home", finstat_yaml=True)
    refused = []
    store_asset_event = BatchedSqliteEventLogStorage._store_asset_event

    def refuse_first_batch(self, conn, event, event_id):
        if not refused:
            refused.append(event)
            raise RuntimeError("index refused")
        return store_asset_event(self, conn, event, event_id)

    monkeypatch.setattr(BatchedSqliteEventLogStorage, "_store_asset_event", refuse_first_batch)
    run_id = _run_range(instance, "build_job")

    # The first batch to reach the index is the run's planned events, through the batch path.
    assert [e.dagster_event_type.value for e in refused] == ["ASSET_MATERIALIZATION_PLANNED"]
    planned = [
        e
        for e in instance.all_logs(run_id)
        if e.dagster_event and e.dagster_event_type.value == "ASSET_MATERIALIZATION_PLANNED"
    ]
    # The shard's rows of the refused batch were taken out before Dagster stored each event again.
    assert sorted(
        (e.dagster_event.asset_key.to_user_string(), e.dagster_event.partition) for e in planned
    ) == sorted((asset, month) for asset in ("upstream", "downstream") for month in MONTHS)
    assert sorted(instance.get_materialized_partitions(dg.AssetKey("downstream"))) == list(MONTHS)
