"""The reconciliation workbook for the central bank branch (.xlsx in Chinese), written atomically."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from finstat.fsio import replace_atomically
from finstat.textcells import safe_text
from reports.model import (
    MISSING,
    RESULT_LABELS,
    SEVERITY_LABELS,
    WITHIN_LABELS,
    ReconciliationReport,
    Totals,
    by_type,
    published_label,
    report_title,
    round2,
    totals,
)

AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"

SUMMARY_HEADER = ("指标", "单位", "地方金融监管局", "人民银行市分行", "差额", "容差", "是否在容差内", "说明")
INSTITUTION_HEADER = (
    "机构类型",
    "机构代码",
    "机构名称",
    "各项贷款(亿元)",
    "住户贷款(亿元)",
    "企（事）业单位贷款(亿元)",
    "不良贷款(亿元)",
    "不良贷款率(%)",
)
GATE_HEADER = ("规则", "级别", "内容", "结果", "问题行数", "确认说明")

_HIGHLIGHT = "#F8CBAD"  # outside tolerance / failed error rule
_WARN_FILL = "#FFE699"  # failed warning rule
_SUBTOTAL_FILL = "#EDEDED"
_TOTAL_FILL = "#D9D9D9"
_HEADER_FILL = "#DDEBF7"
_MIN_WIDTH, _MAX_WIDTH = 8, 48


def display_width(text: str) -> int:
    """Column units a text needs: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


class _Formats:
    """Cell formats created once per workbook (xlsxwriter wants each distinct format added once)."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple, Format] = {}
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.note = workbook.add_format({"font_color": "#595959"})
        self.header = workbook.add_format(
            {"bold": True, "bg_color": _HEADER_FILL, "border": 1, "align": "center", "valign": "vcenter"}
        )
        self.header.set_text_wrap()

    def cell(self, kind: str, fill: str | None = None, bold: bool = False) -> Format:
        """A bordered body cell: kind is "text", "wrap", "center", "amount" or "count"."""
        key = (kind, fill, bold)
        if key not in self._cache:
            props: dict = {"border": 1, "valign": "top"}
            if kind == "amount":
                props["num_format"] = AMOUNT_FORMAT
            elif kind == "count":
                props["num_format"] = COUNT_FORMAT
            elif kind == "center":
                props["align"] = "center"
            elif kind == "wrap":
                props["text_wrap"] = True
            if fill:
                props["bg_color"] = fill
            if bold:
                props["bold"] = True
            self._cache[key] = self._workbook.add_format(props)
        return self._cache[key]


class _Sheet:
    """One worksheet's writes: text only through write_string, numbers only through write_number."""

    def __init__(self, worksheet: Worksheet, formats: _Formats) -> None:
        self.ws = worksheet
        self.formats = formats
        self._widths: dict[int, int] = {}

    def _fit(self, col: int, shown: str) -> None:
        self._widths[col] = max(self._widths.get(col, 0), display_width(shown))

    def text(self, row: int, col: int, value: str | None, fmt: Format, *, fit: bool = True) -> None:
        """Write text as a string cell, quoted if it could be read as a formula; None stays empty."""
        if value is None or value == "":
            self.ws.write_blank(row, col, None, fmt)
            return
        shown = safe_text(value)
        self.ws.write_string(row, col, shown, fmt)
        if fit:
            self._fit(col, shown)

    def amount(
        self, row: int, col: int, value: Decimal | None, fill: str | None = None, bold: bool = False
    ) -> None:
        """Write a 亿元 or % value rounded half up to 2 places; a missing value shows as —."""
        if value is None:
            self.text(row, col, MISSING, self.formats.cell("center", fill, bold))
            return
        rounded = round2(value)
        # xlsx stores IEEE doubles. Values carry at most 4 decimals (DECIMAL(20,4)) and are rounded to
        # the 2 published places first, so the stored double is the one nearest that 2-decimal number
        # and displays and reads back as the same text. float() happens here and nowhere earlier.
        self.ws.write_number(row, col, float(rounded), self.formats.cell("amount", fill, bold))
        self._fit(col, f"{rounded:,.2f}")

    def count(self, row: int, col: int, value: int, fmt: Format) -> None:
        """Write an integer (a rule number, a row count)."""
        self.ws.write_number(row, col, int(value), fmt)
        self._fit(col, f"{int(value):,}")

    def header(self, row: int, names: tuple[str, ...]) -> None:
        """Write the header row; its texts also set the minimum column widths."""
        for col, name in enumerate(names):
            self.text(row, col, name, self.formats.header)

    def finish(self, header_row: int, last_row: int, last_col: int) -> None:
        """Freeze below the header, filter the table, set column widths and the A4 landscape print set-up."""
        self.ws.freeze_panes(header_row + 1, 0)
        self.ws.autofilter(header_row, 0, max(last_row, header_row), last_col)
        for col in range(last_col + 1):
            # Two extra units leave room for the autofilter button next to a header.
            width = min(max(self._widths.get(col, 0) + 2, _MIN_WIDTH), _MAX_WIDTH)
            self.ws.set_column(col, col, width)
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)
        self.ws.repeat_rows(header_row)


def _write_summary(sheet: _Sheet, report: ReconciliationReport) -> None:
    """Sheet 汇总: title, publication time, then one row per compared measure."""
    f = sheet.formats
    sheet.text(0, 0, report_title(report), f.title, fit=False)
    sheet.text(1, 0, f"发布时间：{published_label(report.published_at)}", f.note, fit=False)
    sheet.text(
        2,
        0,
        "差额 = 地方金融监管局 − 人民银行市分行；超出容差的指标以底色标出并附说明（质量规则 22）。",
        f.note,
        fit=False,
    )
    header_row = 3
    sheet.header(header_row, SUMMARY_HEADER)
    row = header_row
    for row, line in enumerate(report.lines, start=header_row + 1):
        fill = _HIGHLIGHT if line.within is False else None
        sheet.text(row, 0, line.measure, f.cell("text", fill))
        sheet.text(row, 1, line.unit, f.cell("center", fill))
        for col, value in enumerate((line.bureau, line.pbc, line.diff, line.tolerance), start=2):
            sheet.amount(row, col, value, fill)
        sheet.text(row, 6, WITHIN_LABELS[line.within], f.cell("center", fill, bold=line.within is False))
        sheet.text(row, 7, line.explanation, f.cell("wrap", fill))
    sheet.finish(header_row, row, len(SUMMARY_HEADER) - 1)


def _write_totals(sheet: _Sheet, row: int, group: Totals, name: str, fill: str) -> None:
    """A subtotal or grand-total row, written as values computed in Decimal (no formulas)."""
    f = sheet.formats
    sheet.text(row, 0, group.label, f.cell("text", fill, bold=True))
    sheet.text(row, 1, None, f.cell("text", fill, bold=True))
    sheet.text(row, 2, name, f.cell("text", fill, bold=True))
    values = (group.loans_yi, group.household_yi, group.enterprise_yi, group.npl_yi, group.npl_ratio_pct)
    for col, value in enumerate(values, start=3):
        sheet.amount(row, col, value, fill, bold=True)


def _write_institutions(sheet: _Sheet, report: ReconciliationReport) -> None:
    """Sheet 机构明细: institutions grouped by type, a 小计 row per type and a 合计 row."""
    f = sheet.formats
    sheet.header(0, INSTITUTION_HEADER)
    row = 0
    for group, rows in by_type(report.institutions):
        for inst in rows:
            row += 1
            sheet.text(row, 0, inst.inst_type, f.cell("text"))
            sheet.text(row, 1, inst.inst_code, f.cell("text"))
            sheet.text(row, 2, inst.inst_name, f.cell("text"))
            values = (inst.loans_yi, inst.household_yi, inst.enterprise_yi, inst.npl_yi, inst.npl_ratio_pct)
            for col, value in enumerate(values, start=3):
                sheet.amount(row, col, value)
        row += 1
        _write_totals(sheet, row, group, "小计", _SUBTOTAL_FILL)
    row += 1
    _write_totals(sheet, row, totals("合计", report.institutions), "全部机构", _TOTAL_FILL)
    sheet.finish(0, row, len(INSTITUTION_HEADER) - 1)


def _write_gate(sheet: _Sheet, report: ReconciliationReport) -> None:
    """Sheet 质量检查: one row per rule with its result and any acknowledgement."""
    f = sheet.formats
    sheet.header(0, GATE_HEADER)
    row = 0
    for row, gate in enumerate(report.gate, start=1):
        fill = None if gate.passed else (_HIGHLIGHT if gate.severity == "error" else _WARN_FILL)
        sheet.count(row, 0, gate.rule, f.cell("count", fill))
        sheet.text(row, 1, SEVERITY_LABELS[gate.severity], f.cell("center", fill))
        sheet.text(row, 2, gate.title, f.cell("wrap", fill))
        sheet.text(row, 3, RESULT_LABELS[gate.passed], f.cell("center", fill, bold=not gate.passed))
        sheet.count(row, 4, gate.failing_rows, f.cell("count", fill))
        sheet.text(row, 5, gate.acknowledgement, f.cell("wrap", fill))
    sheet.finish(0, row, len(GATE_HEADER) - 1)


def workbook_bytes(report: ReconciliationReport) -> bytes:
    """The whole .xlsx in memory (a few kB), so the file on disk is written in one atomic step."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Belt and braces: write_string is used everywhere, but no string may ever become a
            # formula, a number or a hyperlink (which would be an external link) by accident.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    created = report.published_at
    if created.tzinfo is not None:
        created = created.astimezone(UTC).replace(tzinfo=None)
    # No author or company: the file leaves the bureau. The publication time as creation date keeps
    # the file identical when the same version is rendered again.
    workbook.set_properties(
        {
            "title": report_title(report),
            "subject": "地方金融监管局与人民银行市分行金融统计对账（质量规则 22）",
            "author": "",
            "company": "",
            "created": created,
        }
    )
    formats = _Formats(workbook)
    _write_summary(_Sheet(workbook.add_worksheet("汇总"), formats), report)
    _write_institutions(_Sheet(workbook.add_worksheet("机构明细"), formats), report)
    _write_gate(_Sheet(workbook.add_worksheet("质量检查"), formats), report)
    workbook.close()
    return buffer.getvalue()


def write_workbook(report: ReconciliationReport, path: Path) -> Path:
    """Write the reconciliation workbook to path, replacing any previous file atomically."""
    path = Path(path)
    data = workbook_bytes(report)
    replace_atomically(path, lambda tmp: tmp.write_bytes(data))
    return path
