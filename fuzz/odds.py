"""Weighted choices that stay rare when Hypothesis fills a replayed prefix with its simplest values."""

from __future__ import annotations

from hypothesis import strategies as st


def one_in(draw, n: int) -> bool:
    """True about once in `n` draws.

    The rare side is the largest value, not 0: Hypothesis completes many inputs with the simplest
    choice (0), which would otherwise make the rare branch the common one.
    """
    return draw(st.integers(0, n - 1)) == n - 1


def index(draw, size: int) -> int:
    """A position in a list of `size` items."""
    return draw(st.integers(0, size - 1))


ROW_MOVES = ("drop_row", "dup_row", "swap_rows")
COLUMN_MOVES = ("drop_col", "dup_col", "swap_cols")


def move_row(draw, op: str, rows: list[list]) -> None:
    """Drop, duplicate or swap rows (one of ROW_MOVES; rows is not empty)."""
    if op == "drop_row":
        del rows[index(draw, len(rows))]
    elif op == "dup_row":
        rows.insert(index(draw, len(rows) + 1), list(rows[index(draw, len(rows))]))
    else:
        a, b = index(draw, len(rows)), index(draw, len(rows))
        rows[a], rows[b] = rows[b], rows[a]


def move_column(draw, op: str, lines, width: int) -> None:
    """Drop, duplicate or swap a column (one of COLUMN_MOVES) in every line long enough to have both."""
    a, b = index(draw, width), index(draw, width)
    for line in lines:
        if a >= len(line) or b >= len(line):
            continue
        if op == "drop_col":
            del line[a]
        elif op == "dup_col":
            line.insert(b, line[a])
        else:
            line[a], line[b] = line[b], line[a]
