"""The 1a Excel template (贷款余额 + optional 不良贷款处置 sheet) -> header and AmountRows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# calamine (Rust) rather than openpyxl: it reads these workbooks several times faster and returns the
# cached value of formula cells, which is what the sender saw when they signed the report.
from python_calamine import CalamineWorkbook

from finstat.items import BALANCE_ITEMS, BALANCE_MEASURE, DISPOSAL_ITEMS, MONTH_MEASURE, YTD_MEASURE
from ingestion.calamine_guard import calamine_panics, check_sheet_extents
from ingestion.errors import AmountError, FileRejected
from ingestion.numbers import clean_text, parse_unit, to_yuan
from ingestion.records import AmountRow
from ingestion.register import Reference, header_text
from ingestion.report_period import parse_report_period
from ingestion.xlsx_errors import error_cells
from ingestion.xlsx_parts import column_letter

BALANCE_SHEET = "贷款余额"
DISPOSAL_SHEETS = ("不良贷款处置", "不良处置")
CODE_HEADER = "指标代码"
TOTAL_HEADER = "合计"
TOTAL_COUNTY = "TOTAL"
DISPOSAL_HEADERS = {
    "本月发生额": MONTH_MEASURE,
    "本月": MONTH_MEASURE,
    "本年累计发生额": YTD_MEASURE,
    "本年累计": YTD_MEASURE,
}

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


def _find_header_row(grid: list[list[object]]) -> int | None:
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


class ExcelReport:
    """An opened 1a workbook: header read on open, amounts on demand."""

    def __init__(self, path: Path, file_ref: str, reference: Reference) -> None:
        self._file = file_ref
        self._reference = reference
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            names = list(workbook.sheet_names)
        except Exception as exc:  # calamine raises several types (zip, xml, io); all mean unreadable
            raise FileRejected(1, f"无法读取 Excel 文件（{type(exc).__name__}: {exc}）", file_ref) from exc
        self._workbook = workbook
        # Before any sheet is read: every sheet may be (the disposal sheet is looked for by content).
        check_sheet_extents(path, file_ref)
        self._errors = error_cells(path)
        by_bare = {header_text(name): name for name in names}
        disposal = next((by_bare[n] for n in DISPOSAL_SHEETS if n in by_bare), None)
        main = by_bare.get(BALANCE_SHEET) or next((n for n in names if n != disposal), None)
        if main is None:
            raise FileRejected(1, f"找不到工作表“{BALANCE_SHEET}”", file_ref)
        self.sheet = main
        self._disposal_sheet = disposal or self._disposal_by_content([n for n in names if n != main])
        self._grid = self._read_grid(main)
        header = _find_header_row(self._grid)
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

    def _where(self, cell: _Cell) -> tuple[str | None, int | None, str | None]:
        return (self.sheet, cell.row + 1, column_letter(cell.col))

    def _parse_info(self, cell: _Cell, parse):
        try:
            return parse(cell.value)
        except ValueError as exc:
            raise FileRejected(
                1, str(exc), self._file, sheet=self.sheet, row=cell.row + 1, column=column_letter(cell.col)
            ) from exc

    def _disposal_by_content(self, candidates: list[str]) -> str | None:
        """A disposal sheet under another name (Sheet2): its header holds 指标代码 and 本月发生额.

        Taking an unnamed sheet as absent would silently drop the month's disposals.
        """
        for name in candidates:
            grid = self._read_grid(name)
            header = _find_header_row(grid)
            if header is not None and any(header_text(cell) in DISPOSAL_HEADERS for cell in grid[header]):
                return name
        return None

    def _read_grid(self, sheet_name: str) -> list[list[object]]:
        try:
            # skip_empty_area=False keeps row 0 = Excel row 1, so reported row numbers are Excel's.
            with calamine_panics():
                return self._workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:  # see __init__: any calamine failure means the sheet is unreadable
            raise FileRejected(1, f"无法读取工作表（{exc}）", self._file, sheet=sheet_name) from exc

    def _amount(self, value: object, sheet: str, row: int, col: int, label: str) -> object:
        try:
            error = self._errors.get(sheet, {}).get((row, col))
            if error is not None:
                raise AmountError(f"金额单元格是错误值 {error}（公式无法计算），不能当作零")
            return to_yuan(value, self.unit)
        except AmountError as exc:
            raise FileRejected(
                5, str(exc), self._file, sheet=sheet, row=row + 1, column=f"{column_letter(col)} ({label})"
            ) from exc

    def amounts(self) -> list[AmountRow]:
        """Every A/B/C amount per county column (合计 as TOTAL) and every D amount of the disposal sheet."""
        rows = self._balance_rows()
        if self._disposal_sheet is not None:
            rows.extend(self._disposal_rows(self._disposal_sheet))
        return rows

    def _balance_rows(self) -> list[AmountRow]:
        sheet, grid, header = self.sheet, self._grid, self._header_row
        code_col, columns = None, {}
        seen_counties: dict[str, int] = {}
        for col, cell in enumerate(grid[header]):
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

        out: list[AmountRow] = []
        item_rows: dict[str, int] = {}
        for r in range(header + 1, len(grid)):
            line = grid[r]
            code = header_text(line[code_col] if code_col < len(line) else None).upper()
            if code not in BALANCE_ITEMS:
                continue  # footer, notes, blank and unnamed rows are not part of the contract
            self._claim_item_row(item_rows, code, sheet, r, code_col)
            for col, (county, label) in columns.items():
                value = line[col] if col < len(line) else None
                out.append(
                    AmountRow(
                        county_code=county,
                        item_code=code,
                        measure=BALANCE_MEASURE,
                        amount_yuan=self._amount(value, sheet, r, col, label),
                        unit=self.unit,
                        sheet=sheet,
                        row_number=r + 1,
                        column_ref=column_letter(col),
                    )
                )
        missing = [code for code in BALANCE_ITEMS if code not in item_rows]
        if missing:
            raise FileRejected(
                1,
                f"缺少指标 {'、'.join(missing)}",
                self._file,
                sheet=sheet,
                column=f"{column_letter(code_col)} ({CODE_HEADER})",
            )
        return out

    def _claim_item_row(
        self, item_rows: dict[str, int], code: str, sheet: str, r: int, code_col: int
    ) -> None:
        """Record the row of an item; a second row with the same 指标代码 rejects the file (rule 1)."""
        if code in item_rows:
            raise FileRejected(
                1,
                f"指标 {code} 重复出现（另见第 {item_rows[code] + 1} 行）",
                self._file,
                sheet=sheet,
                row=r + 1,
                column=column_letter(code_col),
            )
        item_rows[code] = r

    def _disposal_rows(self, sheet: str) -> list[AmountRow]:
        grid = self._read_grid(sheet)
        header = _find_header_row(grid)
        if header is None:
            raise FileRejected(1, f"找不到表头行（含“{CODE_HEADER}”的行）", self._file, sheet=sheet)
        code_col, measures = None, {}
        for col, cell in enumerate(grid[header]):
            text = header_text(cell)
            if text == CODE_HEADER:
                code_col = col
            elif text in DISPOSAL_HEADERS:
                measures[col] = (DISPOSAL_HEADERS[text], text)
        missing = {MONTH_MEASURE, YTD_MEASURE} - {measure for measure, _ in measures.values()}
        if missing:
            raise FileRejected(
                1, f"表头缺少列“{'、'.join(sorted(missing))}发生额”", self._file, sheet=sheet, row=header + 1
            )
        out: list[AmountRow] = []
        item_rows: dict[str, int] = {}
        for r in range(header + 1, len(grid)):
            line = grid[r]
            code = header_text(line[code_col] if code_col < len(line) else None).upper()
            if code not in DISPOSAL_ITEMS:
                continue
            self._claim_item_row(item_rows, code, sheet, r, code_col)
            for col, (measure, label) in measures.items():
                value = line[col] if col < len(line) else None
                out.append(
                    AmountRow(
                        county_code=self._reference.city_code,
                        item_code=code,
                        measure=measure,
                        amount_yuan=self._amount(value, sheet, r, col, label),
                        unit=self.unit,
                        sheet=sheet,
                        row_number=r + 1,
                        column_ref=column_letter(col),
                    )
                )
        # Disposal items missing from the sheet are zero, as the whole sheet may be absent when zero.
        return out
