"""A landing month of one source: good files plus one hostile file, and the checks that it is isolated."""

from __future__ import annotations

import functools
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from finstat.settings import Settings, load_settings
from ingestion.log import FileOutcome, read_log
from ingestion.platform import KINDS, REQUESTS
from ingestion.run import ingest_landing
from tests.ingestion.builders import (
    OTHER_BANK,
    Workbook,
    csv_rows,
    write_csv,
    write_reference,
    write_workbook,
)
from tests.ingestion.platform_builders import enterprise_row, product_row, request_row, write_snapshot_file
from tests.ingestion.programme_builders import (
    ProgrammeWorkbook,
    programme_csv_rows,
    write_programme_csv,
    write_programme_workbook,
)
from tests.ingestion.rural_builders import (
    OTHER_RURAL,
    RURAL_INSTITUTIONS,
    disposal_row,
    loan_row,
    loans_name,
    write_disposals,
    write_loans,
)
from tests.ingestion.test_pbc import write_workbook as write_pbc_workbook

MONTH = "2022-05"
THIRD_BANK = "BANK0000000005"
# The ingestion tests' register (banks and rural banks) plus a third bank for a good CSV report.
REGISTER = [
    *RURAL_INSTITUTIONS,
    (THIRD_BANK, "第三测试银行", "城市商业银行", "false", "410603", "2020-01", ""),
]
PLATFORM_ROWS = {"入驻企业": enterprise_row, "金融产品": product_row, REQUESTS: request_row}
# What the pbc builder names its workbook; a hostile pbc file is named to sort before it, so that
# rule 4 (a second report of the month) never stands in for the defect under test.
PBC_NAME = "金融统计_202205.xlsx"


def make_settings(tmp_path: Path) -> Settings:
    reference = write_reference(tmp_path / "reference", REGISTER)
    return load_settings(landing=tmp_path / "landing", home=tmp_path / "home", reference_dir=reference)


def folder(settings: Settings, source: str) -> Path:
    path = settings.landing / source / MONTH
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_good(settings: Settings, source: str, hostile_kind: str | None = None) -> list[Path]:
    """Good files of the month from senders (or of kinds) other than the hostile file's."""
    written = []
    for relative, data in _good_files(source, hostile_kind):
        path = settings.landing / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


@functools.cache
def _good_files(source: str, hostile_kind: str | None) -> tuple[tuple[str, bytes], ...]:
    """The good files' landing paths and bytes, built once per test session (building is the slow part)."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = make_settings(Path(scratch))
        paths = _build_good(settings, source, hostile_kind)
        return tuple((p.relative_to(settings.landing).as_posix(), p.read_bytes()) for p in paths)


def _build_good(settings: Settings, source: str, hostile_kind: str | None) -> list[Path]:
    if source == "bank_loans":
        here = folder(settings, source)
        return [
            write_workbook(here / "good_other.xlsx", Workbook(inst_code=OTHER_BANK)),
            write_csv(here / "good_third.csv", csv_rows(inst_code=THIRD_BANK)),
        ]
    if source == "rural_credit":
        # The hostile file is RURAL's 贷款明细: OTHER_RURAL's loans and RURAL's disposals are good.
        return [
            write_loans(settings, [loan_row(机构代码=OTHER_RURAL)], name=loans_name(inst=OTHER_RURAL)),
            write_disposals(settings, [disposal_row()]),
        ]
    if source == "platform":
        return [
            write_snapshot_file(settings, kind, [PLATFORM_ROWS[kind]()])
            for kind in KINDS
            if kind != (hostile_kind or "入驻企业")
        ]
    if source == "bank_programmes":
        here = folder(settings, source)
        return [
            write_programme_workbook(here / "good_other.xlsx", ProgrammeWorkbook(inst_code=OTHER_BANK)),
            write_programme_csv(here / "good_third.csv", programme_csv_rows(inst_code=THIRD_BANK)),
        ]
    assert source == "pbc"
    return [write_pbc_workbook(settings)]


@dataclass(frozen=True)
class _Before:
    """What the hostile landing entry was before the run: a link's target, else the file's bytes."""

    link: str | None
    data: bytes | None

    @classmethod
    def of(cls, path: Path) -> _Before:
        if path.is_symlink():
            return cls(os.readlink(path), None)
        return cls(None, path.read_bytes())

    def unchanged(self, path: Path) -> bool:
        if self.link is not None:
            return path.is_symlink() and os.readlink(path) == self.link
        return not path.is_symlink() and path.read_bytes() == self.data


def lake_files(settings: Settings) -> list[Path]:
    """Every lake data file (the zero-row schema files and the log left out)."""
    return sorted(settings.lake.glob("*/period=*/*.parquet"))


def run_month(
    settings: Settings,
    source: str,
    hostile: Path,
    hostile_kind: str | None = None,
    file_path: str | None = None,
) -> FileOutcome:
    """Add the good files, ingest the month, check the hostile file is isolated; return its outcome.

    Isolation: every good file is accepted and has its lake file (and only they do), the hostile
    entry is still in landing unchanged, and the log holds exactly one row for it.
    """
    good = write_good(settings, source, hostile_kind)
    before = _Before.of(hostile)
    report = ingest_landing(settings, MONTH, source=source)
    hostile_ref = file_path or hostile.relative_to(settings.landing).as_posix()
    good_refs = {p.relative_to(settings.landing).as_posix() for p in good}
    outcomes = {o.file_path: o for o in report.outcomes}
    assert set(outcomes) == good_refs | {hostile_ref}, sorted(outcomes)
    for ref in good_refs:
        assert outcomes[ref].status == "accepted", outcomes[ref].reason
    assert before.unchanged(hostile), "the hostile landing entry was modified"
    logged = read_log(settings.lake, source)
    assert [o.file_path for o in logged].count(hostile_ref) == 1
    assert len(logged) == len(good_refs) + 1
    # One lake file per accepted file, holding that file's rows only; nothing from the hostile one.
    written = lake_files(settings)
    assert len(written) == len(good_refs)
    sources = {pq.read_table(p, columns=["source_file"]).column(0).unique().to_pylist()[0] for p in written}
    assert sources == good_refs
    return outcomes[hostile_ref]


def assert_rejected(outcome: FileOutcome, rule: int, *fragments: str) -> None:
    """Rejected under the rule, the message starting with the file named and holding each fragment."""
    assert (outcome.status, outcome.rule, outcome.severity) == ("rejected", rule, "error"), outcome.reason
    assert outcome.reason.startswith(f"rule {rule}: 文件 {outcome.file_path}"), outcome.reason
    for fragment in fragments:
        assert fragment in outcome.reason, (fragment, outcome.reason)
    assert outcome.row_count == 0


def rewrite_xlsx(path: Path, member: str, change) -> Path:
    """Rewrite one member of a workbook (member bytes -> new bytes), keeping every other member."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(path.read_bytes())) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, change(data) if info.filename == member else data)
    path.write_bytes(out.getvalue())
    return path


def set_error_cell(
    path: Path, cell: str, error: str = "#NUM!", member: str = "xl/worksheets/sheet1.xml"
) -> Path:
    """Make one cell of the first sheet an error cell, as Excel stores #NUM! or #DIV/0! results."""
    pattern = re.compile(rf'<c r="{cell}"(?: [^>]*)?(?:/>|>.*?</c>)'.encode())

    def change(xml: bytes) -> bytes:
        replaced, count = pattern.subn(f'<c r="{cell}" t="e"><v>{error}</v></c>'.encode(), xml, count=1)
        assert count == 1, f"cell {cell} not found"
        return replaced

    return rewrite_xlsx(path, member, change)
