"""What a source is: the declaration each source module makes, and what the shared ingestion loop reads of it."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa

from ingestion.errors import FileRejected
from ingestion.lake import Lineage, StagedLakeFile, ensure_table_schema_file
from ingestion.landing_files import LandedFile
from ingestion.limits import check_xlsx
from ingestion.register import Reference

# Where each source's dbt sources and staging models live, relative to the dbt project.
DBT_STAGING = PurePosixPath("models/staging")


@dataclass(frozen=True)
class ReadContext:
    """What readers may need, prepared once per run (a key problem stops the run, blaming no file)."""

    reference: Reference
    key: bytes | None


@dataclass(frozen=True)
class LakeTable:
    """One Parquet lake table of a source (`<lake>/<name>/period=YYYY-MM/...`, read by dbt as `<source>.<name>`)."""

    name: str
    # Column order and types are the lake's contract: the dbt sources and Spark's tables read them.
    schema: pa.Schema
    # The kind of file whose rows it holds ('' when every file of the source goes to it).
    kind: str = ""


class Senders(enum.Enum):
    """Who may send a source's files: what rule 3 checks of the sender a file names."""

    # An institution of the register, in scope for the month.
    REGISTER = "register"
    # The same, and one of the rural-credit system (农信系统).
    RURAL_CREDIT = "rural_credit"
    # One sender outside the register (the platform operator, the central bank branch): no rule 3.
    OUTSIDE = "outside"


@dataclass(frozen=True)
class Source:
    """One landing source: its files, its lake tables, how rules 1-5 read it, what blocks publication.

    Declared once, in the source's own ingestion module, and listed in ingestion/registry.py; the
    ingestion loop, the Dagster assets and checks, dbt's lake sources, the fuzz targets and the
    tests all read it from there.
    """

    # The landing folder (`<landing>/<name>/<YYYY-MM>/`), the log's `source`, the dbt source's name.
    name: str
    # How officers call it (Chinese, then English): Dagster's asset descriptions.
    title: str
    # The file types accepted (rule 1 refuses any other), in the order the refusal names them.
    suffixes: tuple[str, ...]
    tables: tuple[LakeTable, ...]
    # (landed file, context) -> the opened report: inst_code, period, inst_at, period_at (rules 2-4
    # use them). Called after the file type and, for .xlsx, the zip limits were checked.
    open: Callable[[LandedFile, ReadContext], Any]
    # report -> the lake rows of the file (all but the lineage constants); raises FileRejected
    # (rules 1 and 5, and 2 for a row's month).
    read_body: Callable[[Any], pa.Table]
    # A name the files of each kind match, with a group `kind`: reports of one sender and month that
    # coexist (rural credit: 贷款明细 and 不良处置), so rule 4 compares a file only with its own kind.
    name_pattern: re.Pattern[str] | None = None
    senders: Senders = Senders.REGISTER
    # How rule 4's message names a sender outside the register (an institution is named by its code).
    sender_label: str = "平台"
    # The files carry personal data: readers get the pseudonymisation key, and a parser's own
    # message (which may quote a row) does not reach the log.
    personal_data: bool = False
    # Header checks after the folder month and the register (the file name against the content).
    check_header: Callable[[Any], None] | None = None
    # (report, lake root, lineage) -> the lake file staged chunk by chunk, for a source too large to
    # hold in memory: the body is validated and written in one pass, committed once accepted. Used
    # by the ingestion loop instead of read_body (which the fuzzer still calls).
    stage_body: Callable[[Any, Path, Lineage], StagedLakeFile] | None = None
    # False for figures that are only reconciled (the central bank branch's, quality-rules.md rule
    # 22): a rejected file is reported, never a reason to hold the month's publication.
    blocks_publication: bool = True

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of file that coexist for one sender and month (none for one report per sender)."""
        return tuple(table.kind for table in self.tables if table.kind)

    @property
    def dbt_staging(self) -> PurePosixPath:
        """The dbt staging folder holding the source's dbt source (named like it) and staging models."""
        return DBT_STAGING / self.name

    def kind_of(self, file_path: str) -> str:
        """The kind a file's name gives ('' for a source with one report per sender, or no match)."""
        if self.name_pattern is None:
            return ""
        match = self.name_pattern.match(PurePosixPath(file_path).name)
        return match["kind"] if match else ""

    def table_for(self, kind: str) -> LakeTable:
        """The lake table the rows of a file of this kind go to."""
        return next(table for table in self.tables if table.kind == kind)

    def ensure_schema_files(self, lake_root: Path) -> None:
        """A zero-row file per lake table, so dbt's globs match something before any file is accepted."""
        for table in self.tables:
            ensure_table_schema_file(lake_root, table.name, table.schema)

    def open_file(self, landed: LandedFile, context: ReadContext) -> Any:
        """The checks every reader relies on (file type, zip limits), then the source's own open."""
        suffix = landed.path.suffix.lower()
        if suffix not in self.suffixes:
            raise FileRejected(
                1,
                f"不支持的文件类型“{landed.path.suffix or '无扩展名'}”（只接受 {' 和 '.join(self.suffixes)}）",
                landed.file_path,
            )
        if suffix == ".xlsx":
            check_xlsx(landed.path, landed.file_path)  # before calamine unpacks anything
        return self.open(landed, context)


def report_rows_table(body: pa.Schema, period: str, inst_code: str, rows: Sequence[Any]) -> pa.Table:
    """A template report's rows as lake rows: period and inst_code from its header, every other
    column of `body` the row's attribute of that name (bank_loans' AmountRow, a programme cell)."""
    n = len(rows)
    columns: dict[str, list] = {"period": [period] * n, "inst_code": [inst_code] * n}
    for name in body.names[2:]:
        columns[name] = [getattr(row, name) for row in rows]
    return pa.table(columns, schema=body)
