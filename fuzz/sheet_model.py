"""A workbook as typed cells per sheet that strategies mutate, then write with xlsxwriter."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import xlsxwriter
from hypothesis import strategies as st

from fuzz.hostile import DATE_SERIALS, DATETIMES, HOSTILE_NUMBERS, hostile_text

# Only names xlsxwriter accepts (no []:*?/\, at most 31 characters): the sheet name is not under test.
SHEET_NAMES = (
    "贷款余额",
    "Sheet1",
    "Sheet2",
    " 贷款余额 ",
    "不良贷款处置",
    "不良处置",
    "金融统计",
    "金融统计 ",
    "说明",
)
FORMULAS = ("=1+1", "=A1", "=SUM(D5:D9)", "=1/0", '="x"', "=NOW()")


@dataclass(frozen=True)
class Cell:
    """kind: str | num | bool | date | datenum (number shown as a date) | time | formula | blank."""

    kind: str
    value: object = None
    cached: object = None  # a formula's cached result, which is what calamine returns


def s(value: str) -> Cell:
    return Cell("str", value)


def n(value: float) -> Cell:
    return Cell("num", value)


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell | None]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    far: list[tuple[int, int, Cell]] = field(default_factory=list)  # cells far outside the table


@dataclass
class Book:
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)
    # Inline strings instead of the shared-string table: another path through calamine's reader.
    inline_strings: bool = False


def hostile_cell() -> st.SearchStrategy[Cell | None]:
    """A cell of any type holding a value a parser may not expect."""
    cached = st.one_of(
        st.sampled_from(HOSTILE_NUMBERS), hostile_text(), st.booleans(), st.sampled_from(("#N/A", "#DIV/0!"))
    )
    return st.one_of(
        hostile_text().map(s),
        hostile_text().map(s),
        st.sampled_from(HOSTILE_NUMBERS).map(n),
        st.floats().map(n),
        st.sampled_from(DATE_SERIALS).map(lambda v: Cell("datenum", v)),
        st.sampled_from(DATETIMES).map(lambda v: Cell("date", v)),
        st.sampled_from((0.5, -1.5, 1e300)).map(lambda v: Cell("time", v)),
        st.booleans().map(lambda b: Cell("bool", b)),
        st.tuples(st.sampled_from(FORMULAS), cached).map(lambda fc: Cell("formula", fc[0], fc[1])),
        st.just(Cell("blank")),
        st.none(),
    )


def _write(ws, row: int, col: int, cell: Cell | None, formats: dict) -> None:
    if cell is None:
        return
    kind, value = cell.kind, cell.value
    try:
        if kind == "str":
            ws.write_string(row, col, value)
        elif kind == "num":
            ws.write_number(row, col, value)
        elif kind == "bool":
            ws.write_boolean(row, col, value)
        elif kind == "date":
            ws.write_datetime(row, col, value, formats["date"])
        elif kind == "datenum":
            ws.write_number(row, col, value, formats["date"])
        elif kind == "time":
            ws.write_number(row, col, value, formats["time"])
        elif kind == "formula":
            ws.write_formula(row, col, value, None, cell.cached)
        else:
            ws.write_blank(row, col, None, formats["date"])
    except (TypeError, ValueError, OverflowError):
        # A value xlsxwriter itself refuses is not a file anyone can send: write it as text instead.
        ws.write_string(row, col, repr(value))


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate.lower() in used:
        candidate = f"{name.strip()[:28]}{number}"
        number += 1
    used.add(candidate.lower())
    return candidate


def render(book: Book) -> bytes:
    """The .xlsx bytes of the book."""
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "nan_inf_to_errors": True,  # NaN/inf become #NUM!/#DIV/0! error cells
        "constant_memory": book.inline_strings,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    workbook = xlsxwriter.Workbook(buffer, options)
    formats = {
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "time": workbook.add_format({"num_format": "hh:mm:ss"}),
    }
    used: set[str] = set()
    for sheet in book.sheets:
        ws = workbook.add_worksheet(_unique(sheet.name, used))
        for r, line in enumerate(sheet.rows):
            for c, cell in enumerate(line):
                _write(ws, r, c, cell, formats)
        for r, c, cell in sorted(sheet.far, key=lambda f: (f[0], f[1])):
            _write(ws, r, c, cell, formats)
        taken: list[tuple[int, int, int, int]] = []
        for r1, c1, r2, c2 in sheet.merges:
            if (r1, c1) == (r2, c2) or any(
                r1 <= b2 and b1 <= r2 and c1 <= d2 and d1 <= c2 for b1, d1, b2, d2 in taken
            ):
                continue  # xlsxwriter refuses single-cell and overlapping merges
            line = sheet.rows[r1] if r1 < len(sheet.rows) else []
            first = line[c1] if c1 < len(line) else None
            value = first.value if first is not None and first.kind == "str" else ""
            ws.merge_range(r1, c1, r2, c2, value)
            taken.append((r1, c1, r2, c2))
    workbook.close()
    return buffer.getvalue()
