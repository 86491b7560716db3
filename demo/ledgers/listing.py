"""上市后备企业台账: the listing pipeline (entries, stages, exits) and the bureau's services to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from demo.ledgers.base import LISTING, STAGES, _rng, weekdays
from demo.ledgers.calibration import (
    CUTOFF,
    KEY_ENTERPRISES,
    PIPELINE_SOLVED_2022,
    PIPELINE_VISITS_2022,
    TRAINING_2022,
    YEAR_START,
)
from demo.ledgers.pools import Firm, Pools, adjust_counts, weekday_after
from demo.ledgers.records import Entry

# Who is in the pipeline: (entered from, entered to, 重点, how many). The first rows were copied
# from the paper ledger; 2022's 重点 newcomer of 1 June is in the May file but not in May's S01.
_COHORTS = (
    (dt.date(2019, 3, 1), dt.date(2020, 12, 20), True, 31),
    (dt.date(2019, 3, 1), dt.date(2020, 12, 20), False, 13),
    (dt.date(2021, 2, 1), dt.date(2021, 12, 20), True, 6),
    (dt.date(2021, 2, 1), dt.date(2021, 12, 20), False, 4),
    (dt.date(2022, 1, 4), dt.date(2022, 5, 27), True, 5),
    (dt.date(2022, 1, 4), dt.date(2022, 5, 27), False, 2),
    (dt.date(2022, 6, 1), dt.date(2022, 6, 1), True, 1),
)
# Exits by the end of May 2022 (three 重点, so S01 = 31 + 6 + 5 - 3 = 39): index among the 重点 or
# the others of the first cohort, day, 备注.
_KEY_EXITS = (
    (0, dt.date(2021, 8, 16), "已上市，转出后备库"),
    (5, dt.date(2021, 12, 14), "不再符合入库条件"),
    (9, dt.date(2022, 3, 21), "迁出本市"),
)
_OTHER_EXITS = (
    (2, dt.date(2021, 5, 18), "企业主动申请退出"),
    (7, dt.date(2022, 2, 15), "经营困难，暂缓上市计划"),
)
# The one that moves month by month: 培育 until late 2021, then a stage nearly every month.
_FAST = 1
_FAST_STAGES = (dt.date(2021, 11, 17), dt.date(2021, 12, 20), dt.date(2022, 2, 24), dt.date(2022, 4, 26))
_BOARDS = ("深交所主板", "上交所主板", "创业板", "科创板")


@dataclass
class Candidate:
    """A pipeline enterprise: its firm, ledger entry and the days it was in."""

    firm: Firm
    key: bool
    entered: dt.date
    exited: dt.date | None
    entry: Entry

    def active(self, day: dt.date) -> bool:
        return self.entered <= day and (self.exited is None or self.exited > day)


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return weekday_after(start, rng.randint(0, max(0, (end - start).days - 3)))


def build_pipeline(pools: Pools) -> list[Candidate]:
    """The pipeline's enterprises with their stages and exits; S01 of May 2022 is 39."""
    rng = _rng("pipeline")
    total = sum(n for *_rest, n in _COHORTS)
    firms = rng.sample(pools.large, total)
    planned = []
    for start, end, key, count in _COHORTS:
        for _ in range(count):
            planned.append((start if start == end else _day(rng, start, end), key))
    order = sorted(range(total), key=lambda i: (planned[i][0], i))
    out = []
    keys = [i for i in order if planned[i][1]]
    others = [i for i in order if not planned[i][1]]
    exits = {keys[k]: (day, note) for k, day, note in _KEY_EXITS}
    exits |= {others[k]: (day, note) for k, day, note in _OTHER_EXITS}
    for seq, i in enumerate(order, start=1):
        entered, key = planned[i]
        firm = firms[i]
        erng = _rng("pipeline", seq)
        board = erng.choice(_BOARDS + (("北交所",) if entered.year >= 2022 else ()))
        stage = 0 if erng.random() < 0.7 else 1
        values = {
            "企业编号": f"SB{seq:04d}",
            "企业名称": firm.name,
            "统一社会信用代码": firm.uscc,
            "县区代码": firm.county_code,
            "重点企业": key,
            "入库日期": entered,
            "出库日期": None,
            "阶段": STAGES[stage],
            "阶段日期": entered,
            "拟上市板块": board,
        }
        entry = Entry(LISTING, "后备企业", entered, values)
        exited, note = exits.get(i, (None, ""))
        if i == keys[0]:
            # The one that listed: through the stages before the ledger began, listed in July 2021.
            entry.values.update(阶段="已过会", 阶段日期=dt.date(2021, 4, 22))
            entry.update(dt.date(2021, 7, 20), 阶段="已上市", 阶段日期=dt.date(2021, 7, 20))
        elif i == keys[_FAST]:
            entry.values["阶段"] = STAGES[0]
            for n, day in enumerate(_FAST_STAGES, start=1):
                entry.update(day, 阶段=STAGES[n], 阶段日期=day)
        else:
            day = entered
            while stage < 3 and erng.random() < 0.55:
                day = weekday_after(day, erng.randint(200, 500))
                stage += 1
                entry.update(day, 阶段=STAGES[stage], 阶段日期=day)
        if exited is not None:
            entry.updates = [(on, change) for on, change in entry.updates if on < exited]
            entry.update(exited, 出库日期=exited, 备注=note)
        out.append(Candidate(firm, key, entered, exited, entry))
    at_cutoff = sum(c.key and c.active(CUTOFF) for c in out)
    if at_cutoff != KEY_ENTERPRISES:
        raise AssertionError(f"{at_cutoff} key enterprises at the end of May 2022, not {KEY_ENTERPRISES}")
    return out


# Training days (2022 up to May: 164 户次 in five sessions).
_TRAININGS = {
    2021: ((3, 25), (5, 20), (6, 24), (9, 16), (11, 11), (12, 9)),
    2022: ((1, 20, 30), (3, 17, 33), (4, 14, 34), (5, 12, 30), (5, 26, 31)),
}


def build_services(pools: Pools, pipeline: list[Candidate], months: list[str]) -> list[Entry]:
    """服务记录: trainings, visits and problems solved for the enterprises in the pipeline."""
    records = []  # (day, candidate, type, 户次, solved)
    used: set[tuple] = set()

    def add(day: dt.date, who: Candidate, kind: str, times: int, solved: int) -> None:
        if (day, who.entry.values["企业编号"], kind) not in used and who.active(day):
            used.add((day, who.entry.values["企业编号"], kind))
            records.append([day, who, kind, times, solved])

    for year, sessions in _TRAININGS.items():
        for session in sessions:
            day = dt.date(year, session[0], session[1])
            if f"{day:%Y-%m}" not in months:
                continue
            active = [c for c in pipeline if c.active(day)]
            rng = _rng("training", day)
            size = session[2] if len(session) > 2 else rng.randint(18, 30)
            for who in rng.sample(active, min(size, len(active))):
                add(day, who, "培训", 1, 0)
    for period in months:
        rng = _rng("pipeline-services", period)
        days = weekdays(period)
        visits = 9 if "2022-01" <= period <= "2022-05" else rng.randint(3, 8)
        for _ in range(visits):
            day = rng.choice(days)
            active = [c for c in pipeline if c.active(day)]
            add(day, rng.choice(active), "走访", 1, int(rng.random() < 0.25))
        for _ in range(rng.randint(0, 2)):
            day = rng.choice(days)
            active = [c for c in pipeline if c.active(day)]
            add(day, rng.choice(active), "协调解决问题", 1, rng.randint(1, 3))
    records.sort(key=lambda r: (r[0], r[2]))
    in_2022 = [r for r in records if YEAR_START <= r[0] <= dt.date(2022, 5, 31)]
    _calibrate_2022(in_2022)
    out = []
    records = [r for r in records if r[3] > 0]
    for day, who, kind, times, solved in records:
        values = {
            "日期": day,
            "企业编号": who.entry.values["企业编号"],
            "类型": kind,
            "户次": times,
            "解决问题数": solved,
        }
        remark = "两场次均参加" if times > 1 else ""
        out.append(Entry(LISTING, "服务记录", day, values, remark=remark))
    return out


def _calibrate_2022(records: list[list]) -> None:
    """S04 164, S05 29, S06 14 over 2022's records up to May: 户次 of trainings, visits dropped, solved."""
    trainings = [r for r in records if r[2] == "培训"]
    rng = _rng("services-2022")
    for r in rng.sample(trainings, TRAINING_2022 - len(trainings)):
        r[3] = 2  # whoever came to both sessions of a two-day training
    visits = [r for r in records if r[2] == "走访"]
    if len(visits) < PIPELINE_VISITS_2022:
        raise AssertionError(f"only {len(visits)} pipeline visits in 2022 up to May")
    for r in rng.sample(visits, len(visits) - PIPELINE_VISITS_2022):
        records.remove(r)
        r[3] = 0  # never made: the caller drops it
    solvers = [r for r in records if r[2] != "培训"]
    values = [r[4] for r in solvers]
    adjust_counts(rng, values, [1 if r[2] == "走访" else 3 for r in solvers], PIPELINE_SOLVED_2022)
    for r, value in zip(solvers, values, strict=True):
        r[4] = value
