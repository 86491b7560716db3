"""Run the monthly Dagster job for one month and classify the outcome (published / blocked / failed)."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from finstat.settings import Settings

PUBLISHED, BLOCKED, FAILED = 0, 2, 1

DAGSTER_YAML = """\
# Written by finstat: no usage telemetry leaves the intranet.
telemetry:
  enabled: false
"""


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

    @property
    def status(self) -> str:
        return {PUBLISHED: "published", BLOCKED: "blocked", FAILED: "failed"}[self.code]


def dagster_instance(settings: Settings) -> dg.DagsterInstance:
    """The persistent instance under FINSTAT_HOME, shared by the CLI and `make ui`."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.home / "dagster")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def _check_rows(result: dg.ExecuteInProcessResult) -> list[dict]:
    rows = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.event_specific_data
        metadata = {key: getattr(value, "value", value) for key, value in evaluation.metadata.items()}
        rows.append(
            {
                "check": evaluation.check_name,
                "asset": evaluation.asset_key.to_user_string(),
                "passed": evaluation.passed,
                "severity": evaluation.severity.value,
                "metadata": metadata,
            }
        )
    return rows


def _execute(job, period: str, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return job.execute_in_process(
        partition_key=period,
        instance=instance,
        raise_on_error=False,
        # The console gets warnings only (the officer reads the CLI summary); the instance's event
        # log keeps every event for the UI.
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )


# Steps after the publication whose failure fails the month although it is published on file:
# the BI readers of PostgreSQL do not have it yet, and a scheduler must see that (exit 1).
MUST_FOLLOW_PUBLICATION = frozenset({"postgres_tables"})


def outcome_code(published: bool, failed_checks: list[dict], failed_steps: set[str]) -> int:
    """The month's exit code from what the run did."""
    if published:
        return FAILED if failed_steps & MUST_FOLLOW_PUBLICATION else PUBLISHED
    return BLOCKED if failed_checks else FAILED


def run_month(period: str, settings: Settings, instance: dg.DagsterInstance | None = None) -> MonthOutcome:
    """Execute the job for the partition month in-process and record the gate results."""
    from orchestration.definitions import defs

    job = defs.resolve_job_def("finstat_monthly")
    # dbt's own log lines go to a file per run instead of flooding the officer's terminal.
    log_dir = settings.home / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{period}_{datetime.now(UTC):%Y%m%dT%H%M%S%f}.log"
    with open(log_path, "w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        result = _execute(job, period, instance or dagster_instance(settings))
    checks = _check_rows(result)

    published = any(
        event.event_type_value == "ASSET_MATERIALIZATION"
        and event.asset_key == dg.AssetKey("published_figures")
        for event in result.all_events
    )
    failed_checks = [c for c in checks if not c["passed"] and c["severity"] == "ERROR"]
    warnings = [c for c in checks if not c["passed"] and c["severity"] == "WARN"]
    errors = [
        f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE"
    ]
    failed_steps = {event.step_key for event in result.all_events if event.event_type_value == "STEP_FAILURE"}
    code = outcome_code(published, failed_checks, failed_steps)
    version = None
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key == dg.AssetKey(
            "published_figures"
        ):
            version = event.event_specific_data.materialization.metadata["version"].value
    outcome = MonthOutcome(period, code, result.run_id, failed_checks, warnings, errors, version, log_path)
    _record_gate(settings, outcome, checks)
    return outcome


def _record_gate(settings: Settings, outcome: MonthOutcome, checks: list[dict]) -> None:
    """Keep the latest gate result per month for `finstat status` (the UI has the full history)."""
    gate_dir = settings.home / "gate"
    gate_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "period": outcome.period,
        "status": outcome.status,
        "run_id": outcome.run_id,
        "finished_at": datetime.now(UTC).isoformat(),
        "published_version": outcome.published_version,
        "checks": [
            {k: v for k, v in c.items() if k != "metadata"}
            | {"failing_row_count": c["metadata"].get("failing_row_count")}
            for c in checks
        ],
        "errors": outcome.errors,
    }
    tmp = gate_dir / f".{outcome.period}.json.tmp"
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, gate_dir / f"{outcome.period}.json")
