"""Structural and cell mutations of a Book (rows, columns, sheets, merges, far cells, typed values)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from fuzz.odds import COLUMN_MOVES, ROW_MOVES, index, move_column, move_row, one_in
from fuzz.sheet_model import SHEET_NAMES, Book, Cell, Sheet, hostile_cell

OPS = (
    "drop_row", "dup_row", "swap_rows", "drop_col", "dup_col", "swap_cols", "header_mid", "set_cell",
    "set_cell", "set_cell", "set_row", "set_column", "merge", "far_cell", "rename_sheet", "drop_sheet",
    "add_sheet", "swap_sheets", "spot", "spot", "spot", "spot", "spot", "rows_above", "inline_strings",
    "clear_sheet",
)  # fmt: skip
HEADER_WORDS = {"指标代码", "指标名称"}
# Far cells: the last row and column Excel allows, and sizes in between (the sheet's used area grows
# to reach them, which is what a stray note typed far below a table does).
FAR_ROWS = (60, 1_000, 20_000, 100_000, 1_048_575)
FAR_COLS = (0, 3, 30, 702, 16_383)


@dataclass(frozen=True)
class Spot:
    """A cell whose meaning a target knows (报表期, 单位, title): values drawn for it are nearly right."""

    sheet: int
    row: int
    col: int
    values: st.SearchStrategy[Cell]


def _header_row(sheet: Sheet) -> int | None:
    for r, line in enumerate(sheet.rows):
        if any(c is not None and c.kind == "str" and c.value in HEADER_WORDS for c in line):
            return r
    return None


def _set(sheet: Sheet, row: int, col: int, cell: Cell | None) -> None:
    while len(sheet.rows) <= row:
        sheet.rows.append([])
    line = sheet.rows[row]
    while len(line) <= col:
        line.append(None)
    line[col] = cell


def _sheet_op(draw, op: str, sheet: Sheet) -> str:
    rows = sheet.rows
    width = max((len(line) for line in rows), default=0)
    if op in ("drop_row", "dup_row", "swap_rows", "set_row") and not rows:
        op = "set_cell"
    if op in ROW_MOVES:
        move_row(draw, op, rows)
    elif op in COLUMN_MOVES and width:
        move_column(draw, op, rows, width)
    elif op == "header_mid":
        header = _header_row(sheet)
        if header is not None:
            rows.insert(index(draw, len(rows) + 1), list(rows[header]))
    elif op == "set_cell":
        _set(
            sheet, draw(st.integers(0, len(rows) + 2)), draw(st.integers(0, width + 2)), draw(hostile_cell())
        )
    elif op == "set_row":
        line, cell = rows[index(draw, len(rows))], draw(hostile_cell())
        line[:] = [cell] * max(len(line), 1)
    elif op == "set_column" and width:
        # From some row down: every amount of a county, or the codes below the header.
        c, start, cell = index(draw, width), draw(st.integers(0, len(rows))), draw(hostile_cell())
        for line in rows[start:]:
            if c < len(line):
                line[c] = cell
    elif op == "merge" and rows and width:
        r1, c1 = index(draw, len(rows)), index(draw, width)
        r2, c2 = r1 + draw(st.integers(0, 3)), c1 + draw(st.integers(0, 4))
        sheet.merges.append((r1, c1, r2, c2))
    elif op == "far_cell":
        row = draw(st.sampled_from(FAR_ROWS) | st.integers(0, 1_048_575))
        col = draw(st.sampled_from(FAR_COLS) | st.integers(0, 16_383))
        sheet.far.append((row, col, draw(hostile_cell().filter(lambda c: c is not None))))
        op = f"far_cell({row},{col})"
    elif op == "rows_above":
        for _ in range(draw(st.integers(1, 8))):
            rows.insert(0, [])
    elif op == "clear_sheet":
        rows.clear()
    return op


@st.composite
def mutated_book(draw, book: Book, spots: list[Spot], max_ops: int = 5) -> Book:
    """Apply up to `max_ops` mutations to the book's sheets (the first sheet most often)."""
    for _ in range(0 if one_in(draw, 8) else draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(OPS))
        sheets = book.sheets
        if op == "spot" and spots:
            spot = draw(st.sampled_from(spots))
            if spot.sheet < len(sheets):
                cell = draw(spot.values)
                _set(sheets[spot.sheet], spot.row, spot.col, cell)
                op = f"spot({spot.row},{spot.col})={str(cell.value)[:24]!r}"
        elif op == "rename_sheet" and sheets:
            sheet = sheets[index(draw, len(sheets))]
            sheet.name = draw(st.sampled_from(SHEET_NAMES))
            op = f"rename_sheet={sheet.name!r}"
        elif op == "drop_sheet" and sheets:
            del sheets[index(draw, len(sheets))]
        elif op == "add_sheet":
            source = sheets[index(draw, len(sheets))] if sheets and draw(st.booleans()) else None
            rows = [list(line) for line in source.rows] if source else []
            sheets.insert(index(draw, len(sheets) + 1), Sheet(draw(st.sampled_from(SHEET_NAMES)), rows))
        elif op == "swap_sheets" and sheets:
            a, b = index(draw, len(sheets)), index(draw, len(sheets))
            sheets[a], sheets[b] = sheets[b], sheets[a]
        elif op == "inline_strings":
            book.inline_strings = not book.inline_strings
        elif sheets:
            target = index(draw, len(sheets)) if one_in(draw, 3) else 0
            op = _sheet_op(draw, op, sheets[target])
        book.notes.append(op)
    return book
