"""Source pbc: the central bank branch's 金融统计 workbook (亿元) -> one lake row per compared indicator."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow as pa
from python_calamine import CalamineWorkbook

from ingestion.calamine_guard import calamine_panics, check_sheet_extents
from ingestion.errors import AmountError, FileRejected
from ingestion.landing_files import LandedFile
from ingestion.numbers import UNIT_FACTORS, clean_text, to_decimal
from ingestion.register import Reference, header_text
from ingestion.report_period import parse_report_period
from ingestion.source import LakeTable, ReadContext, Senders, Source
from ingestion.xlsx_errors import error_cells
from ingestion.xlsx_parts import column_letter

SENDER = "PBC"  # the central bank branch: outside the register, like the platform operator
SHEET = "金融统计"
TABLE = "pbc_figures"
NAME, BALANCE, YTD, YOY = "指标名称", "本月末余额", "比年初增减", "同比增长(%)"
# Row label (folded: NFKC, no spaces, no "(%)") -> (item code, the file's own label).
ITEMS = {
    "各项贷款": ("PBC_LOANS", "各项贷款"),
    "住户贷款": ("PBC_HOUSEHOLD", "住户贷款"),
    "企(事)业单位贷款": ("PBC_ENTERPRISE", "企（事）业单位贷款"),
    "不良贷款余额": ("PBC_NPL", "不良贷款余额"),
    "不良贷款率": ("PBC_NPL_RATIO", "不良贷款率(%)"),
}
RATIO_ITEM = "PBC_NPL_RATIO"
_MONTH_IN_TITLE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_UNIT_IN_TITLE = re.compile(r"单位\s*[:：]\s*(亿元|万元|元)")

SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("item_code", pa.string()),
        ("item_name", pa.string()),
        # 元 for amounts; NULL on the ratio row, which carries ratio_pct instead.
        ("balance_yuan", pa.decimal128(20, 2)),
        ("ytd_change_yuan", pa.decimal128(20, 2)),
        ("yoy_pct", pa.decimal128(20, 4)),
        ("ratio_pct", pa.decimal128(20, 4)),
        ("sheet", pa.string()),
        ("row_number", pa.int32()),
        ("source_file", pa.string()),
        ("file_sha256", pa.string()),
        ("revision", pa.int32()),
        ("ingested_at", pa.timestamp("us")),
    ]
)


_FEN, _PCT = Decimal("0.01"), Decimal("0.0001")
# 亿元 x 10^8 must fit DECIMAL(20,2) (18 integer digits); no ratio or growth rate comes near it.
_MAX_FIGURE = Decimal(10) ** 10


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _fold(text: str) -> str:
    """Row labels as compared: NFKC (full-width brackets to ASCII), no spaces, no trailing (%)."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return folded.removesuffix("(%)")


class PbcWorkbook:
    """One 金融统计 workbook: header, month and unit read on open; rows() validates every figure."""

    def __init__(self, path: Path, file_ref: str, reference: Reference, folder_period: str) -> None:
        self._file = file_ref
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            names = list(workbook.sheet_names)
        except Exception as exc:  # calamine raises several types (zip, xml, io); all mean unreadable
            raise FileRejected(1, f"无法读取 Excel 文件（{type(exc).__name__}）", file_ref) from exc
        by_bare = {header_text(n): n for n in names}
        sheet = by_bare.get(SHEET) or (names[0] if len(names) == 1 else None)
        if sheet is None:
            raise FileRejected(1, f"找不到工作表“{SHEET}”", file_ref)
        self.sheet = sheet
        check_sheet_extents(path, file_ref, sheet)  # before calamine builds the sheet's grid
        self._errors = error_cells(path).get(sheet, {})
        try:
            with calamine_panics():
                self._grid = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:
            raise FileRejected(1, f"无法读取工作表（{type(exc).__name__}）", file_ref, sheet=sheet) from exc
        self._header = self._find_header()
        self.inst_code, self.inst_at = SENDER, (None, None, None)
        self.period, self.period_at = self._month(folder_period)
        self.unit = self._unit()

    def _find_header(self) -> tuple[int, dict[str, int]]:
        for r, row in enumerate(self._grid):
            labels = {header_text(v): c for c, v in enumerate(row) if isinstance(v, str)}
            if NAME in labels and BALANCE in labels:
                columns = {NAME: labels[NAME], BALANCE: labels[BALANCE]}
                for wanted in (YTD, YOY):
                    found = next((c for label, c in labels.items() if _fold(label) == _fold(wanted)), None)
                    if found is None:
                        raise FileRejected(1, f"表头缺少“{wanted}”", self._file, self.sheet, r + 1)
                    columns[wanted] = found
                return r, columns
        raise FileRejected(1, f"找不到表头行（含“{NAME}”和“{BALANCE}”）", self._file, self.sheet)

    def _title_cells(self):
        for r in range(self._header[0]):
            for c, value in enumerate(self._grid[r]):
                if isinstance(value, str) and clean_text(value):
                    yield r, c, value

    def _month(self, folder_period: str) -> tuple[str, tuple]:
        """The month a title line states (报表期 or YYYY年M月); without one, the folder's month."""
        for r, c, text in self._title_cells():
            where = (self.sheet, r + 1, column_letter(c))
            label = re.search(r"报表期\s*[:：]\s*(\S+)", text)
            if label:
                try:
                    return parse_report_period(label.group(1)), where
                except ValueError as exc:
                    raise FileRejected(1, str(exc), self._file, *where) from exc
            match = _MONTH_IN_TITLE.search(text)
            if match:
                # A title such as "（2022年13月）" names an impossible month: rule 1, like 报表期 above.
                try:
                    return parse_report_period(f"{match.group(1)}年{match.group(2)}月"), where
                except ValueError as exc:
                    raise FileRejected(1, str(exc), self._file, *where) from exc
        return folder_period, (None, None, None)

    def _unit(self) -> str:
        for r, c, text in self._title_cells():
            match = _UNIT_IN_TITLE.search(text)
            if match:
                if match.group(1) != "亿元":
                    raise FileRejected(
                        1,
                        f"单位应为亿元，文件为{match.group(1)}",
                        self._file,
                        self.sheet,
                        r + 1,
                        column_letter(c),
                    )
                return "亿元"
        return "亿元"

    def _number(self, value: object, r: int, c: int, label: str, required: bool) -> Decimal | None:
        if (r, c) in self._errors:
            message = f"{label} 是错误值 {self._errors[(r, c)]}（公式无法计算）"
            raise FileRejected(5, message, self._file, self.sheet, r + 1, column_letter(c))
        if value is None or (isinstance(value, str) and not clean_text(value)):
            if required:
                raise FileRejected(5, f"{label} 为空", self._file, self.sheet, r + 1, column_letter(c))
            return None
        try:
            number = to_decimal(value)
        except AmountError as exc:
            raise FileRejected(5, str(exc), self._file, self.sheet, r + 1, column_letter(c)) from exc
        if abs(number) >= _MAX_FIGURE:
            message = f"{label} {number} 超出可存储范围"
            raise FileRejected(5, message, self._file, self.sheet, r + 1, column_letter(c))
        return number

    def _cell(self, row: list, r: int, c: int, label: str, required: bool = False) -> Decimal | None:
        return self._number(row[c] if c < len(row) else None, r, c, label, required)

    def rows(self) -> pa.Table:
        """One row per indicator of the contract; a missing one is rule 1, a bad number rule 5."""
        header_row, columns = self._header
        yi = UNIT_FACTORS["亿元"]
        out: dict[str, dict] = {}
        for r in range(header_row + 1, len(self._grid)):
            row = self._grid[r]
            name = row[columns[NAME]] if columns[NAME] < len(row) else None
            if not isinstance(name, str) or _fold(name) not in ITEMS:
                continue  # notes and footers under the table
            code, label = ITEMS[_fold(name)]
            if code in out:
                raise FileRejected(1, f"指标“{label}”出现两次", self._file, self.sheet, r + 1)

            value = self._cell(row, r, columns[BALANCE], f"{label} {BALANCE}", required=True)
            if code != RATIO_ITEM and value < 0:
                raise FileRejected(
                    5,
                    f"{label} 本月末余额 {value} 为负数",
                    self._file,
                    self.sheet,
                    r + 1,
                    column_letter(columns[BALANCE]),
                )
            ytd = self._cell(row, r, columns[YTD], f"{label} {YTD}")
            yoy = self._cell(row, r, columns[YOY], f"{label} {YOY}")
            is_ratio = code == RATIO_ITEM
            out[code] = {
                "period": self.period,
                "item_code": code,
                "item_name": label,
                "balance_yuan": None if is_ratio else _round(value * yi, _FEN),
                "ytd_change_yuan": None if is_ratio or ytd is None else _round(ytd * yi, _FEN),
                "yoy_pct": None if is_ratio or yoy is None else _round(yoy, _PCT),
                "ratio_pct": _round(value, _PCT) if is_ratio else None,
                "sheet": self.sheet,
                "row_number": r + 1,
            }
        missing = [label for code, label in ITEMS.values() if code not in out]
        if missing:
            raise FileRejected(1, f"缺少指标行：{'、'.join(missing)}", self._file, self.sheet)
        names = [f.name for f in SCHEMA if f.name in next(iter(out.values()))]
        return pa.Table.from_pylist(list(out.values()), schema=pa.schema([SCHEMA.field(n) for n in names]))


def _open(landed: LandedFile, context: ReadContext) -> PbcWorkbook:
    return PbcWorkbook(landed.path, landed.file_path, context.reference, landed.folder_period)


SOURCE = Source(
    name="pbc",
    title="人民银行市分行金融统计 central bank branch figures",
    suffixes=(".xlsx",),
    tables=(LakeTable(TABLE, SCHEMA),),
    open=_open,
    read_body=PbcWorkbook.rows,
    senders=Senders.OUTSIDE,
    sender_label="人民银行市分行",
    blocks_publication=False,
)
