"""The 1a workbook layout the loan and programme reports share: main sheet, info cells, header row, county columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

# calamine (Rust) rather than openpyxl: it reads these workbooks several times faster and returns the
# cached value of formula cells, which is what the sender saw when they signed the report.
from python_calamine import CalamineWorkbook

from ingestion.calamine_guard import calamine_panics, check_sheet_extents
from ingestion.errors import AmountError, FileRejected
from ingestion.numbers import clean_text, parse_unit, to_yuan
from ingestion.register import Reference, header_text
from ingestion.report_period import parse_report_period
from ingestion.xlsx_errors import error_cells
from ingestion.xlsx_parts import column_letter

CODE_HEADER = "指标代码"
TOTAL_HEADER = "合计"
# The county_code of the 合计 column's cells in the lake.
TOTAL_COUNTY = "TOTAL"

_INFO_LABELS = ("填报机构", "机构代码", "报表期", "单位")
# A label inside a longer cell needs its colon, so 单位负责人： in the footer is not taken for 单位,
# and 填报单位/报送单位/制表单位 (the sender's name) are not taken for the unit either.
_INFO_LABEL = re.compile(r"(填报机构|机构代码|报表期|(?<!填报)(?<!报送)(?<!制表)单位)\s*[:：]")


@dataclass(frozen=True)
class _Cell:
    value: object
    row: int  # 0-based
    col: int  # 0-based


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def find_header_row(grid: list[list[object]]) -> int | None:
    """The first row holding 指标代码 (0 to 6 rows may sit above it)."""
    for index, row in enumerate(grid):
        if any(header_text(cell) == CODE_HEADER for cell in row):
            return index
    return None


def _info_fields(grid: list[list[object]], header_row: int) -> dict[str, _Cell]:
    """填报机构/机构代码/报表期/单位, however they are split over cells; the first occurrence wins.

    Every row but the header is searched, top first: with no row above the header (an accepted
    layout) the info line can only sit beside or under the table.
    """
    cells = [
        _Cell(value, r, c)
        for r, row in enumerate(grid)
        if r != header_row
        for c, value in enumerate(row)
        if not _is_blank(value)
    ]
    found: dict[str, _Cell] = {}
    for position, cell in enumerate(cells):
        following = cells[position + 1] if position + 1 < len(cells) else None
        if not isinstance(cell.value, str):
            continue
        bare = header_text(cell.value).rstrip(":：")
        if bare in _INFO_LABELS:
            # Label cell, value in the next cell (which may be a date or a number, not text).
            if following is not None:
                found.setdefault(bare, following)
            continue
        matches = list(_INFO_LABEL.finditer(cell.value))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(cell.value)
            value = clean_text(cell.value[match.end() : end])
            if value:
                found.setdefault(match.group(1), _Cell(value, cell.row, cell.col))
            elif index + 1 == len(matches) and following is not None:
                found.setdefault(match.group(1), following)
    return found


class TemplateWorkbook:
    """An opened workbook in the 1a layout: the main sheet's header read on open, the body left to subclasses.

    A subclass names its main sheet (`_main_sheet`) and reads its own rows; this class finds the
    header row, the info cells (机构代码, 报表期, 单位) and the county columns, and turns cells
    into amounts with the file, sheet, row and column of any rejection.
    """

    # The sheet the contract names, for the message when the workbook has no usable sheet.
    SHEET: str = ""

    def __init__(self, path: Path, file_ref: str, reference: Reference) -> None:
        self._file = file_ref
        self._reference = reference
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            names = list(workbook.sheet_names)
        except Exception as exc:  # calamine raises several types (zip, xml, io); all mean unreadable
            raise FileRejected(1, f"无法读取 Excel 文件（{type(exc).__name__}: {exc}）", file_ref) from exc
        self._workbook = workbook
        # Before any sheet is read: every sheet may be (a subclass may look for one by content).
        check_sheet_extents(path, file_ref)
        self._errors = error_cells(path)
        main = self._main_sheet(names)
        if main is None:
            raise FileRejected(1, f"找不到工作表“{self.SHEET}”", file_ref)
        self.sheet = main
        self._grid = self._read_grid(main)
        header = find_header_row(self._grid)
        if header is None:
            raise FileRejected(1, f"找不到表头行（含“{CODE_HEADER}”的行）", file_ref, sheet=main)
        self._header_row = header
        info = _info_fields(self._grid, header)
        for label in ("机构代码", "报表期", "单位"):
            if label not in info:
                raise FileRejected(1, f"表头信息缺少“{label}”", file_ref, sheet=main)
        self.inst_code = header_text(info["机构代码"].value).upper()
        self.inst_at = self._where(info["机构代码"])
        self.period_at = self._where(info["报表期"])
        self.period = self._parse_info(info["报表期"], parse_report_period)
        self.unit = self._parse_info(info["单位"], parse_unit)

    def _main_sheet(self, names: list[str]) -> str | None:
        """The sheet holding the report (None: the workbook has none), chosen among the sheet names."""
        raise NotImplementedError

    def _where(self, cell: _Cell) -> tuple[str | None, int | None, str | None]:
        return (self.sheet, cell.row + 1, column_letter(cell.col))

    def _parse_info(self, cell: _Cell, parse):
        try:
            return parse(cell.value)
        except ValueError as exc:
            raise FileRejected(
                1, str(exc), self._file, sheet=self.sheet, row=cell.row + 1, column=column_letter(cell.col)
            ) from exc

    def _read_grid(self, sheet_name: str) -> list[list[object]]:
        try:
            # skip_empty_area=False keeps row 0 = Excel row 1, so reported row numbers are Excel's.
            with calamine_panics():
                return self._workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:  # see __init__: any calamine failure means the sheet is unreadable
            raise FileRejected(1, f"无法读取工作表（{exc}）", self._file, sheet=sheet_name) from exc

    def _checked_cell(self, value: object, sheet: str, row: int, col: int, label: str, parse) -> Decimal:
        """parse(value) for a number cell; an error cell or an AmountError is rule 5 naming the cell."""
        try:
            error = self._errors.get(sheet, {}).get((row, col))
            if error is not None:
                raise AmountError(f"金额单元格是错误值 {error}（公式无法计算），不能当作零")
            return parse(value)
        except AmountError as exc:
            raise FileRejected(
                5, str(exc), self._file, sheet=sheet, row=row + 1, column=f"{column_letter(col)} ({label})"
            ) from exc

    def _amount(self, value: object, sheet: str, row: int, col: int, label: str) -> Decimal:
        """An amount cell in 元 (scaled by the workbook's 单位)."""
        return self._checked_cell(value, sheet, row, col, label, lambda v: to_yuan(v, self.unit))

    def _county_columns(self) -> tuple[int, dict[int, tuple[str, str]]]:
        """(指标代码 column, {column: (county code or TOTAL, header text)}) of the main sheet's header.

        A repeated county or a missing 合计 column rejects the file (rule 1).
        """
        sheet, header = self.sheet, self._header_row
        code_col, columns = None, {}
        seen_counties: dict[str, int] = {}
        for col, cell in enumerate(self._grid[header]):
            text = header_text(cell)
            if text == CODE_HEADER:
                code_col = col
                continue
            county = TOTAL_COUNTY if text == TOTAL_HEADER else self._reference.county_code_for_header(cell)
            if county is None:
                continue  # 行次, 指标名称 and any unnamed helper column
            if county in seen_counties:
                raise FileRejected(
                    1,
                    f"县区列“{text}”与列 {column_letter(seen_counties[county])} 重复",
                    self._file,
                    sheet=sheet,
                    row=header + 1,
                    column=column_letter(col),
                )
            seen_counties[county] = col
            columns[col] = (county, text)
        if TOTAL_COUNTY not in seen_counties:
            raise FileRejected(1, f"表头缺少“{TOTAL_HEADER}”列", self._file, sheet=sheet, row=header + 1)
        assert code_col is not None  # the header row is the row holding 指标代码
        return code_col, columns

    def _claim_row(self, rows: dict, key: object, what: str, sheet: str, r: int, code_col: int) -> None:
        """Record the row of a key; a second row with the same key rejects the file (rule 1)."""
        if key in rows:
            raise FileRejected(
                1,
                f"指标 {what} 重复出现（另见第 {rows[key] + 1} 行）",
                self._file,
                sheet=sheet,
                row=r + 1,
                column=column_letter(code_col),
            )
        rows[key] = r
