"""Render a published month's briefing (.docx, .html, Markdown) and write it into a release."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from finstat.fsio import replace_atomically
from finstat.periods import add_months, month_range
from finstat.publication.publish import latest_versions, read_history, read_publications
from finstat.reference import Regions
from reports.briefing.charts import TREND_CODES, Chart, draw_charts
from reports.briefing.context import BriefingContext, build_context
from reports.briefing.document import Block, read_blocks
from reports.briefing.environment import environment
from reports.briefing.html import to_html, to_markdown
from reports.briefing.validate import validate_template
from reports.model import period_label

SHIPPED_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "金融运行简报.docx"
CHART_WIDTH = Mm(160)


def template_path(template_dir: str | os.PathLike | None = None) -> Path:
    """--template DIR, else $FINSTAT_TEMPLATE_DIR, else the template shipped with finstat."""
    folder = template_dir or os.environ.get("FINSTAT_TEMPLATE_DIR") or SHIPPED_TEMPLATE_DIR
    return Path(folder).resolve() / TEMPLATE_NAME


@dataclass(frozen=True)
class Briefing:
    """One version's briefing, rendered in memory: nothing is written until all of it exists."""

    period: str
    version: int
    title: str
    docx: bytes
    html: str
    markdown: str
    blocks: tuple[Block, ...]
    context: BriefingContext
    charts: dict[str, Chart]


def latest_published_version(published: Path, period: str) -> int | None:
    """The month's latest published version, None when it was never published."""
    versions = [r["version"] for r in read_publications(published).to_pylist() if r["period"] == period]
    return max(versions) if versions else None


def _trend(published: Path, context: BriefingContext) -> tuple[list[str], dict[str, list[Decimal | None]]]:
    """The city's series over the 13 months to M: each month's latest version, M's own version N."""
    periods = month_range(add_months(context.period, -12), context.period)
    values = {
        (r["period"], r["indicator_code"]): r["value"]
        for r in latest_versions(read_history(published)).to_pylist()
        if r["region_code"] == context.city_code and r["indicator_code"] in TREND_CODES
    }
    for code in TREND_CODES:
        figure = context.figures.get(code)
        values[(context.period, code)] = figure if isinstance(figure, Decimal) else None
    return periods, {code: [values.get((p, code)) for p in periods] for code in TREND_CODES}


def _charts(published: Path, context: BriefingContext) -> dict[str, Chart]:
    periods, trend = _trend(published, context)

    def county(code: str) -> list[Decimal | None]:
        values = context.by_county[code]
        return [values.get(c["code"]) for c in context.counties]

    names = [c["name"] for c in context.counties]
    return draw_charts(periods, trend, names, county("L01"), county("L11"))


def render_briefing(published: Path, period: str, version: int, regions: Regions, template: Path) -> Briefing:
    """Check the template, then fill it with version N of month M; the HTML is the rendered .docx read back."""
    env = environment()
    context = build_context(published, period, version, regions)
    validate_template(template, env, context.indicators, {c["code"] for c in context.counties})
    charts = _charts(published, context)
    document = DocxTemplate(template)
    images = {
        name: InlineImage(document, io.BytesIO(chart.png), width=CHART_WIDTH)
        for name, chart in charts.items()
    }
    document.render({**context.as_dict(), "charts": images}, jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    blocks = read_blocks(data)
    title = f"{context.city_name}金融运行简报（{period_label(period)}，第{version}版）"
    return Briefing(
        period=period,
        version=version,
        title=title,
        docx=data,
        html=to_html(title, blocks),
        markdown=to_markdown(blocks),
        blocks=tuple(blocks),
        context=context,
        charts=charts,
    )


def briefing_paths(published: Path, period: str, version: int) -> tuple[Path, Path]:
    """published/reports/<M>/金融运行简报_<M>_v<N>.docx and .html, beside the reconciliation workbook."""
    stem = published / "reports" / period / f"金融运行简报_{period}_v{version}"
    return stem.with_suffix(".docx"), stem.with_suffix(".html")


def write_briefing(release: Path, briefing: Briefing) -> tuple[Path, Path]:
    """Write both files into a release being prepared, each through a rename (never half a file)."""
    docx_path, html_path = briefing_paths(release, briefing.period, briefing.version)
    docx_path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(docx_path, lambda p: Path(p).write_bytes(briefing.docx))
    replace_atomically(html_path, lambda p: Path(p).write_text(briefing.html, encoding="utf-8"))
    return docx_path, html_path
