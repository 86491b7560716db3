"""Platform end to end: a re-delivered snapshot republishes May 2022 as version 2; rules 18-21 block."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from finstat.identifiers import uscc_check_char
from tests.demo_warehouse import demo_copy

pytestmark = pytest.mark.e2e

MAY, APRIL = "2022-05", "2022-04"
END_OF_MAY = "2022-05-31 23:59:59"
GRANT_WAN = Decimal("1000")  # 0.1 亿元: visible in P04's second decimal
FOREIGN_BANK = "X0000H41069999"  # not in the register (rule 19)


def _read(path):
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return rows[0], [list(r) for r in rows[1:]]


def _write(path, header, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


@pytest.fixture(scope="module")
def copied_world(demo_run, tmp_path_factory):
    """A copy of the published demo warehouse, so this module's runs leave the demo untouched."""
    with demo_copy(demo_run, tmp_path_factory.mktemp("platform")) as world:
        yield world


def _history(home, period=MAY):
    rows = pq.read_table(home / "published" / "official_figures_history.parquet").to_pylist()
    return [r for r in rows if r["period"] == period]


def _values(rows, version):
    return {(r["indicator_code"], r["region_code"]): r["value"] for r in rows if r["version"] == version}


def _check(outcome, name):
    found = [c for c in outcome.failed_checks if c["check"] == name]
    assert found, [c["check"] for c in outcome.failed_checks]
    return found[0]["metadata"]


def _granted_by_may(rows, col):
    return [r for r in rows if r[col["授信时间"]] and r[col["授信时间"]] <= END_OF_MAY]


def _one_status_changed(header, rows):
    """A request still waiting at the end of May, of an enterprise never granted, becomes 已授信."""
    col = {name: i for i, name in enumerate(header)}
    granted_enterprises = {r[col["企业ID"]] for r in _granted_by_may(rows, col)}
    chosen = next(
        r
        for r in rows
        if r[col["状态"]] in ("待受理", "已受理")
        and r[col["申请时间"]] < "2022-05-29"
        and r[col["企业ID"]] not in granted_enterprises
    )
    chosen[col["状态"]] = "已授信"
    chosen[col["授信金额(万元)"]] = str(GRANT_WAN)
    chosen[col["授信时间"]] = "2022-05-30 10:00:00"
    return chosen[col["需求ID"]]


def _plant_requests(header, rows, april_p04_wan, may_p04_wan):
    """Rule 18 twice, rule 19 once, and enough old grants withdrawn that P04 falls below April's (20)."""
    col = {name: i for i, name in enumerate(header)}
    drawn = [r for r in rows if r[col["放款时间"]] and r[col["放款时间"]] < "2022-01-01"]
    over_drawn, early_grant = drawn[0], drawn[1]
    over_drawn[col["放款金额(万元)"]] = str(Decimal(over_drawn[col["授信金额(万元)"]]) + 1)
    applied = dt.datetime.fromisoformat(early_grant[col["申请时间"]])
    early_grant[col["授信时间"]] = (applied - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    waiting = next(r for r in rows if r[col["状态"]] == "待受理")
    waiting[col["产品ID"]] = "CP9999"
    touched = {over_drawn[col["需求ID"]], early_grant[col["需求ID"]], waiting[col["需求ID"]]}
    withdrawn, removed = [], Decimal(0)
    # Grants April already counted, largest first: few records, so the check's row list (200 at
    # most) holds them all, and each one lowers P04 against April.
    counted_in_april = [r for r in rows if r[col["授信时间"]] and r[col["授信时间"]] <= "2022-04-30 23:59:59"]
    for row in sorted(counted_in_april, key=lambda r: -Decimal(r[col["授信金额(万元)"]])):
        if removed > may_p04_wan - april_p04_wan:
            break
        if row[col["需求ID"]] in touched:
            continue
        removed += Decimal(row[col["授信金额(万元)"]])
        for name in ("授信金额(万元)", "授信时间", "放款金额(万元)", "放款时间"):
            row[col[name]] = ""
        row[col["状态"]] = "已撤回"
        withdrawn.append(row[col["需求ID"]])
    return {
        "over_drawn": over_drawn[col["需求ID"]],
        "early_grant": early_grant[col["需求ID"]],
        "dangling": waiting[col["需求ID"]],
        "withdrawn": set(withdrawn),
    }


def test_redelivered_snapshot_republishes_then_planted_defects_block(copied_world, demo_dataset):
    from orchestration.runner import dagster_instance, run_month

    settings, home = copied_world["settings"], copied_world["home"]
    folder = copied_world["landing"] / "platform" / MAY
    version_1 = _values(_history(home), 1)
    assert version_1 and {r["version"] for r in _history(home)} == {1}

    # 1. The operator re-exports May with one request's status changed: May becomes version 2, and
    #    only the figures that request feeds (P04, P06) differ.
    header, rows = _read(folder / "融资需求_202205.csv")
    changed_request = _one_status_changed(header, rows)
    _write(folder / "融资需求_202205_v2.csv", header, rows)
    instance = dagster_instance(settings)
    republished = run_month(MAY, settings, instance)
    assert republished.status == "published", (republished.failed_checks, republished.errors)
    history = _history(home)
    assert {r["version"] for r in history} == {1, 2}
    assert _values(history, 1) == version_1, "version 1 stays readable, unchanged"
    version_2 = _values(history, 2)
    changed = {key for key in version_1 if version_1[key] != version_2[key]}
    assert changed == {("P04", "410600"), ("P06", "410600")}
    assert version_2[("P04", "410600")] - version_1[("P04", "410600")] == Decimal("0.10")
    assert version_2[("P06", "410600")] - version_1[("P06", "410600")] == 1
    publications = pq.read_table(home / "published" / "publications.parquet").to_pylist()
    record = next(p for p in publications if p["period"] == MAY and p["version"] == 2)
    assert {(c["indicator_code"], c["region_code"]) for c in json.loads(record["changes_json"])} == changed
    latest = pq.read_table(home / "published" / "official_figures.parquet").to_pylist()
    assert {r["version"] for r in latest if r["period"] == MAY} == {2}
    note = (home / "published" / "reports" / MAY / "发布说明_2022-05_v2.md").read_text(encoding="utf-8")
    changes = note.split("## 与上一版相比的变化")[1].split("##")[0]
    assert "P04 平台累计授信金额" in changes and "P06 平台累计授信企业数" in changes and "L01" not in changes
    status_rows = _status_changes(settings, changed_request)
    assert ("2022-05", "已授信") in status_rows, status_rows

    # 2. A broken export: every platform rule is caught, naming the records, and nothing is published.
    april = demo_dataset.platform.snapshot(APRIL)
    april_p04 = sum(
        (
            r.amount_granted
            for r in april.requests
            if r.granted_at and r.granted_at <= dt.datetime(2022, 4, 30, 23, 59, 59)
        ),
        Decimal(0),
    )
    may_p04 = sum(
        (
            Decimal(r[header.index("授信金额(万元)")])
            for r in _granted_by_may(rows, {n: i for i, n in enumerate(header)})
        ),
        Decimal(0),
    )
    planted = _plant_requests(header, rows, april_p04, may_p04)
    _write(folder / "融资需求_202205_v3.csv", header, rows)
    p_header, products = _read(folder / "金融产品_202205.csv")
    products[0][p_header.index("机构代码")] = FOREIGN_BANK
    foreign_product = products[0][p_header.index("产品ID")]
    _write(folder / "金融产品_202205_v2.csv", p_header, products)
    e_header, enterprises = _read(folder / "入驻企业_202205.csv")
    uscc_col = e_header.index("统一社会信用代码")
    bad = enterprises[0]
    right = uscc_check_char(bad[uscc_col][:17])
    bad[uscc_col] = bad[uscc_col][:17] + next(c for c in "0123456789" if c != right)
    _write(folder / "入驻企业_202205_v2.csv", e_header, enterprises)

    blocked = run_month(MAY, settings, instance)
    assert blocked.status == "blocked", blocked.errors
    rule18 = _check(blocked, "rule_18_platform_request_consistency")["failing_rows_json"]
    assert {(r["request_id"], r["measure"]) for r in rule18} == {
        (planted["over_drawn"], "放款金额<=授信金额"),
        (planted["early_grant"], "授信时间>=申请时间"),
    }
    rule19 = _check(blocked, "rule_19_platform_references")["failing_rows_json"]
    assert {(r["measure"], r["request_id"], r["product_id"]) for r in rule19} == {
        ("产品ID", planted["dangling"], "CP9999"),
        ("机构代码", None, foreign_product),
    }
    rule20 = _check(blocked, "rule_20_platform_cumulative")
    assert rule20["rule_severity"] == "warn"
    assert rule20["failing_row_count"] <= 200, "every failing row is in the JSON"
    p04_rows = [r for r in rule20["failing_rows_json"] if r["measure"].startswith("P04")]
    assert {r["request_id"] for r in p04_rows if r["request_id"]} == planted["withdrawn"]
    p04 = next(r for r in p04_rows if r["request_id"] is None)
    assert Decimal(str(p04["found"])) < Decimal(str(p04["expected"]))
    rule21 = _check(blocked, "rule_21_platform_uscc")["failing_rows_json"]
    assert [r["enterprise_id"] for r in rule21] == [bad[e_header.index("企业ID")]]
    assert {r["version"] for r in _history(home)} == {1, 2}, "nothing published while blocked"


def _status_changes(settings, request_id):
    import duckdb

    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        return con.execute(
            "select period, status from fct_platform_request_status_history where request_id = ? order by period",
            [request_id],
        ).fetchall()
