"""Cell-level parsing: amounts to Decimal 元, 报表期 spellings, resubmission marker, error text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ingestion.bank_loans_csv import decode
from ingestion.errors import AmountError, FileRejected
from ingestion.numbers import to_yuan
from ingestion.report_period import parse_report_period
from ingestion.resubmission import is_resubmission
from ingestion.xlsx_parts import column_letter


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234.56, "元", "1234.56"),
        (0.1, "万元", "1000.00"),  # float arithmetic would not give exactly 1000
        (1.23456789, "亿元", "123456789.00"),
        (0.000000005, "亿元", "0.50"),
        (0.000000004999, "亿元", "0.50"),  # half up at the fen after scaling
        (0.0000000049, "亿元", "0.49"),
        ("1,234.56", "万元", "12345600.00"),
        ("12,345,678", "元", "12345678.00"),
        ("\u3000 1234.5 ", "元", "1234.50"),
        (7, "万元", "70000.00"),
        ("", "万元", "0.00"),
        ("-", "万元", "0.00"),
        ("—", "亿元", "0.00"),
        (None, "元", "0.00"),
        ("0.005", "元", "0.01"),
        ("-0", "元", "0.00"),
    ],
)
def test_to_yuan(value, unit, expected):
    result = to_yuan(value, unit)
    assert isinstance(result, Decimal) and str(result) == expected


@pytest.mark.parametrize(
    "value",
    [
        "12,3a",
        "1,23",
        "NaN",
        "inf",
        "1e5",
        float("nan"),
        float("inf"),
        True,
        dt.date(2022, 5, 1),
        -0.01,
        "-1",
    ],
)
def test_to_yuan_rejects(value):
    with pytest.raises(AmountError):
        to_yuan(value, "万元")


def test_to_yuan_rejects_overflow():
    with pytest.raises(AmountError, match="超出"):
        to_yuan(1e15, "亿元")


@pytest.mark.parametrize(
    "value",
    [
        "2022年05月",
        "2022年5月",
        " 2022 年 5 月 ",
        "2022-05",
        "2022.05",
        "202205",
        202205,
        202205.0,
        2022.05,
        "2022-05-31",
        "2022/5",
        dt.date(2022, 5, 31),
        dt.datetime(2022, 5, 1, 0, 0),
    ],
)
def test_report_period_spellings(value):
    assert parse_report_period(value) == "2022-05"


@pytest.mark.parametrize("value", ["2022年13月", "五月", "2022", "22-05", 2022.1, None, "202213"])
def test_report_period_rejects(value):
    with pytest.raises(ValueError):
        parse_report_period(value)


@pytest.mark.parametrize(
    ("name", "marked"),
    [
        ("XX银行_202205_v2.xlsx", True),
        ("XX银行_202205_V3.csv", True),
        ("XX银行_202205_更正.xlsx", True),
        ("更正XX银行.xlsx", True),
        ("XX银行_202205_v1.xlsx", False),
        ("XX银行_202205.xlsx", False),
        ("XX银行_v2abc.xlsx", False),
        ("XX银行_v12_final.xlsx", True),
    ],
)
def test_resubmission_marker(name, marked):
    assert is_resubmission(name) is marked


def test_file_rejected_text():
    error = FileRejected(
        5, '金额 "12,3a" 不是数字', "bank_loans/2022-05/x.xlsx", "贷款余额", 12, "E (淇滨区)"
    )
    assert str(error) == (
        'rule 5: 文件 bank_loans/2022-05/x.xlsx, 工作表 贷款余额, 第 12 行, 列 E (淇滨区): 金额 "12,3a" 不是数字'
    )
    assert (
        str(FileRejected(1, "文件为空", "bank_loans/2022-05/y.csv"))
        == "rule 1: 文件 bank_loans/2022-05/y.csv: 文件为空"
    )


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (4, "E"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter(index, letters):
    assert column_letter(index) == letters


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_decode_whole_file(encoding):
    text = "报表期,机构代码\n2022-05,鹤壁\n"
    assert decode(text.encode(encoding)) == text


def test_a_rejection_quoting_a_huge_cell_is_cut_short():
    error = FileRejected(
        1, "列 客户名称 的值“" + "危" * 32_000 + "”无效", "rural_credit/2022-05/x.csv", row=3
    )
    assert len(error.message) < 600 and error.message.endswith("（消息过长已截断，原长 32,013 字）")
    assert str(error).startswith("rule 1: 文件 rural_credit/2022-05/x.csv, 第 3 行: 列 客户名称 的值“危危")
