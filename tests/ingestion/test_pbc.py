"""Source pbc: the 金融统计 workbook (亿元) -> lake rows in 元, and its file rules."""

from __future__ import annotations

from decimal import Decimal

import pyarrow.parquet as pq
import pytest
import xlsxwriter

from ingestion.run import ingest_landing
from tests.ingestion.builders import make_settings

MONTH = "2022-05"
ROWS = [
    ("各项贷款", 785.03, -26.16, 2.9),
    ("住户贷款", 334.5, -12.03, None),
    ("企（事）业单位贷款", 445.15, -13.61, 3.03),
    ("不良贷款余额", 16.39, None, None),
    ("不良贷款率(%)", 2.06, None, None),
]


def write_workbook(settings, rows=ROWS, title="鹤壁市金融机构人民币信贷收支统计（2022年5月）", unit="单位：亿元",
                   sheet="金融统计", folder=MONTH, name="金融统计_202205.xlsx"):  # fmt: skip
    path = settings.landing / "pbc" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    top = 0
    for line in (title, unit):
        if line:
            ws.write_string(top, 0, line)
            top += 1
    for c, label in enumerate(("指标名称", "本月末余额", "比年初增减", "同比增长(%)")):
        ws.write_string(top, c, label)
    for r, row in enumerate(rows, start=top + 1):
        ws.write_string(r, 0, row[0])
        for c, value in enumerate(row[1:], start=1):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write_number(r, c, value)
    book.close()
    return path


def ingest(settings):
    report = ingest_landing(settings, up_to_period=MONTH, source="pbc")
    assert len(report.outcomes) == 1
    return report.outcomes[0]


def lake_rows(settings):
    return [
        r
        for f in sorted((settings.lake / "pbc_figures").glob("period=*/*.parquet"))
        for r in pq.read_table(f).to_pylist()
    ]


def test_a_workbook_becomes_five_rows_in_yuan(tmp_path):
    settings = make_settings(tmp_path)
    write_workbook(settings)
    outcome = ingest(settings)
    assert (outcome.status, outcome.inst_code, outcome.period, outcome.row_count) == (
        "accepted",
        "PBC",
        MONTH,
        5,
    )
    rows = {r["item_code"]: r for r in lake_rows(settings)}
    assert rows["PBC_LOANS"]["balance_yuan"] == Decimal("78503000000.00")
    # A fall since December is a negative change, not a negative balance.
    assert rows["PBC_LOANS"]["ytd_change_yuan"] == Decimal("-2616000000.00")
    assert rows["PBC_LOANS"]["yoy_pct"] == Decimal("2.9000")
    assert rows["PBC_HOUSEHOLD"]["yoy_pct"] is None
    assert (
        rows["PBC_NPL_RATIO"]["ratio_pct"] == Decimal("2.0600")
        and rows["PBC_NPL_RATIO"]["balance_yuan"] is None
    )
    assert rows["PBC_ENTERPRISE"]["row_number"] == 6 and rows["PBC_ENTERPRISE"]["sheet"] == "金融统计"


def test_without_a_month_in_the_title_the_folder_month_is_used(tmp_path):
    settings = make_settings(tmp_path)
    write_workbook(settings, title="金融机构人民币信贷收支统计", unit=None, sheet="Sheet1")
    assert ingest(settings).period == MONTH


@pytest.mark.parametrize(
    ("kwargs", "rule", "text"),
    [
        (
            {"title": "鹤壁市金融机构人民币信贷收支统计（2022年4月）"},
            2,
            "文件内报表期 2022-04 与落地目录月份 2022-05 不一致",
        ),
        ({"unit": "单位：万元"}, 1, "第 2 行, 列 A: 单位应为亿元，文件为万元"),
        # Found by `make fuzz`: an impossible month in the title raised a bare ValueError.
        (
            {"title": "鹤壁市金融机构人民币信贷收支统计（2022年13月）"},
            1,
            "第 1 行, 列 A: 报表期 '2022年13月' 不是有效月份",
        ),
        ({"rows": ROWS[:3] + ROWS[4:]}, 1, "缺少指标行：不良贷款余额"),
        (
            {"rows": [("各项贷款", "七百亿", None, None), *ROWS[1:]]},
            5,
            '第 4 行, 列 B: 金额 "七百亿" 不是数字',
        ),
        ({"rows": [("各项贷款", -1.0, None, None), *ROWS[1:]]}, 5, "各项贷款 本月末余额 -1.0 为负数"),
        ({"rows": [("各项贷款", None, None, None), *ROWS[1:]]}, 5, "各项贷款 本月末余额 为空"),
    ],
)
def test_file_rules_name_sheet_row_and_column(tmp_path, kwargs, rule, text):
    settings = make_settings(tmp_path)
    write_workbook(settings, **kwargs)
    outcome = ingest(settings)
    assert (outcome.status, outcome.rule) == ("rejected", rule), outcome.reason
    assert text in outcome.reason
    assert lake_rows(settings) == []


def test_a_csv_is_not_the_pbc_format(tmp_path):
    settings = make_settings(tmp_path)
    path = settings.landing / "pbc" / MONTH / "金融统计_202205.csv"
    path.parent.mkdir(parents=True)
    path.write_text("指标名称,本月末余额\n", encoding="utf-8")
    outcome = ingest(settings)
    assert outcome.rule == 1 and "只接受 .xlsx" in outcome.reason
