"""The demo ledgers: May 2022's report read back from the workbooks, the missing month, dates after month
end, later completions, stages, rules 30-32 in every month, and every layout variation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from demo.ledgers import (
    ALL_VARIATIONS,
    FIRST_PERIOD,
    LEDGERS,
    MISSING_PERIOD,
    export_date,
    file_variations,
    relpath,
    render_ledger,
)
from demo.ledgers.base import STAGES
from finstat.identifiers import is_valid_uscc
from finstat.periods import add_months
from tests.e2e.expected_ledgers import figures, read_ledger

MATCH, LISTING, DOCS = LEDGERS
KEYS = {
    "对接活动": "活动编号",
    "走访企业": "走访编号",
    "推介项目": "项目编号",
    "后备企业": "企业编号",
    "文书": "文号",
}


# ---------------------------------------------------------------------------------------------
# Fixtures: the written landing of the session's dataset, read once
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ledger_files(dataset, landing):
    root, written = landing
    paths = [p for p in written if p.relative_to(root).parts[0] == "ledgers"]
    return root, paths


@pytest.fixture(scope="module")
def read_back(dataset, ledger_files):
    """(period, ledger) -> sheets, and (period, ledger) -> the layout forms seen, for every file."""
    root, _paths = ledger_files
    tables, seen = {}, {}
    for period, ledger in dataset.ledgers.files:
        seen[(period, ledger)] = defaultdict(set)
        tables[(period, ledger)] = read_ledger(root / relpath(ledger, period), seen[(period, ledger)])
    return tables, seen


def _figures(tables, period):
    return figures(period, *(tables[(period, ledger)] for ledger in LEDGERS))


# ---------------------------------------------------------------------------------------------
# The report of May 2022
# ---------------------------------------------------------------------------------------------
def test_may_2022_gives_the_report(read_back):
    got = _figures(read_back[0], "2022-05")
    assert 50 <= got["M01"] <= 59
    assert (got["M02"], got["M03"], got["M04"]) == (943, 278, 6)
    assert (got["M05"], got["M06"], got["M08"]) == (Decimal("455.32"), Decimal("124.08"), Decimal("77.79"))
    assert (got["M09"], got["M10"], got["M12"]) == (10, 20, 10)
    assert 38 <= got["M11"] < 40
    assert 0 < got["M13"] < 100 and 0 < got["M07"] < got["M06"]
    assert (got["S01"], got["S05"], got["S06"], got["G01"]) == (39, 29, 14, 14)
    assert 160 <= got["S04"] <= 169
    assert got["S01"] < got["S02"] and 0 < got["S03"] < got["S02"]


def test_every_fair_intent_of_2022_is_the_24_may_fair(read_back):
    match = read_back[0][("2022-05", MATCH)]
    days = {a["活动编号"]: a for a in match["对接活动"]}
    fairs = {s["活动编号"] for s in match["签约"] if days[s["活动编号"]]["活动日期"].year == 2022}
    assert [days[f]["活动日期"] for f in fairs] == [dt.date(2022, 5, 24)]


def test_2021_figures_are_plausible_and_january_small(read_back):
    tables = read_back[0]
    dec, jan = _figures(tables, "2021-12"), _figures(tables, "2021-01")
    assert 80 <= dec["M01"] <= 120 and dec["M02"] > 1500 and dec["M04"] == 5
    assert dec["M08"] > 0 and dec["M12"] > 0 and "M13" in dec and dec["G01"] > 10
    assert jan["M01"] < 10 and jan["M02"] < 250 and jan["M04"] == 0 and jan["M08"] == 0
    assert "M13" not in jan  # withheld while nothing is signed
    assert jan["S01"] >= 30  # the pipeline was copied over when the ledger began


# ---------------------------------------------------------------------------------------------
# Files, months, determinism
# ---------------------------------------------------------------------------------------------
def test_one_month_has_no_ledgers(dataset, ledger_files):
    root, paths = ledger_files
    months = {p.parent.name for p in paths}
    assert MISSING_PERIOD.startswith("2021") and MISSING_PERIOD != "2021-01"
    assert months == {p for p in dataset.periods if p >= FIRST_PERIOD} - {MISSING_PERIOD}
    for month in months:
        names = sorted(p.name for p in paths if p.parent.name == month)
        assert names == sorted(f"{ledger}_{month.replace('-', '')}.xlsx" for ledger in LEDGERS)
    assert not (root / "ledgers" / MISSING_PERIOD).exists()


def test_same_bytes_twice(dataset, rebuilt, ledger_files):
    root, _paths = ledger_files
    for ledger in LEDGERS:
        again = render_ledger(rebuilt.ledgers, ledger, "2022-05", rebuilt.city)
        assert again == (root / relpath(ledger, "2022-05")).read_bytes(), ledger


def test_files_hold_rows_dated_after_month_end(read_back):
    tables = read_back[0]
    for period, sheet, column in (
        ("2022-05", "对接活动", "活动日期"),
        ("2022-05", "走访企业", "走访日期"),
        ("2022-05", "签约", "签约日期"),
        ("2022-03", "走访企业", "走访日期"),
    ):
        rows = tables[(period, MATCH)][sheet]
        later = [r[column] for r in rows if r[column] and f"{r[column]:%Y-%m}" > period]
        assert later and max(later) <= export_date(period), (period, sheet)
    listing = tables[("2022-05", LISTING)]["后备企业"]
    assert any(e["重点企业"] and e["入库日期"] == dt.date(2022, 6, 1) for e in listing)


def test_a_disbursement_filled_in_the_next_months_ledger(dataset, read_back):
    tables = read_back[0]
    found = []
    for period in dataset.ledgers.periods:
        after = add_months(period, 1)
        if (after, MATCH) not in tables:
            continue
        before = {(c["项目编号"], c["机构代码"]): c for c in tables[(period, MATCH)]["授信跟踪"]}
        for c in tables[(after, MATCH)]["授信跟踪"]:
            old = before.get((c["项目编号"], c["机构代码"]))
            if old and old["放款金额(万元)"] is None and c["放款日期"] and f"{c['放款日期']:%Y-%m}" == after:
                found.append((period, c["项目编号"]))
    assert found


def test_uscc_are_valid_and_the_platforms(dataset, read_back):
    tables = read_back[0]
    platform = {e.uscc: e.name for e in dataset.platform.enterprises}
    match, listing = tables[("2022-05", MATCH)], tables[("2022-05", LISTING)]
    for row in (*match["走访企业"], *listing["后备企业"]):
        assert is_valid_uscc(row["统一社会信用代码"]) and platform[row["统一社会信用代码"]] == row["企业名称"]
    assert all(p["统一社会信用代码"] in platform for p in match["推介项目"])


# ---------------------------------------------------------------------------------------------
# Rules 30-32 pass in every month
# ---------------------------------------------------------------------------------------------
def test_rule_30_holds_in_every_file(dataset, read_back):
    register = {inst.code for inst in dataset.institutions}
    tables = read_back[0]
    for period in dataset.ledgers.periods:
        match, listing, docs = (tables[(period, ledger)] for ledger in LEDGERS)
        for sheets in (match, listing, docs):
            for sheet, key in KEYS.items():
                if sheet in sheets:
                    values = [r[key] for r in sheets[sheet]]
                    assert len(values) == len(set(values)) and all(values), (period, sheet)
        pairs = [(c["项目编号"], c["机构代码"]) for c in match["授信跟踪"]]
        assert len(pairs) == len(set(pairs))
        projects = {p["项目编号"] for p in match["推介项目"]}
        activities = {a["活动编号"] for a in match["对接活动"]}
        for c in match["授信跟踪"]:
            assert c["项目编号"] in projects and c["机构代码"] in register
            assert (c["放款金额(万元)"] is None) == (c["放款日期"] is None)
            assert c["放款金额(万元)"] is None or c["放款金额(万元)"] <= c["授信金额(万元)"]
        for s in match["签约"]:
            assert s["项目编号"] in projects and s["活动编号"] in activities and s["机构代码"] in register
            present = (s["签约金额(万元)"] is not None, s["签约日期"] is not None)
            assert present == (s["是否签约"], s["是否签约"]), (period, s)
        enterprises = {e["企业编号"] for e in listing["后备企业"]}
        assert all(s["企业编号"] in enterprises for s in listing["服务记录"])
        services = [(s["日期"], s["企业编号"], s["类型"]) for s in listing["服务记录"]]
        assert len(services) == len(set(services))


def test_rule_31_year_to_date_figures_never_fall(dataset, read_back):
    ytd = (
        "M01",
        "M02",
        "M03",
        "M04",
        "M05",
        "M06",
        "M07",
        "M08",
        "M09",
        "M10",
        "M11",
        "M12",
        "S04",
        "S05",
        "S06",
        "G01",
    )
    previous: dict[str, Decimal] = {}
    last_year = None
    for period in dataset.ledgers.periods:
        got = _figures(read_back[0], period)
        if period[:4] != last_year:
            previous, last_year = {}, period[:4]
        for code in ytd:
            assert got[code] >= previous.get(code, Decimal(0)), (period, code)
        previous = got


def test_rule_32_stages_never_go_back_and_key_enterprises_leave_properly(dataset, read_back):
    tables = read_back[0]
    history: dict[str, list[str]] = defaultdict(list)
    before: dict[str, dict] = {}
    exits = []
    for period in dataset.ledgers.periods:
        now = {e["企业编号"]: e for e in tables[(period, LISTING)]["后备企业"]}
        for number, old in before.items():
            if old["重点企业"]:
                assert number in now or old["出库日期"], (period, number)
        for number, e in now.items():
            if number in before:
                assert STAGES.index(e["阶段"]) >= STAGES.index(before[number]["阶段"]), (period, number)
            if not history[number] or history[number][-1] != e["阶段"]:
                history[number].append(e["阶段"])
            if e["重点企业"] and e["出库日期"] and e["出库日期"] <= export_date(period):
                exits.append(number)
        before = now
    assert exits  # a key enterprise left the pipeline with its 出库日期
    assert max(len(stages) for stages in history.values()) >= 4  # one moved through the stages


# ---------------------------------------------------------------------------------------------
# Variations: each one used by some file, and really in the files that claim it
# ---------------------------------------------------------------------------------------------
def test_every_variation_is_used_and_really_there(dataset, read_back):
    _tables, seen = read_back
    used = set()
    for (period, ledger), forms in seen.items():
        claimed = set(file_variations(dataset.ledgers, ledger, period))
        used |= claimed
        found = {f"title_rows_{n}" for n in forms["title"]}
        found |= {"columns_spec_order" if o == "spec" else "columns_moved" for o in forms["order"]}
        found |= {f"date_{f}" for f in forms["dates"]} | {f"bool_{b}" for b in forms["bools"]}
        found |= {f"amount_{a}" for a in forms["amounts"] if a != "plain_text"}
        found |= {f"batch_{b}" for b in forms["batch"]}
        found |= {"remark_column"} if forms["remark"] == {"备注"} else set()
        found |= {"blank_rows"} if forms["blank"] else set()
        assert found == claimed, (period, ledger, found ^ claimed)
        assert len(forms["order"]) == 1 and forms["remark"] <= {"备注"}
    assert used == set(ALL_VARIATIONS)
