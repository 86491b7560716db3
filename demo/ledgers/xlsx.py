"""A ledger workbook as an officer keeps it: title rows, 备注, blank rows, mixed date and amount forms."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from demo.city import DemoCity
from demo.files import new_workbook
from demo.ledgers.base import (
    AMOUNT_COLUMNS,
    BOOL_COLUMNS,
    DATE_COLUMNS,
    REMARK,
    SHEETS,
    _rng,
    export_date,
    style_of,
)
from demo.ledgers.records import LedgerData

_CN_NUMBERS = "零一二三四五六七八九十"
_BLANK_ODDS = 0.02


def sheet_columns(ledger: str, sheet: str, style: dict) -> list[str]:
    """The header of a sheet in a file of that style: the spec's order or a fixed other one, and 备注."""
    columns = list(SHEETS[ledger][sheet])
    if style["order"] == "moved":
        moved = columns[:]
        _rng("column-order", sheet).shuffle(moved)
        columns = moved if moved != columns else columns[::-1]
    if style["remark"]:
        at = len(columns) // 2 if style["order"] == "moved" else len(columns)
        columns.insert(at, REMARK)
    return columns


def batch_text(batch: int) -> str:
    """第一批 .. 第十二批."""
    if batch <= 10:
        return f"第{_CN_NUMBERS[batch]}批"
    return f"第十{_CN_NUMBERS[batch - 10]}批"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _title_rows(ws, ledger: str, period: str, city: DemoCity, count: int, bold) -> None:
    lines = [f"{city.name}地方金融监督管理局{ledger}", f"导出日期：{cn_date(export_date(period))}", None]
    for row, text in enumerate(lines[:count]):
        if text is not None:
            ws.write_string(row, 0, text, bold if row == 0 else None)


class _CellWriter:
    """Writes one value in the form the file's style draws for it."""

    def __init__(self, workbook, style: dict, rng: random.Random) -> None:
        self.style, self.rng = style, rng
        self.formats = {
            "excel": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "excel_cn": workbook.add_format({"num_format": 'yyyy"年"m"月"d"日"'}),
        }

    def write(self, ws, row: int, col: int, column: str, value: object) -> None:
        if value is None:
            return
        if column in DATE_COLUMNS:
            self._date(ws, row, col, value)
        elif column in AMOUNT_COLUMNS:
            amount = Decimal(value).normalize()
            if self.rng.choice(self.style["amounts"]) == "text":
                ws.write_string(row, col, f"{amount:,f}")
            else:
                ws.write_number(row, col, float(amount))
        elif column in BOOL_COLUMNS:
            ws.write_string(
                row,
                col,
                ("是" if value else "否") if self.style["bools"] == "是否" else ("Y" if value else "N"),
            )
        elif column == "批次":
            if self.style["batch"] == "text":
                ws.write_string(row, col, batch_text(int(value)))
            else:
                ws.write_number(row, col, int(value))
        elif isinstance(value, int):
            ws.write_number(row, col, value)
        else:
            ws.write_string(row, col, str(value))

    def _date(self, ws, row: int, col: int, day: dt.date) -> None:
        form = self.rng.choice(self.style["dates"])
        if form == "excel":
            fmt = self.formats["excel_cn" if self.rng.random() < 0.3 else "excel"]
            ws.write_datetime(row, col, dt.datetime.combine(day, dt.time()), fmt)
        elif form == "iso":
            ws.write_string(row, col, day.isoformat())
        elif form == "slash":
            ws.write_string(row, col, f"{day.year}/{day.month}/{day.day}")
        else:
            ws.write_string(row, col, cn_date(day))


def render_ledger(data: LedgerData, ledger: str, period: str, city: DemoCity) -> bytes:
    """The ledger's workbook of `period`: every row the ledger held on the export day."""
    style = style_of(ledger, period)
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, ledger, period)
    bold = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True})
    for sheet, rows in data.snapshot(ledger, period).items():
        ws = workbook.add_worksheet(sheet)
        rng = _rng("cells", ledger, period, sheet)
        writer = _CellWriter(workbook, style, rng)
        columns = sheet_columns(ledger, sheet, style)
        _title_rows(ws, ledger, period, city, style["title"], bold)
        row = style["title"]
        for col, name in enumerate(columns):
            ws.write_string(row, col, name, header)
        for i, (entry, values) in enumerate(rows):
            row += 1
            # A blank row or two where an officer deleted a record's contents or left space (the
            # third row always, so every file of a `blank` style has one).
            if style["blank"] and (i == 2 or rng.random() < _BLANK_ODDS):
                row += 1
            for col, name in enumerate(columns):
                value = (values.get(REMARK, entry.remark) or None) if name == REMARK else values[name]
                writer.write(ws, row, col, name, value)
        ws.set_column(0, len(columns) - 1, 14)
        ws.freeze_panes(style["title"] + 1, 0)
    workbook.close()
    return buffer.getvalue()
