"""The reconciliation report as one self-contained, printable HTML page (no network, inline SVG chart)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path

from finstat.fsio import replace_atomically
from reports.model import (
    MISSING,
    RESULT_LABELS,
    SEVERITY_LABELS,
    WITHIN_LABELS,
    ReconciliationReport,
    Totals,
    TrendPoint,
    by_type,
    period_label,
    published_label,
    report_title,
    round2,
    totals,
)

# Fonts are named, never fetched: the page is read on offline machines, and the first installed
# CJK font wins (Windows, macOS, then Linux).
_CSS = """
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 277mm; color: #222; font-size: 10pt; line-height: 1.35;
  font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", SimSun, sans-serif; }
h1 { font-size: 15pt; margin: 0 0 2pt; }
h2 { font-size: 11pt; margin: 8pt 0 3pt; }
p.meta { margin: 0; color: #555; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 2pt 4pt; vertical-align: top; }
th { background: #ddebf7; font-weight: bold; text-align: center; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.c { text-align: center; white-space: nowrap; }
tr.outside td, tr.failed-error td { background: #f8cbad; }
tr.failed-warn td { background: #ffe699; }
tr.total td { font-weight: bold; background: #d9d9d9; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8pt; align-items: start; }
figure { margin: 0; }
svg { width: 100%; height: auto; font-size: 10px; }
svg .axis { stroke: #666; stroke-width: 1; }
svg .grid-line { stroke: #ddd; stroke-width: 1; }
svg .line-loans { fill: none; stroke: #1f4e79; stroke-width: 2; }
svg .line-npl { fill: none; stroke: #c00000; stroke-width: 2; stroke-dasharray: 5 3; }
svg .pt-loans { fill: #1f4e79; }
svg .pt-npl { fill: #fff; stroke: #c00000; stroke-width: 1.5; }
@media print {
  body { font-size: 8.5pt; max-width: none; }
  h1 { font-size: 13pt; }
  tr { break-inside: avoid; }
  .grid { break-inside: avoid; }
}
"""

# Chart geometry in SVG user units; the viewBox scales it to the column width.
_W, _H = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 62, 62, 40, 50


def _e(text: object) -> str:
    """Escape any value for element text and attribute values alike."""
    return html.escape(str(text), quote=True)


def _num(value: Decimal | None, signed: bool = False) -> str:
    """A 亿元 or % value as 2-decimal text with thousands separators (— when missing)."""
    rounded = round2(value)
    if rounded is None:
        return MISSING
    return f"{rounded:+,.2f}" if signed else f"{rounded:,.2f}"


def _table(header: Iterable[str], rows: Iterable[str]) -> str:
    """A table from escaped header names and already-rendered <tr> rows."""
    head = "".join(f"<th>{_e(name)}</th>" for name in header)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _summary_rows(report: ReconciliationReport) -> list[str]:
    """One <tr> per compared measure; outside tolerance is highlighted."""
    rows = []
    for line in report.lines:
        cls = ' class="outside"' if line.within is False else ""
        rows.append(
            f'<tr{cls}><td>{_e(line.measure)}</td><td class="c">{_e(line.unit)}</td>'
            f'<td class="num">{_num(line.bureau)}</td><td class="num">{_num(line.pbc)}</td>'
            f'<td class="num">{_num(line.diff, signed=True)}</td><td class="num">{_num(line.tolerance)}</td>'
            f'<td class="c">{WITHIN_LABELS[line.within]}</td><td>{_e(line.explanation or "")}</td></tr>'
        )
    return rows


def _totals_row(group: Totals, cls: str = "") -> str:
    """One institution-type (or grand total) row."""
    attr = f' class="{cls}"' if cls else ""
    values = (group.loans_yi, group.household_yi, group.enterprise_yi, group.npl_yi, group.npl_ratio_pct)
    cells = "".join(f'<td class="num">{_num(value)}</td>' for value in values)
    return f'<tr{attr}><td>{_e(group.label)}</td><td class="num">{group.count}</td>{cells}</tr>'


def _type_rows(report: ReconciliationReport) -> list[str]:
    """Subtotals by institution type, then the total of all institutions."""
    rows = [_totals_row(group) for group, _ in by_type(report.institutions)]
    rows.append(_totals_row(totals("合计", report.institutions), "total"))
    return rows


def _gate_rows(report: ReconciliationReport) -> list[str]:
    """One <tr> per rule; a failed rule is highlighted by its severity."""
    rows = []
    for gate in report.gate:
        cls = "" if gate.passed else f' class="failed-{gate.severity}"'
        rows.append(
            f'<tr{cls}><td class="c">{gate.rule}</td><td class="c">{SEVERITY_LABELS[gate.severity]}</td>'
            f'<td>{_e(gate.title)}</td><td class="c">{RESULT_LABELS[gate.passed]}</td>'
            f'<td class="num">{gate.failing_rows:,}</td><td>{_e(gate.acknowledgement or "")}</td></tr>'
        )
    return rows


def nice_axis(values: Iterable[Decimal], ticks: int = 4) -> tuple[Decimal, Decimal, Decimal]:
    """Axis bounds and step in round numbers (1, 2, 2.5 or 5 times a power of ten) covering values."""
    values = list(values)
    if not values:
        return Decimal(0), Decimal(1), Decimal("0.25")
    low, high = min(values), max(values)
    span = high - low
    if span == 0:
        # A flat series still gets an axis around it rather than a division by zero.
        span = abs(high) / 10 or Decimal(1)
        low, high = low - span / 2, high + span / 2
    raw = span / ticks
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(
        m * magnitude
        for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if m * magnitude >= raw
    )
    bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    return bottom, top, step


def _tick_text(value: Decimal, step: Decimal) -> str:
    """An axis label with as many decimals as the step needs."""
    places = max(0, -step.normalize().as_tuple().exponent)
    return f"{value:,.{places}f}"


def _series(
    trend: tuple[TrendPoint, ...],
    xs: list[float],
    value_of: Callable[[TrendPoint], Decimal | None],
    y_of: Callable[[Decimal], float],
    name: str,
    unit: str,
    key: str,
) -> list[str]:
    """Polylines over runs of consecutive months (a missing month is a gap) and a marker per month."""
    out: list[str] = []
    run: list[str] = []
    for point, x in zip(trend, xs, strict=True):
        value = value_of(point)
        if value is None:
            if len(run) > 1:
                out.append(f'<polyline class="line-{key}" points="{" ".join(run)}"/>')
            run = []
            continue
        run.append(f"{x:.1f},{y_of(value):.1f}")
    if len(run) > 1:
        out.append(f'<polyline class="line-{key}" points="{" ".join(run)}"/>')
    for point, x in zip(trend, xs, strict=True):
        value = value_of(point)
        if value is not None:
            label = f"{period_label(point.period)} {name} {_num(value)}{unit}"
            out.append(
                f'<circle class="pt pt-{key}" cx="{x:.1f}" cy="{y_of(value):.1f}" r="3">'
                f"<title>{_e(label)}</title></circle>"
            )
    return out


def trend_svg(report: ReconciliationReport) -> str:
    """Inline SVG: L01 (亿元, left axis) and L11 (%, right axis) over the trend months."""
    trend = tuple(sorted(report.trend, key=lambda p: p.period))
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    n = len(trend)
    # Each month sits in the middle of its slot, so the end markers do not sit on the axes.
    xs = [_LEFT + plot_w * (i + 0.5) / n for i in range(n)]
    left = nice_axis(p.loans_yi for p in trend if p.loans_yi is not None)
    right = nice_axis(p.npl_ratio_pct for p in trend if p.npl_ratio_pct is not None)

    def scale(axis: tuple[Decimal, Decimal, Decimal]) -> Callable[[Decimal], float]:
        """Map an axis value to a y coordinate (float: geometry, not money)."""
        bottom, top, _ = axis
        return lambda v: _TOP + plot_h * (1 - float((v - bottom) / (top - bottom)))

    y_left, y_right = scale(left), scale(right)
    title = f"{report.city_name}各项贷款余额与不良贷款率（近{n}个月）"
    parts = [
        f'<svg viewBox="0 0 {_W} {_H}" role="img" aria-labelledby="trend-title trend-desc">',
        f'<title id="trend-title">{_e(title)}</title>',
        '<desc id="trend-desc">左轴：各项贷款余额（亿元），实线；右轴：不良贷款率（%），虚线；缺失月份留空。</desc>',
    ]
    # Gridlines follow the left axis; the right axis has its own round steps, so it gets labels only.
    bottom, top, step = left
    value = bottom
    while value <= top:
        y = y_left(value)
        parts.append(f'<line class="grid-line" x1="{_LEFT}" y1="{y:.1f}" x2="{_W - _RIGHT}" y2="{y:.1f}"/>')
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y + 3:.1f}" text-anchor="end">{_tick_text(value, step)}</text>'
        )
        value += step
    bottom, top, step = right
    value = bottom
    while value <= top:
        y = y_right(value)
        parts.append(f'<text x="{_W - _RIGHT + 6}" y="{y + 3:.1f}">{_tick_text(value, step)}</text>')
        value += step
    parts.append(f'<line class="axis" x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_H - _BOTTOM}"/>')
    parts.append(
        f'<line class="axis" x1="{_W - _RIGHT}" y1="{_TOP}" x2="{_W - _RIGHT}" y2="{_H - _BOTTOM}"/>'
    )
    parts.append(
        f'<line class="axis" x1="{_LEFT}" y1="{_H - _BOTTOM}" x2="{_W - _RIGHT}" y2="{_H - _BOTTOM}"/>'
    )
    parts.append(f'<text x="{_LEFT - 6}" y="{_TOP - 10}" text-anchor="end">亿元</text>')
    parts.append(f'<text x="{_W - _RIGHT + 6}" y="{_TOP - 10}">%</text>')
    for i, (point, x) in enumerate(zip(trend, xs, strict=True)):
        year, month = point.period.split("-")
        y = _H - _BOTTOM + 14
        parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{int(month)}月</text>')
        # The year under the first month and under each January keeps 13 labels short.
        if i == 0 or month == "01":
            parts.append(f'<text x="{x:.1f}" y="{y + 13}" text-anchor="middle">{year}年</text>')
    parts += _series(trend, xs, lambda p: p.loans_yi, y_left, "各项贷款余额", "亿元", "loans")
    parts += _series(trend, xs, lambda p: p.npl_ratio_pct, y_right, "不良贷款率", "%", "npl")
    # Legend: line samples (not markers) so the markers count the months with data.
    lx = _LEFT
    parts.append(f'<line class="line-loans" x1="{lx}" y1="14" x2="{lx + 24}" y2="14"/>')
    parts.append(f'<text x="{lx + 30}" y="18">各项贷款余额（亿元，左轴）</text>')
    lx += 220
    parts.append(f'<line class="line-npl" x1="{lx}" y1="14" x2="{lx + 24}" y2="14"/>')
    parts.append(f'<text x="{lx + 30}" y="18">不良贷款率（%，右轴）</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(report: ReconciliationReport) -> str:
    """The whole page as text: summary, institution types, quality gate and the trend chart."""
    title = report_title(report)
    summary = _table(
        ("指标", "单位", "地方金融监管局", "人民银行市分行", "差额", "容差", "是否在容差内", "说明"),
        _summary_rows(report),
    )
    types = _table(
        (
            "机构类型",
            "机构数",
            "各项贷款(亿元)",
            "住户贷款(亿元)",
            "企（事）业单位贷款(亿元)",
            "不良贷款(亿元)",
            "不良贷款率(%)",
        ),
        _type_rows(report),
    )
    gate = _table(("规则", "级别", "内容", "结果", "问题行数", "确认说明"), _gate_rows(report))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_e(title)}</h1>
<p class="meta">发布时间：{_e(published_label(report.published_at))}。差额 = 地方金融监管局 − 人民银行市分行；超出容差的指标以底色标出并附说明（质量规则 22）。</p>
</header>
<section>
<h2>对账汇总</h2>
{summary}
</section>
<div class="grid">
<div>
<section>
<h2>分机构类型汇总</h2>
{types}
</section>
<section>
<h2>质量检查</h2>
{gate}
</section>
</div>
<section>
<h2>近{len(report.trend)}个月走势</h2>
<figure>
{trend_svg(report)}
</figure>
</section>
</div>
</body>
</html>
"""


def write_html(report: ReconciliationReport, path: Path) -> Path:
    """Write the page to path (UTF-8), replacing any previous file atomically."""
    path = Path(path)
    text = render_html(report)
    replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path
