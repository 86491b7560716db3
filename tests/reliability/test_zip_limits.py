"""Zip bombs and oversized files: refused from the zip directory (nothing unpacked), rule 1 with sizes."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from ingestion import limits, pbc, template_workbook
from ingestion.errors import FileRejected
from tests.ingestion.builders import write_workbook
from tests.ingestion.programme_builders import write_programme_workbook
from tests.ingestion.test_pbc import write_workbook as write_pbc_workbook
from tests.reliability.harness import PBC_NAME, assert_rejected, folder, make_settings, run_month

_MIB = 1 << 20
# The sources whose files are workbooks.
XLSX_SOURCES = ("bank_loans", "pbc", "bank_programmes")


def _add_members(path, members: dict[str, int], level: int) -> None:
    """Append members of `size` zero bytes to a zip, streamed: never all in memory."""
    chunk = bytes(4 * _MIB)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=True) as member:
                for _ in range(size // len(chunk)):
                    member.write(chunk)


def _copy_members(source, target) -> None:
    """Append every member of the zip `source` to the zip `target` (small: a real workbook)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))


def _workbook(settings, source):
    if source == "bank_loans":
        return write_workbook(folder(settings, source) / "bomb.xlsx")
    if source == "bank_programmes":
        return write_programme_workbook(folder(settings, source) / "bomb.xlsx")
    return write_pbc_workbook(settings, name=f"0_{PBC_NAME}")


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The names of the workbooks calamine opened during the test (the real reader still runs)."""
    names: list[str] = []
    for module in (template_workbook, pbc):
        real = module.CalamineWorkbook

        class Recording:
            @staticmethod
            def from_path(path, _real=real):
                names.append(Path(path).name)
                return _real.from_path(path)

        monkeypatch.setattr(module, "CalamineWorkbook", Recording)
    return names


@pytest.fixture
def no_unpacking(monkeypatch):
    """Any member read through Python's zipfile fails the test: the check reads the directory only."""

    def refuse(*args, **kwargs):
        raise AssertionError("a member of the workbook was unpacked")

    monkeypatch.setattr(zipfile.ZipExtFile, "read", refuse)
    monkeypatch.setattr(zipfile.ZipExtFile, "read1", refuse)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, bytes]:
    """A real workbook of each xlsx source plus 2 x 132 MiB of zeros (compressed once: about 1 s)."""
    root = tmp_path_factory.mktemp("bombs")
    fill = root / "fill.zip"
    _add_members(fill, {f"xl/media/fill{i}.bin": 132 * _MIB for i in range(2)}, level=1)
    out = {}
    for source in XLSX_SOURCES:
        bomb = root / f"{source}.xlsx"
        bomb.write_bytes(fill.read_bytes())
        _copy_members(_workbook(make_settings(root / source), source), bomb)
        out[source] = bomb.read_bytes()
    return out


@pytest.mark.parametrize("source", XLSX_SOURCES)
def test_zip_bomb_is_refused_by_its_total_size(tmp_path, source, bombs, parsed):
    settings = make_settings(tmp_path)
    path = _workbook(settings, source)
    path.write_bytes(bombs[source])
    # About 1.2 MiB on disk, 264 MiB once unpacked (limit 256 MiB).
    assert path.stat().st_size < 2 * _MIB
    outcome = run_month(settings, source, path)
    assert_rejected(
        outcome,
        1,
        path.name,
        "xlsx 解压后共 264.0 MiB（压缩后 1.",
        "超过上限 256.0 MiB",
        "疑似压缩炸弹，未解压",
    )
    assert path.name not in parsed and parsed  # the good workbooks were parsed, the bomb never


@pytest.mark.parametrize("source", XLSX_SOURCES)
def test_absurd_compression_ratio_is_refused(tmp_path, source, parsed):
    settings = make_settings(tmp_path)
    path = _workbook(settings, source)
    # One 8 MiB member at about 1,000:1: small in total, but no worksheet compresses like that.
    _add_members(path, {"xl/worksheets/sheet9.xml": 8 * _MIB}, level=9)
    outcome = run_month(settings, source, path)
    assert_rejected(outcome, 1, "成员 'xl/worksheets/sheet9.xml' 压缩比", "解压后 8.0 MiB", "超过上限 200:1")
    assert path.name not in parsed


def test_too_many_members_is_refused(tmp_path, parsed, monkeypatch):
    assert limits.MAX_XLSX_MEMBERS == 10_000  # lowered below so the test writes 60, not 10,001
    monkeypatch.setattr(limits, "MAX_XLSX_MEMBERS", 50)
    settings = make_settings(tmp_path)
    path = _workbook(settings, "bank_loans")
    with zipfile.ZipFile(path, "a") as archive:
        members = len(archive.infolist())
        for i in range(60 - members):
            archive.writestr(f"xl/junk/{i}", b"")
    outcome = run_month(settings, "bank_loans", path)
    assert_rejected(outcome, 1, "bomb.xlsx", "xlsx 压缩包含 60 个成员，超过上限 50")
    assert path.name not in parsed


@pytest.mark.parametrize("source", XLSX_SOURCES)
def test_ordinary_workbook_passes_the_limits(tmp_path, source):
    """The limits leave room: a real report (and one with a large, normally compressed sheet) passes."""
    settings = make_settings(tmp_path)
    path = _workbook(settings, source)
    limits.check_xlsx(path, "x.xlsx")
    # 5 MiB of hex digits compresses about 2:1, like data, nowhere near 200:1.
    text = os.urandom(5 * _MIB // 2).hex().encode()
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/extra.xml", text)
    assert len(text) > limits.RATIO_CHECKED_ABOVE_BYTES
    limits.check_xlsx(path, "x.xlsx")


def test_the_check_needs_no_decompression(tmp_path, bombs, no_unpacking):
    """Refusing a bomb costs a directory read: no member is unpacked, by the check or anyone."""
    path = tmp_path / "b.xlsx"
    path.write_bytes(bombs["bank_loans"])
    with pytest.raises(FileRejected, match=r"264\.0 MiB") as info:
        limits.check_xlsx(path, "b.xlsx")
    assert info.value.rule == 1 and info.value.file == "b.xlsx"


def test_landing_file_size_limit_is_configurable(tmp_path, monkeypatch, parsed):
    """Any landing file over FINSTAT_MAX_LANDING_FILE_BYTES is refused unread; the default is huge."""
    monkeypatch.delenv(limits.MAX_LANDING_FILE_ENV, raising=False)
    assert limits.max_landing_file_bytes() >= 32 * 1024 * _MIB  # 10-million-row rural CSVs (2 GB) pass
    settings = make_settings(tmp_path)
    path = folder(settings, "bank_loans") / "huge.xlsx"
    path.write_bytes(bytes(_MIB))
    monkeypatch.setenv(limits.MAX_LANDING_FILE_ENV, str(_MIB // 2))  # the good files are a few kB
    outcome = run_month(settings, "bank_loans", path)
    assert_rejected(outcome, 1, "huge.xlsx", "文件大小 1.0 MiB 超过上限 0.5 MiB", limits.MAX_LANDING_FILE_ENV)
    assert "huge.xlsx" not in parsed


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_wrong_size_setting_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv(limits.MAX_LANDING_FILE_ENV, value)
    with pytest.raises(ValueError, match=limits.MAX_LANDING_FILE_ENV):
        limits.max_landing_file_bytes()
