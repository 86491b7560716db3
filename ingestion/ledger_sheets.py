"""A ledger sheet as officers keep it: find its header under 0-3 title rows, read its columns' cells."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ingestion.errors import FileRejected
from ingestion.ledger_cells import CellError, is_blank
from ingestion.xlsx_parts import column_letter

# Title lines an officer may keep above the header (blank rows are not counted).
MAX_TITLE_ROWS = 3
# A row is the header when it names at least this many of the sheet's columns: a title such as
# "银企对接活动台账" names none, and a header missing a column is still found (and refused by name).
_HEADER_MATCHES = 2


def fold(text: object) -> str:
    """A header or sheet name as compared: NFKC (full-width brackets and slashes), no whitespace at all."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


@dataclass(frozen=True)
class Column:
    """One spec column: its header, the lake column it fills, how a cell is read, whether it may be empty."""

    header: str  # as the spec writes it, e.g. 融资需求(万元)
    field: str
    parse: Callable[[object], object]
    required: bool = False
    # The spec's own note after the name, e.g. 线上/线下 for 形式: 形式 and 形式(线上/线下) both match.
    note: str = ""
    # Rule for an error cell (#REF!, #DIV/0!): 5 for amounts and counts, 1 for the rest.
    error_rule: int = 1

    def matches(self, folded: str) -> bool:
        name = fold(self.header)
        return folded == name or (bool(self.note) and folded == f"{name}({fold(self.note)})")


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Row:
    """One record: the Excel row number (1-based) and its values by lake column."""

    number: int
    values: dict[str, object]


def find_sheet(names: list[str], wanted: str) -> str | None:
    """The workbook's sheet of that name, however it is padded or written (full-width characters)."""
    return next((name for name in names if fold(name) == fold(wanted)), None)


class SheetReader:
    """One sheet's grid (row 0 = Excel row 1) read against its spec; rejections name the cell."""

    def __init__(
        self,
        spec: SheetSpec,
        sheet: str,
        grid: list[list[object]],
        errors: dict[tuple[int, int], str],
        file_ref: str,
    ) -> None:
        self.spec, self.sheet, self._grid, self._errors, self._file = spec, sheet, grid, errors, file_ref
        self._header_row = self._find_header()
        self._columns = self._map_columns()

    def _reject(self, rule: int, message: str, row: int | None = None, column: str | None = None):
        return FileRejected(rule, message, self._file, sheet=self.sheet, row=row, column=column)

    def _find_header(self) -> int:
        """The header row: the first of the first four non-blank rows naming two of the columns."""
        seen = 0
        for r, line in enumerate(self._grid):
            if all(is_blank(cell) for cell in line):
                continue
            folded = [fold(cell) for cell in line]
            if sum(any(c.matches(f) for f in folded) for c in self.spec.columns) >= _HEADER_MATCHES:
                return r
            seen += 1
            if seen > MAX_TITLE_ROWS:
                break
        expected = "、".join(c.header for c in self.spec.columns)
        raise self._reject(
            1,
            f"找不到表头行：表头应在前 {MAX_TITLE_ROWS + 1} 个非空行内（其上至多 {MAX_TITLE_ROWS} 行标题），"
            f"列名为 {expected}",
        )

    def _map_columns(self) -> list[tuple[int, Column]]:
        """(grid column, spec column) in the file's order; a missing or repeated column is rule 1."""
        header = self._header_row
        found: dict[str, int] = {}
        for col, cell in enumerate(self._grid[header]):
            folded = fold(cell)
            column = next((c for c in self.spec.columns if c.matches(folded)), None)
            if column is None:
                continue  # 备注, 序号 and any other column of the officer's own
            if column.field in found:
                raise self._reject(
                    1,
                    f"列“{column.header}”重复（另见列 {column_letter(found[column.field])}）",
                    row=header + 1,
                    column=column_letter(col),
                )
            found[column.field] = col
        missing = [c.header for c in self.spec.columns if c.field not in found]
        if missing:
            raise self._reject(1, f"表头缺少列 {'、'.join(missing)}", row=header + 1)
        by_field = {c.field: c for c in self.spec.columns}
        return sorted(((col, by_field[field]) for field, col in found.items()), key=lambda pair: pair[0])

    def rows(self) -> Iterator[Row]:
        """Every record under the header; rows blank in all the spec's columns are skipped."""
        for r in range(self._header_row + 1, len(self._grid)):
            line = self._grid[r]
            cells = [(col, column, line[col] if col < len(line) else None) for col, column in self._columns]
            errors = [
                (col, column, self._errors[(r, col)]) for col, column, _ in cells if (r, col) in self._errors
            ]
            if errors:
                col, column, error = errors[0]
                raise self._reject(
                    column.error_rule,
                    f"{column.header} 是错误值 {error}（公式无法计算）",
                    row=r + 1,
                    column=self._where(col, column),
                )
            if all(is_blank(value) for _, _, value in cells):
                continue
            yield Row(
                r + 1, {column.field: self._cell(r, col, column, value) for col, column, value in cells}
            )

    def _where(self, col: int, column: Column) -> str:
        return f"{column_letter(col)} ({column.header})"

    def _cell(self, r: int, col: int, column: Column, value: object) -> object:
        try:
            parsed = column.parse(value)
        except CellError as exc:
            raise self._reject(
                exc.rule, f"{column.header} {exc}", row=r + 1, column=self._where(col, column)
            ) from None
        if parsed is None and column.required:
            raise self._reject(1, f"{column.header} 为空（必填）", row=r + 1, column=self._where(col, column))
        return parsed
