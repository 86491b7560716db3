"""Ledger cells at their edges: dates, 是/否, 万元 amounts to the 分, whole counts, codes typed as numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ingestion.ledger_cells import CellError, enumeration, to_count, to_date, to_flag, to_text, to_yuan
from ingestion.ledger_sheets import Column, fold


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-5-31", dt.date(2022, 5, 31)),
        ("2022/12/1", dt.date(2022, 12, 1)),
        ("2024年2月29日", dt.date(2024, 2, 29)),
        (dt.datetime(2022, 6, 1), dt.date(2022, 6, 1)),
        (dt.date(1900, 1, 1), dt.date(1900, 1, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_accepted(value, expected):
    assert to_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023年2月29日", "不是真实的日期"),
        ("2022-05-01 00:00:00", "不是日期"),
        ("20220501", "不是日期"),
        ("２０２２-05-01", "不是日期"),  # full-width digits are not the ASCII form the spec names
        ("1899-12-31", "年份不在"),
        (dt.datetime(2022, 6, 1, 0, 0, 1), "带有时间"),
        (dt.time(12, 0), "是时间"),
        (True, "是逻辑值"),
        (45000.0, "是数字"),
    ],
)
def test_dates_refused_as_rule_1(value, message):
    with pytest.raises(CellError, match=message) as caught:
        to_date(value)
    assert caught.value.rule == 1


@pytest.mark.parametrize(
    ("value", "yuan"),
    [
        ("99,999,999,999,999.999999", Decimal("999999999999999999.99")),
        ("0.000001", Decimal("0.01")),
        (12.3, Decimal("123000.00")),
        ("-0", Decimal("0.00")),
        ("—", None),
        ("  ", None),
    ],
)
def test_wan_to_yuan_exactly(value, yuan):
    assert to_yuan(value) == yuan


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.0000001", "小数超过六位"),
        (0.0000001, "小数超过六位"),
        ("-0.01", "为负数"),
        ("1e5", "不是数字"),
        ("NaN", "不是数字"),
        (float("inf"), "不是数字"),
        (dt.date(2022, 5, 1), "是日期单元格"),
        ("１２３", "不是数字"),
        # As a double it is 10^14 万元 to Excel's 15 digits: one 分 past what DECIMAL(20,2) holds.
        (99999999999999.999999, "超出可存储范围"),
    ],
)
def test_amounts_refused_as_rule_5(value, message):
    with pytest.raises(CellError, match=message) as caught:
        to_yuan(value)
    assert caught.value.rule == 5


def test_counts_are_whole_non_negative_int32():
    assert to_count(3.0) == 3 and to_count("1,234") == 1234 and to_count("-") is None
    assert to_count(2**31 - 1) == 2**31 - 1
    for bad, message in ((2**31, "超出"), (-1, "为负数"), ("2.5", "不是整数"), (1.0000001, "不是整数")):
        with pytest.raises(CellError, match=message) as caught:
            to_count(bad)
        assert caught.value.rule == 5


def test_text_keeps_codes_typed_as_numbers_and_never_quotes_a_cell():
    assert to_text(410611.0) == "410611" and to_text(1.5) == "1.5" and to_text(" 第一批\u3000") == "第一批"
    assert to_text(1e20) == "1e+20"
    with pytest.raises(CellError) as caught:
        to_text(dt.date(2022, 5, 1))
    assert str(caught.value) == "是日期单元格，应为文本" and caught.value.rule == 1


def test_flags_and_enumerations():
    assert [to_flag(v) for v in ("是", "否", "Y", "n", "Ｙ", None)] == [True, False, True, False, True, None]
    with pytest.raises(CellError, match='"TRUE" 不是 是/否 或 Y/N'):
        to_flag("TRUE")
    with pytest.raises(CellError, match="不是 是/否"):
        to_flag(True)  # an Excel boolean is not one of the four spellings
    forms = enumeration(("线上", "线下"))
    assert forms(" 线上 ") == "线上" and forms(None) is None
    with pytest.raises(CellError, match='"线上线下" 不是 线上、线下 之一'):
        forms("线上线下")


def test_headers_match_with_or_without_the_spec_s_note():
    column = Column("形式", "activity_form", to_text, note="线上/线下")
    assert column.matches(fold(" 形式 ")) and column.matches(fold("形式（线上／线下）"))
    assert not column.matches(fold("形式(线上)")) and not column.matches(fold("活动形式"))
    money = Column("融资需求(万元)", "demand_yuan", to_yuan)
    assert money.matches(fold("融资需求（万元）")) and not money.matches(fold("融资需求"))
