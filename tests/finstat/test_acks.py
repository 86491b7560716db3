"""Tests for warning acknowledgements."""

import pytest

from finstat.acks import load_acks, record_ack


def test_latest_ack_per_rule(tmp_path):
    record_ack(tmp_path, "2022-05", 11, "first", by="a")
    record_ack(tmp_path, "2022-05", 11, "second", by="b")
    record_ack(tmp_path, "2022-04", 11, "other month", by="a")
    acks = load_acks(tmp_path, "2022-05")
    assert list(acks) == [11]
    assert (acks[11]["reason"], acks[11]["acknowledged_by"]) == ("second", "b")
    assert len(list(tmp_path.glob("*.parquet"))) == 3, "acknowledgements are appended, never rewritten"


@pytest.mark.parametrize(("period", "reason"), [("2022-5", "x"), ("2022-05", "  ")])
def test_ack_needs_month_and_reason(tmp_path, period, reason):
    with pytest.raises(ValueError):
        record_ack(tmp_path, period, 11, reason)
