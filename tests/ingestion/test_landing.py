"""What landing holds: a month has data when a source's month folder holds a delivery."""

from __future__ import annotations

from ingestion.landing import has_deliveries, landing_months


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
    assert [has_deliveries(landing, m) for m in ("2022-04", "2022-05", "2022-06")] == [False, True, False]
    assert landing_months(landing) == ["2022-05"]
    assert not has_deliveries(tmp_path / "missing", "2022-05")
