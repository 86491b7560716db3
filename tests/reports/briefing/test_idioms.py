"""The number idioms at their edges: exact multiples, below the step, negative, 0, briefing.md's examples."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from reports.briefing.context import Withheld
from reports.briefing.idioms import duo, jin, month_end, num, yu


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("58.00"), "58"),
        (D("97.90"), "97.9"),
        (D("785.03"), "785.03"),
        (D("785.0300"), "785.03"),  # DECIMAL(20,4) as published
        (D("5300.0000"), "5300"),  # never 5.3E+3
        (D("0.0000"), "0"),
        (D("-0.00"), "0"),
        (D("-3.50"), "-3.5"),
        (D("0.05"), "0.05"),
        (1309, "1309"),
    ],
)
def test_num_drops_trailing_zeros_only(value, text):
    assert num(value) == text


@pytest.mark.parametrize(
    ("value", "step", "text"),
    [
        (D("5308"), 1000, "5000多"),  # briefing.md
        (D("5000"), 1000, "5000"),  # an exact multiple is said exactly
        (D("999"), 1000, "999"),  # below the step: nothing to floor to
        (D("1000.01"), 1000, "1000多"),
        (D("0"), 1000, "0"),
        (D("-5308"), 1000, "-5000多"),  # the magnitude is floored, the sign kept
        (D("12.5"), D("0.5"), "12.5"),
        (D("12.7"), 0.5, "12.5多"),  # a step written 0.5 in a template is exactly 0.5
    ],
)
def test_duo(value, step, text):
    assert duo(value, step) == text


@pytest.mark.parametrize(
    ("value", "step", "text"),
    [
        (D("41.81"), 10, "40余"),  # briefing.md
        (D("53"), 10, "50余"),
        (D("163"), 10, "160余"),
        (D("40.00"), 10, "40"),
        (D("9.99"), 10, "9.99"),
        (D("10.0001"), 10, "10余"),
        (D("0"), 10, "0"),
        (D("-41.81"), 10, "-40余"),
    ],
)
def test_yu(value, step, text):
    assert yu(value, step) == text


@pytest.mark.parametrize(
    ("value", "step", "text"),
    [
        (D("39.66"), 10, "近40"),  # briefing.md
        (D("40"), 10, "40"),  # at the multiple: not "near" it
        (D("38.00"), 10, "38"),  # 2 below 40 is exactly 5% of it: not less than 5%
        (D("38.01"), 10, "近40"),
        (D("35.2"), 10, "35.2"),
        (D("9.6"), 10, "近10"),  # below the step, within 5% of it
        (D("0"), 10, "0"),
        (D("-39.66"), 10, "-近40"),
    ],
)
def test_jin(value, step, text):
    assert jin(value, step) == text


def test_month_end():
    assert month_end("2022-05") == "5月末"
    assert month_end("2021-12") == "12月末"
    with pytest.raises(ValueError):
        month_end("2022-13")


@pytest.mark.parametrize("idiom", [num, lambda v: duo(v, 1000), lambda v: yu(v, 10), lambda v: jin(v, 10)])
def test_filters_refuse_floats_and_say_no_data_for_a_withheld_figure(idiom):
    with pytest.raises(TypeError):
        idiom(39.66)
    assert (
        idiom(Withheld("L03", "剔除不良贷款处置因素较年初增加", "基期数据（2020-12）尚未入库")) == "暂无数据"
    )


def test_a_step_must_be_positive():
    with pytest.raises(ValueError):
        yu(D("41"), 0)
