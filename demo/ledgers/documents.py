"""监管文书台账: rectification notices and risk warnings sent to the city's local financial organisations."""

from __future__ import annotations

from collections import defaultdict

from demo.city import DemoCity
from demo.ledgers.base import DOCUMENTS, _rng, weekdays
from demo.ledgers.calibration import CALIBRATION_PERIOD, DOCUMENTS_2022
from demo.ledgers.records import Entry

# 对象类型 -> (how many, name suffix); names are a place (the city or a county) and a trade name.
_ORGANISATIONS = (
    ("小额贷款公司", 12, "小额贷款有限公司"),
    ("融资担保公司", 8, "融资担保有限公司"),
    ("典当行", 6, "典当有限责任公司"),
    ("其他", 4, "商业保理有限公司"),
)
_BRAND_FIRST = "鑫融泰汇通信诚恒中金宏丰益瑞"
_BRAND_SECOND = "源达盛安合利通博兴惠远"
# 文书类型 -> the 文号's word: each kind has its own series, numbered within the year.
_SERIES = {"整改通知书": "金监改", "风险提示函": "金监函", "其他": "金监"}


def _organisations(city: DemoCity) -> list[tuple[str, str]]:
    rng = _rng("organisations")
    names: set[str] = set()
    out = []
    for kind, count, suffix in _ORGANISATIONS:
        while sum(k == kind for _n, k in out) < count:
            place = city.name if rng.random() < 0.5 else rng.choice(city.counties).name
            name = f"{place}{rng.choice(_BRAND_FIRST)}{rng.choice(_BRAND_SECOND)}{suffix}"
            if name not in names:
                names.add(name)
                out.append((name, kind))
    return out


def build_documents(city: DemoCity, months: list[str]) -> list[Entry]:
    """Documents month by month; 整改通知书 and 风险提示函 of 2022 up to May: 14 (G01)."""
    targets = _organisations(city)
    numbers: dict[tuple[int, str], int] = defaultdict(int)
    out = []
    for period in months:
        rng = _rng("documents", period)
        year, month = map(int, period.split("-"))
        if year == 2022 and period <= CALIBRATION_PERIOD:
            count = DOCUMENTS_2022[month - 1]
        else:
            count = rng.choice((1, 2, 2, 3))
        kinds = [rng.choice(("整改通知书", "风险提示函")) for _ in range(count)]
        kinds += ["其他"] * (rng.random() < 0.5)
        days = sorted(rng.choices(weekdays(period), k=len(kinds)))
        for day, kind in zip(days, kinds, strict=True):
            name, target_type = rng.choice(targets)
            numbers[(year, kind)] += 1
            values = {
                "文号": f"{city.short}{_SERIES[kind]}〔{year}〕{numbers[(year, kind)]}号",
                "下发日期": day,
                "对象名称": name,
                "对象类型": target_type,
                "文书类型": kind,
            }
            remark = "已按期整改" if kind == "整改通知书" and rng.random() < 0.6 else ""
            out.append(Entry(DOCUMENTS, "文书", day, values, remark=remark))
    return out
