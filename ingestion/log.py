"""The append-only ingestion log: one Parquet file per (landing file, outcome), never rewritten."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from finstat.fsio import replace_atomically

ACCEPTED, REJECTED, DUPLICATE = "accepted", "rejected", "duplicate"
# A delivery that changes nothing (the current report's bytes again, or an edited file put back), and
# one that arrived after a newer version of its report (x_v2 after x_v3): information, never blocking.
# DUPLICATE is no longer written; older logs keep it (an identical file, shown like UNCHANGED).
UNCHANGED, SUPERSEDED = "unchanged", "superseded"

# Column order and types: docs/architecture.md "Ingestion log". logged_at holds UTC without a zone.
LOG_SCHEMA = pa.schema(
    [
        ("logged_at", pa.timestamp("us")),
        ("source", pa.string()),
        ("folder_period", pa.string()),
        ("file_path", pa.string()),
        ("file_sha256", pa.string()),
        ("file_size", pa.int64()),
        ("status", pa.string()),
        ("rule", pa.int32()),
        ("severity", pa.string()),
        ("reason", pa.string()),
        ("inst_code", pa.string()),
        ("period", pa.string()),
        ("revision", pa.int32()),
        ("row_count", pa.int64()),
    ]
)


@dataclass(frozen=True)
class FileOutcome:
    """One log row: what happened to one landing file (attributes = log columns)."""

    logged_at: dt.datetime
    source: str
    folder_period: str
    file_path: str
    file_sha256: str
    file_size: int
    status: str
    rule: int | None
    severity: str | None
    reason: str | None
    inst_code: str | None
    period: str | None
    revision: int | None
    row_count: int


def log_root(lake_root: Path) -> Path:
    return lake_root / "ingestion_log"


def log_file(lake_root: Path, outcome: FileOutcome) -> Path:
    """<folder>/<sha12>__<path8>__<status>.parquet.

    The short hash of the file path keeps two outcomes apart when the same bytes arrive under two
    names (the second is a duplicate of the first, or both are rejected). The same bytes, path and
    outcome logged again (a file edited, put back, then edited the same way again) get `__2`, `__3`
    ...: the log is append-only, so an earlier row is never replaced.
    """
    path_hash = hashlib.sha256(outcome.file_path.encode("utf-8")).hexdigest()[:8]
    stem = f"{outcome.file_sha256[:12]}__{path_hash}__{outcome.status}"
    folder = log_root(lake_root) / outcome.folder_period
    target, n = folder / f"{stem}.parquet", 2
    while target.exists():
        target, n = folder / f"{stem}__{n}.parquet", n + 1
    return target


def write_outcome(lake_root: Path, outcome: FileOutcome) -> Path:
    """Persist one outcome as its own Parquet file (temp + rename, so a reader never sees half a row)."""
    row = dataclasses.asdict(outcome)
    row["logged_at"] = outcome.logged_at.astimezone(dt.UTC).replace(tzinfo=None)
    table = pa.Table.from_pylist([row], schema=LOG_SCHEMA)
    target = log_file(lake_root, outcome)
    replace_atomically(target, lambda tmp: pq.write_table(table, tmp))
    return target


def read_log(
    lake_root: Path, source: str | None = None, folder_period: str | None = None
) -> list[FileOutcome]:
    """Every logged outcome (optionally of one source, of one month's landing folder), oldest first."""
    files = sorted(str(p) for p in log_root(lake_root).glob(f"{folder_period or '*'}/*.parquet"))
    if not files:
        return []
    table = pads.dataset(files, schema=LOG_SCHEMA, format="parquet").to_table()
    outcomes = []
    for row in table.to_pylist():
        row["logged_at"] = row["logged_at"].replace(tzinfo=dt.UTC)
        if source is None or row["source"] == source:
            outcomes.append(FileOutcome(**row))
    return sorted(outcomes, key=lambda o: (o.logged_at, o.file_path))


def latest_rejection(lake_root: Path, period: str, file_path: str) -> FileOutcome:
    """The latest rejection of a landing file of the month (what `finstat dismiss` sets aside)."""
    wanted = file_path.replace("\\", "/")
    rejected = [
        o
        for o in read_log(lake_root)
        if o.status == REJECTED and o.folder_period == period and o.file_path == wanted
    ]
    if not rejected:
        raise ValueError(f"{wanted}: no rejected file of {period} with this path in the ingestion log")
    return rejected[-1]
