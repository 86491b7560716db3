"""The month's gate decision from the check evaluations of this run: publish, block, or no data."""

from __future__ import annotations

import dagster as dg

from expectations.rules import GATE_RULES
from finstat.clock import utc_now
from finstat.gate_record import BLOCKED, NO_DATA, PUBLISHED
from orchestration.defs.gate.outcome import BLOCKS_MONTH
from orchestration.defs.ingestion.assets import SOURCES

FILE_LEVEL_CHECK = "rules_01_05_file_level"
# Every check that can hold the month: each must have reported in the run that publishes it.
GATING_CHECKS = frozenset(
    {
        *(
            dg.AssetCheckKey(dg.AssetKey(s.log_key), FILE_LEVEL_CHECK)
            for s in SOURCES
            if s.blocks_publication
        ),
        *(dg.AssetCheckKey(dg.AssetKey(r.model), r.check_name) for r in GATE_RULES if r.blocks_publication),
    }
)


def _value(entry) -> object:
    return getattr(entry, "value", entry)


def run_check_rows(instance: dg.DagsterInstance, run_id: str) -> list[dict]:
    """Each check evaluation of the run as a plain row (the latest per check)."""
    rows: dict[tuple[str, str], dict] = {}
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.dagster_event.event_specific_data
        metadata = {key: _value(value) for key, value in evaluation.metadata.items()}
        asset = evaluation.asset_key.to_user_string()
        rows[(asset, evaluation.check_name)] = {
            "check": evaluation.check_name,
            "asset": asset,
            "passed": evaluation.passed,
            "blocking": bool(metadata.get(BLOCKS_MONTH)),
            "metadata": metadata,
        }
    return list(rows.values())


def missing_gate_checks(rows: list[dict]) -> list[str]:
    """Gating checks that did not report in this run (a partial selection skips the gate)."""
    seen = {dg.AssetCheckKey(dg.AssetKey.from_user_string(r["asset"]), r["check"]) for r in rows}
    return sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in GATING_CHECKS - seen)


def _institutions(metadata: dict) -> list[str]:
    rows = metadata.get("failing_rows_json") or []
    return sorted({str(row["inst_code"]) for row in rows if isinstance(row, dict) and row.get("inst_code")})


def record_checks(rows: list[dict]) -> list[dict]:
    """What the month's record keeps of each check: enough for `status`, acks and the tags."""
    kept = []
    for row in sorted(rows, key=lambda r: (r["metadata"].get("rule") or 0, r["asset"])):
        meta = row["metadata"]
        kept.append(
            {
                "check": row["check"],
                "asset": row["asset"],
                "rule": meta.get("rule"),
                "rule_severity": meta.get("rule_severity"),
                "title": meta.get("title"),
                "passed": row["passed"],
                "blocking": row["blocking"],
                "failing_row_count": meta.get("failing_row_count"),
                "fingerprint": meta.get("failing_rows_fingerprint"),
                "acknowledged": bool(meta.get("acknowledged_by")),
                "acknowledged_by": meta.get("acknowledged_by"),
                "institutions": _institutions(meta) if not row["passed"] else [],
            }
        )
    return kept


def gate_record(period: str, run_id: str, checks: list[dict], has_data: bool) -> dict:
    """The month's record before publication: blocked, no data, or cleared to publish."""
    if not has_data:
        outcome = NO_DATA
    elif any(c["blocking"] for c in checks):
        outcome = BLOCKED
    else:
        outcome = PUBLISHED
    return {
        "period": period,
        "outcome": outcome,
        "run_id": run_id,
        "finished_at": utc_now().isoformat(),
        "published_version": None,
        "checks": checks,
        "errors": [],
    }
