"""Hostile cell values: what senders, spreadsheet programs and broken exports put where a number belongs."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

# Text a cell or CSV field may hold instead of the expected value. Grouped only for reading.
NUMBER_LOOKALIKES = (
    "0", "-0", "+0", "-0.00", "0.000", "00012", "1e308", "-1e308", "1E5", "1e-5", "NaN", "nan",
    "-nan", "inf", "-inf", "Infinity", "1,00", "1,000,00", "1,234.56", "1,234,567.891", ",123", "123,",
    "1.2.3", "1..2", ".5", "5.", "-.5", "+1", "++1", "--1", "- 1", "1 000", "1_000", "0x1F", "-1",
    "-1,234.00", "9" * 18, "9" * 19, "9" * 30, "9" * 400, "0." + "0" * 60 + "1",
    "999999999999999999.99", "999999999999999999.995", "99999999999999.999999", "1" + "0" * 14,
)  # fmt: skip
# Full-width, Arabic-Indic and mathematical digits: str.isdigit() and \d accept some of them.
FOREIGN_DIGITS = ("１２３４", "１，２３４．５", "１２３４．５６", "١٢٣", "𝟏𝟐𝟑", "²", "½", "٣.٥")
SPREADSHEET = ("=1+1", "=SUM(A1:A3)", "@SUM(A1)", "+A1", "-A1", "#N/A", "#DIV/0!", "#REF!", "TRUE", "FALSE")
QUOTING = (
    '"',
    '""',
    "'",
    "'1234",
    '"1,234"',
    ";",
    "1;2",
    "a,b",
    'a"b',
    '"a"b"',
    "a\nb",
    "a\r\nb",
    "\r",
    "\n",
)
CONTROL = (
    "\x00",
    "\x01",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\ufffd",
    "\u2028",
)
BLANKS = ("", " ", "\u3000", "\t", "\u00a0", " \u3000 ", "—", "－", "——", "--", "-", "N/A", "NULL", "None")
WORDS = (
    "是",
    "否",
    "Y",
    "n",
    "元",
    "万元",
    "亿元",
    "千元",
    "（万元）",
    "合计",
    "指标代码",
    "TOTAL",
    "市本级",
)
DATES_AS_TEXT = (
    "44712", "44712.5", "2022-05-31", "20220531", "2022/05/31", "20220231", "00000101", "00010101",
    "99991231", "2022-05", "202205", "2022年05月", "2022-05-31 00:00:00", "2022-13-01",
)  # fmt: skip
# Long values: a 300-character name, a 3000-character CJK run and one past the csv module's
# 131072-character field limit.
LONG = ("x" * 300, "长" * 3000, "y" * 140_000)

HOSTILE_TEXT = (
    *NUMBER_LOOKALIKES, *FOREIGN_DIGITS, *SPREADSHEET, *QUOTING, *CONTROL, *BLANKS, *WORDS, *DATES_AS_TEXT, *LONG,
)  # fmt: skip

# 报表期 spellings: accepted ones, near misses and impossible months.
PERIOD_TEXT = (
    "2022年05月", "2022年5月", "2022-05", "2022.05", "202205", "2022/05", "2022年05月31日", "2022-05-31",
    "2022-05-31 00:00", "2022-13", "2022年13月", "2022年0月", "1899-12", "0000-00", "9999-12", "99999-01",
    "２０２２年０５月", "May 2022", "2022.1", "2022-5-31", "2022 年 5 月", "（2022年05月）", "",
)  # fmt: skip
# 数据日期 / 发放日期 spellings (rural credit: YYYYMMDD or YYYY-MM-DD).
DATE_TEXT = (
    "20220531", "2022-05-31", "20220530", "20220230", "20220229", "20240229", "00000101", "00010101",
    "99991231", "2022-5-31", "2022/05/31", "２０２２０５３１", "2022053", "202205311", "-20220531",
    "2022-05-31 00:00:00", "19700101", "18991231", "",
)  # fmt: skip
# Platform times (YYYY-MM-DD HH:MM:SS).
TIME_TEXT = (
    "2022-05-01 09:00:00", "2022-02-30 00:00:00", "0000-01-01 00:00:00", "0001-01-01 00:00:00",
    "9999-12-31 23:59:59", "2022-05-01 24:00:00", "2022-05-01 23:59:60", "2022-05-01T09:00:00",
    "2022-05-01", "2022-05-01 9:00:00", "2022-05-01  09:00:00", "",
)  # fmt: skip

# Numbers an xlsx cell may hold (floats: that is all a number cell can store).
HOSTILE_NUMBERS = (
    0.0, -0.0, -1.0, 1e308, -1e308, 5e-324, 1e15, 1e17, 1e18, 9.999999999999999e17, 1e20, 1e26,
    123456789012345.67, 0.1, 0.005, 1.005, 2.0**53 + 2, float("nan"), float("inf"), float("-inf"),
    44712.0, 202205.0, 2022.05, 2022.1, 2022.0,
)  # fmt: skip
# Numbers shown with a date or time format: calamine turns them into date/time objects.
DATE_SERIALS = (-5.0, 0.0, 1.0, 60.0, 44712.0, 44712.5, 2958465.0, 2958466.0, 1e15, 1e308, -1e308)
DATETIMES = (
    dt.datetime(2022, 5, 1), dt.datetime(2022, 5, 31, 23, 59, 59), dt.datetime(1900, 1, 1),
    dt.datetime(1900, 2, 28), dt.datetime(9999, 12, 31, 23, 59, 59), dt.datetime(2022, 10, 1),
)  # fmt: skip


def hostile_text() -> st.SearchStrategy[str]:
    """Mostly the listed values; sometimes any short text (every code point) or a very long one."""
    listed = st.sampled_from(HOSTILE_TEXT)
    return st.one_of(listed, listed, listed, st.text(max_size=12), st.sampled_from(LONG))
