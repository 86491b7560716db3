"""Re-delivery (issue 15): the latest delivery of a report is current; one that changes nothing needs no action."""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq

from ingestion.log import read_log
from ingestion.run import ingest_landing
from orchestration.defs.gate.checks import file_notices, open_file_problems
from tests.ingestion.builders import BANK, Workbook, make_settings, write_workbook
from tests.ingestion.rural_builders import RURAL, loan_row, loans_name, make_rural_settings, write_loans

MONTH = "2022-05"
# A report whose A01 合计 differs from the good one: another, well-formed report of the same bank.
WRONG_TOTAL = {("A01", "TOTAL"): 999}


def here(settings):
    return settings.landing / "bank_loans" / MONTH


def current_lake_revision(settings, table="bank_loans", inst=BANK):
    """What the staging models' window picks: the rows of the highest revision of the month."""
    glob = str(settings.lake / table / f"period={MONTH}" / "*.parquet")
    return duckdb.sql(
        "select distinct revision, source_file, file_sha256 from read_parquet(?) "
        "where inst_code = ? and revision = (select max(revision) from read_parquet(?) where inst_code = ?)",
        params=[glob, inst, glob, inst],
    ).fetchall()


def statuses(settings, source="bank_loans"):
    return [(o.file_path.rsplit("/", 1)[1], o.status, o.revision) for o in read_log(settings.lake, source)]


def test_an_edit_in_place_that_is_undone_is_no_longer_a_problem(tmp_path):
    """(a) x.xlsx edited in place is rule 4; putting its accepted bytes back resolves that, and nothing else."""
    settings = make_settings(tmp_path)
    original = write_workbook(here(settings) / "x.xlsx")
    accepted_bytes = original.read_bytes()
    ingest_landing(settings, MONTH)
    write_workbook(original, Workbook(overrides=WRONG_TOTAL))  # the bank edits the delivered file
    (edit,) = ingest_landing(settings, MONTH).outcomes
    assert (edit.status, edit.rule, edit.severity) == ("rejected", 4, "error")
    assert "原地改动" in edit.reason and "放回原文件" in edit.reason
    [problem] = open_file_problems(settings, MONTH, "bank_loans")
    assert problem["file_sha256"] == edit.file_sha256

    original.write_bytes(accepted_bytes)  # the edit is undone
    (undo,) = ingest_landing(settings, MONTH).outcomes
    assert (undo.status, undo.rule, undo.severity, undo.revision) == ("unchanged", 4, "info", None)
    assert "与当前版本内容相同，无需处理" in undo.reason and "改动已撤销" in undo.reason
    assert open_file_problems(settings, MONTH, "bank_loans") == []
    # The rejection stays in the log, the lake keeps revision 1 only, and the next run adds nothing.
    assert statuses(settings) == [
        ("x.xlsx", "accepted", 1),
        ("x.xlsx", "rejected", None),
        ("x.xlsx", "unchanged", None),
    ]
    assert [(r, f) for r, f, _ in current_lake_revision(settings)] == [(1, f"bank_loans/{MONTH}/x.xlsx")]
    assert len(list((settings.lake / "bank_loans").glob("period=*/*.parquet"))) == 1
    assert ingest_landing(settings, MONTH).outcomes == []

    # The same edit made again is a new rejection, logged beside the first (the log is append-only).
    write_workbook(original, Workbook(overrides=WRONG_TOTAL))
    (again,) = ingest_landing(settings, MONTH).outcomes
    assert again.status == "rejected" and len(open_file_problems(settings, MONTH, "bank_loans")) == 1
    assert [o.status for o in read_log(settings.lake)] == ["accepted", "rejected", "unchanged", "rejected"]


def test_an_edit_undone_after_a_correction_leaves_the_correction_current(tmp_path):
    """Putting an edited file back is not a new delivery: the _v2 that replaced it stays current."""
    settings = make_settings(tmp_path)
    original = write_workbook(here(settings) / "x.xlsx")
    accepted_bytes = original.read_bytes()
    write_workbook(here(settings) / "x_v2.xlsx", Workbook(amounts="text"))
    ingest_landing(settings, MONTH)
    write_workbook(original, Workbook(overrides=WRONG_TOTAL))
    assert [o.rule for o in ingest_landing(settings, MONTH).outcomes] == [4]
    original.write_bytes(accepted_bytes)
    (undo,) = ingest_landing(settings, MONTH).outcomes
    assert (
        undo.status == "unchanged" and "当前版本仍为 bank_loans/2022-05/x_v2.xlsx（第 2 版）" in undo.reason
    )
    assert open_file_problems(settings, MONTH, "bank_loans") == []
    assert [r for r, _, _ in current_lake_revision(settings)] == [2]


def test_a_v2_identical_to_the_current_report_needs_no_acknowledgement(tmp_path):
    """(b) x_v2 with x's bytes changes nothing: logged as such, shown, never blocking."""
    settings = make_settings(tmp_path)
    original = write_workbook(here(settings) / "x.xlsx")
    ingest_landing(settings, MONTH)
    (here(settings) / "x_v2.xlsx").write_bytes(original.read_bytes())
    (same,) = ingest_landing(settings, MONTH).outcomes
    assert (same.status, same.rule, same.severity, same.revision) == ("unchanged", 4, "info", None)
    assert same.reason == (f"与当前版本内容相同，无需处理（当前版本：bank_loans/{MONTH}/x.xlsx（第 1 版））")
    assert (same.inst_code, same.period, same.row_count) == (BANK, MONTH, 0)
    assert open_file_problems(settings, MONTH, "bank_loans") == []
    assert [n["file_path"] for n in file_notices(settings, MONTH, "bank_loans")] == [same.file_path]
    assert [r for r, _, _ in current_lake_revision(settings)] == [1]
    assert len(list((settings.lake / "bank_loans").glob("period=*/*.parquet"))) == 1


def test_a_v5_equal_to_v1_after_a_broken_v4_makes_v1s_content_current(tmp_path):
    """(c) x_v5 with x's bytes after a wrong x_v4 is revision 5, in the lake beside revision 1."""
    settings = make_settings(tmp_path)
    original = write_workbook(here(settings) / "x.xlsx")
    write_workbook(here(settings) / "x_v2.xlsx", Workbook(amounts="text"))
    write_workbook(here(settings) / "x_v3.xlsx", Workbook(unit="元"))
    write_workbook(here(settings) / "x_v4.xlsx", Workbook(overrides=WRONG_TOTAL))
    ingest_landing(settings, MONTH)
    assert [r for r, _, _ in current_lake_revision(settings)] == [4]
    before = {
        p.name: p.read_bytes() for p in (settings.lake / "bank_loans").glob(f"period={MONTH}/*.parquet")
    }

    (here(settings) / "x_v5.xlsx").write_bytes(original.read_bytes())
    (undo,) = ingest_landing(settings, MONTH).outcomes
    assert (undo.status, undo.revision, undo.rule) == ("accepted", 5, None)
    assert f"内容与 bank_loans/{MONTH}/x.xlsx（第 1 版）相同，恢复为该内容" in undo.reason
    [(revision, source_file, sha)] = current_lake_revision(settings)
    assert (revision, source_file, sha) == (5, f"bank_loans/{MONTH}/x_v5.xlsx", undo.file_sha256)
    # Revisions 1-4's lake files are untouched; revision 5 has its own, with revision 1's amounts.
    lake = {p.name: p for p in (settings.lake / "bank_loans").glob(f"period={MONTH}/*.parquet")}
    assert all(lake[name].read_bytes() == content for name, content in before.items())
    [r5] = [p for name, p in lake.items() if name.endswith("__r5.parquet")]
    [r1] = [p for p in lake.values() if p.name == r5.name.replace("__r5", "")]
    amounts = lambda p: sorted(  # noqa: E731 - a one-line projection
        (r["county_code"], r["item_code"], r["measure"], r["amount_yuan"])
        for r in pq.read_table(p).to_pylist()
    )
    assert amounts(r5) == amounts(r1)
    assert not (settings.lake / ".redelivery").exists() or not any((settings.lake / ".redelivery").rglob("*"))
    assert open_file_problems(settings, MONTH, "bank_loans") == []


def test_a_rural_loans_v3_equal_to_v1_reaches_the_lake_as_revision_3(tmp_path):
    """The staged writer (rural credit) takes the same path as the others for a restored content."""
    settings = make_rural_settings(tmp_path)
    first = write_loans(settings, [loan_row()])
    write_loans(settings, [loan_row(贷款余额="99.00")], name=loans_name(suffix="_v2"))
    ingest_landing(settings, MONTH, "rural_credit")
    restore = first.with_name(loans_name(suffix="_v3"))
    restore.write_bytes(first.read_bytes())
    (undo,) = ingest_landing(settings, MONTH, "rural_credit").outcomes
    assert (undo.status, undo.revision) == ("accepted", 3)
    [(revision, source_file, _)] = current_lake_revision(settings, "rural_credit_loans", RURAL)
    assert (revision, source_file) == (3, undo.file_path)


def test_files_arriving_together_follow_their_markers_and_a_late_older_version_is_not_current(tmp_path):
    """x_v10 is later than x_v9 (names sort it first); x_v2 arriving after x_v3 is logged, not current."""
    settings = make_settings(tmp_path)
    write_workbook(here(settings) / "x.xlsx")
    write_workbook(here(settings) / "x_v10.xlsx", Workbook(amounts="text"))
    write_workbook(here(settings) / "x_v9.xlsx", Workbook(unit="元"))
    ingest_landing(settings, MONTH)
    assert statuses(settings) == [
        ("x.xlsx", "accepted", 1),
        ("x_v9.xlsx", "accepted", 2),
        ("x_v10.xlsx", "accepted", 3),
    ]
    write_workbook(here(settings) / "x_v2.xlsx", Workbook(overrides=WRONG_TOTAL))
    (late,) = ingest_landing(settings, MONTH).outcomes
    assert (late.status, late.severity, late.revision) == ("superseded", "info", None)
    assert "晚到的旧版本" in late.reason and "x_v10.xlsx（第 3 版）" in late.reason
    assert open_file_problems(settings, MONTH, "bank_loans") == []
    assert [(r, f.rsplit("/", 1)[1]) for r, f, _ in current_lake_revision(settings)] == [(3, "x_v10.xlsx")]


def test_an_unmarked_copy_of_a_replaced_report_is_still_rule_4(tmp_path):
    """Only a marked file may bring back replaced content: an unmarked copy is two reports (spec rule 4)."""
    settings = make_settings(tmp_path)
    original = write_workbook(here(settings) / "x.xlsx")
    write_workbook(here(settings) / "x_v2.xlsx", Workbook(amounts="text"))
    ingest_landing(settings, MONTH)
    (here(settings) / "copy.xlsx").write_bytes(original.read_bytes())
    (copy,) = ingest_landing(settings, MONTH).outcomes
    assert (copy.status, copy.rule, copy.severity) == ("rejected", 4, "error")
    assert (
        "没有更正标记" in copy.reason
        and "与已被取代的 bank_loans/2022-05/x.xlsx（第 1 版）相同" in copy.reason
    )
    assert [p["file_path"] for p in open_file_problems(settings, MONTH, "bank_loans")] == [copy.file_path]
