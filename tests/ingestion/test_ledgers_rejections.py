"""Source ledgers: every rejection names workbook, sheet, row and column; rules 2 and 4 per workbook."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import xlsxwriter

from ingestion.ledger_tables import DOCUMENTS, LISTING, MATCHMAKING
from tests.ingestion.builders import make_settings
from tests.ingestion.ledger_builders import (
    ENTERPRISE_NAME,
    MONTH,
    USCC,
    ledger_name,
    sheets_of,
    write_ledger,
)
from tests.ingestion.test_ledgers import ingest, only, rows_of


def rejected(tmp_path, kind, sheets=None, **kw):
    settings = make_settings(tmp_path)
    write_ledger(settings, kind, sheets, **kw)
    outcome = only(ingest(settings))
    assert outcome.status == "rejected", outcome
    return outcome


def where(kind, sheet=None, row=None, column=None, name=None):
    """The location part of a rejection's text as FileRejected writes it."""
    parts = [f"文件 ledgers/{MONTH}/{name or ledger_name(kind)}"]
    if sheet is not None:
        parts.append(f"工作表 {sheet}")
    if row is not None:
        parts.append(f"第 {row} 行")
    if column is not None:
        parts.append(f"列 {column}")
    return ", ".join(parts)


# (workbook, sheet, column index in the builder's header, value, rule, column as named, message)
CELLS = [
    (MATCHMAKING, "对接活动", 1, "2022.05.24", 1, "B (活动日期)", '活动日期 "2022.05.24" 不是日期'),
    (MATCHMAKING, "对接活动", 1, None, 1, "B (活动日期)", "活动日期 为空（必填）"),
    (MATCHMAKING, "对接活动", 1, dt.datetime(2022, 5, 24, 14, 30), 1, "B (活动日期)", "带有时间"),
    (MATCHMAKING, "对接活动", 1, 44705, 1, "B (活动日期)", "是数字"),
    (MATCHMAKING, "对接活动", 1, "2022-02-30", 1, "B (活动日期)", "不是真实的日期"),
    (MATCHMAKING, "对接活动", 1, "2202-05-24", 1, "B (活动日期)", "年份不在 1900-2099 之间"),
    (MATCHMAKING, "对接活动", 0, " ", 1, "A (活动编号)", "活动编号 为空（必填）"),
    (MATCHMAKING, "对接活动", 3, "现场", 1, "D (形式)", '形式 "现场" 不是 线上、线下 之一'),
    (MATCHMAKING, "对接活动", 6, -1, 5, "G (参与企业数)", '参与企业数 "-1" 为负数'),
    (MATCHMAKING, "对接活动", 6, 3.5, 5, "G (参与企业数)", "不是整数"),
    (MATCHMAKING, "对接活动", 6, "三十", 5, "G (参与企业数)", '参与企业数 "三十" 不是数字'),
    (MATCHMAKING, "对接活动", 5, True, 5, "F (参与金融机构数)", "是逻辑值（TRUE/FALSE）单元格，应为数字"),
    # M02 counts distinct codes: a visit without one would be left out silently.
    (MATCHMAKING, "走访企业", 2, None, 1, "C (统一社会信用代码)", "统一社会信用代码 为空（必填）"),
    (MATCHMAKING, "推介项目", 6, "-5", 5, "G (融资需求(万元))", '融资需求(万元) "-5" 为负数'),
    (MATCHMAKING, "推介项目", 6, "abc", 5, "G (融资需求(万元))", "不是数字"),
    (MATCHMAKING, "推介项目", 6, "1,23", 5, "G (融资需求(万元))", "不是数字"),
    (MATCHMAKING, "推介项目", 6, "1.1234567", 5, "G (融资需求(万元))", "小数超过六位"),
    (MATCHMAKING, "推介项目", 6, 1e20, 5, "G (融资需求(万元))", "超出可存储范围"),
    (MATCHMAKING, "授信跟踪", 3, None, 1, "D (授信日期)", "授信日期 为空（必填）"),
    (MATCHMAKING, "签约", 4, "对", 1, "E (是否签约)", '是否签约 "对" 不是 是/否 或 Y/N'),
    (MATCHMAKING, "签约", 2, None, 1, "C (机构代码)", "机构代码 为空（必填）"),
    (
        LISTING,
        "后备企业",
        7,
        "上市",
        1,
        "H (阶段)",
        "不是 培育、股改完成、辅导备案、已申报、已过会、已上市 之一",
    ),
    (LISTING, "后备企业", 7, None, 1, "H (阶段)", "阶段 为空（必填）"),
    (LISTING, "后备企业", 8, None, 1, "I (阶段日期)", "阶段日期 为空（必填）"),
    (LISTING, "后备企业", 6, "不详", 1, "G (出库日期)", '出库日期 "不详" 不是日期'),
    (LISTING, "服务记录", 2, None, 1, "C (类型)", "类型 为空（必填）"),
    (LISTING, "服务记录", 3, 2.5, 5, "D (户次)", "不是整数"),
    (DOCUMENTS, "文书", 4, "警示函", 1, "E (文书类型)", "不是 整改通知书、风险提示函、其他 之一"),
    (DOCUMENTS, "文书", 3, "银行", 1, "D (对象类型)", "不是 小额贷款公司、融资担保公司、典当行、其他 之一"),
    (DOCUMENTS, "文书", 1, "5月18日", 1, "B (下发日期)", "不是日期"),
]


@pytest.mark.parametrize(("kind", "sheet", "col", "value", "rule", "column", "message"), CELLS)
def test_a_bad_cell_is_rejected_naming_workbook_sheet_row_and_column(
    tmp_path, kind, sheet, col, value, rule, column, message
):
    sheets = sheets_of(kind)
    sheets[sheet][1][0][col] = value
    outcome = rejected(tmp_path, kind, sheets, titles=1)
    assert outcome.rule == rule
    assert f"{where(kind, sheet, 3, column)}: " in outcome.reason, outcome.reason
    assert message in outcome.reason


def test_the_personal_columns_are_never_quoted(tmp_path):
    sheets = sheets_of(LISTING)
    sheets["后备企业"][1][0][1] = dt.date(2022, 5, 1)  # a date typed into 企业名称
    sheets["后备企业"][1].append(
        ["QY002", ENTERPRISE_NAME, USCC, "410611", "是", "2021-01-01", None, "培育", "昨天", None]
    )
    outcome = rejected(tmp_path, LISTING, sheets)
    assert (
        f"{where(LISTING, '后备企业', 2, 'B (企业名称)')}: 企业名称 是日期单元格，应为文本" in outcome.reason
    )
    assert ENTERPRISE_NAME not in outcome.reason and USCC not in outcome.reason


def test_a_missing_sheet_is_rule_1_naming_it(tmp_path):
    sheets = sheets_of(MATCHMAKING)
    del sheets["授信跟踪"]
    outcome = rejected(tmp_path, MATCHMAKING, sheets)
    assert outcome.rule == 1
    assert (
        f"{where(MATCHMAKING, '授信跟踪')}: 银企对接台账缺少工作表（现有工作表：对接活动、走访企业、推介项目、签约）"
        in outcome.reason
    )


def test_a_missing_column_is_rule_1_naming_the_header_row(tmp_path):
    sheets = sheets_of(LISTING)
    header, rows = sheets["后备企业"]
    index = header.index("拟上市板块")
    sheets["后备企业"] = (header[:index], [row[:index] for row in rows])
    outcome = rejected(tmp_path, LISTING, sheets, titles=2)
    assert outcome.rule == 1
    assert f"{where(LISTING, '后备企业', 3)}: 表头缺少列 拟上市板块" in outcome.reason


def test_a_repeated_column_is_rule_1(tmp_path):
    sheets = sheets_of(DOCUMENTS)
    header, rows = sheets["文书"]
    header.append(" 文号 ")
    rows[0].append("另一个文号")
    outcome = rejected(tmp_path, DOCUMENTS, sheets)
    assert f"{where(DOCUMENTS, '文书', 1, 'F')}: 列“文号”重复（另见列 A）" in outcome.reason


def test_four_title_rows_hide_the_header(tmp_path):
    outcome = rejected(tmp_path, DOCUMENTS, titles=4)
    assert outcome.rule == 1
    assert f"{where(DOCUMENTS, '文书')}: 找不到表头行" in outcome.reason


@pytest.mark.parametrize(
    ("sheet", "col", "rule", "column"),
    [("推介项目", 6, 5, "G (融资需求(万元))"), ("推介项目", 2, 1, "C (推介日期)")],
)
def test_an_error_cell_is_never_read_as_empty(tmp_path, sheet, col, rule, column):
    """#DIV/0! comes back from calamine as empty text: a blank amount would be NULL, a blank date 'missing'."""
    settings = make_settings(tmp_path)
    path = settings.landing / "ledgers" / MONTH / ledger_name(MATCHMAKING)
    path.parent.mkdir(parents=True)
    book = xlsxwriter.Workbook(str(path))
    for name, (header, rows) in sheets_of(MATCHMAKING).items():
        ws = book.add_worksheet(name)
        for c, text in enumerate(header):
            ws.write_string(0, c, text)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if name == sheet and c == col:
                    ws.write_formula(r, c, "=1/0", None, "#DIV/0!")
                elif isinstance(value, dt.date):
                    ws.write_string(r, c, value.isoformat()[:10])
                elif value is not None:
                    ws.write(r, c, value)
    book.close()
    outcome = only(ingest(settings))
    assert outcome.status == "rejected" and outcome.rule == rule
    assert f"{where(MATCHMAKING, sheet, 2, column)}: " in outcome.reason and "#DIV/0!" in outcome.reason


@pytest.mark.parametrize(
    "name", ["银企对接台帐_202205.xlsx", "银企对接台账_2022051.xlsx", "银企对接台账_202213.xlsx", "台账.xlsx"]
)
def test_a_name_that_gives_no_workbook_and_month_is_rule_1(tmp_path, name):
    outcome = rejected(tmp_path, MATCHMAKING, name=name)
    assert outcome.rule == 1 and "文件名应为 银企对接台账_<YYYYMM>.xlsx" in outcome.reason


def test_only_xlsx_is_read(tmp_path):
    settings = make_settings(tmp_path)
    path = settings.landing / "ledgers" / MONTH / "监管文书台账_202205.xls"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    outcome = only(ingest(settings))
    assert outcome.rule == 1 and "只接受 .xlsx" in outcome.reason


def test_rule_2_the_file_name_s_month_against_the_folder(tmp_path):
    outcome = rejected(tmp_path, DOCUMENTS, name=ledger_name(DOCUMENTS, "2022-04"))
    assert outcome.rule == 2
    assert "文件内报表期 2022-04 与落地目录月份 2022-05 不一致" in outcome.reason


def test_rule_4_within_one_workbook_kind(tmp_path):
    settings = make_settings(tmp_path)
    for kind in (MATCHMAKING, LISTING, DOCUMENTS):
        write_ledger(settings, kind)
    assert [o.status for o in ingest(settings).outcomes] == ["accepted"] * 3
    # A second, different 银企对接台账 for the month without a marker: rejected, naming the sender.
    changed = sheets_of(MATCHMAKING)
    changed["对接活动"][1][0][6] = 36
    write_ledger(settings, MATCHMAKING, changed, name="银企对接台账_202205_修改.xlsx")
    refused = only(ingest(settings))
    assert refused.status == "rejected" and refused.rule == 4
    assert f"金融局 {MONTH} 已有报表 ledgers/{MONTH}/银企对接台账_202205.xlsx" in refused.reason
    assert "平台" not in refused.reason
    # The same change as _v2 is revision 2 of that workbook only.
    write_ledger(settings, MATCHMAKING, changed, name="银企对接台账_202205_v2.xlsx")
    corrected = only(ingest(settings))
    assert (corrected.status, corrected.revision) == ("accepted", 2)
    assert {r["revision"] for r in rows_of(settings, MATCHMAKING)} == {1, 2}
    assert {r["revision"] for r in rows_of(settings, LISTING)} == {1}
    # The same bytes again under another name: ingested once.
    folder = settings.landing / "ledgers" / MONTH
    shutil.copy(folder / "银企对接台账_202205_v2.xlsx", folder / "银企对接台账_202205_v2(1).xlsx")
    again = only(ingest(settings))
    assert again.status == "unchanged" and again.rule == 4
    assert len(rows_of(settings, MATCHMAKING)) == 10  # two revisions of five rows, not three
