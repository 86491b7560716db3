"""The Parquet lake: one file per accepted landing file per table, plus a zero-row schema file each."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from finstat.fsio import move_into_place, replace_atomically
from ingestion.errors import LakeWriteError

# The lineage columns of every lake table (rural credit and platform end with them in this order;
# bank_loans and pbc place them among their own): which landing file and line a row came from, that
# file's revision and when it was ingested.
# Timestamps are stored without a zone and always hold UTC, matching DuckDB's plain TIMESTAMP.
LINEAGE = [
    ("source_file", pa.string()),
    ("row_number", pa.int32()),
    ("file_sha256", pa.string()),
    ("revision", pa.int32()),
    ("ingested_at", pa.timestamp("us")),
]

SCHEMA_FILE_NAME = "_schema.parquet"


def lake_dir(lake_root: Path, table: str) -> Path:
    return lake_root / table


def lake_file(lake_root: Path, period: str, inst_code: str, file_sha256: str, table: str) -> Path:
    """Where one accepted file's rows live: <table>/period=YYYY-MM/<inst_code>__<sha12>.parquet."""
    return lake_dir(lake_root, table) / f"period={period}" / f"{inst_code}__{file_sha256[:12]}.parquet"


def _write(table: pa.Table, target: Path) -> None:
    replace_atomically(target, lambda tmp: pq.write_table(table, tmp))


def ensure_table_schema_file(lake_root: Path, table: str, schema: pa.Schema) -> Path:
    """A zero-row file with the table's schema, so dbt's glob matches something before any file is accepted."""
    target = lake_dir(lake_root, table) / SCHEMA_FILE_NAME
    if not target.exists() or pq.read_schema(target) != schema:
        _write(schema.empty_table(), target)
    return target


@dataclass(frozen=True)
class Lineage:
    """Which landing file the rows of one lake file came from, its revision and when it was ingested."""

    source_file: str
    file_sha256: str
    revision: int
    ingested_at: dt.datetime

    def columns(self, n: int) -> dict[str, pa.Array]:
        """The constant lineage columns (all but row_number) for n rows."""
        naive_utc = self.ingested_at.astimezone(dt.UTC).replace(tzinfo=None)
        return {
            "source_file": pa.repeat(pa.scalar(self.source_file), n),
            "file_sha256": pa.repeat(pa.scalar(self.file_sha256), n),
            "revision": pa.repeat(pa.scalar(self.revision, pa.int32()), n),
            "ingested_at": pa.repeat(pa.scalar(naive_utc, pa.timestamp("us")), n),
        }


class StagedLakeFile:
    """One accepted file's lake rows written chunk by chunk (one row group each) under a hidden name.

    Nothing appears under the target name until commit(): a file rejected halfway through is
    discard()ed and leaves nothing behind, as replace_atomically does for a whole table. The temp
    file sits next to its target (same file system, so the rename is atomic) and is named like
    replace_atomically's, which the lake's *.parquet globs skip.
    """

    def __init__(self, target: Path, schema: pa.Schema) -> None:
        self.target, self.schema, self.num_rows = target, schema, 0
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            self._tmp = Path(name)
            self._writer: pq.ParquetWriter | None = pq.ParquetWriter(self._tmp, schema)
        except OSError as exc:
            raise LakeWriteError(f"cannot stage {target}: {exc}") from exc
        # Parquet encoding releases the GIL: a chunk is written by this thread while the next one is
        # checked and hashed. One write at a time is pending, so at most two chunks are in memory.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lake-writer")
        self._pending: Future | None = None

    def write(self, rows: pa.Table) -> None:
        """Append one chunk (already in the table's schema) as its own row group, in the background."""
        assert self._writer is not None, "staged file already closed"
        self._wait()
        self._pending = self._thread.submit(
            self._writer.write_table, rows, row_group_size=max(rows.num_rows, 1)
        )
        self.num_rows += rows.num_rows

    def _wait(self) -> None:
        """Let the pending write finish; its error, if any, is raised here."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            pending.result()
        except OSError as exc:
            raise LakeWriteError(f"cannot write {self._tmp}: {exc}") from exc

    def commit(self) -> Path:
        """Close, fsync and rename into place; a rerun of the same file overwrites it."""
        try:
            self._wait()
        except LakeWriteError:
            self.discard()
            raise
        try:
            self._close()
            move_into_place(self._tmp, self.target)
        except OSError as exc:
            self.discard()
            raise LakeWriteError(f"cannot write {self.target}: {exc}") from exc
        return self.target

    def discard(self) -> None:
        """Drop what was written (the file was rejected, or writing failed)."""
        try:
            with contextlib.suppress(Exception):  # the file is dropped whatever its last write did
                self._wait()
            self._close()
        finally:
            self._thread.shutdown()
            self._tmp.unlink(missing_ok=True)

    def _close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
        self._thread.shutdown()


def write_with_lineage(
    lake_root: Path,
    table_name: str,
    schema: pa.Schema,
    *,
    period: str,
    inst_code: str,
    source_file: str,
    file_sha256: str,
    revision: int,
    ingested_at: dt.datetime,
    rows: pa.Table,
) -> Path:
    """Add the lineage constants to one accepted file's Arrow rows and write them to its lake table."""
    lineage = Lineage(source_file, file_sha256, revision, ingested_at).columns(rows.num_rows)
    columns = {
        name: rows.column(name) if name in rows.column_names else lineage[name] for name in schema.names
    }
    return write_table_file(
        lake_root,
        table_name,
        period=period,
        inst_code=inst_code,
        file_sha256=file_sha256,
        table=pa.table(columns, schema=schema),
    )


def write_table_file(
    lake_root: Path, table_name: str, *, period: str, inst_code: str, file_sha256: str, table: pa.Table
) -> Path:
    """Write one accepted file's Arrow table atomically (temp + rename); a rerun overwrites it."""
    target = lake_file(lake_root, period, inst_code, file_sha256, table_name)
    _write(table, target)
    return target
