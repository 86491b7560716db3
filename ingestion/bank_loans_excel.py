"""The 1a Excel template (贷款余额 + optional 不良贷款处置 sheet) -> header and AmountRows."""

from __future__ import annotations

from finstat.items import BALANCE_ITEMS, BALANCE_MEASURE, DISPOSAL_ITEMS, MONTH_MEASURE, YTD_MEASURE
from ingestion.errors import FileRejected
from ingestion.records import AmountRow
from ingestion.register import header_text
from ingestion.template_workbook import CODE_HEADER, TemplateWorkbook, find_header_row
from ingestion.xlsx_parts import column_letter

BALANCE_SHEET = "贷款余额"
DISPOSAL_SHEETS = ("不良贷款处置", "不良处置")
DISPOSAL_HEADERS = {
    "本月发生额": MONTH_MEASURE,
    "本月": MONTH_MEASURE,
    "本年累计发生额": YTD_MEASURE,
    "本年累计": YTD_MEASURE,
}


class ExcelReport(TemplateWorkbook):
    """An opened 1a workbook: header read on open, amounts on demand."""

    SHEET = BALANCE_SHEET

    def _main_sheet(self, names: list[str]) -> str | None:
        """贷款余额, else the first sheet that is not the disposal sheet (found by name, then by content)."""
        by_bare = {header_text(name): name for name in names}
        disposal = next((by_bare[n] for n in DISPOSAL_SHEETS if n in by_bare), None)
        main = by_bare.get(BALANCE_SHEET) or next((n for n in names if n != disposal), None)
        if main is not None:
            self._disposal_sheet = disposal or self._disposal_by_content([n for n in names if n != main])
        return main

    def _disposal_by_content(self, candidates: list[str]) -> str | None:
        """A disposal sheet under another name (Sheet2): its header holds 指标代码 and 本月发生额.

        Taking an unnamed sheet as absent would silently drop the month's disposals.
        """
        for name in candidates:
            grid = self._read_grid(name)
            header = find_header_row(grid)
            if header is not None and any(header_text(cell) in DISPOSAL_HEADERS for cell in grid[header]):
                return name
        return None

    def amounts(self) -> list[AmountRow]:
        """Every A/B/C amount per county column (合计 as TOTAL) and every D amount of the disposal sheet."""
        rows = self._balance_rows()
        if self._disposal_sheet is not None:
            rows.extend(self._disposal_rows(self._disposal_sheet))
        return rows

    def _balance_rows(self) -> list[AmountRow]:
        sheet, grid, header = self.sheet, self._grid, self._header_row
        code_col, columns = self._county_columns()
        out: list[AmountRow] = []
        item_rows: dict[str, int] = {}
        for r in range(header + 1, len(grid)):
            line = grid[r]
            code = header_text(line[code_col] if code_col < len(line) else None).upper()
            if code not in BALANCE_ITEMS:
                continue  # footer, notes, blank and unnamed rows are not part of the contract
            self._claim_row(item_rows, code, code, sheet, r, code_col)
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

    def _disposal_rows(self, sheet: str) -> list[AmountRow]:
        grid = self._read_grid(sheet)
        header = find_header_row(grid)
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
            self._claim_row(item_rows, code, code, sheet, r, code_col)
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
