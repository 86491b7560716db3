"""报表期 cells in any accepted spelling (2022年05月, 2022-05, 2022.05, 202205, Excel date) -> YYYY-MM."""

from __future__ import annotations

import datetime as dt
import re

from ingestion.numbers import clean_text

_WITH_SEPARATOR = re.compile(
    r"^(\d{4})\s*(?:年\s*(\d{1,2})\s*月(?:\s*\d{1,2}\s*日)?|[-./](\d{1,2})(?:[-./]\d{1,2})?)$"
)
# An Excel date typed as text or exported as text may carry a midnight time.
_DATE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-\d{1,2}[ T]00:00(?::00)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")


def _month(year: str | int, month: str | int, original: object) -> str:
    year, month = int(year), int(month)
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(f"报表期 {original!r} 不是有效月份")
    return f"{year:04d}-{month:02d}"


def parse_report_period(value: object) -> str:
    """Return `YYYY-MM` for a 报表期 cell value, else raise ValueError with a Chinese message."""
    if isinstance(value, dt.datetime | dt.date):
        return _month(value.year, value.month, value)
    if isinstance(value, bool) or value is None:
        raise ValueError(f"报表期 {value!r} 无法识别")
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        else:
            text = repr(value)
            # A number cell typed "2022.10" is stored as 2022.1, the same as "2022.1": ambiguous.
            if re.fullmatch(r"\d{4}\.1", text):
                raise ValueError(f"报表期 {text} 含义不明（1月还是10月？），请以文本填写")
            value = text
    # Brackets: an info line inside the title, e.g. "（报表期：2022年05月）".
    text = clean_text(clean_text(str(value)).strip("()（）"))
    match = _WITH_SEPARATOR.match(text)
    if match:
        return _month(match.group(1), match.group(2) or match.group(3), value)
    match = _DATE_TIME.match(text) or _COMPACT.match(text)
    if match:
        return _month(match.group(1), match.group(2), value)
    raise ValueError(f"报表期 {text!r} 无法识别（应为 2022年05月、2022-05、2022.05、202205 或日期）")
