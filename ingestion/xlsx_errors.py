"""Error cells (#DIV/0!, #NUM!, #REF!, ...) of an .xlsx, which calamine returns as empty text."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from ingestion.xlsx_parts import cells, local_name, sheet_members

# A damaged part is left to calamine, whose own message then names the sheet it cannot read.
_DAMAGED = (zipfile.BadZipFile, zlib.error, ParseError, EOFError, KeyError, ValueError)


def _errors_in(stream) -> dict[tuple[int, int], str]:
    """(row, column), both 0-based as calamine's grid, -> the error text of every t="e" cell."""
    found: dict[tuple[int, int], str] = {}
    for row, col, cell in cells(iterparse(stream, events=("start", "end"))):
        if cell.get("t") == "e":
            value = next((child.text for child in cell if local_name(child.tag) == "v"), None)
            found[(row, col)] = value or "#错误"
    return found


def error_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> {(row, col): error text}; sheets without error cells are left out.

    An error cell read as "" would pass for a blank amount, i.e. zero: a formula whose result is
    #REF! (a deleted sheet) or #NUM! (Excel's only way to hold NaN or infinity) must not become 0.

    Called after limits.check_xlsx, so the members it unpacks have sane sizes. A workbook without
    the usual parts (a hand-made zip) or with a damaged part reports no error cells there: calamine
    judges the rest and rejects what it cannot read.
    """
    out = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        try:
            sheets = sheet_members(archive)
        except _DAMAGED:
            return out
        for sheet, member in sheets.items():
            if member not in names:
                continue
            try:
                data = archive.read(member)
                # Most workbooks have no error cell: a byte search spares parsing their XML.
                maybe = b't="e"' in data or b"t='e'" in data
                found = _errors_in(io.BytesIO(data)) if maybe else {}
            except _DAMAGED:
                continue
            if found:
                out[sheet] = found
    return out
