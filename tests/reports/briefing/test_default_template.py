"""The checked-in default template is what its builder makes, and it validates."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from reports.briefing.build import SHIPPED_TEMPLATE_DIR, TEMPLATE_NAME
from reports.briefing.catalogue import known_indicators
from reports.briefing.default_template import build
from reports.briefing.environment import environment
from reports.briefing.validate import validate_template


def _text(path) -> list[str]:
    """Every paragraph's text in document order, table cells included (the zip bytes carry dates)."""
    body = docx.Document(path).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def test_checked_in_template_is_what_the_builder_makes(tmp_path):
    fresh = build(tmp_path / TEMPLATE_NAME)
    assert _text(SHIPPED_TEMPLATE_DIR / TEMPLATE_NAME) == _text(fresh), (
        "run: python -m reports.briefing.default_template"
    )


def test_default_template_names_every_figure_of_the_report_and_validates(regions):
    text = "".join(_text(SHIPPED_TEMPLATE_DIR / TEMPLATE_NAME))
    for code in ["L01", *(f"L{n:02d}" for n in range(3, 8)), *(f"L{n:02d}" for n in range(10, 15))]:
        assert code in text, code
    for prefix, count in (("M", 13), ("P", 6), ("V", 9), ("H", 6), ("S", 6), ("G", 1)):
        for n in range(1, count + 1):
            assert f"{prefix}{n:02d}" in text, f"{prefix}{n:02d}"
    for n in range(2, 8):
        assert f"R{n:02d}" in text
    validate_template(
        SHIPPED_TEMPLATE_DIR / TEMPLATE_NAME, environment(), known_indicators(), set(regions.counties)
    )
