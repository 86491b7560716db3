"""`finstat files --month M`: every file of the month, its revision and status, the current one marked."""

from __future__ import annotations

import pytest

from finstat.acks import record_dismissal
from ingestion.files_view import month_files
from ingestion.log import read_log
from ingestion.run import ingest_landing
from orchestration.cli import main
from tests.ingestion.builders import OTHER_BANK, Workbook, make_settings, write_workbook

MONTH = "2022-05"


@pytest.fixture
def month(tmp_path):
    """A month with a correction, an unchanged re-delivery, an undone edit, a dismissed and an open rejection."""
    settings = make_settings(tmp_path)
    here = settings.landing / "bank_loans" / MONTH
    write_workbook(here / "x.xlsx")
    corrected = write_workbook(here / "x_v2.xlsx", Workbook(amounts="text"))
    other = write_workbook(here / "o.xlsx", Workbook(inst_code=OTHER_BANK))
    (here / "stray.csv").symlink_to(tmp_path / "elsewhere.csv")
    write_workbook(here / "unknown.xlsx", Workbook(inst_code="UNKNOWN0000000"))
    ingest_landing(settings, MONTH)
    (here / "x_v3.xlsx").write_bytes(corrected.read_bytes())
    accepted = other.read_bytes()
    write_workbook(other, Workbook(inst_code=OTHER_BANK, overrides={("A01", "TOTAL"): 999}))
    ingest_landing(settings, MONTH)
    other.write_bytes(accepted)
    ingest_landing(settings, MONTH)
    stray = next(o for o in read_log(settings.lake) if o.file_path.endswith("stray.csv"))
    record_dismissal(settings.acks_dir, MONTH, stray.file_path, stray.file_sha256, "运维误放的链接")
    return settings


def _path(line):
    return next(word for word in line.split() if word.startswith("bank_loans/"))


def _by_file(lines):
    return {_path(line): line for line in lines[1:]}


def test_each_file_shows_its_revision_status_and_the_current_one(month):
    lines = month_files(month, MONTH)
    assert lines[0] == f"{MONTH}: 8 files (* = the current revision of its report)"
    rows = _by_file(lines)
    path = f"bank_loans/{MONTH}/"
    assert set(rows) == {
        path + n for n in ("x.xlsx", "x_v2.xlsx", "x_v3.xlsx", "o.xlsx", "stray.csv", "unknown.xlsx")
    }
    assert len(lines) == 9  # o.xlsx three times: accepted, its edit rejected, the edit undone
    assert rows[path + "x.xlsx"].startswith("  bank_loans      rev 1 ")
    assert f"superseded by {path}x_v2.xlsx (revision 2)" in rows[path + "x.xlsx"]
    assert rows[path + "x_v2.xlsx"].startswith("* bank_loans      rev 2 ")
    assert "accepted, current — 更正报送（第 2 版）" in rows[path + "x_v2.xlsx"]
    assert rows[path + "x_v3.xlsx"].startswith("  bank_loans      rev - ")
    assert "unchanged re-delivery, no action needed: 与当前版本内容相同，无需处理" in rows[path + "x_v3.xlsx"]
    assert (
        "rejected: rule 1:" in rows[path + "stray.csv"]
        and "dismissed: 运维误放的链接" in rows[path + "stray.csv"]
    )
    assert (
        "rejected: rule 3:" in rows[path + "unknown.xlsx"]
        and "OPEN, blocks the month" in rows[path + "unknown.xlsx"]
    )
    other = [line for line in lines[1:] if _path(line) == path + "o.xlsx"]
    assert [line[:1] for line in other] == ["*", " ", " "]
    assert "rejected: rule 4:" in other[1] and f"resolved by {path}o.xlsx (unchanged)" in other[1]
    assert "改动已撤销" in other[2]


def test_the_cli_prints_the_same_lines(month, capsys, monkeypatch):
    for key in ("FINSTAT_LANDING", "FINSTAT_HOME", "FINSTAT_REFERENCE_DIR"):
        monkeypatch.delenv(key, raising=False)  # main() exports its locations: restored after the test
    argv = ["--landing", str(month.landing), "--home", str(month.home), "files", "--month", MONTH]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines() == month_files(month, MONTH)
    assert main(["--home", str(month.home), "files", "--month", "2022-04"]) == 0
    assert capsys.readouterr().out.strip() == "2022-04: no file of this month in the ingestion log"
    with pytest.raises(SystemExit) as missing:
        main(["files"])
    assert missing.value.code == 1
