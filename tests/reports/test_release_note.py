"""The release note: the figures of the version, the changes since the last one, acknowledged warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finstat.publication.publish import publish_period
from finstat.reference import City
from reports.model import published_label
from reports.release_note import note_path, release_note, write_release_note

PERIOD = "2022-05"
CITY = City("410600", "鹤壁市")


def _candidates(l01: str) -> list[dict]:
    base = {"region_code": "410600", "region_name": "鹤壁市"}
    return [
        {**base, "indicator_code": "L01", "indicator_name": "各项贷款余额", "value": Decimal(l01), "unit": "亿元"},
        {**base, "indicator_code": "P02", "indicator_name": "平台入驻银行|机构数", "value": Decimal("12"), "unit": "家"},
        {"indicator_code": "L01", "indicator_name": "各项贷款余额", "region_code": "410611",
         "region_name": "淇滨区", "value": Decimal("100.004"), "unit": "亿元"},
    ]  # fmt: skip


def _publish_two_versions(published):
    t1 = dt.datetime(2022, 6, 10, 2, 0, tzinfo=dt.UTC)
    publish_period(published, PERIOD, _candidates("785.0312"), run_id="r1", now=t1)
    ack = {"period": PERIOD, "rule": 11, "reason": "机构并购|已核实\n第二行", "acknowledged_by": "officer"}
    missing = [{"period": PERIOD, "indicator_code": "L05", "missing_period": "2021-05"}]
    publish_period(published, PERIOD, _candidates("786.1"), acknowledgements=[ack], missing_base_periods=missing,
                   run_id="r2", now=t1 + dt.timedelta(days=1))  # fmt: skip


def test_first_version_lists_the_city_figures_rounded(tmp_path):
    _publish_two_versions(tmp_path / "published")
    note = release_note(tmp_path / "published", PERIOD, 1, CITY)
    assert "第 1 版，发布于 2022-06-10 10:00（北京时间）" in note
    assert "| L01 | 各项贷款余额 | 785.03 | 亿元 |" in note
    assert "| P02 | 平台入驻银行\\|机构数 | 12 | 家 |" in note
    assert "淇滨区" not in note.split("## 与上一版相比的变化")[0]
    assert "首次发布。" in note and "## 已确认的警告\n\n无。" in note


def test_second_version_lists_only_what_changed_and_the_acknowledgement(tmp_path):
    _publish_two_versions(tmp_path / "published")
    note = release_note(tmp_path / "published", PERIOD, 2, CITY)
    changes = note.split("## 与上一版相比的变化")[1].split("## 已确认的警告")[0]
    assert "| L01 各项贷款余额 | 鹤壁市 | 785.03 | 786.10 |" in changes
    assert "P02" not in changes and "淇滨区" not in changes
    assert "- 规则 11：机构并购\\|已核实 第二行（officer）" in note
    assert "L05：基期数据（2021-05）尚未入库。" in note


def test_the_note_is_written_beside_the_reports_and_rewritten_identically(tmp_path):
    _publish_two_versions(tmp_path / "published")
    path = write_release_note(tmp_path / "published", PERIOD, 2, CITY)
    assert path == note_path(tmp_path / "published", PERIOD, 2) and path.parent.name == PERIOD
    first = path.read_bytes()
    write_release_note(tmp_path / "published", PERIOD, 2, CITY)
    assert path.read_bytes() == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_double_fall_figures_read_yes_or_no(tmp_path):
    """R06 and L14 are 1/0 in the data; the officer reads 是/否, not "1 | 1/0"."""
    base = {"region_code": "410600", "region_name": "鹤壁市", "unit": "1/0"}
    candidates = [
        {**base, "indicator_code": "R06", "indicator_name": '农信系统不良贷款"双降"', "value": Decimal("1")},
        {**base, "indicator_code": "L14", "indicator_name": '全市不良贷款"双降"', "value": Decimal("0")},
    ]
    t1 = dt.datetime(2022, 6, 10, 2, 0, tzinfo=dt.UTC)
    publish_period(tmp_path, PERIOD, candidates, now=t1)
    flipped = [{**c, "value": Decimal(1) - c["value"]} for c in candidates]
    publish_period(tmp_path, PERIOD, flipped, now=t1 + dt.timedelta(days=1))
    first = release_note(tmp_path, PERIOD, 1, CITY)
    assert '| R06 | 农信系统不良贷款"双降" | 是 |  |' in first
    assert '| L14 | 全市不良贷款"双降" | 否 |  |' in first
    assert "1/0" not in first
    changes = release_note(tmp_path, PERIOD, 2, CITY).split("## 与上一版相比的变化")[1]
    assert '| R06 农信系统不良贷款"双降" | 鹤壁市 | 是 | 否 |' in changes
    assert '| L14 全市不良贷款"双降" | 鹤壁市 | 否 | 是 |' in changes


def test_acknowledgement_time_reads_in_beijing_time(tmp_path):
    """The record keeps UTC (02:30 UTC); the officer reads 10:30 北京时间."""
    ack = {
        "rule": 11,
        "reason": "已核实",
        "acknowledged_by": "officer",
        "acknowledged_at": dt.datetime(2022, 6, 9, 2, 30, tzinfo=dt.UTC),
    }
    publish_period(tmp_path, PERIOD, _candidates("785.0312"), acknowledgements=[ack])
    assert "- 规则 11：已核实（officer，2022-06-09 10:30（北京时间））" in release_note(
        tmp_path, PERIOD, 1, CITY
    )


def test_a_stored_time_without_zone_is_utc_shown_in_beijing_time():
    assert published_label(dt.datetime(2022, 6, 9, 18, 30)) == "2022-06-10 02:30（北京时间）"
    assert published_label(dt.datetime(2022, 6, 9, 18, 30, tzinfo=dt.UTC)) == "2022-06-10 02:30（北京时间）"


def test_withheld_indicators_name_the_months_each_lacks(tmp_path):
    """R07 lacks January..March, the growth figures the December: one line per set of months."""
    missing = [
        *({"period": PERIOD, "indicator_code": c, "missing_period": "2021-12"} for c in ("L02", "R04")),
        *(
            {"period": PERIOD, "indicator_code": "R07", "missing_period": m}
            for m in ("2022-03", "2022-01", "2022-02")
        ),
    ]
    publish_period(tmp_path, PERIOD, _candidates("785.0312"), missing_base_periods=missing)
    withheld = release_note(tmp_path, PERIOD, 1, CITY).split("## 暂不发布的指标")[1]
    assert withheld == (
        "\n\nL02、R04：基期数据（2021-12）尚未入库。\nR07：基期数据（2022-01、2022-02、2022-03）尚未入库。\n"
    )


def test_the_month_s_own_missing_data_is_not_called_a_base_month():
    from reports.release_note import withheld_reason

    assert withheld_reason(["2021-10"], "2021-10") == (
        "the month's own data not ingested (2021-10)",
        "本月数据（2021-10）尚未入库",
    )
    assert withheld_reason(["2020-10", "2020-12"], "2021-10")[1] == "基期数据（2020-10、2020-12）尚未入库"
    # The month among base months (L05 of a month whose own report came late): all are named as base months.
    assert withheld_reason(["2021-09", "2021-10"], "2021-10")[1] == "基期数据（2021-09、2021-10）尚未入库"
