"""Small ledger workbooks (openpyxl, as an officer's Excel saves them) for ingestion tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from finstat.identifiers import uscc_check_char
from finstat.settings import Settings
from ingestion.ledger_tables import DOCUMENTS, LISTING, MATCHMAKING
from tests.ingestion.builders import BANK

MONTH = "2022-05"
USCC = "91410600MA44TPQ03" + uscc_check_char("91410600MA44TPQ03")
ENTERPRISE_NAME = "鹤壁市淇河精密制造有限公司"
PROJECT_NAME = "淇河精密智能产线扩建项目"

# Sheet -> (header row, data rows) as the spec lists the columns, one valid record each.
SHEETS: dict[str, dict[str, tuple[list[str], list[list[object]]]]] = {
    MATCHMAKING: {
        "对接活动": (
            ["活动编号", "活动日期", "活动名称", "形式", "类别", "参与金融机构数", "参与企业数"],
            [["HD001", dt.date(2022, 5, 24), "5·24 银企对接会", "线下", "综合", 10, 35]],
        ),
        "走访企业": (
            [
                "走访编号",
                "走访日期",
                "统一社会信用代码",
                "企业名称",
                "县区代码",
                "反映问题数",
                "已解决问题数",
            ],
            [["ZF001", "2022-05-10", USCC, ENTERPRISE_NAME, "410611", 3, 2]],
        ),
        "推介项目": (
            [
                "项目编号",
                "批次",
                "推介日期",
                "项目名称",
                "统一社会信用代码",
                "县区代码",
                "融资需求(万元)",
                "项目类别",
            ],
            [["XM001", 1, "2022/5/6", PROJECT_NAME, USCC, "410611", "12,345.678901", "先进制造"]],
        ),
        "授信跟踪": (
            ["项目编号", "机构代码", "授信金额(万元)", "授信日期", "放款金额(万元)", "放款日期"],
            [["XM001", BANK.lower(), 5000, "2022年5月20日", None, None]],
        ),
        "签约": (
            ["活动编号", "项目编号", "机构代码", "意向金额(万元)", "是否签约", "签约金额(万元)", "签约日期"],
            [["HD001", "XM001", BANK, 7779.5, "是", 4000, dt.datetime(2022, 5, 24)]],
        ),
    },
    LISTING: {
        "后备企业": (
            [
                "企业编号",
                "企业名称",
                "统一社会信用代码",
                "县区代码",
                "重点企业",
                "入库日期",
                "出库日期",
                "阶段",
                "阶段日期",
                "拟上市板块",
            ],
            [
                [
                    "QY001",
                    ENTERPRISE_NAME,
                    USCC,
                    "410611",
                    "Y",
                    "2021-03-01",
                    None,
                    "辅导备案",
                    "2022-04-15",
                    "北交所",
                ]
            ],
        ),
        "服务记录": (
            ["日期", "企业编号", "类型", "户次", "解决问题数"],
            [["2022-05-12", "QY001", "培训", 40, 0]],
        ),
    },
    DOCUMENTS: {
        "文书": (
            ["文号", "下发日期", "对象名称", "对象类型", "文书类型"],
            [["鹤金监〔2022〕12号", "2022-05-18", "鹤壁市某小额贷款有限公司", "小额贷款公司", "整改通知书"]],
        ),
    },
}


def ledger_name(kind: str, month: str = MONTH, suffix: str = "") -> str:
    return f"{kind}_{month.replace('-', '')}{suffix}.xlsx"


def sheets_of(kind: str) -> dict[str, tuple[list[str], list[list[object]]]]:
    """A fresh copy of the kind's valid sheets, for a test to change."""
    return {
        name: (list(header), [list(row) for row in rows]) for name, (header, rows) in SHEETS[kind].items()
    }


def write_workbook(
    path: Path,
    sheets: dict[str, tuple[list[str], list[list[object]]]],
    titles: int = 0,
    blank_before_header: int = 0,
) -> Path:
    """One workbook: per sheet `titles` title rows, blank rows, then header and rows from A1 down."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        ws = book.create_sheet(name)
        lines: list[list[object]] = [[f"{name}台账（标题行 {i + 1}）"] for i in range(titles)]
        lines += [[] for _ in range(blank_before_header)]
        lines += [header, *rows]
        for r, line in enumerate(lines, start=1):
            for c, value in enumerate(line, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def write_ledger(
    settings: Settings,
    kind: str,
    sheets=None,
    name: str | None = None,
    folder: str = MONTH,
    **kw,
) -> Path:
    """A ledger workbook in the landing folder of the month (the valid one unless sheets are given)."""
    path = settings.landing / "ledgers" / folder / (name or ledger_name(kind, folder))
    return write_workbook(path, sheets if sheets is not None else sheets_of(kind), **kw)
