"""Entry point: ingest every new landing file of bank_loans up to a month (file rules 1-5)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from finstat.periods import check_period
from finstat.publication.files import writer_lock
from finstat.settings import Settings
from ingestion.bank_loans_csv import CsvReport
from ingestion.bank_loans_excel import ExcelReport
from ingestion.errors import FileRejected
from ingestion.lake import ensure_schema_file, write_lake_file
from ingestion.log import ACCEPTED, DUPLICATE, REJECTED, FileOutcome, read_log, write_outcome
from ingestion.records import AmountRow, BankLoanReport
from ingestion.register import Reference, load_reference
from ingestion.resubmission import is_resubmission

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


@dataclass(frozen=True)
class _Accepted:
    inst_code: str
    period: str
    revision: int
    superseded: list[str]
    rows: list[AmountRow]


def _month_folders(source_dir: Path, up_to_period: str) -> list[tuple[str, Path]]:
    folders = []
    if not source_dir.is_dir():
        return folders
    for folder in source_dir.iterdir():
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        try:
            check_period(folder.name)
        except ValueError:
            continue  # not a month folder (notes, archives): not part of the landing contract
        if folder.name <= up_to_period:
            folders.append((folder.name, folder))
    return sorted(folders)


def landing_files(landing: Path, up_to_period: str) -> Iterator[_Landed]:
    """Files of bank_loans month folders up to the period, by folder month then file name."""
    for folder_period, folder in _month_folders(landing / SOURCE, up_to_period):
        # Dotfiles and Excel's "~$" owner files are editor leftovers, not deliveries.
        names = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
        for name in names:
            path = folder / name
            with open(path, "rb") as handle:
                sha = hashlib.file_digest(handle, "sha256").hexdigest()
            yield _Landed(
                path=path,
                file_path=path.relative_to(landing).as_posix(),
                folder_period=folder_period,
                sha256=sha,
                size=path.stat().st_size,
            )


def _open(landed: _Landed, reference: Reference) -> BankLoanReport:
    reader = READERS.get(landed.path.suffix.lower())
    if reader is None:
        raise FileRejected(
            1,
            f"不支持的文件类型“{landed.path.suffix or '无扩展名'}”（只接受 .xlsx 和 .csv）",
            landed.file_path,
        )
    return reader(landed.path, landed.file_path, reference)


class _Ingestor:
    """Decides one file's outcome against the log so far, and writes lake file then log row."""

    def __init__(self, settings: Settings, reference: Reference, log: list[FileOutcome]) -> None:
        self.settings = settings
        self.reference = reference
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
            source=SOURCE,
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
        same_bytes = next((o for o in self._accepted() if o.file_sha256 == landed.sha256), None)
        if same_bytes is not None:
            reason = FileRejected(
                4, f"与已入库文件 {same_bytes.file_path} 内容完全相同，只入库一次", landed.file_path
            )
            outcome = self._outcome(
                landed,
                DUPLICATE,
                rule=4,
                severity="warn",
                reason=str(reason),
                inst_code=same_bytes.inst_code,
                period=same_bytes.period,
            )
        else:
            report: BankLoanReport | None = None
            try:
                report = _open(landed, self.reference)
                accepted = self._validate(landed, report)
            except FileRejected as exc:
                outcome = self._rejected(landed, report, exc)
            except Exception as exc:
                # A file so malformed that parsing trips over it is unreadable (rule 1); recording it
                # lets the other files of the month go through, as the spec requires. Only parsing
                # is guarded: a failure writing the lake below is ours, not the sender's, and raises.
                wrapped = FileRejected(1, f"文件无法解析（{type(exc).__name__}: {exc}）", landed.file_path)
                outcome = self._rejected(landed, report, wrapped)
            else:
                outcome = self._write_accepted(landed, accepted)
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

    def _validate(self, landed: _Landed, report: BankLoanReport) -> _Accepted:
        """Rules 2, 3 and 4 on the header, then rules 1 and 5 on the body; raise FileRejected."""
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
        earlier = [o for o in self._accepted() if o.inst_code == inst and o.period == period]
        if earlier and not is_resubmission(landed.path.name):
            raise FileRejected(
                4,
                f"机构 {inst} {period} 已有报表 {'、'.join(o.file_path for o in earlier)}，"
                "本文件内容不同但文件名没有更正标记（“更正”或 _v2、_v3 …）",
                landed.file_path,
            )
        return _Accepted(
            inst_code=inst,
            period=period,
            revision=max((o.revision or 1 for o in earlier), default=0) + 1,
            superseded=[o.file_path for o in earlier],
            rows=report.amounts(),
        )

    def _write_accepted(self, landed: _Landed, accepted: _Accepted) -> FileOutcome:
        write_lake_file(
            self.settings.lake,
            period=accepted.period,
            inst_code=accepted.inst_code,
            source_file=landed.file_path,
            file_sha256=landed.sha256,
            revision=accepted.revision,
            ingested_at=dt.datetime.now(dt.UTC),
            rows=accepted.rows,
        )
        reason = None
        if accepted.superseded:
            reason = f"更正报送（第 {accepted.revision} 版），取代 {'、'.join(accepted.superseded)}"
        return self._outcome(
            landed,
            ACCEPTED,
            reason=reason,
            inst_code=accepted.inst_code,
            period=accepted.period,
            revision=accepted.revision,
            row_count=len(accepted.rows),
        )


def ingest_landing(settings: Settings, up_to_period: str) -> IngestReport:
    """Ingest every bank_loans landing file up to the month not yet logged with the same bytes.

    Landing files are only read, never moved or deleted. Each file gets one log row; accepted files
    also get one lake file, written before the log row so a crash in between only means the file is
    ingested again (to the same lake path) on the next run.
    """
    check_period(up_to_period)
    settings.lake.mkdir(parents=True, exist_ok=True)
    # Two runs (UI and CLI) must not both decide revisions from the same log snapshot.
    with writer_lock(settings.lake):
        ensure_schema_file(settings.lake)
        reference = load_reference(settings.reference_dir)
        log = read_log(settings.lake, SOURCE)
        logged = {(o.file_path, o.file_sha256) for o in log}
        ingestor = _Ingestor(settings, reference, log)
        report = IngestReport()
        for landed in landing_files(settings.landing, up_to_period):
            if (landed.file_path, landed.sha256) in logged:
                report.skipped += 1
                continue
            report.outcomes.append(ingestor.process(landed))
            logged.add((landed.file_path, landed.sha256))
        return report
