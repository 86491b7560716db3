"""Render rows as the Markdown tables a data officer reads in the Dagster UI."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

MAX_ROWS = 50


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: Sequence[dict], columns: Sequence[str], limit: int = MAX_ROWS) -> str:
    """A Markdown table of the first `limit` rows, saying how many were left out."""
    if not rows:
        return "(none)"
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"\n… {len(rows) - limit} more rows")
    return "\n".join(lines)
