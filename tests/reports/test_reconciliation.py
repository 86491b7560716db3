"""Tests for the central-bank reconciliation report: workbook, HTML page and atomic writes."""

import dataclasses
import html
import re
import zipfile
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from finstat.periods import add_months
from reports.html import render_html, write_html
from reports.model import (
    GateLine,
    InstitutionRow,
    ReconciliationLine,
    ReconciliationReport,
    TrendPoint,
    npl_ratio,
)
from reports.workbook import safe_text, write_workbook

D = Decimal
CENT = D("0.01")
EXPLANATION = "人民银行口径含非银行业金融机构贷款，本局口径不含，差额主要来自消费金融公司。"
INJECTED_EXPLANATION = "=2.1345-2.11，差异系四舍五入口径不同"
INJECTED_NAMES = ('=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)")
MISSING_MONTH = "2024-01"


def _r2(value):
    """The expected cell value: half-up to 2 places, as published."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _line(measure, unit, bureau, pbc, tolerance, explanation=None):
    bureau = None if bureau is None else D(bureau)
    pbc = None if pbc is None else D(pbc)
    diff = None if bureau is None or pbc is None else bureau - pbc
    within = None if diff is None else abs(diff) <= D(tolerance)
    return ReconciliationLine(measure, unit, bureau, pbc, diff, D(tolerance), within, explanation)


LINES = (
    _line("各项贷款余额", "亿元", "785.0312", "784.3500", "0.5", EXPLANATION),
    _line("各项贷款比年初增减", "亿元", "-26.1550", "-26.4000", "0.5"),
    _line("住户贷款余额", "亿元", "310.4449", "310.2000", "0.5"),
    _line("企（事）业单位贷款余额", "亿元", "444.8650", None, "0.5"),
    _line("不良贷款率", "%", "2.1345", "2.1100", "0.05", INJECTED_EXPLANATION),
)


def _inst(inst_type, code, name, loans, household, enterprise, npl):
    loans, npl = D(loans), D(npl)
    return InstitutionRow(
        inst_type, code, name, loans, D(household), D(enterprise), npl, npl_ratio(npl, loans)
    )


INSTITUTIONS = (
    _inst("国有大型商业银行", "B0001", INJECTED_NAMES[0], "210.1234", "90.5550", "119.5684", "2.0105"),
    _inst("国有大型商业银行", "B0002", "中国建设银行鹤壁分行", "180.0050", "80.0025", "100.0025", "1.5000"),
    _inst("股份制商业银行", "B0101", INJECTED_NAMES[1], "95.4449", "30.1111", "65.3338", "0.9449"),
    _inst("股份制商业银行", "B0102", INJECTED_NAMES[2], "60.0000", "20.0000", "40.0000", "0.0000"),
    _inst("农村信用社", "R0001", INJECTED_NAMES[3], "150.3333", "70.1666", "80.1667", "6.0155"),
    _inst("农村信用社", "R0002", "淇县农村信用合作联社", "89.1246", "19.6097", "39.7936", "4.3500"),
)

GATE = (
    GateLine(6, "error", "每家在范围内的机构均已报送", True, 0, None),
    GateLine(11, "warn", "机构各项贷款较上月变动超过 20%", False, 2, "农信社年末核销，属正常波动"),
    GateLine(15, "warn", "逾期 90 天以上仍为正常/关注类", True, 0, None),
    GateLine(22, "warn", "与人民银行市分行对账差异超出容差", False, 1, "-已与人民银行核对口径"),
)


def _trend():
    points = []
    for i in range(13):
        period = add_months("2023-05", i)
        if period == MISSING_MONTH:
            points.append(TrendPoint(period, None, None))
        else:
            points.append(TrendPoint(period, D("740") + D(i) * D("3.7525"), D("2.4") - D(i) * D("0.0215")))
    return tuple(points)


@pytest.fixture
def report():
    return ReconciliationReport(
        period="2024-05",
        version=2,
        published_at=datetime(2024, 6, 12, 7, 30, tzinfo=UTC),
        city_name="鹤壁市",
        lines=LINES,
        institutions=INSTITUTIONS,
        gate=GATE,
        trend=_trend(),
    )


@pytest.fixture
def workbook(report, tmp_path):
    path = write_workbook(report, tmp_path / "对账表.xlsx")
    return openpyxl.load_workbook(path)


def _rows(ws, first_row):
    """Body rows as lists of cells, from first_row (1-based) on."""
    return [list(row) for row in ws.iter_rows(min_row=first_row)]


# --- workbook ----------------------------------------------------------------------------------------


def test_sheets_title_and_frozen_headers(workbook):
    assert workbook.sheetnames == ["汇总", "机构明细", "质量检查"]
    summary = workbook["汇总"]
    assert summary["A1"].value == "鹤壁市金融统计对账表（2024年5月，第2版）"
    assert summary["A2"].value == "发布时间：2024-06-12 15:30（北京时间）"
    assert [c.value for c in summary[4]] == [
        "指标",
        "单位",
        "地方金融监管局",
        "人民银行市分行",
        "差额",
        "容差",
        "是否在容差内",
        "说明",
    ]
    assert summary.freeze_panes == "A5"
    assert workbook["机构明细"].freeze_panes == "A2"
    assert workbook["质量检查"].freeze_panes == "A2"
    assert summary.auto_filter.ref == "A4:H9"
    assert workbook["机构明细"].auto_filter.ref == "A1:H11"
    assert workbook["质量检查"].auto_filter.ref == "A1:F5"
    assert workbook.properties.title == "鹤壁市金融统计对账表（2024年5月，第2版）"
    assert not workbook.properties.creator
    assert not workbook.properties.lastModifiedBy


@pytest.mark.parametrize("sheet", ["汇总", "机构明细", "质量检查"])
def test_column_widths_and_header_style(workbook, sheet):
    ws = workbook[sheet]
    header_row = 4 if sheet == "汇总" else 1
    for cell in ws[header_row]:
        dim = ws.column_dimensions[cell.column_letter]
        assert dim.customWidth and dim.width >= 8, cell.column_letter
        assert cell.font.bold and cell.fill.fgColor.rgb.endswith("DDEBF7")
    # A header in Chinese gets two units per character.
    assert ws.column_dimensions["A"].width >= 2 * len(ws.cell(header_row, 1).value)


def test_summary_values_tolerance_and_explanation(workbook):
    rows = _rows(workbook["汇总"], 5)
    assert [r[0].value for r in rows] == [line.measure for line in LINES]
    for cells, line in zip(rows, LINES, strict=True):
        for cell, value in zip(cells[2:6], (line.bureau, line.pbc, line.diff, line.tolerance), strict=True):
            if value is None:
                assert cell.value == "—"
            else:
                assert cell.data_type == "n" and cell.number_format == "#,##0.00"
                assert Decimal(str(cell.value)).quantize(CENT) == _r2(value)
        assert cells[1].value == line.unit
    assert [r[6].value for r in rows] == ["否", "是", "是", "—", "是"]
    assert rows[0][7].value == EXPLANATION
    assert rows[1][7].value is None
    # The line outside tolerance is highlighted, the others are not.
    assert rows[0][0].fill.fgColor.rgb.endswith("F8CBAD")
    assert rows[1][0].fill.fill_type is None


def test_institution_rows_subtotals_and_total(workbook):
    rows = _rows(workbook["机构明细"], 2)
    by_code = {r[1].value: r for r in rows if r[1].value}
    for inst in INSTITUTIONS:
        cells = by_code[inst.inst_code]
        values = (inst.loans_yi, inst.household_yi, inst.enterprise_yi, inst.npl_yi, inst.npl_ratio_pct)
        for cell, value in zip(cells[3:8], values, strict=True):
            assert cell.data_type == "n" and cell.number_format == "#,##0.00"
            assert Decimal(str(cell.value)).quantize(CENT) == _r2(value)

    labels = [(r[0].value, r[2].value) for r in rows if not r[1].value]
    assert labels == [
        ("国有大型商业银行", "小计"),
        ("股份制商业银行", "小计"),
        ("农村信用社", "小计"),
        ("合计", "全部机构"),
    ]
    groups = {
        "国有大型商业银行": INSTITUTIONS[:2],
        "股份制商业银行": INSTITUTIONS[2:4],
        "农村信用社": INSTITUTIONS[4:],
        "合计": INSTITUTIONS,
    }
    for cells in (r for r in rows if not r[1].value):
        members = groups[cells[0].value]
        sums = [
            sum((getattr(i, f) for i in members), D(0))
            for f in ("loans_yi", "household_yi", "enterprise_yi", "npl_yi")
        ]
        expected = [*sums, sums[3] / sums[0] * 100]
        got = [Decimal(str(c.value)).quantize(CENT) for c in cells[3:8]]
        assert got == [_r2(v) for v in expected], cells[0].value
        assert all(c.data_type == "n" and c.font.bold for c in cells[3:8])


def test_gate_sheet(workbook):
    rows = _rows(workbook["质量检查"], 2)
    assert [[c.value for c in r] for r in rows] == [
        [6, "错误", "每家在范围内的机构均已报送", "通过", 0, None],
        [11, "警告", "机构各项贷款较上月变动超过 20%", "未通过", 2, "农信社年末核销，属正常波动"],
        [15, "警告", "逾期 90 天以上仍为正常/关注类", "通过", 0, None],
        [22, "警告", "与人民银行市分行对账差异超出容差", "未通过", 1, "'-已与人民银行核对口径"],
    ]


def test_every_number_is_a_rounded_input(workbook):
    """No number appears in the workbook that is not an input (or a sum) rounded to 2 places."""
    allowed = {
        _r2(v) for line in LINES for v in (line.bureau, line.pbc, line.diff, line.tolerance) if v is not None
    }
    for inst in INSTITUTIONS:
        allowed |= {
            _r2(v)
            for v in (inst.loans_yi, inst.household_yi, inst.enterprise_yi, inst.npl_yi, inst.npl_ratio_pct)
        }
    for cells in _rows(workbook["机构明细"], 2):
        allowed |= {Decimal(str(c.value)).quantize(CENT) for c in cells[3:8]}  # sums, checked above
    allowed |= {D(g.rule) for g in GATE} | {D(g.failing_rows) for g in GATE}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "n" and cell.value is not None:
                    value = Decimal(str(cell.value))
                    assert value == value.quantize(CENT), (ws.title, cell.coordinate, cell.value)
                    assert value.quantize(CENT) in allowed, (ws.title, cell.coordinate, cell.value)


# --- formula injection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("中国银行", "中国银行"),
        ("A=1", "A=1"),
        ("", ""),
    ],
)
def test_safe_text(text, expected):
    assert safe_text(text) == expected


def test_injected_texts_come_back_as_quoted_strings(workbook):
    names = {r[1].value: r[2] for r in _rows(workbook["机构明细"], 2) if r[1].value}
    found = [names[code] for code in ("B0001", "B0101", "B0102", "R0001")]
    for cell, original in zip(found, INJECTED_NAMES, strict=True):
        assert cell.data_type == "s"
        assert cell.value == "'" + original
    explanation = workbook["汇总"]["H9"]
    assert explanation.data_type == "s" and explanation.value == "'" + INJECTED_EXPLANATION


def test_no_formulas_or_links_anywhere(workbook, report, tmp_path):
    for ws in workbook.worksheets:
        assert not ws._hyperlinks
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.coordinate
    path = write_workbook(report, tmp_path / "raw.xlsx")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert not any("externalLink" in name or "calcChain" in name for name in names)
        for name in names:
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<hyperlink" not in xml


def test_same_report_gives_identical_bytes(report, tmp_path):
    first = write_workbook(report, tmp_path / "a.xlsx").read_bytes()
    assert write_workbook(report, tmp_path / "b.xlsx").read_bytes() == first


def test_float_is_refused():
    with pytest.raises(TypeError, match="Decimal"):
        TrendPoint("2024-05", 785.03, None)


# --- HTML --------------------------------------------------------------------------------------------


def test_html_content(report):
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert "鹤壁市金融统计对账表（2024年5月，第2版）" in page
    for line in LINES:
        assert line.measure in page
    assert EXPLANATION in page
    assert "@page" in page and "landscape" in page
    # Self-contained: no address at all (inline SVG needs no xmlns in HTML).
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"\bsrc=|url\(", page)
    # Institution-type subtotals, not institutions.
    assert "国有大型商业银行" in page and "中国建设银行鹤壁分行" not in page
    assert "785.03" in page and "+0.68" in page


def test_injected_explanation_is_plain_text_in_html(report):
    # HTML never evaluates text, so no quote prefix there: the officer's words appear as written.
    assert f"<td>{html.escape(INJECTED_EXPLANATION)}</td>" in render_html(report)


@pytest.mark.parametrize("field", ["city_name", "inst_type", "explanation", "acknowledgement", "gate_title"])
def test_html_escapes_script(report, field):
    evil = "<script>alert('x')</script>"
    if field == "city_name":
        report = dataclasses.replace(report, city_name=evil)
    elif field == "inst_type":
        report = dataclasses.replace(
            report, institutions=(dataclasses.replace(INSTITUTIONS[0], inst_type=evil), *INSTITUTIONS[1:])
        )
    elif field == "explanation":
        report = dataclasses.replace(
            report, lines=(dataclasses.replace(LINES[0], explanation=evil), *LINES[1:])
        )
    elif field == "acknowledgement":
        report = dataclasses.replace(
            report, gate=(*GATE[:3], dataclasses.replace(GATE[3], acknowledgement=evil))
        )
    else:
        report = dataclasses.replace(report, gate=(dataclasses.replace(GATE[0], title=evil), *GATE[1:]))
    page = render_html(report)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def _svg(page):
    match = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert match
    return match.group(0)


def test_trend_chart_has_a_gap_for_the_missing_month(report):
    svg = _svg(render_html(report))
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    for key in ("loans", "npl"):
        assert svg.count(f'class="pt pt-{key}"') == 12
        # The missing month splits the line in two.
        assert svg.count(f'<polyline class="line-{key}"') == 2
    assert "2024年1月" not in svg  # no marker title for the missing month
    assert "2023年6月 各项贷款余额" in svg
    assert svg.count("月</text>") == 13
    assert "各项贷款余额（亿元，左轴）" in svg and "不良贷款率（%，右轴）" in svg


@pytest.mark.parametrize(
    ("missing", "loans_points", "runs"), [(0, 12, 1), (12, 12, 1), (6, 12, 2), (None, 13, 1)]
)
def test_trend_chart_gaps(report, missing, loans_points, runs):
    trend = list(_trend())
    trend = [TrendPoint(p.period, p.loans_yi or D(700), p.npl_ratio_pct) for p in trend]
    if missing is not None:
        trend[missing] = TrendPoint(trend[missing].period, None, trend[missing].npl_ratio_pct)
    svg = _svg(render_html(dataclasses.replace(report, trend=tuple(trend))))
    assert svg.count('class="pt pt-loans"') == loans_points
    assert svg.count('<polyline class="line-loans"') == runs


# --- atomic writes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("writer", "name"), [(write_workbook, "对账表.xlsx"), (write_html, "对账表.html")])
def test_atomic_replace_leaves_no_temp_files(report, tmp_path, writer, name):
    target = tmp_path / "out" / name
    target.parent.mkdir()
    target.write_bytes(b"old contents")
    assert writer(report, target) == target
    assert target.read_bytes() != b"old contents"
    writer(dataclasses.replace(report, version=3), target)
    assert [p.name for p in target.parent.iterdir()] == [name]
    if writer is write_html:
        assert "第3版" in target.read_text(encoding="utf-8")
    else:
        assert openpyxl.load_workbook(target)["汇总"]["A1"].value.endswith("第3版）")


def test_a_tiny_negative_difference_shows_as_zero_not_minus_zero():
    from reports.html import _num
    from reports.model import round2

    assert str(round2(Decimal("-0.001"))) == "0.00"
    assert _num(Decimal("-0.004"), signed=True) == "+0.00"
