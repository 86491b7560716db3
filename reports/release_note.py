"""The release note of a published version: the figures table, what changed, acknowledged warnings."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from finstat.money import publication_places
from finstat.publication.files import replace_atomically
from finstat.publication.publish import read_history, read_publications
from reports.model import period_label

CITY = "410600"
_BEIJING = dt.timezone(dt.timedelta(hours=8))


def _cell(text: object) -> str:
    """Markdown table cell: a pipe or a line break in a name or a reason must not break the table."""
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _value(value: Decimal | str | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.{publication_places(unit)}f}"


def release_note(published: Path, period: str, version: int) -> str:
    """Markdown for one published version, built only from published/ (what BI tools also see)."""
    record = next(
        r
        for r in read_publications(published).to_pylist()
        if r["period"] == period and r["version"] == version
    )
    rows = [
        r for r in read_history(published).to_pylist() if r["period"] == period and r["version"] == version
    ]
    names = {(r["indicator_code"], r["region_code"]): r for r in rows}
    stamp = record["published_at"].astimezone(_BEIJING)
    lines = [
        f"# {rows[0]['region_name'] if rows else ''}金融运行主要指标（{period_label(period)}）",
        "",
        f"第 {version} 版，发布于 {stamp:%Y-%m-%d %H:%M}（北京时间）；数据经质量规则检查后发布。",
        "",
        "| 指标代码 | 指标 | 数值 | 单位 |",
        "|---|---|---:|---|",
    ]
    for r in sorted((r for r in rows if r["region_code"] == CITY), key=lambda r: r["indicator_code"]):
        lines.append(
            f"| {r['indicator_code']} | {_cell(r['indicator_name'])} | {_value(r['value'], r['unit'])} | {r['unit']} |"
        )
    changes = json.loads(record["changes_json"] or "[]")
    lines += ["", "## 与上一版相比的变化", ""]
    if version == 1:
        lines.append("首次发布。")
    elif not changes:
        lines.append("无变化。")
    else:
        lines += ["| 指标 | 地区 | 上一版 | 本版 |", "|---|---|---:|---:|"]
        for change in changes:
            row = names.get((change["indicator_code"], change["region_code"]), {})
            unit = row.get("unit", "")
            lines.append(
                f"| {change['indicator_code']} {_cell(row.get('indicator_name', ''))} | "
                f"{_cell(row.get('region_name', change['region_code']))} | {_value(change['old'], unit)} | "
                f"{_value(change['new'], unit)} |"
            )
    acks = json.loads(record["acknowledgements_json"] or "[]")
    lines += ["", "## 已确认的警告", ""]
    if not acks:
        lines.append("无。")
    for ack in sorted(acks, key=lambda a: a["rule"]):
        lines.append(
            f"- 规则 {ack['rule']}：{_cell(ack['reason'])}（{_cell(ack.get('acknowledged_by', ''))}）"
        )
    missing = json.loads(record["missing_base_periods_json"] or "[]")
    if missing:
        codes = sorted({m["indicator_code"] for m in missing})
        months = sorted({m["missing_period"] for m in missing})
        lines += [
            "",
            "## 暂不发布的指标",
            "",
            f"{'、'.join(codes)}：基期数据（{'、'.join(months)}）尚未入库。",
        ]
    return "\n".join(lines) + "\n"


def note_path(published: Path, period: str, version: int) -> Path:
    return published / "reports" / period / f"发布说明_{period}_v{version}.md"


def write_release_note(published: Path, period: str, version: int) -> Path:
    """Write the note atomically next to the reconciliation workbook of the same version."""
    path = note_path(published, period, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = release_note(published, period, version)
    replace_atomically(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path
