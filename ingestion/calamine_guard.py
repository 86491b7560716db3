"""What calamine cannot be trusted with: a far cell (the process aborts) and a value it panics on."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from ingestion.errors import FileRejected
from ingestion.xlsx_parts import cells, column_index, column_letter, local_name, sheet_members

# calamine holds a sheet as one dense grid spanning its cells that hold a value, and the readers
# ask for it padded to A1: one value in A1 and one in XFD1048576 of a 10 kB file ask for 17 billion
# cells, and the process aborts (Rust cannot report a failed allocation). The limit is on all
# sheets together, since a 1a reader may read every sheet (looking for the disposal sheet): a
# report uses a few hundred cells; a million leaves room for any sheet a sender has a reason to keep.
MAX_SHEET_CELLS = 1_000_000
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    EOFError,
    KeyError,
    ValueError,
    OSError,
    StopIteration,
)
# Any cell reference in the raw XML: the fallback when expat gives up on a worksheet.
_RAW_CELL_REF = re.compile(rb'<(?:[\w.-]+:)?c\b[^>]*?\sr="([A-Za-z]+)(\d+)"')


def _has_value(cell) -> bool:
    # calamine skips cells without a value (styled blanks, formulas never calculated, empty <v/>).
    return any((local_name(c.tag) == "v" and c.text) or local_name(c.tag) == "is" for c in cell)


def _extent(stream) -> tuple[int, int] | None:
    """(last row, last column), 0-based, over the cells holding a value; None if not a worksheet."""
    events = iterparse(stream, events=("start", "end"))
    _, root = next(events)
    if local_name(root.tag) != "worksheet":
        return None  # styles, shared strings, images: the first tag says so, nothing more is read
    return _walk(events)


def _raw_extent(data: bytes) -> tuple[int, int]:
    """(last row, last column) over every cell reference, with a value or not (an upper bound)."""
    last_row = last_col = -1
    for letters, number in _RAW_CELL_REF.findall(data):
        last_row = max(last_row, int(number) - 1)
        last_col = max(last_col, column_index(letters.decode("ascii")))
    return last_row, last_col


def _member_extent(archive: zipfile.ZipFile, member: str) -> tuple[int, int] | None:
    try:
        with archive.open(member) as stream:
            return _extent(stream)
    except ParseError:
        pass  # expat gives up where calamine's more lenient parser may read on: count every reference
    except _UNREADABLE:
        return None  # a member that cannot be unpacked: calamine cannot read it either
    try:
        with archive.open(member) as stream:
            return _raw_extent(stream.read())
    except _UNREADABLE:
        return None


def _walk(events) -> tuple[int, int]:
    last_row = last_col = -1
    for row, col, cell in cells(events):
        if _has_value(cell):
            last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col


def check_sheet_extents(path: Path, file_ref: str, sheet: str | None = None) -> None:
    """Raise FileRejected (rule 1) when the worksheets (only `sheet`, if given) span too many cells.

    Without `sheet` (or when the relationships do not name it), every zip member that is a worksheet
    is checked, so a part calamine finds by another route is not missed. A member that cannot be
    unpacked is left to calamine, whose own error then rejects the file.
    """
    try:
        archive = zipfile.ZipFile(path)
    except _UNREADABLE:
        return
    with archive:
        try:
            names = {member: name for name, member in sheet_members(archive).items()}
        except _UNREADABLE:
            names = {}
        members = [m for m, n in names.items() if n == sheet] if sheet is not None else []
        total = 0
        for member in members or archive.namelist():
            extent = _member_extent(archive, member)
            if extent is None:
                continue
            last_row, last_col = extent
            cells = (last_row + 1) * (last_col + 1)
            total += cells
            if total > MAX_SHEET_CELLS:
                raise FileRejected(
                    1,
                    f"工作表使用区域过大：内容延伸到第 {last_row + 1:,} 行、{column_letter(last_col)} 列"
                    f"（本表 {cells:,} 个单元格，读到本表时各表合计 {total:,}，上限 {MAX_SHEET_CELLS:,}）；"
                    "请删除表格以外远处的内容后重新报送",
                    file_ref,
                    sheet=names.get(member, member),
                    row=last_row + 1,
                    column=column_letter(last_col),
                )


class CalaminePanic(Exception):
    """A Rust panic inside calamine, as an ordinary exception the readers' `except Exception` catch."""


@contextmanager
def calamine_panics() -> Iterator[None]:
    """Re-raise a panic (pyo3's PanicException, a BaseException) as CalaminePanic.

    A date-formatted cell holding -1E+308 panics while calamine converts it; as a BaseException the
    panic went past every `except Exception` and stopped the whole ingestion run, not just the file.
    """
    try:
        yield
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise CalaminePanic(
            f"calamine 内部错误：{exc}；常见原因是日期或时间格式的单元格数值超出范围"
        ) from exc
