"""What landing holds: a month has data when a registered source's month folder holds a delivery."""

from __future__ import annotations

from ingestion.landing import has_deliveries, landing_months, unread_folders
from ingestion.registry import SOURCE_NAMES


def test_a_month_has_data_only_with_a_delivery(tmp_path):
    landing = tmp_path / "landing"
    (landing / "bank_loans" / "2022-04").mkdir(parents=True)  # empty folder: no data
    (landing / "platform" / "2022-04").mkdir(parents=True)
    (landing / "platform" / "2022-04" / ".~lock.x.csv#").write_text("-", encoding="utf-8")  # leftover
    (landing / "platform" / "2022-05").mkdir(parents=True)
    (landing / "platform" / "2022-05" / "x.csv").write_text("-", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "y.csv").write_text("-", encoding="utf-8")
    (landing / "bank_loans" / "2022-06").symlink_to(elsewhere)  # a linked month folder is not followed
    assert [has_deliveries(landing, m, SOURCE_NAMES) for m in ("2022-04", "2022-05", "2022-06")] == [
        False,
        True,
        False,
    ]
    assert landing_months(landing, SOURCE_NAMES) == ["2022-05"]
    assert not has_deliveries(tmp_path / "missing", "2022-05", SOURCE_NAMES)


def test_a_folder_that_is_no_source_makes_no_month_and_is_named(tmp_path):
    landing = tmp_path / "landing"
    (landing / "bank_loan" / "2022-03").mkdir(parents=True)  # a sender's typo of bank_loans
    (landing / "bank_loan" / "2022-03" / "x.xlsx").write_text("-", encoding="utf-8")
    (landing / ".trash").mkdir()
    (landing / "pbc" / "2022-04").mkdir(parents=True)
    (landing / "pbc" / "2022-04" / "y.xlsx").write_text("-", encoding="utf-8")
    assert landing_months(landing, SOURCE_NAMES) == ["2022-04"]
    assert not has_deliveries(landing, "2022-03", SOURCE_NAMES)
    assert unread_folders(landing, SOURCE_NAMES) == ["bank_loan"]
    assert unread_folders(tmp_path / "missing", SOURCE_NAMES) == []
