"""The charts' font is a CJK font that covers every character the charts draw (no empty boxes)."""

from __future__ import annotations

from decimal import Decimal

from fontTools.ttLib import TTCollection, TTFont

from reports.briefing.charts import CHARTS, draw_charts
from reports.briefing.fonts import CJK_FAMILIES, cjk_font


def _cmap(path) -> set[int]:
    """Code points of the font file (a .ttc holds several faces: the first is the regular one)."""
    if path.suffix.lower() == ".ttc":
        font = TTCollection(str(path)).fonts[0]
    else:
        font = TTFont(str(path), fontNumber=0)
    return set(font.getBestCmap())


def test_the_chart_font_covers_every_character_drawn(regions):
    family, path = cjk_font()
    assert family in CJK_FAMILIES
    periods = [f"2021-{m:02d}" for m in range(6, 13)] + [f"2022-{m:02d}" for m in range(1, 7)]
    series = {
        code: [Decimal("12.34")] * 12 + [None] for code in ("L01", "L06", "L10", "L11", "R03", "P04", "P05")
    }
    names = [regions.names[c] for c in regions.counties]
    charts = draw_charts(
        periods, series, names, [Decimal("-1.5")] * len(names), [Decimal("2.08")] * len(names)
    )
    assert set(charts) == set(CHARTS)
    drawn = "".join(text for chart in charts.values() for text in chart.texts)
    # The titles, axis labels, legends and tick labels (months and county names) were all drawn.
    assert all(caption in drawn for caption in CHARTS.values())
    assert "22年5月" in drawn and all(name in drawn for name in names)
    missing = sorted({ch for ch in drawn if not ch.isspace()} - {chr(c) for c in _cmap(path)})
    assert not missing, f"{path} lacks {missing}"
    for chart in charts.values():
        assert chart.png.startswith(b"\x89PNG")
