"""Entry point: ingest every new landing file of a source (bank_loans, rural_credit, platform) up to a month."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finstat.faults import fault_point
from finstat.fsio import writer_lock
from finstat.periods import check_period
from finstat.settings import Settings
from ingestion import pbc, platform, rural_credit
from ingestion.bank_loans_csv import CsvReport
from ingestion.bank_loans_excel import ExcelReport
from ingestion.delivery import Delivery, decide
from ingestion.errors import FileRejected, LakeWriteError
from ingestion.lake import Lineage, ensure_schema_file, write_lake_file
from ingestion.landing import is_delivery
from ingestion.limits import check_xlsx, landing_size_problem
from ingestion.log import ACCEPTED, REJECTED, FileOutcome, read_log, write_outcome
from ingestion.pseudonym import load_key
from ingestion.records import BankLoanReport
from ingestion.redelivery import move_as_revision, scratch_root
from ingestion.register import Reference, load_reference
from ingestion.resubmission import marker_number

SOURCE = "bank_loans"
READERS = {".xlsx": ExcelReport, ".csv": CsvReport}


@dataclass
class IngestReport:
    """What one call did: the outcomes it logged (files already logged are skipped, not repeated)."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    skipped: int = 0

    def with_status(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]


@dataclass(frozen=True)
class _Landed:
    path: Path
    file_path: str  # relative to the landing root, with forward slashes
    folder_period: str
    sha256: str
    size: int
    # Why the file is rejected (rule 1) without being opened: its name, a symlink, its size.
    refusal: str | None = None


@dataclass(frozen=True)
class _Accepted:
    inst_code: str
    period: str
    revision: int
    reason: str | None
    # Where the writer puts the lake file: the lake, or a scratch root when an earlier revision
    # already brought these bytes (ingestion/redelivery.py).
    lake_root: Path
    restores: bool
    rows: Any  # what the source's writer takes: list[AmountRow], an Arrow table or a staged lake file
    row_count: int
    kind: str


def _month_folders(source_dir: Path, up_to_period: str) -> list[tuple[str, Path]]:
    folders = []
    if not source_dir.is_dir():
        return folders
    for folder in source_dir.iterdir():
        # A month folder is where senders upload: one that is a link could point anywhere on the
        # machine, so it is not followed (the source folder itself may be a link the admin set up).
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            check_period(folder.name)
        except ValueError:
            continue  # not a month folder (notes, archives): not part of the landing contract
        if folder.name <= up_to_period:
            folders.append((folder.name, folder))
    return sorted(folders)


# Characters that do not show, or break a log line, when a name is printed: controls, format
# characters (zero-width, right-to-left override), line separators, and bytes that were not UTF-8.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_RENAME = "；为安全起见未读取，请发送方改名后重新报送"
# Windows device names (NUL, CON, COM1 ...): whatever the extension, Windows opens the device, not a
# file, so such a name cannot be copied to or read on the officers' desktops or a Windows share.
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10))})


def _shown(text: str) -> str:
    """The text with every hidden character escaped (\\x01, \\u202e; a non-UTF-8 byte as \\xd2)."""
    out = []
    for ch in text:
        code = ord(ch)
        if unicodedata.category(ch) not in _HIDDEN:
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:  # surrogateescape: a raw byte of the file system name
            out.append(f"\\x{code - 0xDC00:02x}")
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def _name_problem(name: str) -> str | None:
    """Why a landing file name is refused (it could name a path, hide its type, or break the log)."""
    if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name):
        raw = name.encode("utf-8", "surrogateescape")
        try:
            hint = f"（按 GB18030 解读为“{_shown(raw.decode('gb18030'))}”）"
        except UnicodeDecodeError:
            hint = ""
        return f"文件名不是有效的 UTF-8 文本{hint}{_RENAME}"
    if "\\" in name:
        return f"文件名含有反斜杠“\\”（Windows 路径分隔符）{_RENAME}"
    if ".." in name:
        return f"文件名含有“..”（上级目录）{_RENAME}"
    if name.split(".")[0].strip(" ").upper() in _DEVICES:
        return f"文件名“{name.split('.')[0]}”是 Windows 设备名{_RENAME}"
    hidden = sorted({_shown(ch) for ch in name if unicodedata.category(ch) in _HIDDEN})
    if hidden:
        return f"文件名含有控制字符或不可见字符（{'、'.join(hidden)}）{_RENAME}"
    return None


def _landed(landing: Path, folder_period: str, path: Path) -> _Landed:
    # The log and messages carry the printable form; lake paths never derive from the name.
    file_path = _shown(path.relative_to(landing).as_posix())
    if path.is_symlink():
        # Never followed: the link itself is hashed, so it is logged once and again if it changes.
        target = os.readlink(path)
        return _Landed(
            path=path,
            file_path=file_path,
            folder_period=folder_period,
            sha256=hashlib.sha256(b"symlink\0" + os.fsencode(target)).hexdigest(),
            size=path.lstat().st_size,
            refusal=f"落地目录中的该条目是符号链接（指向 {_shown(os.fsdecode(target))}），不是收到的文件本身；"
            "为安全起见未跟随、未读取，请把文件本身放入落地目录",
        )
    try:
        # O_NOFOLLOW: a file swapped for a link after the check above is still not followed.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            sha = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        # Logged as rejected, so the rest of the month goes on; fixed permissions mean new bytes.
        return _Landed(
            path=path,
            file_path=file_path,
            folder_period=folder_period,
            sha256=hashlib.sha256(f"unreadable\0{type(exc).__name__}".encode()).hexdigest(),
            size=0,
            refusal=f"无法读取文件（{type(exc).__name__}）",
        )
    return _Landed(
        path=path,
        file_path=file_path,
        folder_period=folder_period,
        sha256=sha,
        size=size,
        refusal=_name_problem(path.name) or landing_size_problem(size),
    )


def landing_files(landing: Path, up_to_period: str, source: str = SOURCE) -> Iterator[_Landed]:
    """Files of a source's month folders up to the period, by folder month then file name."""
    for folder_period, folder in _month_folders(landing / source, up_to_period):
        names = sorted(p.name for p in folder.iterdir() if is_delivery(p))
        for name in names:
            yield _landed(landing, folder_period, folder / name)


@dataclass(frozen=True)
class _Context:
    """What readers may need, prepared once per run (a key problem stops the run, blaming no file)."""

    reference: Reference
    key: bytes | None


def _open(landed: _Landed, context: _Context) -> BankLoanReport:
    reader = READERS.get(landed.path.suffix.lower())
    if reader is None:
        raise FileRejected(
            1,
            f"不支持的文件类型“{landed.path.suffix or '无扩展名'}”（只接受 .xlsx 和 .csv）",
            landed.file_path,
        )
    if reader is ExcelReport:
        check_xlsx(landed.path, landed.file_path)  # before calamine unpacks anything
    return reader(landed.path, landed.file_path, context.reference)


def _write_bank_loans(lake_root: Path, accepted: _Accepted, **lineage) -> Path:
    # write_lake_file is looked up at call time so tests can make the disk "fail".
    return write_lake_file(
        lake_root, period=accepted.period, inst_code=accepted.inst_code, rows=accepted.rows, **lineage
    )


def _require_suffix(landed: _Landed, suffix: str) -> None:
    if landed.path.suffix.lower() != suffix:
        raise FileRejected(
            1, f"不支持的文件类型“{landed.path.suffix or '无扩展名'}”（只接受 {suffix}）", landed.file_path
        )


def _table_writer(write_lake_rows: Callable[..., Path]) -> Callable[..., Path]:
    """The writer of a source whose reader returns an Arrow table per kind (everything but bank_loans)."""

    def write(lake_root: Path, accepted: _Accepted, **lineage) -> Path:
        return write_lake_rows(
            lake_root,
            accepted.kind,
            period=accepted.period,
            inst_code=accepted.inst_code,
            rows=accepted.rows,
            **lineage,
        )

    return write


def _commit_staged(lake_root: Path, accepted: _Accepted, **lineage) -> Path:
    """The writer of a source that staged its lake file while reading the body: move it into place."""
    return accepted.rows.commit()


def _open_rural_credit(landed: _Landed, context: _Context) -> rural_credit.RuralCreditFile:
    _require_suffix(landed, ".csv")
    assert context.key is not None
    return rural_credit.RuralCreditFile(landed.path, landed.file_path, context.reference, context.key)


def _open_platform(landed: _Landed, context: _Context) -> platform.PlatformFile:
    _require_suffix(landed, ".csv")
    assert context.key is not None
    return platform.PlatformFile(landed.path, landed.file_path, context.reference, context.key)


def _open_pbc(landed: _Landed, context: _Context) -> pbc.PbcWorkbook:
    _require_suffix(landed, ".xlsx")
    check_xlsx(landed.path, landed.file_path)  # before calamine unpacks anything
    return pbc.PbcWorkbook(landed.path, landed.file_path, context.reference, landed.folder_period)


@dataclass(frozen=True)
class SourceSpec:
    """How one source plugs into the shared loop (scan, log, duplicates, resubmissions, lake)."""

    name: str
    # (landed, context) -> an opened report: inst_code, period, inst_at, period_at (rules 2-4 use them).
    open: Callable[[_Landed, _Context], Any]
    # report -> the rows for the writer; raises FileRejected (rules 1 and 5, and 2 for a row's month).
    read_body: Callable[[Any], Any]
    row_count: Callable[[Any], int]
    write: Callable[..., Path]
    ensure_schema: Callable[[Path], object]
    # Reports of one institution and month that coexist (rural credit: 贷款明细 and 不良处置), from
    # the file path, so rule 4 compares a file only with earlier files of the same kind.
    kind_of: Callable[[str], str] = lambda file_path: ""
    # Extra header checks after the folder month and the register (file name vs content).
    check_header: Callable[[Any], None] | None = None
    rural_credit_only: bool = False
    # False for a sender outside the register (the platform operator): rule 3 does not apply.
    registered_sender: bool = True
    needs_key: bool = False
    # A parser's own message may quote a row; for personal data it must not reach the log.
    quote_parser_errors: bool = True
    # (report, lake root, lineage) -> a staged lake file: for a source too large to hold in memory,
    # the body is validated and written chunk by chunk in one pass, then write() moves it into place.
    # Used by run.py instead of read_body (which the fuzzer still calls).
    stage_body: Callable[[Any, Path, Lineage], Any] | None = None


SOURCES: dict[str, SourceSpec] = {
    SOURCE: SourceSpec(
        name=SOURCE,
        open=_open,
        read_body=lambda report: report.amounts(),
        row_count=len,
        write=_write_bank_loans,
        ensure_schema=ensure_schema_file,
    ),
    rural_credit.SOURCE: SourceSpec(
        name=rural_credit.SOURCE,
        open=_open_rural_credit,
        read_body=lambda report: report.body(),
        row_count=lambda rows: rows.num_rows,
        write=_commit_staged,
        ensure_schema=rural_credit.ensure_schema_files,
        kind_of=rural_credit.kind_of,
        check_header=lambda report: report.check_header(),
        rural_credit_only=True,
        needs_key=True,
        quote_parser_errors=False,
        stage_body=lambda report, lake_root, lineage: report.stage(lake_root, lineage),
    ),
    platform.SOURCE: SourceSpec(
        name=platform.SOURCE,
        open=_open_platform,
        read_body=lambda report: report.body(),
        row_count=lambda table: table.num_rows,
        write=_table_writer(platform.write_lake_rows),
        ensure_schema=platform.ensure_schema_files,
        kind_of=platform.kind_of,
        registered_sender=False,
        needs_key=True,
        quote_parser_errors=False,
    ),
    pbc.SOURCE: SourceSpec(
        name=pbc.SOURCE,
        open=_open_pbc,
        read_body=lambda report: report.rows(),
        row_count=lambda table: table.num_rows,
        write=_table_writer(pbc.write_lake_rows),
        ensure_schema=pbc.ensure_schema_files,
        registered_sender=False,
    ),
}
# Every kind of report that coexists with others of the same sender and month (rule 4 compares
# within a kind; the gate resolves a rejection by a later accepted file of the same kind).
FILE_KINDS = (rural_credit.LOANS, rural_credit.DISPOSALS, *platform.KINDS)


class _Ingestor:
    """Decides one file's outcome against the log so far, and writes lake file then log row."""

    def __init__(
        self, settings: Settings, spec: SourceSpec, context: _Context, log: list[FileOutcome]
    ) -> None:
        self.settings = settings
        self.spec = spec
        self.context = context
        self.reference = context.reference
        self.log = log

    def _outcome(self, landed: _Landed, status: str, **values) -> FileOutcome:
        base = {
            "rule": None,
            "severity": None,
            "reason": None,
            "inst_code": None,
            "period": None,
            "revision": None,
            "row_count": 0,
        }
        base.update(values)
        return FileOutcome(
            logged_at=dt.datetime.now(dt.UTC),
            source=self.spec.name,
            folder_period=landed.folder_period,
            file_path=landed.file_path,
            file_sha256=landed.sha256,
            file_size=landed.size,
            status=status,
            **base,
        )

    def _accepted(self) -> list[FileOutcome]:
        return [o for o in self.log if o.status == ACCEPTED]

    def process(self, landed: _Landed) -> FileOutcome:
        if landed.refusal is not None:
            # Refused unopened (name, symlink, size), even when its bytes match an accepted file.
            outcome = self._rejected(landed, None, FileRejected(1, landed.refusal, landed.file_path))
        else:
            report: BankLoanReport | None = None
            try:
                report = self.spec.open(landed, self.context)
                accepted = self._validate(landed, report)
            except FileRejected as exc:
                outcome = self._rejected(landed, report, exc)
            except (KeyboardInterrupt, SystemExit, GeneratorExit, LakeWriteError):
                # A staged lake file that cannot be written is ours to fix, not the sender's.
                raise
            except BaseException as exc:
                # A file so malformed that parsing trips over it is unreadable (rule 1); recording it
                # lets the other files of the month go through, as the spec requires. Only parsing
                # is guarded: a failure writing the lake below is ours, not the sender's, and raises.
                # BaseException: a Rust panic in calamine (pyo3's PanicException) is not an Exception.
                detail = (
                    f"{type(exc).__name__}: {exc}" if self.spec.quote_parser_errors else type(exc).__name__
                )
                wrapped = FileRejected(1, f"文件无法解析（{detail}）", landed.file_path)
                outcome = self._rejected(landed, report, wrapped)
            else:
                outcome = (
                    self._write_accepted(landed, accepted) if isinstance(accepted, _Accepted) else accepted
                )
        write_outcome(self.settings.lake, outcome)
        self.log.append(outcome)
        return outcome

    def _rejected(self, landed: _Landed, report: BankLoanReport | None, exc: FileRejected) -> FileOutcome:
        return self._outcome(
            landed,
            REJECTED,
            rule=exc.rule,
            severity="error",
            reason=str(exc),
            inst_code=report.inst_code if report is not None else None,
            period=report.period if report is not None else None,
        )

    def _validate(self, landed: _Landed, report: BankLoanReport) -> _Accepted | FileOutcome:
        """Rules 2, 3 and 4 on the header, then rules 1 and 5 on the body; raise FileRejected.

        A delivery that changes nothing (ingestion/delivery.py) is returned as its log row, unread.
        """
        inst, period = report.inst_code, report.period
        if period != landed.folder_period:
            sheet, row, column = report.period_at
            raise FileRejected(
                2,
                f"文件内报表期 {period} 与落地目录月份 {landed.folder_period} 不一致",
                landed.file_path,
                sheet,
                row,
                column,
            )
        if self.spec.registered_sender:
            self._check_register(landed, report)
        if self.spec.check_header is not None:
            self.spec.check_header(report)
        kind = self.spec.kind_of(landed.file_path)
        earlier = [
            o
            for o in self._accepted()
            if o.inst_code == inst and o.period == period and self.spec.kind_of(o.file_path) == kind
        ]
        sender = f"机构 {inst}" if self.spec.registered_sender else "平台"
        delivery = decide(earlier, landed.file_path, landed.sha256, sender, period)
        if delivery.status != ACCEPTED:
            return self._informed(landed, delivery, inst, period)
        revision = delivery.revision
        restores = delivery.same_as is not None
        lake_root = scratch_root(self.settings.lake) if restores else self.settings.lake
        if self.spec.stage_body is not None:
            lineage = Lineage(landed.file_path, landed.sha256, revision, dt.datetime.now(dt.UTC))
            rows = self.spec.stage_body(report, lake_root, lineage)
        else:
            rows = self.spec.read_body(report)
        return _Accepted(
            inst_code=inst,
            period=period,
            revision=revision,
            reason=delivery.reason,
            lake_root=lake_root,
            restores=restores,
            rows=rows,
            row_count=self.spec.row_count(rows),
            kind=kind,
        )

    def _informed(self, landed: _Landed, delivery: Delivery, inst: str, period: str) -> FileOutcome:
        """The log row of a delivery that changes nothing: rule 4's information, no acknowledgement."""
        return self._outcome(
            landed,
            delivery.status,
            rule=4,
            severity="info",
            reason=delivery.reason,
            inst_code=inst,
            period=period,
        )

    def _check_register(self, landed: _Landed, report: BankLoanReport) -> None:
        """Rule 3: the sender is a registered institution in scope for the month (and rural if required)."""
        inst, period = report.inst_code, report.period
        institution = self.reference.institutions.get(inst)
        if institution is None:
            raise FileRejected(3, f"机构代码 {inst} 不在机构名录中", landed.file_path, *report.inst_at)
        if not institution.in_scope(period):
            raise FileRejected(
                3,
                f"机构 {inst}（{institution.inst_name}）{period} 不在报送范围内"
                f"（{institution.reports_from} 至 {institution.reports_to or '今'}）",
                landed.file_path,
                *report.inst_at,
            )
        if self.spec.rural_credit_only and not institution.is_rural_credit:
            raise FileRejected(
                3,
                f"机构 {inst}（{institution.inst_name}）不属于农信系统，不报送农信贷款明细",
                landed.file_path,
                *report.inst_at,
            )

    def _write_accepted(self, landed: _Landed, accepted: _Accepted) -> FileOutcome:
        written = self.spec.write(
            accepted.lake_root,
            accepted,
            source_file=landed.file_path,
            file_sha256=landed.sha256,
            revision=accepted.revision,
            ingested_at=dt.datetime.now(dt.UTC),
        )
        if accepted.restores:
            move_as_revision(self.settings.lake, written, accepted.revision)
        fault_point("ingestion-lake-written")
        return self._outcome(
            landed,
            ACCEPTED,
            reason=accepted.reason,
            inst_code=accepted.inst_code,
            period=accepted.period,
            revision=accepted.revision,
            row_count=accepted.row_count,
        )


def ingest_landing(settings: Settings, up_to_period: str, source: str = SOURCE) -> IngestReport:
    """Ingest every landing file of the source up to the month not yet logged with the same bytes.

    Landing files are only read, never moved or deleted. Each file gets one log row; accepted files
    also get one lake file, written before the log row so a crash in between only means the file is
    ingested again (to the same lake path) on the next run.
    """
    check_period(up_to_period)
    spec = SOURCES.get(source)
    if spec is None:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
    settings.lake.mkdir(parents=True, exist_ok=True)
    # Two runs (UI and CLI) must not both decide revisions from the same log snapshot.
    with writer_lock(settings.lake):
        spec.ensure_schema(settings.lake)
        context = _Context(
            reference=load_reference(settings.reference_dir),
            key=load_key(settings) if spec.needs_key else None,
        )
        log = read_log(settings.lake, spec.name)
        # What each landing path held when last logged: a file is new when its bytes differ from
        # that (an edit, or an edit put back), not merely when these bytes were never logged there.
        at_path = {o.file_path: o.file_sha256 for o in log}
        ingestor = _Ingestor(settings, spec, context, log)
        report = IngestReport()
        new = []
        for landed in landing_files(settings.landing, up_to_period, spec.name):
            if at_path.get(landed.file_path) == landed.sha256:
                report.skipped += 1
            else:
                new.append(landed)
        # The files of one report that arrive together are taken in the order their markers give
        # (x, x_v2 ... x_v10), names breaking ties, so revisions follow the sender's versions.
        new.sort(key=lambda landed: (landed.folder_period, marker_number(landed.path.name)))
        for landed in new:
            report.outcomes.append(ingestor.process(landed))
        return report
