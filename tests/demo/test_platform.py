"""The platform demo: May 2022 calibration (P01-P06), clean snapshots, history, files and determinism."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import itertools
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from demo.generator import DEFAULT_FIRST, DEFAULT_LAST
from demo.platform import (
    build_platform,
    file_names,
    render_enterprises,
    render_products,
    render_requests,
    write_platform,
)
from finstat.identifiers import is_valid_uscc
from finstat.periods import month_range

PERIODS = month_range(DEFAULT_FIRST, DEFAULT_LAST)
MAY = "2022-05"
HEADERS = {
    "入驻企业": "企业ID,统一社会信用代码,企业名称,县区代码,行业代码,企业规模,注册时间,状态",
    "金融产品": "产品ID,产品名称,机构代码,担保方式,额度上限(万元),上架时间,下架时间,状态",
    "融资需求": "需求ID,企业ID,产品ID,机构代码,申请金额(万元),申请时间,状态,授信金额(万元),授信时间,放款金额(万元),放款时间",
}
WAN_TO_YI = Decimal(10_000) / Decimal(100_000_000)


# ---------------------------------------------------------------------------------------------
# The indicator definitions of spec/indicators.md, written out here (not taken from demo.platform)
# ---------------------------------------------------------------------------------------------
def end_of(period: str) -> dt.datetime:
    year, month = map(int, period.split("-"))
    return dt.datetime(year, month, calendar.monthrange(year, month)[1], 23, 59, 59)


def listed_at_end(product, end: dt.datetime) -> bool:
    return product.listed_at <= end and (product.delisted_at is None or product.delisted_at > end)


def figures(snapshot, period: str) -> dict[str, object]:
    end = end_of(period)
    listed = [p for p in snapshot.products if listed_at_end(p, end)]
    granted = [r for r in snapshot.requests if r.granted_at is not None and r.granted_at <= end]
    drawn = [r for r in snapshot.requests if r.disbursed_at is not None and r.disbursed_at <= end]
    return {
        "P01": sum(1 for e in snapshot.enterprises if e.status == "正常" and e.registered_at <= end),
        "P02": len({p.inst_code for p in listed}),
        "P03": len(listed),
        "P04": sum((r.amount_granted for r in granted), Decimal(0)) * WAN_TO_YI,
        "P05": sum((r.amount_disbursed for r in drawn), Decimal(0)) * WAN_TO_YI,
        "P06": len({r.enterprise_id for r in granted}),
    }


@pytest.fixture(scope="module")
def platform(dataset):
    return dataset.platform


@pytest.fixture(scope="module")
def monthly(platform):
    return {period: figures(platform.snapshot(period), period) for period in platform.periods}


def test_every_dataset_month_has_a_snapshot(dataset, platform):
    assert platform.periods == dataset.periods == PERIODS


def test_may_2022_matches_the_bureau_statement(monthly):
    may = monthly[MAY]
    assert 5000 < may["P01"] < 6000, "平台已注册企业 5000 多家"
    assert may["P02"] == 12, "12 家银行机构"
    assert may["P03"] == 92, "金融产品 92 支"
    assert may["P04"].quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("97.93"), "累计授信 97.93 亿元"
    assert Decimal("97.926") < may["P04"] < Decimal("97.934"), "well inside the rounding window"
    assert 40 < may["P05"] < 50, "信贷投放 40 余亿元"
    assert may["P06"] > 0


def test_a_bank_that_left_makes_p02_differ_from_banks_that_ever_listed(platform, monthly):
    ever = {p.inst_code for p in platform.snapshot(MAY).products}
    assert len(ever) > monthly[MAY]["P02"]


@pytest.mark.parametrize("code", ["P01", "P03", "P04", "P05", "P06"])
def test_figures_grow_over_the_months(monthly, code):
    values = [monthly[p][code] for p in PERIODS]
    if code in ("P04", "P05", "P06"):
        # Cumulative figures: never lower than the month before.
        assert all(a <= b for a, b in itertools.pairwise(values)), values
    assert values[0] < values[-1], values


@pytest.mark.parametrize("period", PERIODS)
def test_clean_data_in_every_snapshot(dataset, platform, period):
    snapshot = platform.snapshot(period)
    register = {inst.code: inst for inst in dataset.institutions}
    enterprises = {e.enterprise_id for e in snapshot.enterprises}
    products = {p.product_id: p for p in snapshot.products}
    assert len(enterprises) == len(snapshot.enterprises) and len(products) == len(snapshot.products)
    for r in snapshot.requests:
        assert r.enterprise_id in enterprises and r.product_id in products, r
        assert r.inst_code == products[r.product_id].inst_code, r
        assert (r.amount_granted is None) == (r.granted_at is None), r
        assert (r.amount_disbursed is None) == (r.disbursed_at is None), r
        if r.granted_at is not None:
            assert r.granted_at >= r.applied_at and r.amount_granted <= r.amount_applied, r
        if r.disbursed_at is not None:
            assert r.granted_at is not None and r.disbursed_at >= r.granted_at, r
            assert r.amount_disbursed <= r.amount_granted, r
        if r.disbursed_at is not None:
            assert r.status == "已放款", r
        elif r.granted_at is not None:
            assert r.status == "已授信", r
        else:
            assert r.status in ("待受理", "已受理", "已拒绝", "已撤回"), r
    for p in products.values():
        inst = register.get(p.inst_code)
        assert inst is not None and inst.inst_type != "其他", p
        assert inst.in_scope(f"{p.listed_at:%Y-%m}"), p
        # The 状态 column agrees with "上架 at end of M" (products change on days 5..25 only).
        assert (p.status == "上架") == listed_at_end(p, end_of(period)), p
        assert (p.delisted_at is None) == (p.status == "上架"), p
    for e in snapshot.enterprises:
        assert e.status in ("正常", "注销") and e.size in ("大型", "中型", "小型", "微型"), e
        assert e.county_code in ("410602", "410603", "410611", "410621", "410622"), e
    assert snapshot.export_time > end_of(period)
    assert snapshot.export_time < end_of(period) + dt.timedelta(days=3)


def test_applications_only_from_live_enterprises_for_listed_products(platform):
    may = platform.snapshot(MAY)
    products = {p.product_id: p for p in may.products}
    registered = {e.enterprise_id: e.registered_at for e in may.enterprises}
    for r in may.requests:
        assert registered[r.enterprise_id] <= r.applied_at, r
        product = products[r.product_id]
        assert product.listed_at <= r.applied_at, r
        assert product.delisted_at is None or product.delisted_at > r.applied_at, r
    # An enterprise 注销 in one month's export applies for nothing afterwards.
    for period in platform.periods:
        snapshot = platform.snapshot(period)
        gone = {e.enterprise_id for e in snapshot.enterprises if e.status == "注销"}
        late = [r for r in may.requests if r.enterprise_id in gone and r.applied_at > snapshot.export_time]
        assert not late, late[:3]


def test_history_records_change_state_but_keep_grants(platform):
    changed = 0
    for before, after in itertools.pairwise(platform.periods):
        later = {r.request_id: r for r in platform.snapshot(after).requests}
        for r in platform.snapshot(before).requests:
            now = later[r.request_id]
            changed += r.status != now.status
            if r.granted_at is not None:
                assert (now.amount_granted, now.granted_at) == (r.amount_granted, r.granted_at), now
            if r.disbursed_at is not None:
                assert (now.amount_disbursed, now.disbursed_at) == (r.amount_disbursed, r.disbursed_at), now
    assert changed > 0


def test_the_may_export_holds_records_of_early_june(platform, monthly):
    may, end = platform.snapshot(MAY), end_of(MAY)
    assert any(e.registered_at > end for e in may.enterprises)
    assert any(r.applied_at > end for r in may.requests)
    assert monthly[MAY]["P01"] < sum(1 for e in may.enterprises if e.status == "正常")


def test_every_uscc_is_valid_and_unique(platform):
    enterprises = platform.snapshot(MAY).enterprises
    assert all(is_valid_uscc(e.uscc) for e in enterprises)
    for e in enterprises:
        assert e.uscc[0] == "9" and e.uscc[2:8] == e.county_code, e
    assert len({e.uscc for e in enterprises}) == len(enterprises)
    assert len({e.name for e in enterprises}) == len(enterprises)


def test_ids_follow_their_patterns(platform):
    may = platform.snapshot(MAY)
    assert all(re.fullmatch(r"QY\d{6}", e.enterprise_id) for e in may.enterprises)
    assert all(re.fullmatch(r"CP\d{4}", p.product_id) for p in may.products)
    assert all(re.fullmatch(r"XQ\d{8}", r.request_id) for r in may.requests)


def test_two_builds_render_the_same_bytes(dataset, platform):
    again = build_platform(dataset.institutions, [MAY])
    for render in (render_enterprises, render_products, render_requests):
        assert render(again.snapshot(MAY)) == render(platform.snapshot(MAY)), render.__name__


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _wan(text: str) -> Decimal | None:
    assert re.fullmatch(r"|\d+(\.\d{1,2})?", text), text
    return Decimal(text) if text else None


def _time(text: str) -> dt.datetime | None:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S") if text else None


def test_the_request_file_holds_exactly_the_typed_records(platform):
    snapshot = platform.snapshot(MAY)
    rows = _rows(render_requests(snapshot))[1:]
    assert len(rows) == len(snapshot.requests)
    texts = set()
    for row, r in zip(rows, snapshot.requests, strict=True):
        assert row[:4] == [r.request_id, r.enterprise_id, r.product_id, r.inst_code]
        assert (_wan(row[4]), _time(row[5]), row[6]) == (r.amount_applied, r.applied_at, r.status)
        assert (_wan(row[7]), _time(row[8])) == (r.amount_granted, r.granted_at)
        assert (_wan(row[9]), _time(row[10])) == (r.amount_disbursed, r.disbursed_at)
        texts.update(row[4:5] + row[7:8] + row[9:10])
    # Amounts come both shortest (500, 120.5) and with two decimals (35.00).
    assert any(re.fullmatch(r"\d+", t) for t in texts)
    assert any(re.fullmatch(r"\d+\.\d", t) for t in texts)
    assert any(re.fullmatch(r"\d+\.\d0", t) for t in texts)


def test_the_product_and_enterprise_files_hold_the_typed_records(platform):
    snapshot = platform.snapshot(MAY)
    products = _rows(render_products(snapshot))[1:]
    for row, p in zip(products, snapshot.products, strict=True):
        assert row[:4] == [p.product_id, p.name, p.inst_code, p.guarantee]
        assert (_wan(row[4]), _time(row[5]), _time(row[6]), row[7]) == (
            p.limit,
            p.listed_at,
            p.delisted_at,
            p.status,
        )
    enterprises = _rows(render_enterprises(snapshot))[1:]
    for row, e in zip(enterprises, snapshot.enterprises, strict=True):
        registered = f"{e.registered_at:%Y-%m-%d %H:%M:%S}"
        assert row == [
            e.enterprise_id,
            e.uscc,
            e.name,
            e.county_code,
            e.industry_code,
            e.size,
            registered,
            e.status,
        ]


@pytest.fixture(scope="module")
def written(tmp_path_factory, platform):
    """The platform's files alone (write_landing's share of them is checked in test_files.py)."""
    root = tmp_path_factory.mktemp("platform_landing")
    return root, write_platform(platform, root)


def test_write_platform_writes_three_files_per_month(dataset, written):
    root, files = written
    per_folder = defaultdict(list)
    for path in files:
        per_folder[path.parent.relative_to(root).as_posix()].append(path.name)
    assert sorted(per_folder) == [f"platform/{p}" for p in dataset.periods]
    for period in dataset.periods:
        names = per_folder[f"platform/{period}"]
        assert tuple(names) == file_names(period)
        yyyymm = period.replace("-", "")
        assert names == [f"入驻企业_{yyyymm}.csv", f"金融产品_{yyyymm}.csv", f"融资需求_{yyyymm}.csv"]


@pytest.mark.parametrize("kind", list(HEADERS))
def test_written_files_have_the_bom_and_the_header(written, platform, kind):
    _root, files = written
    ours = [p for p in files if p.name.startswith(f"{kind}_")]
    assert len(ours) == len(platform.periods)
    for path in ours:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), path
        assert data[3:].split(b"\r\n", 1)[0].decode("utf-8") == HEADERS[kind], path
    may = next(p for p in ours if p.parent.name == MAY)
    render = {"入驻企业": render_enterprises, "金融产品": render_products, "融资需求": render_requests}[kind]
    assert may.read_bytes() == render(platform.snapshot(MAY))


def test_months_before_the_opening_have_no_export(dataset):
    early = build_platform(dataset.institutions, month_range("2020-07", "2020-10"))
    assert early.periods == ["2020-09", "2020-10"]
    assert early.snapshot("2020-09").enterprises and early.snapshot("2020-09").requests
    assert early.export_time("2020-09") > end_of("2020-09")
