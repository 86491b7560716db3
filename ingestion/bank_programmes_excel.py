"""The 5a Excel template (sheet 专项统计: the 1a layout plus the 计量 column) -> header and ProgrammeCells."""

from __future__ import annotations

from finstat.items import AMOUNT_QUANTITY, PROGRAMME_ITEMS
from ingestion.errors import FileRejected
from ingestion.numbers import parse_unit
from ingestion.programme_cells import ProgrammeCell, missing_items, split_quantity, to_count
from ingestion.register import header_text
from ingestion.template_workbook import CODE_HEADER, TemplateWorkbook
from ingestion.xlsx_parts import column_letter

PROGRAMME_SHEET = "专项统计"
QUANTITY_HEADER = "计量"


class ProgrammeExcelReport(TemplateWorkbook):
    """An opened 5a workbook: header read on open, cells on demand."""

    SHEET = PROGRAMME_SHEET

    def _main_sheet(self, names: list[str]) -> str | None:
        """专项统计 wherever it sits (a notes sheet may come first), else the first sheet."""
        by_bare = {header_text(name): name for name in names}
        return by_bare.get(PROGRAMME_SHEET) or next(iter(names), None)

    def cells(self) -> list[ProgrammeCell]:
        """Every 户数 and 金额 of F01-F04 and E01-E03 per county column (合计 as TOTAL)."""
        sheet, grid, header = self.sheet, self._grid, self._header_row
        quantity_col = next(
            (col for col, cell in enumerate(grid[header]) if header_text(cell) == QUANTITY_HEADER), None
        )
        if quantity_col is None:
            raise FileRejected(1, f"表头缺少“{QUANTITY_HEADER}”列", self._file, sheet=sheet, row=header + 1)
        code_col, columns = self._county_columns()
        out: list[ProgrammeCell] = []
        item_rows: dict[tuple[str, str], int] = {}
        for r in range(header + 1, len(grid)):
            line = grid[r]
            code = header_text(line[code_col] if code_col < len(line) else None).upper()
            if code not in PROGRAMME_ITEMS:
                continue  # section labels, codes of the bank's own, footer, notes and blank rows
            quantity, unit = self._quantity(line, r, quantity_col)
            self._claim_row(item_rows, (code, quantity), f"{code} {quantity}", sheet, r, code_col)
            for col, (county, label) in columns.items():
                value = line[col] if col < len(line) else None
                if quantity == AMOUNT_QUANTITY:
                    number = self._amount(value, sheet, r, col, label)
                else:
                    number = self._checked_cell(value, sheet, r, col, label, to_count)
                out.append(
                    ProgrammeCell(
                        county_code=county,
                        item_code=code,
                        quantity=quantity,
                        value=number,
                        unit=unit,
                        sheet=sheet,
                        row_number=r + 1,
                        column_ref=column_letter(col),
                    )
                )
        missing = missing_items(set(item_rows))
        if missing:
            raise FileRejected(
                1,
                f"缺少指标 {'、'.join(missing)}",
                self._file,
                sheet=sheet,
                column=f"{column_letter(code_col)} ({CODE_HEADER})",
            )
        return out

    def _quantity(self, line: list[object], r: int, col: int) -> tuple[str, str | None]:
        """(户数 or 金额, the unit of the row's numbers): 金额 in 单位, 户数 in its bracketed word if any."""
        text = header_text(line[col] if col < len(line) else None)
        where = {"sheet": self.sheet, "row": r + 1, "column": f"{column_letter(col)} ({QUANTITY_HEADER})"}
        found = split_quantity(text)
        if found is None:
            raise FileRejected(1, f"计量 {text!r} 不是 户数 或 金额", self._file, **where)
        quantity, bracketed = found
        if quantity != AMOUNT_QUANTITY:
            return quantity, bracketed
        if bracketed is not None:
            try:
                stated = parse_unit(bracketed)
            except ValueError:
                stated = None
            if stated != self.unit:
                raise FileRejected(
                    5, f"计量 {text} 的单位“{bracketed}”与表头单位“{self.unit}”不一致", self._file, **where
                )
        return quantity, self.unit
