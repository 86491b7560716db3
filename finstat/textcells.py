"""Text cells that a spreadsheet would run as a formula (CSV/formula injection) get a quote prefix."""

from __future__ import annotations

# A cell starting with one of these is a formula to Excel, WPS or LibreOffice once the text is
# re-typed or opened from CSV (tab and CR too: some importers strip them and evaluate the rest).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Prefix a quote to text a spreadsheet could evaluate as a formula; any other text is unchanged.

    Only for text: numbers (a negative value included) are written as numbers and never pass here.
    """
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value
