"""File rules 1-5: each planted defect gives exactly one rejection naming file, sheet, row and column."""

from __future__ import annotations

import pytest
import xlsxwriter

from ingestion.log import read_log
from ingestion.run import ingest_landing
from tests.ingestion.builders import (
    FUTURE_BANK,
    OTHER_BANK,
    RETIRED_BANK,
    Workbook,
    csv_rows,
    make_settings,
    write_csv,
    write_workbook,
)

MONTH = "2022-05"


def only_outcome(tmp_path, write, name):
    settings = make_settings(tmp_path)
    folder = settings.landing / "bank_loans" / MONTH
    write(folder / name)
    report = ingest_landing(settings, up_to_period=MONTH)
    assert len(report.outcomes) == 1
    return settings, report.outcomes[0]


def assert_rejected(outcome, rule, *fragments):
    assert (outcome.status, outcome.rule, outcome.severity) == ("rejected", rule, "error"), outcome.reason
    assert outcome.reason.startswith(f"rule {rule}: 文件 bank_loans/{MONTH}/")
    for fragment in fragments:
        assert fragment in outcome.reason, (fragment, outcome.reason)
    assert outcome.row_count == 0


# --- rule 1: unreadable, wrong encoding, unsupported type, required column/item missing -----------


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("report.xls", b"\xd0\xcf\x11\xe0 old excel", "不支持的文件类型“.xls”"),
        ("report.txt", b"hello", "不支持的文件类型“.txt”"),
        ("report.xlsx", b"this is not a zip file", "无法读取 Excel 文件"),
        ("report.csv", "报表期,机构代码\n".encode() + b"\xff\xfe\xff", "既不是 UTF-8 也不是 GB18030"),
        ("report.csv", b"", "文件为空"),
    ],
    ids=["xls", "txt", "corrupt_xlsx", "bad_encoding", "empty_csv"],
)
def test_rule1_unreadable_file(tmp_path, name, content, fragment):
    def write(path):
        path.parent.mkdir(parents=True)
        path.write_bytes(content)

    _, outcome = only_outcome(tmp_path, write, name)
    assert_rejected(outcome, 1, name, fragment)
    assert outcome.inst_code is None


def test_rule1_missing_item_in_excel(tmp_path):
    _, outcome = only_outcome(
        tmp_path, lambda p: write_workbook(p, Workbook(drop_items=("A07", "C05"))), "r.xlsx"
    )
    assert_rejected(outcome, 1, "r.xlsx", "工作表 贷款余额", "列 B (指标代码)", "缺少指标 A07、C05")
    # The header was readable, so the log says whose report was rejected (the gate needs it).
    assert (outcome.inst_code, outcome.period) == ("BANK0000000001", MONTH)


def test_rule1_missing_info_field(tmp_path):
    def write(path):
        path.parent.mkdir(parents=True)
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("贷款余额")
        ws.write_row(0, 0, ["报表期：2022-05", "单位：万元"])  # no 机构代码
        ws.write_row(1, 0, ["行次", "指标代码", "指标名称", "合计"])
        book.close()

    _, outcome = only_outcome(tmp_path, write, "r.xlsx")
    assert_rejected(outcome, 1, "工作表 贷款余额", "表头信息缺少“机构代码”")


def test_rule1_missing_total_column(tmp_path):
    def write(path):
        path.parent.mkdir(parents=True)
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("贷款余额")
        ws.write_row(0, 0, ["机构代码：BANK0000000001", "报表期：2022-05", "单位：万元"])
        ws.write_row(1, 0, ["行次", "指标代码", "指标名称", "淇滨区"])
        book.close()

    _, outcome = only_outcome(tmp_path, write, "r.xlsx")
    assert_rejected(outcome, 1, "工作表 贷款余额", "第 2 行", "缺少“合计”列")


@pytest.mark.parametrize(
    ("row", "col", "value", "fragments"),
    [
        # Found by `make fuzz`: one value in XFD1048576 made calamine allocate 17 billion cells,
        # which aborted the whole process (a Rust allocation failure cannot be caught).
        (1_048_575, 16_383, "注", ("工作表 贷款余额, 第 1048576 行, 列 XFD: 工作表使用区域过大",)),
        # Found by `make fuzz`: a date cell holding -1E+308 made calamine panic, and the panic
        # (a BaseException) went past every `except Exception`, stopping the whole ingestion run.
        (5, 3, -1e308, ("工作表 贷款余额: 无法读取工作表", "calamine 内部错误")),
    ],
    ids=["far_cell", "date_out_of_range"],
)
def test_rule1_sheet_calamine_cannot_read(tmp_path, row, col, value, fragments):
    def write(path):
        path.parent.mkdir(parents=True)
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("贷款余额")
        ws.write_row(0, 0, ["机构代码：BANK0000000001", "报表期：2022-05", "单位：万元"])
        ws.write_row(1, 0, ["行次", "指标代码", "指标名称", "合计"])
        ws.write(row, col, value, book.add_format({"num_format": "yyyy-mm-dd"}))
        book.close()

    _, outcome = only_outcome(tmp_path, write, "r.xlsx")
    assert_rejected(outcome, 1, *fragments)


def test_rule1_sheets_too_large_together(tmp_path):
    # Every sheet may be read (the disposal sheet is looked for by content), so the limit is on
    # their sum: many sheets just under it each took a minute to read.
    def write(path):
        path.parent.mkdir(parents=True)
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("贷款余额")
        ws.write_row(0, 0, ["机构代码：BANK0000000001", "报表期：2022-05", "单位：万元"])
        ws.write_row(1, 0, ["行次", "指标代码", "指标名称", "合计"])
        for name in ("Sheet2", "Sheet3"):
            book.add_worksheet(name).write(599_999, 0, "注")  # 600,000 cells each
        book.close()

    _, outcome = only_outcome(tmp_path, write, "r.xlsx")
    assert_rejected(outcome, 1, "第 600000 行, 列 A: 工作表使用区域过大", "各表合计 1,200,008")


def test_rule1_missing_csv_column(tmp_path):
    header = ["报表期", "机构代码", "县区代码", "指标代码", "口径", "金额"]
    rows = [r[:6] for r in csv_rows()]
    _, outcome = only_outcome(tmp_path, lambda p: write_csv(p, rows, header=header), "r.csv")
    assert_rejected(outcome, 1, "r.csv", "第 1 行", "缺少列 单位")


def test_rule1_csv_item_missing(tmp_path):
    rows = [r for r in csv_rows() if r[3] != "B02"]
    _, outcome = only_outcome(tmp_path, lambda p: write_csv(p, rows), "r.csv")
    assert_rejected(outcome, 1, "r.csv", "列 指标代码", "缺少指标 B02")


def test_rule1_unknown_period_spelling(tmp_path):
    _, outcome = only_outcome(tmp_path, lambda p: write_workbook(p, Workbook(period="五月")), "r.xlsx")
    assert_rejected(outcome, 1, "工作表 贷款余额", "第 2 行", "列 A", "报表期")


# --- rule 2: month inside the file != folder month -------------------------------------------------


def test_rule2_excel_month_mismatch(tmp_path):
    layout = Workbook(period="2022年04月", info="label_then_value")
    _, outcome = only_outcome(tmp_path, lambda p: write_workbook(p, layout), "r.xlsx")
    # label_then_value: 报表期 in E2, its value in F2.
    assert_rejected(outcome, 2, "r.xlsx", "工作表 贷款余额", "第 2 行", "列 F", "2022-04", "2022-05")
    assert outcome.period == "2022-04"


def test_rule2_csv_month_mismatch(tmp_path):
    rows = csv_rows(period="2022-06")
    _, outcome = only_outcome(tmp_path, lambda p: write_csv(p, rows), "r.csv")
    assert_rejected(outcome, 2, "r.csv", "第 2 行", "列 报表期", "2022-06")


def test_rule2_csv_month_changes_inside_file(tmp_path):
    rows = csv_rows()
    rows[9][0] = "2022-04"
    _, outcome = only_outcome(tmp_path, lambda p: write_csv(p, rows), "r.csv")
    assert_rejected(outcome, 2, "第 11 行", "列 报表期")


# --- rule 3: institution not in register / not in scope ----------------------------------------------


@pytest.mark.parametrize(
    ("inst_code", "fragment"),
    [
        ("ZZZZ0000000099", "机构代码 ZZZZ0000000099 不在机构名录中"),
        (RETIRED_BANK, "不在报送范围内（2019-01 至 2021-12）"),
        (FUTURE_BANK, "不在报送范围内（2023-01 至 今）"),
    ],
    ids=["unknown", "retired", "not_yet_reporting"],
)
def test_rule3_institution(tmp_path, inst_code, fragment):
    layout = Workbook(inst_code=inst_code, info="labelled_cells")
    _, outcome = only_outcome(tmp_path, lambda p: write_workbook(p, layout), "r.xlsx")
    assert_rejected(outcome, 3, "r.xlsx", "工作表 贷款余额", "第 2 行", "列 B", fragment)
    assert outcome.inst_code == inst_code


# --- rule 5: amounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("12,3a", '金额 "12,3a" 不是数字'),
        ("1,23.5", '金额 "1,23.5" 不是数字'),
        ("NaN", '金额 "NaN" 不是数字'),
        ("inf", '金额 "inf" 不是数字'),
        (-5.0, "为负数"),
        ("-1,000.00", "为负数"),
    ],
    ids=["letters", "bad_grouping", "nan_text", "inf_text", "negative_number", "negative_text"],
)
def test_rule5_excel_amount(tmp_path, value, fragment):
    # A07 is the 7th item: header on row 3, so A07 sits on row 10; 淇滨区 is column E.
    layout = Workbook(overrides={("A07", "410611"): value})
    _, outcome = only_outcome(tmp_path, lambda p: write_workbook(p, layout), "x.xlsx")
    assert_rejected(
        outcome, 5, "文件 bank_loans/2022-05/x.xlsx, 工作表 贷款余额, 第 10 行, 列 E (淇滨区): ", fragment
    )


def test_rule5_negative_disposal(tmp_path):
    layout = Workbook(overrides={("D02", "本月"): -1})
    _, outcome = only_outcome(tmp_path, lambda p: write_workbook(p, layout), "x.xlsx")
    assert_rejected(outcome, 5, "工作表 不良贷款处置, 第 3 行, 列 D (本月发生额)", "为负数")


@pytest.mark.parametrize("value", ["abc", "nan", "Infinity", "-3"])
def test_rule5_csv_amount(tmp_path, value):
    rows = csv_rows()
    rows[4][5] = value
    _, outcome = only_outcome(tmp_path, lambda p: write_csv(p, rows), "r.csv")
    assert_rejected(outcome, 5, "r.csv", "第 6 行", "列 金额")


# --- rejected files stay; the rest of the month goes through ---------------------------------------


def test_rejected_file_stays_in_landing_and_month_continues(tmp_path):
    settings = make_settings(tmp_path)
    folder = settings.landing / "bank_loans" / MONTH
    bad = write_workbook(folder / "a_bad.xlsx", Workbook(overrides={("A01", "TOTAL"): "12,3a"}))
    good = write_workbook(folder / "b_good.xlsx", Workbook(inst_code=OTHER_BANK))
    before = bad.read_bytes()
    report = ingest_landing(settings, up_to_period=MONTH)
    assert [(o.file_path.rsplit("/", 1)[1], o.status) for o in report.outcomes] == [
        ("a_bad.xlsx", "rejected"),
        ("b_good.xlsx", "accepted"),
    ]
    assert bad.read_bytes() == before and good.exists()
    logged = read_log(settings.lake)
    assert {(o.file_path, o.status, o.rule) for o in logged} == {
        ("bank_loans/2022-05/a_bad.xlsx", "rejected", 5),
        ("bank_loans/2022-05/b_good.xlsx", "accepted", None),
    }
    assert [p.name for p in (settings.lake / "bank_loans" / "period=2022-05").glob("*.parquet")] == [
        f"{OTHER_BANK}__{report.outcomes[1].file_sha256[:12]}.parquet"
    ]
