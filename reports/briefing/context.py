"""The template's context for month M, version N: every published figure of M as published, and why others are not."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from finstat.publication.publish import read_history, read_publications
from finstat.reference import Regions
from reports.briefing.catalogue import Indicator, known_indicators
from reports.briefing.idioms import NO_DATA, NoData
from reports.model import published_label


@dataclass(frozen=True)
class Withheld(NoData):
    """A figure the month did not publish: its sentence says 暂无数据 and this reason, never a number."""

    code: str
    name: str
    reason: str

    def __str__(self) -> str:
        return NO_DATA


class CountyValues(dict):
    """One indicator's published county values; a county without one is Withheld, not an error."""

    def __init__(self, indicator: Indicator, values: dict[str, Decimal], reason: str) -> None:
        super().__init__(values)
        self.indicator, self.reason = indicator, reason

    def __missing__(self, region_code: str) -> Withheld:
        return Withheld(self.indicator.code, self.indicator.name, self.reason)


@dataclass(frozen=True)
class BriefingContext:
    """What a template may use; `as_dict()` is the Jinja context (charts are added when rendering)."""

    period: str
    version: int
    published_at: str
    city_code: str
    city_name: str
    counties: tuple[dict[str, str], ...]
    figures: dict[str, Decimal | Withheld]
    by_county: dict[str, CountyValues]
    acknowledged: tuple[dict, ...]
    withheld: tuple[Withheld, ...]
    indicators: dict[str, Indicator] = field(repr=False)

    def as_dict(self) -> dict:
        return {
            **self.figures,
            "month": self.period,
            "version": self.version,
            "published_at": self.published_at,
            "city": self.city_name,
            "counties": list(self.counties),
            "by_county": self.by_county,
            "acknowledged": list(self.acknowledged),
            "withheld": list(self.withheld),
        }


def _missing_reasons(record: dict, period: str) -> dict[str, str]:
    """Why a catalogue code is absent: the base months it lacks, as the release note says it."""
    months: dict[str, set[str]] = {}
    for row in json.loads(record["missing_base_periods_json"] or "[]"):
        months.setdefault(row["indicator_code"], set()).add(row["missing_period"])
    reasons = {}
    for code, lacking in months.items():
        if lacking == {period}:
            reasons[code] = "本月报表尚未入库"
        else:
            reasons[code] = f"基期数据（{'、'.join(sorted(lacking))}）尚未入库"
    return reasons


def build_context(published: Path, period: str, version: int, regions: Regions) -> BriefingContext:
    """Read version N of month M from a published/ folder (or a release being prepared)."""
    records = [
        r
        for r in read_publications(published).to_pylist()
        if r["period"] == period and r["version"] == version
    ]
    if not records:
        raise ValueError(f"{period} has no published version {version}")
    record = records[0]
    rows = [
        r for r in read_history(published).to_pylist() if r["period"] == period and r["version"] == version
    ]
    indicators = known_indicators()
    reasons = _missing_reasons(record, period)
    city = regions.city
    figures: dict[str, Decimal | Withheld] = {}
    county: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        if city.is_city(row["region_code"]):
            figures[row["indicator_code"]] = row["value"]
        else:
            county.setdefault(row["indicator_code"], {})[row["region_code"]] = row["value"]
    withheld = []
    for code, indicator in sorted(indicators.items()):
        if code in figures:
            continue
        reason = reasons.get(code, "本月未发布")
        figures[code] = Withheld(code, indicator.name, reason)
        withheld.append(figures[code])
    by_county = {
        code: CountyValues(
            indicator,
            county.get(code, {}),
            figures[code].reason if isinstance(figures[code], Withheld) else "本月未发布该县区数值",
        )
        for code, indicator in indicators.items()
        if indicator.by_county
    }
    acknowledged = json.loads(record["acknowledgements_json"] or "[]")
    return BriefingContext(
        period=period,
        version=version,
        published_at=published_label(record["published_at"]),
        city_code=city.code,
        city_name=city.name,
        counties=tuple({"code": c, "name": regions.names[c]} for c in regions.counties),
        figures=figures,
        by_county=by_county,
        acknowledged=tuple(sorted(acknowledged, key=lambda a: a["rule"])),
        withheld=tuple(withheld),
        indicators=indicators,
    )
