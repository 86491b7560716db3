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
    name = f"{period}__rule{int(rule):02d}__{row['acknowledged_at']:%Y%m%dT%H%M%S%f}_{uuid.uuid4().hex[:6]}.parquet"
    table = pa.Table.from_pylist([row], schema=ACK_SCHEMA)
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
