"""The release note of a published version: the figures table, what changed, acknowledged warnings."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from finstat.fsio import replace_atomically
from finstat.money import publication_places
from finstat.publication.publish import read_history, read_publications
from finstat.reference import City
from reports.model import period_label, published_label

# The unit of the 双降 figures (R06, L14): 1 when both fell, 0 otherwise; the note says 是/否.
YES_NO_UNIT = "1/0"


def _cell(text: object) -> str:
    """Markdown table cell: a pipe or a line break in a name or a reason must not break the table."""
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _value(value: Decimal | str | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == YES_NO_UNIT:
        return "是" if Decimal(value) == 1 else "否"
    return f"{Decimal(value):,.{publication_places(unit)}f}"


def _unit(unit: str) -> str:
    """The unit column: empty for a yes/no figure, whose value already says 是 or 否."""
    return "" if unit == YES_NO_UNIT else unit


def _acknowledged(ack: dict) -> str:
    """Who acknowledged and when, in Beijing time (the record keeps the UTC time as text)."""
    who = _cell(ack.get("acknowledged_by", ""))
    when = ack.get("acknowledged_at")
    if not when:
        return who
    try:
        moment = datetime.fromisoformat(str(when))
    except ValueError:  # a record written by hand: shown as written rather than failing the note
        return f"{who}，{_cell(when)}"
    return f"{who}，{published_label(moment)}"


def release_note(published: Path, period: str, version: int, city: City) -> str:
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
    lines = [
        f"# {city.name}金融运行主要指标（{period_label(period)}）",
        "",
        f"第 {version} 版，发布于 {published_label(record['published_at'])}；数据经质量规则检查后发布。",
        "",
        "| 指标代码 | 指标 | 数值 | 单位 |",
        "|---|---|---:|---|",
    ]
    for r in sorted((r for r in rows if city.is_city(r["region_code"])), key=lambda r: r["indicator_code"]):
        lines.append(
            f"| {r['indicator_code']} | {_cell(r['indicator_name'])} | {_value(r['value'], r['unit'])} | {_unit(r['unit'])} |"
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
        lines.append(f"- 规则 {ack['rule']}：{_cell(ack['reason'])}（{_acknowledged(ack)}）")
    missing = json.loads(record["missing_base_periods_json"] or "[]")
    if missing:
        lines += ["", "## 暂不发布的指标", ""]
        for codes, months in withheld_groups(missing):
            lines.append(f"{'、'.join(codes)}：{withheld_reason(months, period)[1]}。")
    return "\n".join(lines) + "\n"


def withheld_groups(missing: list[dict]) -> list[tuple[list[str], list[str]]]:
    """Withheld indicators grouped by the months they lack, so R07's January..March are not read as L02's."""
    months_of: dict[str, set[str]] = {}
    for row in missing:
        months_of.setdefault(row["indicator_code"], set()).add(row["missing_period"])
    groups: dict[tuple[str, ...], list[str]] = {}
    for code in sorted(months_of):
        groups.setdefault(tuple(sorted(months_of[code])), []).append(code)
    return [(codes, list(months)) for months, codes in sorted(groups.items())]


def withheld_reason(months: list[str], period: str) -> tuple[str, str]:
    """Why a group is withheld, in English and Chinese: the month's own data missing (its programme
    reports, its ledger) is not called a base month, which would send the officer looking at the past."""
    if months == [period]:
        return f"the month's own data not ingested ({period})", f"本月数据（{period}）尚未入库"
    return f"base months not ingested ({', '.join(months)})", f"基期数据（{'、'.join(months)}）尚未入库"


def note_path(published: Path, period: str, version: int) -> Path:
    return published / "reports" / period / f"发布说明_{period}_v{version}.md"


def write_release_note(published: Path, period: str, version: int, city: City) -> Path:
    """Write the note atomically next to the reconciliation workbook of the same version."""
    path = note_path(published, period, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = release_note(published, period, version, city)
    replace_atomically(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path
