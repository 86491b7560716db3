"""Run the monthly Dagster job for one month and classify the outcome (published / blocked / failed)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from finstat import gate_record
from finstat.gate_record import outcome_summary, read_gate_record
from finstat.publication.publish import read_publications
from finstat.settings import PROJECT_ROOT, Settings
from orchestration.defs.gate.decision import run_check_rows
from orchestration.defs.publication.assets import PUBLICATION_GATE

PUBLISHED, BLOCKED, FAILED = 0, 2, 1
# The exit code of each recorded outcome. A month with no data is refused before a CLI run; one
# started from the UI records it, and a script reading the code should not take it as published.
OUTCOME_CODES = {
    gate_record.PUBLISHED: PUBLISHED,
    gate_record.BLOCKED: BLOCKED,
    gate_record.NO_DATA: FAILED,
    gate_record.FAILED: FAILED,
}

DAGSTER_YAML = """\
# Written by finstat: no usage telemetry leaves the intranet, and the UI does not open with
# Dagster's "Join the Dagster community" dialog (Slack, newsletter sign-up: nothing an intranet reaches).
telemetry:
  enabled: false
nux:
  enabled: false
# Dagster's SQLite event log in its usual place (history/runs), storing a batch of asset events in
# one transaction (orchestration/event_log.py): a range's build run stores ~3,600 of them.
event_log_storage:
  module: orchestration.event_log
  class: BatchedSqliteEventLogStorage
  config:
    dagster_home:
      env: DAGSTER_HOME
"""
WRITTEN_BY_FINSTAT = "# Written by finstat"


@dataclass
class MonthOutcome:
    """What one month's run did, in the terms of the CLI's exit codes."""

    period: str
    code: int
    run_id: str
    failed_checks: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    published_version: int | None = None
    log_path: Path | None = None
    summary: str = ""  # the recorded outcome in the officer's words (outcome_summary)
    # Indicators the published version left out for a base month not ingested (its
    # missing_base_periods_json rows: indicator_code, missing_period), as the release note lists them.
    withheld: list[dict] = field(default_factory=list)

    @property
    def status(self) -> str:
        return {PUBLISHED: "published", BLOCKED: "blocked", FAILED: "failed"}[self.code]


def dagster_instance(settings: Settings) -> dg.DagsterInstance:
    """The persistent instance under FINSTAT_HOME, shared by the CLI and `make ui`."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.home / "dagster")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    # finstat's own file is brought up to date (an earlier one lacked `nux`); an administrator's is kept.
    current = config.read_text(encoding="utf-8") if config.exists() else None
    if current is None or (current.startswith(WRITTEN_BY_FINSTAT) and current != DAGSTER_YAML):
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


# The code location `make ui` serves (`dagster dev -m orchestration.definitions`, the one
# Definitions object). A CLI run carries that origin, so "Re-execute" in the UI works on it as on a
# run the UI launched: the UI finds the job by location, repository and job name. Building the
# origin and running an existing run in-process are Dagster internals: pinned with dagster==1.13.27.
CODE_LOCATION = "orchestration.definitions"
REPOSITORY = "__repository__"  # Dagster's name for the repository of a Definitions object
JOB_NAME = "finstat_monthly"
# The console gets warnings only (the officer reads the CLI summary); the instance's event log
# keeps every event for the UI.
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _remote_origin():
    from dagster._core.remote_origin import (
        ManagedGrpcPythonEnvCodeLocationOrigin,
        RemoteJobOrigin,
        RemoteRepositoryOrigin,
    )
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

    target = LoadableTargetOrigin(
        executable_path=sys.executable, module_name=CODE_LOCATION, working_directory=str(PROJECT_ROOT)
    )
    location = ManagedGrpcPythonEnvCodeLocationOrigin(target, CODE_LOCATION)
    return RemoteJobOrigin(RemoteRepositoryOrigin(location, REPOSITORY), JOB_NAME)


# The job's two phases, when `finstat run --from A --to B` splits it (docs/performance.md "One build
# for a range of months"): BUILD (ingestion and dbt) once for the range, then GATE (the checks,
# publication, reports) month by month. A month run on its own runs the whole job.
WHOLE, BUILD, GATE = "whole", "build", "gate"


def _phase_selection(job: dg.JobDefinition, phase: str):
    """The phase's assets and checks (None, None: the whole job)."""
    if phase == WHOLE:
        return None, None
    from orchestration.defs.ingestion.assets import ingestion_assets
    from orchestration.defs.warehouse.assets import finstat_dbt_models

    layer = job.asset_layer
    build = (
        set().union(finstat_dbt_models.keys, *(a.keys for a in ingestion_assets)) & layer.selected_asset_keys
    )
    if phase == BUILD:
        # The file-level checks are the gate's: they run in each month's gate run.
        return build, frozenset()
    checks = set().union(*(data.assets_def.check_keys for data in layer.data))
    return layer.selected_asset_keys - build, checks


def _execute(instance: dg.DagsterInstance, tags: dict[str, str], phase: str = WHOLE) -> str:
    """Create the run with the UI's origin, execute it here, in this process; its run id."""
    from dagster._core.definitions.reconstruct import ReconstructableRepository
    from dagster._core.execution.api import create_execution_plan, execute_run
    from dagster._core.snap import snapshot_from_execution_plan

    recon = ReconstructableRepository.for_module(
        CODE_LOCATION, "defs", working_directory=str(PROJECT_ROOT)
    ).get_reconstructable_job(JOB_NAME)
    job = recon.get_definition()
    assets, checks = _phase_selection(job, phase)
    if assets is None:
        run = instance.create_run_for_job(
            job_def=job,
            run_config=RUN_CONFIG,
            tags={**job.tags, **tags},
            remote_job_origin=_remote_origin(),
            job_code_origin=recon.get_python_origin(),
        )
    else:
        # A subset as the UI launches one: create_run_for_job would leave out the checks of assets
        # outside the selection, and the gate's checks sit on the dbt models the build phase made.
        subset = job.get_subset(asset_selection=assets, asset_check_selection=checks)
        plan = create_execution_plan(subset, run_config=RUN_CONFIG, tags={**job.tags, **tags})
        run = instance.create_run(
            job_name=job.name,
            run_id=None,
            run_config=RUN_CONFIG,
            status=None,
            tags={**job.tags, **tags},
            root_run_id=None,
            parent_run_id=None,
            step_keys_to_execute=plan.step_keys_to_execute,
            execution_plan_snapshot=snapshot_from_execution_plan(plan, subset.get_job_snapshot_id()),
            job_snapshot=subset.get_job_snapshot(),
            parent_job_snapshot=subset.get_parent_job_snapshot(),
            asset_selection=frozenset(assets),
            asset_check_selection=frozenset(checks),
            resolved_op_selection=None,
            op_selection=None,
            remote_job_origin=_remote_origin(),
            job_code_origin=recon.get_python_origin(),
            asset_graph=subset.asset_layer.asset_graph,
        )
    execute_run(recon, run, instance)
    return run.run_id


def _step_errors(instance: dg.DagsterInstance, run_id: str, cause: bool = False) -> list[str]:
    """Each failed step's error; with cause, the exception the step raised rather than Dagster's wrapper."""
    errors = []
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        error = record.dagster_event.event_specific_data.error
        while cause and error.cause is not None and "Error occurred while executing" in error.message:
            error = error.cause
        errors.append(f"{record.step_key}: {error.message.strip()}")
    return errors


def _execute_logged(settings: Settings, name: str, instance, tags: dict[str, str], phase: str):
    """Execute a run with its console output in a log file of its own; its run id and the file."""
    # dbt's own log lines, Python warnings and Dagster's step errors go to a file per run instead
    # of the officer's terminal: the CLI prints the outcome and points at the file.
    log_dir = settings.home / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}_{datetime.now(UTC):%Y%m%dT%H%M%S%f}.log"
    with (
        open(log_path, "w", encoding="utf-8") as log,
        contextlib.redirect_stdout(log),
        contextlib.redirect_stderr(log),
        warnings.catch_warnings(),
    ):
        warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: log.write(
            warnings.formatwarning(message, category, filename, lineno, line)
        )
        return _execute(instance, tags, phase), log_path


@dataclass
class RangeBuild:
    """What the build phase of a range did: built, or failed with the step errors."""

    first: str
    last: str
    run_id: str
    errors: list[str]
    log_path: Path

    @property
    def built(self) -> bool:
        return not self.errors


def build_range(first: str, last: str, settings: Settings, instance: dg.DagsterInstance) -> RangeBuild:
    """Ingest up to the last month and build every month of first..last in one run (one dbt build)."""
    from orchestration.outcome_tags import RANGE_END_TAG, RANGE_START_TAG

    tags = {RANGE_START_TAG: first, RANGE_END_TAG: last}
    run_id, log_path = _execute_logged(settings, f"{first}_{last}", instance, tags, BUILD)
    run = instance.get_run_by_id(run_id)
    errors = _step_errors(instance, run_id, cause=True)
    if run is None or run.status != dg.DagsterRunStatus.SUCCESS:
        errors = errors or ["the build run did not succeed: see the run log"]
    return RangeBuild(first, last, run_id, errors, log_path)


def run_month(
    period: str, settings: Settings, instance: dg.DagsterInstance | None = None, built: bool = False
) -> MonthOutcome:
    """Execute the job for the partition month in-process; its outcome is the record the job wrote.

    built: a range's build phase already ingested and built the month (build_range); this run is
    its gate phase (checks, publication, reports).
    """
    instance = instance or dagster_instance(settings)
    run_id, log_path = _execute_logged(
        settings, period, instance, {"dagster/partition": period}, GATE if built else WHOLE
    )
    checks = [c for c in run_check_rows(instance, run_id) if c["check"] != PUBLICATION_GATE]
    failed_checks = [c for c in checks if not c["passed"] and c["blocking"]]
    warnings_seen = [c for c in checks if not c["passed"] and not c["blocking"]]
    errors = _step_errors(instance, run_id)
    record = read_gate_record(settings.home, period)
    if record is None or record.get("run_id") != run_id:
        # The run ended before any step could record it (a resource or the lock failed at start).
        code, version, summary = FAILED, None, gate_record.OUTCOME_LABELS[gate_record.FAILED]
        errors = errors or ["the run failed before any step ran: see the run log"]
    else:
        code = OUTCOME_CODES[record["outcome"]]
        version, summary = record.get("published_version"), outcome_summary(record)
    return MonthOutcome(
        period,
        code,
        run_id,
        failed_checks,
        warnings_seen,
        errors,
        version,
        log_path,
        summary,
        _withheld(settings, period, version) if code == PUBLISHED else [],
    )


def _withheld(settings: Settings, period: str, version: int | None) -> list[dict]:
    """The published version's withheld indicators, from the publication record."""
    for record in read_publications(settings.published).to_pylist():
        if record["period"] == period and record["version"] == version:
            return json.loads(record["missing_base_periods_json"] or "[]")
    return []
