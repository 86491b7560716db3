"""A template naming an unknown indicator, region, filter or name fails before anything is rendered."""

from __future__ import annotations

import docx
import pytest

from reports.briefing.catalogue import known_indicators
from reports.briefing.environment import environment
from reports.briefing.validate import TemplateProblem, validate_template


def _template(path, paragraphs: list[str], table: list[list[str]] | None = None):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
        document.add_paragraph("{{ L01|num }}")
    document.save(path)
    return path


def _check(path, regions):
    validate_template(path, environment(), known_indicators(), set(regions.counties))


def _problem(path, regions) -> str:
    with pytest.raises(TemplateProblem) as caught:
        _check(path, regions)
    return str(caught.value)


def test_a_made_up_indicator_is_named_with_file_and_paragraph(tmp_path, regions):
    path = _template(
        tmp_path / "简报.docx", ["标题", "全市贷款余额{{ L01|num }}亿元", "新指标{{ Z99|num }}亿元"]
    )
    message = _problem(path, regions)
    assert "简报.docx, paragraph 3 (“新指标{{ Z99|num }}亿元”): unknown indicator Z99" in message
    assert "L01" not in message


def test_unknown_filter_region_and_by_county_use(tmp_path, regions):
    path = _template(
        tmp_path / "t.docx",
        [
            "{{ L01|万(10) }}",
            "{{ by_county.L01['410699']|num }}",
            "{{ by_county.L03['410621']|num }}",
            "{{ by_county.Q01['410621']|num }}",
            "{{ charts.pie }}",
            "{{ 月份 }}",
        ],
    )
    message = _problem(path, regions)
    assert "paragraph 1 (“{{ L01|万(10) }}”): unknown filter 万" in message
    assert "paragraph 2 (“{{ by_county.L01['410699']|num }}”): unknown region 410699" in message
    assert (
        "paragraph 3 (“{{ by_county.L03['410621']|num }}”): indicator L03 is not published by county"
        in message
    )
    assert "paragraph 4 (“{{ by_county.Q01['410621']|num }}”): unknown indicator Q01" in message
    assert "paragraph 5 (“{{ charts.pie }}”): unknown chart pie" in message
    assert "paragraph 6 (“{{ 月份 }}”): unknown name 月份" in message


def test_paragraph_numbers_stay_right_after_docxtpl_removes_paragraphs_and_rows(tmp_path, regions):
    path = _template(
        tmp_path / "t.docx",
        ["{%p if 有数据(L01) %}", "{{ L01|num }}", "{%p endif %}", "表"],
        table=[
            ["县区", "余额"],
            ["{%tr for c in counties %}", ""],
            ["{{ c.name }}", "{{ by_county.L01[c.code]|num }}"],
            ["{%tr endfor %}", ""],
        ],
    )
    _check(path, regions)  # a valid template passes: loop names, {%p %} and {%tr %} tags
    document = docx.Document(path)
    document.add_paragraph("{{ X01 }}")
    document.save(path)
    # 4 paragraphs, 8 table cells (one paragraph each), the paragraph after the table, then this one.
    assert "paragraph 14 (“{{ X01 }}”): unknown indicator X01" in _problem(path, regions)


def test_a_syntax_error_names_its_paragraph(tmp_path, regions):
    path = _template(tmp_path / "t.docx", ["好", "{% if 有数据(L01) %}余额{{ L01|num }}"])
    message = _problem(path, regions)
    assert "t.docx, paragraph 2" in message


def test_a_missing_template_is_said(tmp_path, regions):
    assert "briefing template not found" in _problem(tmp_path / "none.docx", regions)
