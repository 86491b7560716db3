"""The release note: the figures of the version, the changes since the last one, acknowledged warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finstat.publication.publish import publish_period
from reports.release_note import note_path, release_note, write_release_note

PERIOD = "2022-05"


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
    note = release_note(tmp_path / "published", PERIOD, 1)
    assert "第 1 版，发布于 2022-06-10 10:00（北京时间）" in note
    assert "| L01 | 各项贷款余额 | 785.03 | 亿元 |" in note
    assert "| P02 | 平台入驻银行\\|机构数 | 12 | 家 |" in note
    assert "淇滨区" not in note.split("## 与上一版相比的变化")[0]
    assert "首次发布。" in note and "## 已确认的警告\n\n无。" in note


def test_second_version_lists_only_what_changed_and_the_acknowledgement(tmp_path):
    _publish_two_versions(tmp_path / "published")
    note = release_note(tmp_path / "published", PERIOD, 2)
    changes = note.split("## 与上一版相比的变化")[1].split("## 已确认的警告")[0]
    assert "| L01 各项贷款余额 | 鹤壁市 | 785.03 | 786.10 |" in changes
    assert "P02" not in changes and "淇滨区" not in changes
    assert "- 规则 11：机构并购\\|已核实 第二行（officer）" in note
    assert "L05：基期数据（2021-05）尚未入库。" in note


def test_the_note_is_written_beside_the_reports_and_rewritten_identically(tmp_path):
    _publish_two_versions(tmp_path / "published")
    path = write_release_note(tmp_path / "published", PERIOD, 2)
    assert path == note_path(tmp_path / "published", PERIOD, 2) and path.parent.name == PERIOD
    first = path.read_bytes()
    write_release_note(tmp_path / "published", PERIOD, 2)
    assert path.read_bytes() == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]
