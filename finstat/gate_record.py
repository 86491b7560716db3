"""The month's outcome as the monthly job recorded it (one JSON file per month), read by every view."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from finstat.fsio import replace_atomically
from finstat.periods import check_period

PUBLISHED, BLOCKED, NO_DATA, FAILED = "published", "blocked", "no_data", "failed"
OUTCOMES = (PUBLISHED, BLOCKED, NO_DATA, FAILED)
# What the officer reads for each outcome (CLI, `finstat status`, the run tag in the UI).
OUTCOME_LABELS = {PUBLISHED: "已发布", BLOCKED: "被阻止", NO_DATA: "无数据", FAILED: "运行失败"}


def gate_dir(home: Path) -> Path:
    """Where the job keeps the latest outcome of each month."""
    return home / "gate"


def rows_fingerprint(rows: list[dict]) -> str:
    """SHA-256 of the failing rows, independent of their order: what an acknowledgement binds to."""
    lines = sorted(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str) for row in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def write_gate_record(home: Path, record: dict) -> None:
    """Replace the month's record atomically (the latest run of a month is its status)."""
    period = check_period(record["period"])
    if record.get("outcome") not in OUTCOMES:
        raise ValueError(f"unknown outcome {record.get('outcome')!r}")
    text = json.dumps(record, ensure_ascii=False, indent=1, default=str)
    replace_atomically(gate_dir(home) / f"{period}.json", lambda p: p.write_text(text, encoding="utf-8"))


def read_gate_record(home: Path, period: str) -> dict | None:
    """The month's latest recorded outcome, or None when no run of it has finished."""
    path = gate_dir(home) / f"{check_period(period)}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def read_gate_records(home: Path) -> dict[str, dict]:
    """Every month's latest recorded outcome, by month."""
    records = {}
    for path in sorted(gate_dir(home).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        records[record["period"]] = record
    return records


def failing_check(record: dict | None, rule: int) -> dict | None:
    """The failing check of a rule in a month's record (None when it passed or never ran)."""
    for check in (record or {}).get("checks", []):
        if check.get("rule") == rule and not check.get("passed"):
            return check
    return None


def outcome_summary(record: dict) -> str:
    """One line: the outcome and, for a block, the rules and institutions that hold the month."""
    label = OUTCOME_LABELS[record["outcome"]]
    if record["outcome"] == PUBLISHED:
        return f"{label} v{record['published_version']}"
    if record["outcome"] == BLOCKED:
        rules = sorted({c["rule"] for c in record.get("checks", []) if c.get("blocking")})
        institutions = sorted(
            {i for c in record.get("checks", []) if c.get("blocking") for i in c.get("institutions", [])}
        )
        text = f"{label}：规则 {'、'.join(str(r) for r in rules)}"
        if institutions:
            text += f"（机构 {'、'.join(institutions[:5])}{' 等' if len(institutions) > 5 else ''}）"
        return text
    errors = record.get("errors") or []
    return f"{label}：{errors[0]}" if errors else label
