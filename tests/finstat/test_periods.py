"""Tests for finstat.periods."""

import pytest

from finstat.periods import add_months, check_period, month_range, previous_december


@pytest.mark.parametrize(
    ("period", "months", "expected"),
    [
        ("2022-05", -12, "2021-05"),
        ("2022-01", -1, "2021-12"),
        ("2021-12", 1, "2022-01"),
        ("2022-05", 0, "2022-05"),
    ],
)
def test_add_months(period, months, expected):
    assert add_months(period, months) == expected


def test_previous_december_and_range():
    assert previous_december("2022-05") == "2021-12"
    assert month_range("2021-11", "2022-02") == ["2021-11", "2021-12", "2022-01", "2022-02"]


@pytest.mark.parametrize("bad", ["2022-13", "2022-5", "202205", "", None])
def test_check_period_rejects(bad):
    with pytest.raises(ValueError):
        check_period(bad)
