"""ingest_landing as a whole: scan order, idempotence, duplicates, resubmissions (rule 4), log and lake files."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from ingestion.bank_loans import LAKE_SCHEMA
from ingestion.log import LOG_SCHEMA, read_log
from ingestion.run import ingest_landing
from tests.ingestion.builders import (
    BANK,
    OTHER_BANK,
    Workbook,
    csv_rows,
    make_settings,
    write_csv,
    write_workbook,
)


def month_folder(settings, month="2022-05"):
    return settings.landing / "bank_loans" / month


def lake_files(settings):
    return sorted((settings.lake / "bank_loans").glob("period=*/*.parquet"))


def log_files(settings):
    return sorted((settings.lake / "ingestion_log").glob("*/*.parquet"))


def test_schema_file_exists_before_any_file(tmp_path):
    settings = make_settings(tmp_path)
    report = ingest_landing(settings, up_to_period="2022-05")
    assert report.outcomes == []
    schema_file = settings.lake / "bank_loans" / "_schema.parquet"
    table = pq.read_table(schema_file)
    assert table.num_rows == 0 and table.schema == LAKE_SCHEMA


def test_lake_and_log_columns_are_the_contract(tmp_path):
    settings = make_settings(tmp_path)
    write_workbook(month_folder(settings) / "r.xlsx")
    ingest_landing(settings, up_to_period="2022-05")
    assert pq.read_schema(lake_files(settings)[0]) == LAKE_SCHEMA
    assert LAKE_SCHEMA.names == [
        "period", "inst_code", "county_code", "item_code", "measure", "amount_yuan", "unit",
        "source_file", "sheet", "row_number", "column_ref", "file_sha256", "revision", "ingested_at",
    ]  # fmt: skip
    (log_file,) = log_files(settings)
    assert log_file.parent.name == "2022-05"
    assert pq.read_schema(log_file) == LOG_SCHEMA
    row = pq.read_table(log_file).to_pylist()[0]
    assert row["status"] == "accepted" and row["rule"] is None and row["severity"] is None
    assert row["file_size"] == (month_folder(settings) / "r.xlsx").stat().st_size
    assert row["source"] == "bank_loans" and row["folder_period"] == "2022-05"


def test_scan_order_and_folder_filter(tmp_path):
    settings = make_settings(tmp_path)
    root = settings.landing / "bank_loans"
    write_csv(root / "2022-04" / "b.csv", csv_rows(period="2022-04"))
    write_workbook(root / "2022-04" / "a.xlsx", Workbook(period="2022-04", inst_code=OTHER_BANK))
    write_workbook(root / "2022-03" / "z.xlsx", Workbook(period="2022-03"))
    write_workbook(root / "2022-06" / "later.xlsx", Workbook(period="2022-06"))  # after up_to
    write_workbook(root / "notes" / "n.xlsx")  # not a month folder
    write_workbook(root / ".hidden-2022-05" / "h.xlsx")
    (root / "2022-04" / ".DS_Store").write_bytes(b"x")
    (root / "2022-04" / "~$a.xlsx").write_bytes(b"x")  # Excel owner file of an open workbook
    report = ingest_landing(settings, up_to_period="2022-05")
    assert [(o.file_path, o.status) for o in report.outcomes] == [
        ("bank_loans/2022-03/z.xlsx", "accepted"),
        ("bank_loans/2022-04/a.xlsx", "accepted"),
        ("bank_loans/2022-04/b.csv", "accepted"),
    ]


def test_rerun_adds_nothing(tmp_path):
    settings = make_settings(tmp_path)
    write_workbook(month_folder(settings) / "good.xlsx")
    write_workbook(month_folder(settings) / "bad.xlsx", Workbook(inst_code="UNKNOWN0000000"))
    first = ingest_landing(settings, up_to_period="2022-05")
    assert sorted(o.status for o in first.outcomes) == ["accepted", "rejected"]
    lake_before, log_before = lake_files(settings), log_files(settings)
    mtimes = [p.stat().st_mtime_ns for p in lake_before + log_before]
    second = ingest_landing(settings, up_to_period="2022-05")
    assert second.outcomes == [] and second.skipped == 2
    assert lake_files(settings) == lake_before and log_files(settings) == log_before
    assert [p.stat().st_mtime_ns for p in lake_before + log_before] == mtimes


def test_changed_bytes_under_same_name_are_processed_again(tmp_path):
    settings = make_settings(tmp_path)
    path = write_workbook(month_folder(settings) / "r.xlsx", Workbook(overrides={("A01", "TOTAL"): "x"}))
    assert ingest_landing(settings, "2022-05").outcomes[0].rule == 5
    write_workbook(path)  # the bank overwrote the file with a good one
    (outcome,) = ingest_landing(settings, "2022-05").outcomes
    assert (outcome.status, outcome.revision) == ("accepted", 1)
    assert len(read_log(settings.lake)) == 2


def test_identical_file_under_another_name_changes_nothing(tmp_path):
    settings = make_settings(tmp_path)
    original = write_workbook(month_folder(settings) / "a.xlsx")
    (month_folder(settings) / "b_copy.xlsx").write_bytes(original.read_bytes())
    report = ingest_landing(settings, "2022-05")
    accepted, duplicate = report.outcomes
    assert accepted.status == "accepted"
    # Rule 4's identical file, ingested once: information that needs no acknowledgement.
    assert (duplicate.status, duplicate.rule, duplicate.severity) == ("unchanged", 4, "info")
    assert duplicate.file_path == "bank_loans/2022-05/b_copy.xlsx"
    assert (
        "与当前版本内容相同，无需处理" in duplicate.reason and "bank_loans/2022-05/a.xlsx" in duplicate.reason
    )
    assert (duplicate.inst_code, duplicate.period, duplicate.row_count) == (BANK, "2022-05", 0)
    assert len(lake_files(settings)) == 1
    # Same bytes, two paths: two distinct log files, nothing overwritten.
    assert len(log_files(settings)) == 2


def test_duplicate_across_months_and_later_runs(tmp_path):
    settings = make_settings(tmp_path)
    original = write_workbook(month_folder(settings) / "a.xlsx")
    ingest_landing(settings, "2022-05")
    (month_folder(settings) / "again.xlsx").write_bytes(original.read_bytes())
    (outcome,) = ingest_landing(settings, "2022-05").outcomes
    assert (outcome.status, outcome.severity) == ("unchanged", "info")


def test_different_report_without_marker_is_rule4_error(tmp_path):
    settings = make_settings(tmp_path)
    write_workbook(month_folder(settings) / "a.xlsx")
    write_workbook(month_folder(settings) / "b.xlsx", Workbook(amounts="text"))  # other bytes, same bank
    first, second = ingest_landing(settings, "2022-05").outcomes
    assert first.status == "accepted"
    assert (second.status, second.rule, second.severity) == ("rejected", 4, "error")
    assert "bank_loans/2022-05/b.xlsx" in second.reason and "bank_loans/2022-05/a.xlsx" in second.reason
    assert (second.inst_code, second.period) == (BANK, "2022-05")
    assert len(lake_files(settings)) == 1


def test_resubmission_marker_gets_next_revision(tmp_path):
    settings = make_settings(tmp_path)
    write_workbook(month_folder(settings) / "a.xlsx")
    ingest_landing(settings, "2022-05")
    write_workbook(month_folder(settings) / "测试银行_202205_v2.xlsx", Workbook(amounts="text", unit="元"))
    write_csv(month_folder(settings) / "测试银行_202205_更正.csv")
    outcomes = ingest_landing(settings, "2022-05").outcomes
    # Files are taken in name order ("_v" sorts before "_更"), each one revision above the last.
    assert [(o.file_path.rsplit("/", 1)[1], o.status, o.revision) for o in outcomes] == [
        ("测试银行_202205_v2.xlsx", "accepted", 2),
        ("测试银行_202205_更正.csv", "accepted", 3),
    ]
    assert "取代 bank_loans/2022-05/a.xlsx" in outcomes[0].reason
    revisions = sorted(pq.read_table(p)["revision"][0].as_py() for p in lake_files(settings))
    assert revisions == [1, 2, 3]


def test_v1_suffix_is_not_a_marker(tmp_path):
    settings = make_settings(tmp_path)
    write_workbook(month_folder(settings) / "a.xlsx")
    write_workbook(month_folder(settings) / "b_v1.xlsx", Workbook(amounts="text"))
    assert [o.rule for o in ingest_landing(settings, "2022-05").outcomes] == [None, 4]


class PanicException(BaseException):
    """Like pyo3's: a Rust panic in a native parser is a BaseException, not an Exception."""


@pytest.mark.parametrize("error", [IndexError("unexpected layout"), PanicException("calamine panicked")])
def test_parser_crash_is_a_rule1_rejection(tmp_path, monkeypatch, error):
    from ingestion.bank_loans_excel import ExcelReport

    def boom(self):
        raise error

    monkeypatch.setattr(ExcelReport, "amounts", boom)
    settings = make_settings(tmp_path)
    write_workbook(month_folder(settings) / "r.xlsx")
    write_csv(month_folder(settings) / "s.csv", csv_rows(inst_code=OTHER_BANK))
    first, second = ingest_landing(settings, "2022-05").outcomes
    assert (first.status, first.rule, first.inst_code) == ("rejected", 1, BANK)
    assert type(error).__name__ in first.reason
    assert second.status == "accepted"


def test_lake_write_failure_raises_and_logs_nothing(tmp_path, monkeypatch):
    import ingestion.lake

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(ingestion.lake, "write_table_file", disk_full)
    settings = make_settings(tmp_path)
    write_workbook(month_folder(settings) / "r.xlsx")
    with pytest.raises(OSError):
        ingest_landing(settings, "2022-05")
    assert log_files(settings) == []  # the next run tries the file again
