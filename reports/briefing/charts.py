"""The briefing's charts, drawn offline with matplotlib (Agg) in a CJK font: PNG bytes and the text drawn."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # no display on the bureau's server; set before anything else imports pyplot

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.text import Text

from reports.briefing.fonts import cjk_font

# The charts a template may place ({{ charts.loans_trend }}), with their captions.
CHARTS = {
    "loans_trend": "全市各项贷款余额及同比增长（近13个月）",
    "county_loans": "各县区贷款余额及不良贷款率",
    "npl_trend": "全市不良贷款余额、不良贷款率与农信系统不良贷款率（近13个月）",
    "platform_trend": "普惠金融共享平台累计授信与放款（近13个月）",
}
BAR, LINE, LINE2 = "#4472c4", "#c0504d", "#9bbb59"


@dataclass(frozen=True)
class Chart:
    """One drawn chart: its PNG and every string it drew (the font must cover each character)."""

    name: str
    caption: str
    png: bytes
    texts: tuple[str, ...]


def _float(value: Decimal | None) -> float:
    # Only the picture uses floats: every number in the briefing's text is the published Decimal.
    return math.nan if value is None else float(value)


def _month(period: str) -> str:
    return f"{period[2:4]}年{int(period[5:])}月"


def _finish(name: str, figure: Figure) -> Chart:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    texts = tuple(t.get_text() for t in figure.findobj(Text) if t.get_text() and t.get_visible())
    return Chart(name, CHARTS[name], buffer.getvalue(), texts)


def _months_axes(figure: Figure, periods: list[str]):
    axes = figure.subplots()
    axes.set_xticks(range(len(periods)), [_month(p) for p in periods], rotation=45, ha="right")
    # Every month keeps its place, published or not (a gap shows a month without a published figure).
    axes.set_xlim(-0.6, len(periods) - 0.4)
    axes.grid(axis="y", alpha=0.3)
    return axes


def _legend(*axes) -> None:
    """One legend for both y axes, below the plot (inside, it would hide a bar or a point)."""
    handles, labels = [], []
    for ax in axes:
        h, la = ax.get_legend_handles_labels()
        handles, labels = handles + h, labels + la
    axes[0].figure.legend(
        handles, labels, loc="outside lower center", ncols=len(labels), fontsize=8, frameon=False
    )


def loans_trend(periods: list[str], series: dict[str, list[Decimal | None]]) -> Figure:
    figure = Figure(figsize=(7.2, 3.6), layout="constrained")
    axes = _months_axes(figure, periods)
    axes.bar(range(len(periods)), [_float(v) for v in series["L01"]], color=BAR, label="各项贷款余额（亿元）")
    axes.set_ylabel("亿元")
    rate = axes.twinx()
    rate.plot(
        range(len(periods)), [_float(v) for v in series["L06"]], color=LINE, marker="o", label="同比增长（%）"
    )
    rate.set_ylabel("%")
    _legend(axes, rate)
    axes.set_title(CHARTS["loans_trend"])
    return figure


def county_loans(names: list[str], loans: list[Decimal | None], npl_ratio: list[Decimal | None]) -> Figure:
    figure = Figure(figsize=(7.2, 3.6), layout="constrained")
    axes = figure.subplots()
    axes.bar(range(len(names)), [_float(v) for v in loans], color=BAR, label="各项贷款余额（亿元）")
    axes.set_xticks(range(len(names)), names)
    axes.set_ylabel("亿元")
    rate = axes.twinx()
    rate.plot(
        range(len(names)),
        [_float(v) for v in npl_ratio],
        color=LINE,
        marker="o",
        linestyle="none",
        label="不良贷款率（%）",
    )
    rate.set_ylabel("%")
    _legend(axes, rate)
    axes.set_title(CHARTS["county_loans"])
    return figure


def npl_trend(periods: list[str], series: dict[str, list[Decimal | None]]) -> Figure:
    figure = Figure(figsize=(7.2, 3.6), layout="constrained")
    axes = _months_axes(figure, periods)
    axes.bar(
        range(len(periods)), [_float(v) for v in series["L10"]], color=BAR, label="全市不良贷款余额（亿元）"
    )
    axes.set_ylabel("亿元")
    rate = axes.twinx()
    x = range(len(periods))
    rate.plot(x, [_float(v) for v in series["L11"]], color=LINE, marker="o", label="全市不良贷款率（%）")
    rate.plot(x, [_float(v) for v in series["R03"]], color=LINE2, marker="s", label="农信系统不良贷款率（%）")
    rate.set_ylabel("%")
    _legend(axes, rate)
    axes.set_title(CHARTS["npl_trend"])
    return figure


def platform_trend(periods: list[str], series: dict[str, list[Decimal | None]]) -> Figure:
    figure = Figure(figsize=(7.2, 3.6), layout="constrained")
    axes = _months_axes(figure, periods)
    x = range(len(periods))
    axes.plot(x, [_float(v) for v in series["P04"]], color=BAR, marker="o", label="累计授信金额（亿元）")
    axes.plot(x, [_float(v) for v in series["P05"]], color=LINE, marker="s", label="累计放款金额（亿元）")
    axes.set_ylabel("亿元")
    _legend(axes)
    axes.set_title(CHARTS["platform_trend"])
    return figure


TREND_CODES = ("L01", "L06", "L10", "L11", "R03", "P04", "P05")


def draw_charts(
    periods: list[str],
    trend: dict[str, list[Decimal | None]],
    county_names: list[str],
    county_l01: list[Decimal | None],
    county_l11: list[Decimal | None],
) -> dict[str, Chart]:
    """Every chart of CHARTS: the 13 months' city series (None where unpublished) and the counties."""
    family, _ = cjk_font()
    # unicode_minus off: the hyphen-minus is in every CJK font, U+2212 is not.
    with rc_context({"font.family": family, "axes.unicode_minus": False, "font.size": 9}):
        figures = {
            "loans_trend": loans_trend(periods, trend),
            "county_loans": county_loans(county_names, county_l01, county_l11),
            "npl_trend": npl_trend(periods, trend),
            "platform_trend": platform_trend(periods, trend),
        }
        return {name: _finish(name, figure) for name, figure in figures.items()}
