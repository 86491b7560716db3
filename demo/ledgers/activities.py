"""银企对接台账 sheets 对接活动 and 走访企业: the bureau's matchmaking events and its visits to enterprises."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from demo.ledgers.base import MATCHMAKING, _rng, weekdays
from demo.ledgers.calibration import (
    ACTIVITIES_2021,
    ACTIVITIES_2022,
    ACTIVITIES_LATER,
    CALIBRATION_PERIOD,
    CUTOFF,
    FAIR_DATE,
    FAIRS_2021,
    SOLVED_2022,
    VISITED_2022,
    VISITS_2022,
    VISITS_PER_MONTH,
    YEAR_START,
)
from demo.ledgers.pools import Pools, adjust_counts, bank_short
from demo.ledgers.records import Entry

# (name template, 类别, 线上 share): {city} the city, {county} a county, {bank} a bank's short name.
_KINDS = (
    ("{county}“稳企业保就业”银企对接会", "专场对接", 0.1),
    ("{county}小微企业融资对接会", "专场对接", 0.2),
    ("{bank}“金融助企”进园区活动", "园区行", 0.0),
    ("{city}普惠金融产品线上推介会", "线上推介", 1.0),
    ("{county}乡村振兴银企对接会", "专场对接", 0.1),
    ("{city}科技型企业融资路演", "综合对接会", 0.3),
    ("{city}“专精特新”企业专场对接会", "专场对接", 0.2),
    ("{county}产业集聚区银企座谈会", "政银企座谈", 0.0),
    ("{bank}“首贷续贷”服务进企业活动", "园区行", 0.0),
)
_FAIR_NAMES = {
    FAIR_DATE: "{city}2022年重点项目银企对接会",
    FAIRS_2021[0][0]: "{city}2021年年中重点项目银企对接会",
    FAIRS_2021[1][0]: "{city}2021年秋季重点项目融资对接会",
}


def _count(period: str) -> int:
    year, month = map(int, period.split("-"))
    if year == 2021:
        return ACTIVITIES_2021[month - 1]
    return ACTIVITIES_2022[month - 1] if period <= CALIBRATION_PERIOD else ACTIVITIES_LATER


def build_activities(pools: Pools, months: list[str]) -> tuple[list[Entry], dict[dt.date, str]]:
    """Activities month by month (the monthly 政银企联席例会 on the first weekday, the fairs, the rest)
    and the fairs' 活动编号 by date."""
    city, out, fair_ids = pools.city, [], {}
    numbers: dict[int, int] = defaultdict(int)
    for period in months:
        rng = _rng("activities", period)
        days = weekdays(period)
        fairs = [d for d in _FAIR_NAMES if f"{d:%Y-%m}" == period]
        others = sorted(rng.choices(days[1:], k=_count(period) - 1 - len(fairs)))
        planned = sorted(
            [(days[0], "meeting"), *((d, "fair") for d in fairs), *((d, "other") for d in others)]
        )
        for day, kind in planned:
            numbers[day.year] += 1
            activity_id = f"DJ{day.year}{numbers[day.year]:03d}"
            if kind == "meeting":
                name, category, form = f"{day.month}月政银企联席例会", "政银企座谈", "线下"
                banks, firms = rng.randint(12, 20), rng.randint(6, 15)
            elif kind == "fair":
                fair_ids[day] = activity_id
                name, category, form = _FAIR_NAMES[day].format(city=city.name), "综合对接会", "线下"
                banks, firms = rng.randint(16, 22), rng.randint(60, 110)
            else:
                template, category, online = rng.choice(_KINDS)
                name = template.format(
                    city=city.name,
                    county=rng.choice(city.counties).name,
                    bank=bank_short(rng.choice(pools.banks_on(day))),
                )
                form = "线上" if rng.random() < online else "线下"
                banks, firms = rng.randint(3, 15), rng.randint(8, 90 if form == "线上" else 45)
            values = {
                "活动编号": activity_id,
                "活动日期": day,
                "活动名称": name,
                "形式": form,
                "类别": category,
                "参与金融机构数": banks,
                "参与企业数": firms,
            }
            remark = (
                "市领导出席"
                if kind == "fair"
                else ("直播观看" if form == "线上" and rng.random() < 0.5 else "")
            )
            out.append(Entry(MATCHMAKING, "对接活动", day, values, remark=remark))
    return out, fair_ids


def _visit_count(rng, period: str) -> int:
    year, month = map(int, period.split("-"))
    if year == 2022 and period <= CALIBRATION_PERIOD:
        return VISITS_2022[month - 1]
    return int(VISITS_PER_MONTH * rng.uniform(0.8, 1.2))


def build_visits(pools: Pools, months: list[str]) -> list[Entry]:
    """Visits to the platform's enterprises; 2022 up to May: 943 enterprises, 278 problems solved."""
    plan = []  # (day, firm) in order
    visited: dict[int, list] = defaultdict(list)
    seen: dict[int, set[str]] = defaultdict(set)
    calibrated_rows = sum(VISITS_2022)
    revisits = set(
        _rng("visits", "revisits").sample(range(100, calibrated_rows), calibrated_rows - VISITED_2022)
    )
    in_calibration = 0
    for period in months:
        rng = _rng("visits", period)
        days = weekdays(period)
        for day in sorted(rng.choices(days, k=_visit_count(rng, period))):
            year = day.year
            counted = YEAR_START <= day <= CUTOFF
            again = (in_calibration in revisits) if counted else rng.random() < 0.04
            in_calibration += counted
            firm = None
            if again and visited[year]:
                firm = next(
                    (f for f in rng.sample(visited[year], len(visited[year])) if f.open_on(day)), None
                )
            while firm is None or (firm.uscc in seen[year] and not again):
                firm = pools.visitable(rng, day)
            if firm.uscc not in seen[year]:
                seen[year].add(firm.uscc)
                visited[year].append(firm)
            plan.append((day, firm))
    reported, solved = [], []
    for i in range(len(plan)):
        rng = _rng("visit-problems", i)
        count = rng.choices((0, 1, 2, 3), weights=(55, 30, 11, 4))[0]
        reported.append(count)
        solved.append(sum(rng.random() < 0.45 for _ in range(count)))
    window = [i for i, (day, _f) in enumerate(plan) if YEAR_START <= day <= CUTOFF]
    part = [solved[i] for i in window]
    adjust_counts(_rng("visits", "solved"), part, [reported[i] for i in window], SOLVED_2022)
    for i, value in zip(window, part, strict=True):
        solved[i] = value
    out, numbers = [], defaultdict(int)
    for i, (day, firm) in enumerate(plan):
        numbers[day.year] += 1
        values = {
            "走访编号": f"ZF{day.year}{numbers[day.year]:04d}",
            "走访日期": day,
            "统一社会信用代码": firm.uscc,
            "企业名称": firm.name,
            "县区代码": firm.county_code,
            "反映问题数": reported[i],
            "已解决问题数": solved[i],
        }
        remark = "问题已转交银行跟进" if reported[i] > solved[i] else ""
        out.append(Entry(MATCHMAKING, "走访企业", day, values, remark=remark))
    return out
