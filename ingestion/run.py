"""Entry point: ingest every new landing file of a source up to a month (rules 2-4 decide each file's outcome)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finstat.faults import fault_point
from finstat.fsio import writer_lock
from finstat.periods import check_period
from finstat.settings import Settings
from ingestion import bank_loans
from ingestion.delivery import Delivery, decide
from ingestion.errors import FileRejected, LakeWriteError
from ingestion.lake import Lineage, write_with_lineage
from ingestion.landing_files import LandedFile, landing_files
from ingestion.log import ACCEPTED, REJECTED, FileOutcome, read_log, write_outcome
from ingestion.pseudonym import load_key
from ingestion.redelivery import move_as_revision, scratch_root
from ingestion.register import load_reference
from ingestion.registry import source_named
from ingestion.resubmission import marker_number
from ingestion.source import ReadContext, Senders, Source


@dataclass
class IngestReport:
    """What one call did: the outcomes it logged (files already logged are skipped, not repeated)."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    skipped: int = 0

    def with_status(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]


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
    rows: Any  # the body's Arrow table, or the lake file the source staged while reading it
    row_count: int
    kind: str


class _Ingestor:
    """Decides one file's outcome against the log so far, and writes lake file then log row."""

    def __init__(
        self, settings: Settings, source: Source, context: ReadContext, log: list[FileOutcome]
    ) -> None:
        self.settings = settings
        self.source = source
        self.context = context
        self.reference = context.reference
        self.log = log

    def _outcome(self, landed: LandedFile, status: str, **values) -> FileOutcome:
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
            source=self.source.name,
            folder_period=landed.folder_period,
            file_path=landed.file_path,
            file_sha256=landed.sha256,
            file_size=landed.size,
            status=status,
            **base,
        )

    def _accepted(self) -> list[FileOutcome]:
        return [o for o in self.log if o.status == ACCEPTED]

    def process(self, landed: LandedFile) -> FileOutcome:
        if landed.refusal is not None:
            # Refused unopened (name, symlink, size), even when its bytes match an accepted file.
            outcome = self._rejected(landed, None, FileRejected(1, landed.refusal, landed.file_path))
        else:
            report: Any = None
            try:
                report = self.source.open_file(landed, self.context)
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
                    f"{type(exc).__name__}: {exc}" if not self.source.personal_data else type(exc).__name__
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

    def _rejected(self, landed: LandedFile, report: Any, exc: FileRejected) -> FileOutcome:
        return self._outcome(
            landed,
            REJECTED,
            rule=exc.rule,
            severity="error",
            reason=str(exc),
            inst_code=report.inst_code if report is not None else None,
            period=report.period if report is not None else None,
        )

    def _validate(self, landed: LandedFile, report: Any) -> _Accepted | FileOutcome:
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
        if self.source.senders is not Senders.OUTSIDE:
            self._check_register(landed, report)
        if self.source.check_header is not None:
            self.source.check_header(report)
        kind = self.source.kind_of(landed.file_path)
        earlier = [
            o
            for o in self._accepted()
            if o.inst_code == inst and o.period == period and self.source.kind_of(o.file_path) == kind
        ]
        sender = self.source.sender_label if self.source.senders is Senders.OUTSIDE else f"机构 {inst}"
        delivery = decide(earlier, landed.file_path, landed.sha256, sender, period)
        if delivery.status != ACCEPTED:
            return self._informed(landed, delivery, inst, period)
        revision = delivery.revision
        restores = delivery.same_as is not None
        lake_root = scratch_root(self.settings.lake) if restores else self.settings.lake
        if self.source.stage_body is not None:
            lineage = Lineage(landed.file_path, landed.sha256, revision, dt.datetime.now(dt.UTC))
            rows = self.source.stage_body(report, lake_root, lineage)
        else:
            rows = self.source.read_body(report)
        return _Accepted(
            inst_code=inst,
            period=period,
            revision=revision,
            reason=delivery.reason,
            lake_root=lake_root,
            restores=restores,
            rows=rows,
            row_count=rows.num_rows,
            kind=kind,
        )

    def _informed(self, landed: LandedFile, delivery: Delivery, inst: str, period: str) -> FileOutcome:
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

    def _check_register(self, landed: LandedFile, report: Any) -> None:
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
        if self.source.senders is Senders.RURAL_CREDIT and not institution.is_rural_credit:
            raise FileRejected(
                3,
                f"机构 {inst}（{institution.inst_name}）不属于农信系统，不报送农信贷款明细",
                landed.file_path,
                *report.inst_at,
            )

    def _write(self, landed: LandedFile, accepted: _Accepted) -> Path:
        """The accepted file's lake file: the staged one moved into place, or the body written with lineage."""
        if self.source.stage_body is not None:
            return accepted.rows.commit()
        table = self.source.table_for(accepted.kind)
        return write_with_lineage(
            accepted.lake_root,
            table.name,
            table.schema,
            period=accepted.period,
            inst_code=accepted.inst_code,
            source_file=landed.file_path,
            file_sha256=landed.sha256,
            revision=accepted.revision,
            ingested_at=dt.datetime.now(dt.UTC),
            rows=accepted.rows,
        )

    def _write_accepted(self, landed: LandedFile, accepted: _Accepted) -> FileOutcome:
        written = self._write(landed, accepted)
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


def ingest_landing(
    settings: Settings, up_to_period: str, source: str = bank_loans.SOURCE.name
) -> IngestReport:
    """Ingest every landing file of the source up to the month not yet logged with the same bytes.

    Landing files are only read, never moved or deleted. Each file gets one log row; accepted files
    also get one lake file, written before the log row so a crash in between only means the file is
    ingested again (to the same lake path) on the next run. The source defaults to bank_loans, the
    first one, for the callers that predate the others.
    """
    check_period(up_to_period)
    declared = source_named(source)
    settings.lake.mkdir(parents=True, exist_ok=True)
    # Two runs (UI and CLI) must not both decide revisions from the same log snapshot.
    with writer_lock(settings.lake):
        declared.ensure_schema_files(settings.lake)
        context = ReadContext(
            reference=load_reference(settings.reference_dir),
            key=load_key(settings) if declared.personal_data else None,
        )
        log = read_log(settings.lake, declared.name)
        # What each landing path held when last logged: a file is new when its bytes differ from
        # that (an edit, or an edit put back), not merely when these bytes were never logged there.
        at_path = {o.file_path: o.file_sha256 for o in log}
        ingestor = _Ingestor(settings, declared, context, log)
        report = IngestReport()
        new = []
        for landed in landing_files(settings.landing, up_to_period, declared.name):
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
