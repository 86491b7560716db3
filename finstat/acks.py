"""Acknowledgements of warning rules by month: append-only records the publication carries."""

from __future__ import annotations

import getpass
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from finstat.periods import check_period
from finstat.publication.files import replace_atomically

ACK_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("rule", pa.int32()),
        ("reason", pa.string()),
        ("acknowledged_by", pa.string()),
        ("acknowledged_at", pa.timestamp("us", tz="UTC")),
    ]
)


def record_ack(acks_dir: Path, period: str, rule: int, reason: str, by: str | None = None) -> dict:
    """Store one acknowledgement as its own file: nothing is rewritten, the latest one counts."""
    check_period(period)
    if not reason or not reason.strip():
        raise ValueError("an acknowledgement needs a reason")
    row = {
        "period": period,
        "rule": int(rule),
        "reason": reason.strip(),
        "acknowledged_by": by or getpass.getuser(),
        "acknowledged_at": datetime.now(UTC),
    }
    return _append(acks_dir, f"{period}__rule{int(rule):02d}", row, ACK_SCHEMA)


def _append(acks_dir: Path, prefix: str, row: dict, schema: pa.Schema) -> dict:
    """Write one decision as a file of its own (unique name, atomic): nothing is ever rewritten."""
    name = f"{prefix}__{datetime.now(UTC):%Y%m%dT%H%M%S%f}_{uuid.uuid4().hex[:6]}.parquet"
    table = pa.Table.from_pylist([row], schema=schema)
    replace_atomically(acks_dir / name, lambda p: pq.write_table(table, p))
    return row


def load_acks(acks_dir: Path, period: str) -> dict[int, dict]:
    """The latest acknowledgement per rule for a month."""
    latest: dict[int, dict] = {}
    if not acks_dir.exists():
        return latest
    for path in sorted(acks_dir.glob(f"{check_period(period)}__rule*.parquet")):
        for row in pq.read_table(path, schema=ACK_SCHEMA).to_pylist():
            if row["rule"] not in latest or row["acknowledged_at"] >= latest[row["rule"]]["acknowledged_at"]:
                latest[row["rule"]] = row
    return latest


# A rejected file nobody can replace (a stray file, a link, a name no sender would use: it has no
# institution, so no later file resolves it) is set aside by the officer with a reason. The
# rejection stays in the ingestion log and the file in landing; only the gate stops waiting for it.
DISMISSAL_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("file_path", pa.string()),
        ("file_sha256", pa.string()),
        ("reason", pa.string()),
        ("dismissed_by", pa.string()),
        ("dismissed_at", pa.timestamp("us", tz="UTC")),
    ]
)


def record_dismissal(
    acks_dir: Path, period: str, file_path: str, file_sha256: str, reason: str, by: str | None = None
) -> dict:
    """Store the officer's decision that a rejected file (these exact bytes) no longer blocks the month."""
    check_period(period)
    if not reason or not reason.strip():
        raise ValueError("setting a rejected file aside needs a reason")
    row = {
        "period": period,
        "file_path": file_path,
        "file_sha256": file_sha256,
        "reason": reason.strip(),
        "dismissed_by": by or getpass.getuser(),
        "dismissed_at": datetime.now(UTC),
    }
    return _append(acks_dir, f"{period}__file__{file_sha256[:12]}", row, DISMISSAL_SCHEMA)


def load_dismissals(acks_dir: Path, period: str) -> list[dict]:
    """The month's dismissed rejected files, oldest first."""
    if not acks_dir.exists():
        return []
    rows = [
        row
        for path in sorted(acks_dir.glob(f"{check_period(period)}__file__*.parquet"))
        for row in pq.read_table(path, schema=DISMISSAL_SCHEMA).to_pylist()
    ]
    return sorted(rows, key=lambda r: r["dismissed_at"])
