"""银企对接台账 sheets 推介项目, 授信跟踪 and 签约: projects recommended to banks, credit granted and lent, fairs."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from demo.ledgers.base import MATCHMAKING, _rng, weekdays
from demo.ledgers.calibration import (
    BATCHES_2021,
    BATCHES_2022,
    CALIBRATION_PERIOD,
    CREDIT_2022,
    CUTOFF,
    DEMAND_2022,
    FAIR_DATE,
    FAIR_INSTITUTIONS,
    FAIR_INTENT,
    FAIR_PROJECTS,
    FAIR_SIGNED,
    FAIR_SIGNED_PROJECTS,
    FAIRS_2021,
    LATE_SIGNING,
    YEAR_START,
)
from demo.ledgers.pools import Firm, Pools, calibrated, round_to, weekday_after
from demo.ledgers.records import Entry
from demo.types import Institution

# 项目类别 -> name templates: {n} a size, {county} the project's county.
_PROJECT_NAMES = {
    "工业": (
        "年产{n}万吨新型建材项目",
        "{n}万吨绿色饲料加工项目",
        "智能制造产业园二期项目",
        "汽车零部件生产线技术改造项目",
    ),
    "农业产业化": (
        "{n}万亩高标准农田建设项目",
        "农产品冷链物流中心项目",
        "{n}万头生猪标准化养殖项目",
        "小麦深加工产业链项目",
    ),
    "基础设施": ("{county}污水处理厂提标改造项目", "{county}城乡供水一体化项目", "{county}乡村道路提升工程"),
    "新能源": ("{n}兆瓦分布式光伏发电项目", "{n}兆瓦风电场建设项目", "氢能产业示范园项目"),
    "现代服务业": ("{county}现代物流园项目", "电子商务产业园项目", "{county}文旅融合示范区项目"),
    "科技创新": ("电子信息产品研发中心建设项目", "新材料中试基地项目", "数字经济产业园项目"),
}
_STEP = Decimal(100)  # 万元: project demands, intents and signings are in whole millions
_CREDIT_STEP = Decimal(10)
_DRAWN_STEP = Decimal("0.5")


@dataclass
class Project:
    """A recommended project and its ledger entry."""

    entry: Entry
    firm: Firm
    recommended: dt.date
    demand: Decimal

    @property
    def project_id(self) -> str:
        return str(self.entry.values["项目编号"])


def _batches(months: list[str]) -> list[tuple[dt.date, int, int]]:
    """(day, batch number in its year, projects) of every batch; after the calibration, odd months."""
    out = []
    for year_batches in (BATCHES_2021, BATCHES_2022):
        out += [(day, n, size) for n, (day, size) in enumerate(year_batches, start=1)]
    for period in months:
        if period > CALIBRATION_PERIOD and int(period[5:]) % 2 == 1:
            day = weekdays(period, 10, 20)[1]
            out.append((day, 1 + sum(d.year == day.year for d, _n, _s in out), 12))
    return [b for b in out if f"{b[0]:%Y-%m}" in months]


def build_projects(pools: Pools, months: list[str]) -> list[Project]:
    """Projects batch by batch; the demands of 2022's six batches add up to 455.32 亿元."""
    projects: list[Project] = []
    raws: list[Decimal] = []
    for day, batch, size in _batches(months):
        rng = _rng("projects", day)
        taken: set[str] = set()
        for n in range(1, size + 1):
            firm = pools.project_owner(rng, day, taken)
            category = rng.choice(tuple(_PROJECT_NAMES))
            name = rng.choice(_PROJECT_NAMES[category]).format(
                n=rng.choice((2, 3, 5, 10, 20, 30, 50)), county=pools.county_name(firm.county_code)
            )
            raws.append(Decimal(40_000) * Decimal(str(round(rng.lognormvariate(0, 0.8), 4))))
            values = {
                "项目编号": f"XM{day.year}{batch:02d}{n:02d}",
                "批次": batch,
                "推介日期": day,
                "项目名称": name,
                "统一社会信用代码": firm.uscc,
                "县区代码": firm.county_code,
                "融资需求(万元)": Decimal(0),
                "项目类别": category,
            }
            entry = Entry(MATCHMAKING, "推介项目", day, values, remark=f"第{batch}批重点项目")
            projects.append(Project(entry, firm, day, Decimal(0)))
    window = [i for i, p in enumerate(projects) if YEAR_START <= p.recommended <= CUTOFF]
    amounts = {i: max(_STEP, round_to(r, _STEP)) for i, r in enumerate(raws)}
    amounts.update(zip(window, calibrated([raws[i] for i in window], DEMAND_2022, _STEP), strict=True))
    for i, project in enumerate(projects):
        project.demand = amounts[i]
        project.entry.values["融资需求(万元)"] = amounts[i]
    return projects


@dataclass
class Credit:
    """A (project, bank) credit line: granted on a day, perhaps drawn later."""

    project: Project
    bank: Institution
    granted: dt.date
    raw: Decimal
    drawn_on: dt.date | None
    drawn_ratio: Decimal
    amount: Decimal = Decimal(0)


def _fair_plan(
    projects: list[Project], fair_ids: dict[dt.date, str]
) -> list[tuple[dt.date, list[Project], int]]:
    """(fair day, its projects, how many sign) of every fair: projects recommended in the weeks before."""
    plans = []
    for day, count, signers in (*FAIRS_2021, (FAIR_DATE, FAIR_PROJECTS, FAIR_SIGNED_PROJECTS)):
        if day not in fair_ids:
            continue
        pool = [p for p in projects if dt.timedelta(days=1) <= day - p.recommended <= dt.timedelta(days=60)]
        plans.append((day, _rng("fair", day).sample(pool, count), signers))
    return plans


def build_credit_and_signings(
    pools: Pools, projects: list[Project], fair_ids: dict[dt.date, str]
) -> tuple[list[Entry], list[Entry]]:
    """授信跟踪 and 签约 entries: the fairs' pairs, then the other projects' credit lines (M06 calibrated)."""
    credits: list[Credit] = []
    signings: list[Entry] = []
    fair_projects: set[str] = set()
    for day, chosen, signers in _fair_plan(projects, fair_ids):
        fair_projects |= {p.project_id for p in chosen}
        made, lines = _fair(pools, day, fair_ids[day], chosen, signers)
        signings += made
        credits += lines
    fair_credit = sum(
        (c.amount for c in credits if YEAR_START <= c.project.recommended and c.granted <= CUTOFF), Decimal(0)
    )
    generic = []
    for project in projects:
        if project.project_id in fair_projects:
            continue  # a fair project's credit lines are its signed pairs
        rng = _rng("credit", project.project_id)
        if rng.random() >= 0.62:
            continue
        banks = pools.banks_on(project.recommended)
        share = Decimal(str(round(rng.uniform(0.2, 0.6), 4)))
        lenders = rng.sample(banks, rng.choice((1, 1, 2)))
        for bank in lenders:
            granted = weekday_after(project.recommended, rng.randint(15, 110))
            drawn = weekday_after(granted, rng.randint(7, 75)) if rng.random() < 0.75 else None
            ratio = Decimal(str(round(rng.uniform(0.3, 1.0), 3)))
            generic.append(
                Credit(project, bank, granted, project.demand * share / len(lenders), drawn, ratio)
            )
    window = [c for c in generic if YEAR_START <= c.project.recommended and c.granted <= CUTOFF]
    for credit in generic:
        credit.amount = max(_CREDIT_STEP, round_to(credit.raw, _CREDIT_STEP))
    for credit, amount in zip(
        window, calibrated([c.raw for c in window], CREDIT_2022 - fair_credit, _CREDIT_STEP), strict=True
    ):
        credit.amount = amount
    credits += generic
    return [_credit_entry(c) for c in credits], signings


def _credit_entry(credit: Credit) -> Entry:
    values = {
        "项目编号": credit.project.project_id,
        "机构代码": credit.bank.code,
        "授信金额(万元)": credit.amount,
        "授信日期": credit.granted,
        "放款金额(万元)": None,
        "放款日期": None,
    }
    entry = Entry(MATCHMAKING, "授信跟踪", credit.granted, values)
    if credit.drawn_on is not None:
        drawn = min(
            credit.amount, max(_DRAWN_STEP, round_to(credit.amount * credit.drawn_ratio, _DRAWN_STEP))
        )
        note = "分笔放款" if drawn < credit.amount else ""
        entry.update(credit.drawn_on, **{"放款金额(万元)": drawn, "放款日期": credit.drawn_on, "备注": note})
    return entry


def _fair(
    pools: Pools, day: dt.date, activity_id: str, chosen: list[Project], signers: int
) -> tuple[list[Entry], list[Credit]]:
    """One fair's 签约 rows and the credit lines of its signed pairs (2022's: the report's amounts)."""
    rng = _rng("fair-pairs", day)
    calibrated_fair = day == FAIR_DATE
    count = FAIR_INSTITUTIONS if calibrated_fair else rng.randint(6, 8)
    banks = rng.sample(pools.banks_on(day), count)
    # The first `signers` projects sign; in 2022 one more signs on 1 June (after the month it counts for).
    late = 1 if calibrated_fair else 0
    pairs = []  # (project, bank, will sign)
    for i, project in enumerate(chosen):
        pairs.append((project, banks[i % count], i < signers + late))
        if rng.random() < 0.3:
            pairs.append((project, banks[(i + 3) % count], False))
    weights = [
        Decimal(str(round(rng.uniform(3, 6) if signs else rng.uniform(1, 3), 4))) for _p, _b, signs in pairs
    ]
    if calibrated_fair:
        intents = calibrated(weights, FAIR_INTENT, _STEP)
    else:
        intents = [max(_STEP, round_to(w * 5_000, _STEP)) for w in weights]
    signing = [i for i, (_p, _b, signs) in enumerate(pairs) if signs]
    counted = signing[:signers]
    factors = [intents[i] * Decimal(str(round(rng.uniform(0.85, 1.0), 3))) for i in counted]
    if calibrated_fair:
        signed = calibrated(factors, FAIR_SIGNED, _STEP)
    else:
        signed = [max(_STEP, round_to(f, _STEP)) for f in factors]
    amounts = dict(zip(counted, signed, strict=True))
    for i in signing[signers:]:
        amounts[i] = round_to(intents[i] * Decimal("0.9"), _STEP)
    if any(amounts[i] > intents[i] for i in amounts):
        raise AssertionError(f"a signing above its intent at the fair of {day}")
    entries, credits = [], []
    for i, (project, bank, _signs) in enumerate(pairs):
        values = {
            "活动编号": activity_id,
            "项目编号": project.project_id,
            "机构代码": bank.code,
            "意向金额(万元)": intents[i],
            "是否签约": False,
            "签约金额(万元)": None,
            "签约日期": None,
        }
        entry = Entry(MATCHMAKING, "签约", day, values)
        entries.append(entry)
        if i not in amounts:
            continue
        if i in counted:
            # Most sign on the day; two a few days later, when their boards have approved.
            k = counted.index(i)
            on = day if k < len(counted) - 2 else weekday_after(day, 3 + 3 * (k - len(counted) + 2))
        else:
            on = LATE_SIGNING
        note = "现场签约" if on == day else "会后签约"
        entry.update(on, 是否签约=True, **{"签约金额(万元)": amounts[i], "签约日期": on, "备注": note})
        drawn = _fair_drawing(rng, on, counted.index(i) if i in counted else None, calibrated_fair)
        credits.append(
            Credit(
                project,
                bank,
                on,
                amounts[i],
                drawn,
                Decimal(str(round(rng.uniform(0.3, 0.8), 3))),
                amounts[i],
            )
        )
    return entries, credits


def _fair_drawing(
    rng: random.Random, signed: dt.date, k: int | None, calibrated_fair: bool
) -> dt.date | None:
    """When a signed pair first draws: in 2022 three by the end of May, the others in June and July."""
    if calibrated_fair and k is not None and k < 3:
        return (dt.date(2022, 5, 27), dt.date(2022, 5, 30), dt.date(2022, 5, 31))[k]
    return weekday_after(signed, rng.randint(10, 60))
