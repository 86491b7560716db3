"""One ledger cell as calamine gives it -> text, date, 是/否 flag, 万元 amount in 元, or count."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from ingestion.errors import AmountError
from ingestion.numbers import ZERO_MARKS, clean_text, to_decimal


class CellError(ValueError):
    """A cell the contract does not allow; the sheet reader adds workbook, sheet, row and column."""

    def __init__(self, rule: int, message: str) -> None:
        super().__init__(message)
        self.rule = rule


_SHOWN_CHARS = 20
# The three text forms of a date the spec names (one- or two-digit month and day in each).
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$", re.ASCII),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", re.ASCII),
)
# A ledger date outside these years is a typo (2202 for 2022), not a record: the figures would
# silently never count it, so it is refused where the officer can still see which cell it is.
FIRST_YEAR, LAST_YEAR = 1900, 2099
_DATE_HINT = "YYYY-MM-DD、YYYY/M/D、YYYY年M月D日或 Excel 日期"
FLAGS = {"是": True, "否": False, "Y": True, "N": False}
# 万元 with at most six decimals is whole 分; 10^14 万元 x 10^4 is the lake's DECIMAL(20,2) limit.
_MICRO = Decimal("0.000001")
_WAN_LIMIT = Decimal(10) ** 14
_WAN = Decimal(10_000)
_CENT = Decimal("0.01")
INT32_MAX = 2**31 - 1


def shown(value: object) -> str:
    """A cell quoted in a message, shortened (a hostile cell may hold 32,767 characters)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, float):
        text = format(value, ".15g")  # as Excel shows the number
    else:
        text = repr(value)
    return f'"{text[:_SHOWN_CHARS]}…"' if len(text) > _SHOWN_CHARS else f'"{text}"'


def is_blank(value: object) -> bool:
    """An empty cell as calamine returns it (None or text of spaces only)."""
    return value is None or (isinstance(value, str) and not clean_text(value))


def _typed_kind(value: object) -> str | None:
    """What a non-text, non-number cell is, in the officer's words (None for text and numbers)."""
    if isinstance(value, bool):
        return "逻辑值（TRUE/FALSE）"
    if isinstance(value, dt.datetime | dt.date):
        return "日期"
    if isinstance(value, dt.time | dt.timedelta):
        return "时间"
    return None


def to_text(value: object) -> str | None:
    """Text as written, trimmed; a number cell as its digits (1.0 -> '1'); never quotes the cell.

    Codes typed into a cell Excel took for a number (a 县区代码, 批次 1) come back as floats.
    The value is not shown in messages because this reads the personal columns too.
    """
    if is_blank(value):
        return None
    if isinstance(value, str):
        return clean_text(value)
    kind = _typed_kind(value)
    if kind is not None:
        raise CellError(1, f"是{kind}单元格，应为文本")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(1, "不是有效的文本或数字")
        # 15 significant digits is all Excel keeps of a number: what the officer sees.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".15g")
    raise CellError(1, f"单元格类型 {type(value).__name__} 无法读取")


def _checked_date(year: int, month: int, day: int, original: object) -> dt.date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(1, f"{shown(original)} 的年份不在 {FIRST_YEAR}-{LAST_YEAR} 之间")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(1, f"{shown(original)} 不是真实的日期") from None


def to_date(value: object) -> dt.date | None:
    """An Excel date cell (a datetime only at midnight) or one of the three text forms."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(1, f"{value:%Y-%m-%d %H:%M:%S} 带有时间，应只填日期")
        return _checked_date(value.year, value.month, value.day, value.date().isoformat())
    if isinstance(value, dt.date):
        return _checked_date(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, str):
        text = clean_text(value)
        for form in _DATE_FORMS:
            match = form.match(text)
            if match:
                return _checked_date(int(match[1]), int(match[2]), int(match[3]), text)
        raise CellError(1, f"{shown(text)} 不是日期（{_DATE_HINT}）")
    kind = _typed_kind(value) or "数字"
    # A number here is usually a date whose cell lost its date format (44705): refused, not guessed.
    raise CellError(1, f"是{kind} {shown(value)}，应为日期（{_DATE_HINT}）")


def to_flag(value: object) -> bool | None:
    """是/否 or Y/N (either case, full-width too) -> True/False."""
    if is_blank(value):
        return None
    text = unicodedata.normalize("NFKC", clean_text(value)).upper() if isinstance(value, str) else None
    if text not in FLAGS:
        raise CellError(1, f"{shown(value)} 不是 是/否 或 Y/N")
    return FLAGS[text]


def _number(value: object) -> Decimal | None:
    """A number cell or number text (thousands separators allowed); blank and dashes are NULL."""
    if is_blank(value) or (isinstance(value, str) and clean_text(value) in ZERO_MARKS):
        return None
    kind = _typed_kind(value)
    if kind is not None:
        raise CellError(5, f"是{kind}单元格，应为数字")
    if isinstance(value, float) and math.isfinite(value):
        # A formula's 0.1+0.2 is 0.30000000000000004 as a double; Excel keeps and shows 15
        # significant digits, so that is the number the officer entered or sees.
        return Decimal(format(value, ".15g"))
    try:
        return to_decimal(value)
    except AmountError:
        raise CellError(5, f"{shown(value)} 不是数字") from None


def to_yuan(value: object) -> Decimal | None:
    """An amount in 万元 (at most six decimals, not negative) as 元 to the 分."""
    wan = _number(value)
    if wan is None:
        return None
    if wan < 0:
        raise CellError(5, f"{shown(value)} 为负数")
    if wan >= _WAN_LIMIT:
        raise CellError(5, f"{shown(value)} 万元超出可存储范围")
    if wan != wan.quantize(_MICRO):
        raise CellError(5, f"{shown(value)} 万元的小数超过六位（不足 1 分）")
    # Exact: six decimals of 万元 are two of 元. + 0.00 turns -0 into 0.00.
    return (wan * _WAN).quantize(_CENT) + Decimal("0.00")


def to_count(value: object) -> int | None:
    """A whole, non-negative number (户次, 问题数, 机构数); blank and dashes are NULL."""
    number = _number(value)
    if number is None:
        return None
    if number < 0:
        raise CellError(5, f"{shown(value)} 为负数")
    if number > INT32_MAX:
        raise CellError(5, f"{shown(value)} 超出可存储范围")
    if number != number.to_integral_value():
        raise CellError(5, f"{shown(value)} 不是整数")
    return int(number)


def enumeration(values: tuple[str, ...]) -> Callable[[object], str | None]:
    """A text cell that must be one of `values` (as written, spaces trimmed)."""
    allowed = "、".join(values)

    def parse(value: object) -> str | None:
        text = to_text(value)
        if text is not None and text not in values:
            raise CellError(1, f"{shown(text)} 不是 {allowed} 之一")
        return text

    return parse
