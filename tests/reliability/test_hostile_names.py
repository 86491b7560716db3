"""Hostile landing names and symlinks: refused unread with rule 1; nothing is written outside the lake."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ingestion.run import ingest_landing
from ingestion.rural_credit import LOAN_COLUMNS
from tests.ingestion.builders import BANK, csv_rows, write_csv, write_workbook
from tests.ingestion.rural_builders import csv_bytes, loan_row, loans_name
from tests.ingestion.test_pbc import write_workbook as write_pbc_workbook
from tests.reliability.harness import MONTH, assert_rejected, folder, make_settings, run_month

# name -> (what the log and the message show, what the message says is wrong)
NAMES = {
    "a\\..\\..\\evil.xlsx": ("a\\..\\..\\evil.xlsx", "文件名含有反斜杠“\\”"),
    "C:\\landing\\bank.xlsx": ("C:\\landing\\bank.xlsx", "反斜杠"),
    "bank..xlsx": ("bank..xlsx", "文件名含有“..”（上级目录）"),
    "..bank.xlsx": ("..bank.xlsx", "文件名含有“..”"),
    "bank\x01.xlsx": ("bank\\x01.xlsx", "控制字符或不可见字符（\\x01）"),
    "bank\nrule 1: forged.xlsx": ("bank\\x0arule 1: forged.xlsx", "（\\x0a）"),
    "bank\x1b[31m.xlsx": ("bank\\x1b[31m.xlsx", "（\\x1b）"),
    "bank\x7f.xlsx": ("bank\\x7f.xlsx", "（\\x7f）"),
    "bank\u202exslx.csv": ("bank\\u202exslx.csv", "（\\u202e）"),  # right-to-left override
    "bank\u200b.xlsx": ("bank\\u200b.xlsx", "（\\u200b）"),  # zero-width space
    "bank\u2028.xlsx": ("bank\\u2028.xlsx", "（\\u2028）"),  # line separator
    "NUL.xlsx": ("NUL.xlsx", "文件名“NUL”是 Windows 设备名"),
    "com1.report.csv": ("com1.report.csv", "文件名“com1”是 Windows 设备名"),
}
# Raw file-system bytes that are not UTF-8: an overlong-encoded NUL, and a GBK name (银行.xlsx).
RAW_NAMES = {
    b"bank\xc0\x80.xlsx": ("bank\\xc0\\x80.xlsx", "文件名不是有效的 UTF-8 文本"),
    "银行.xlsx".encode("gbk"): ("\\xd2\\xf8\\xd0\\xd0.xlsx", "按 GB18030 解读为“银行.xlsx”"),
}


def _valid_report(path: Path) -> Path:
    """A report that would be accepted under a plain name: refusal is about the name alone."""
    return write_csv(path, csv_rows()) if path.suffix == ".csv" else write_workbook(path)


@pytest.mark.parametrize("name", sorted(NAMES), ids=ascii)
def test_hostile_file_name_is_refused_unread(tmp_path, name):
    settings = make_settings(tmp_path)
    path = _valid_report(folder(settings, "bank_loans") / name)
    shown, fragment = NAMES[name]
    outcome = run_month(settings, "bank_loans", path, file_path=f"bank_loans/{MONTH}/{shown}")
    assert_rejected(outcome, 1, fragment, "为安全起见未读取，请发送方改名后重新报送")
    assert "\n" not in outcome.reason and "\x1b" not in outcome.reason
    assert outcome.inst_code is None  # not opened: nothing of the content is known


@pytest.mark.parametrize("raw", sorted(RAW_NAMES), ids=repr)
def test_non_utf8_file_name_is_refused_and_logged(tmp_path, raw):
    """Such a name used to stop the whole run (the log could not store it); now it is one row."""
    settings = make_settings(tmp_path)
    here = folder(settings, "bank_loans")
    path = Path(os.fsdecode(os.fsencode(here) + b"/" + raw))
    _valid_report(path)
    shown, fragment = RAW_NAMES[raw]
    outcome = run_month(settings, "bank_loans", path, file_path=f"bank_loans/{MONTH}/{shown}")
    assert_rejected(outcome, 1, fragment, "改名后重新报送")


def test_refused_name_wins_over_duplicate_bytes(tmp_path):
    """A copy of an accepted file under a hostile name is still rejected (rule 1), not a duplicate."""
    settings = make_settings(tmp_path)
    here = folder(settings, "bank_loans")
    good = write_workbook(here / "b_bank.xlsx")
    (here / "a\\bank.xlsx").write_bytes(good.read_bytes())
    outcomes = {o.file_path: o for o in ingest_landing(settings, MONTH).outcomes}
    assert outcomes[f"bank_loans/{MONTH}/b_bank.xlsx"].status == "accepted"
    assert_rejected(outcomes[f"bank_loans/{MONTH}/a\\bank.xlsx"], 1, "反斜杠")


@pytest.mark.parametrize("target", ["outside", "inside", "dangling", "directory"])
@pytest.mark.parametrize("source", ["bank_loans", "rural_credit", "pbc"])
def test_symlink_in_landing_is_refused_not_followed(tmp_path, source, target):
    settings = make_settings(tmp_path)
    here = folder(settings, source)
    # The link target is a report that would be accepted, so following it would show in the lake.
    if source == "bank_loans":
        name, report = "link.xlsx", write_workbook(tmp_path / "outside" / "secret.xlsx")
    elif source == "rural_credit":
        name = loans_name()
        report = tmp_path / "outside" / name
        report.parent.mkdir()
        report.write_bytes(csv_bytes(LOAN_COLUMNS, [loan_row()]))
    else:
        name, report = "0_金融统计_202205.xlsx", tmp_path / "outside" / "pbc.xlsx"
        report.parent.mkdir()
        write_pbc_workbook(settings, name="moved.xlsx").rename(report)
    points_to = {
        "outside": report,
        "inside": report,  # moved into landing below
        "dangling": tmp_path / "nowhere.xlsx",
        "directory": tmp_path / "outside",
    }[target]
    if target == "inside":
        points_to = settings.landing / "elsewhere" / report.name
        points_to.parent.mkdir(parents=True)
        points_to.write_bytes(report.read_bytes())
    link = here / name
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(points_to, link)
    outcome = run_month(settings, source, link)
    assert_rejected(outcome, 1, "符号链接", f"指向 {points_to}", "未跟随、未读取")
    assert outcome.file_size == len(os.fsencode(points_to))  # the link's own size, not the target's


def test_a_repeated_run_logs_the_link_once_and_again_when_it_changes(tmp_path):
    settings = make_settings(tmp_path)
    link = folder(settings, "bank_loans") / "link.xlsx"
    os.symlink(tmp_path / "one", link)
    assert [o.status for o in ingest_landing(settings, MONTH).outcomes] == ["rejected"]
    assert ingest_landing(settings, MONTH).skipped == 1
    link.unlink()
    os.symlink(tmp_path / "two", link)
    (again,) = ingest_landing(settings, MONTH).outcomes
    assert "two" in again.reason


def _all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


# Every file ingestion may write under FINSTAT_HOME, whatever the landing names: paths built from
# the table, the month, the institution code (checked against the register) and the content hash
# (a log row repeated for the same bytes and path gets __N, a revision re-delivering bytes __rN).
WRITTEN = re.compile(
    r"^lake/(?:ingestion_log/\d{4}-\d{2}/[0-9a-f]{12}__[0-9a-f]{8}"
    r"__(?:accepted|rejected|duplicate|unchanged|superseded)(?:__\d+)?\.parquet"
    r"|[a-z_]+/_schema\.parquet"
    r"|[a-z_]+/period=\d{4}-\d{2}/[A-Z0-9]{14}__[0-9a-f]{12}(?:__r\d+)?\.parquet"
    r"|\.writer\.lock)$"
)


def test_hostile_names_and_codes_cannot_write_outside_the_lake(tmp_path):
    settings = make_settings(tmp_path)
    here = folder(settings, "bank_loans")
    # An allowed but nasty name (quotes, semicolon, spaces, brackets) is accepted: its lake file is
    # named by code and hash. A code that tries to climb out of the lake is rule 3 (not registered).
    accepted = write_workbook(here / 'O\'Brien; rm -rf x; "报表" (1) [v2].xlsx')
    rows = csv_rows(inst_code="../../../../evil")
    climbing = write_csv(here / "climb.csv", rows)
    for name in NAMES:
        _valid_report(here / name)
    before = _all_files(tmp_path)
    outcomes = {o.file_path: o for o in ingest_landing(settings, MONTH).outcomes}
    assert outcomes[accepted.relative_to(settings.landing).as_posix()].status == "accepted"
    climb = outcomes[climbing.relative_to(settings.landing).as_posix()]
    assert_rejected(climb, 3, "机构代码 ../../../../EVIL 不在机构名录中")
    new = _all_files(tmp_path) - before
    assert new and all(p.is_relative_to(settings.home) for p in new), sorted(new)
    relative = [p.relative_to(settings.home).as_posix() for p in new]
    assert [r for r in relative if not WRITTEN.match(r)] == []
    assert len([r for r in relative if "/period=" in r]) == 1  # only the accepted report
    assert f"/{BANK}__" in next(r for r in relative if "/period=" in r)


def test_unreadable_file_is_rule_1_and_the_month_goes_on(tmp_path, monkeypatch):
    """A landing file that cannot be opened (permissions) used to stop the whole run."""
    settings = make_settings(tmp_path)
    path = _valid_report(folder(settings, "bank_loans") / "locked.xlsx")
    real_open = os.open

    def denied(file, flags, *args, **kwargs):
        if Path(os.fsdecode(file)) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)  # running as root, chmod 000 would not stop a read
    outcome = run_month(settings, "bank_loans", path)
    assert_rejected(outcome, 1, "locked.xlsx", "无法读取文件（PermissionError）")


def test_a_month_folder_that_is_a_link_is_not_followed(tmp_path):
    """Senders upload into month folders; a linked one could point anywhere, so nothing in it is read."""
    settings = make_settings(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    write_workbook(elsewhere / "report.xlsx")
    (settings.landing / "bank_loans").mkdir(parents=True)
    os.symlink(elsewhere, settings.landing / "bank_loans" / MONTH)
    report = ingest_landing(settings, MONTH)
    assert (report.outcomes, report.skipped) == ([], 0)
    assert not list(settings.lake.glob("bank_loans/period=*/*.parquet"))
