"""Tests for versioned, never-overwritten publication."""

import csv
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pyarrow.parquet as pq
import pytest

from finstat.publication.flags import open_flags, read_flags
from finstat.publication.publish import publish_period, read_history, read_publications


@pytest.fixture
def published(tmp_path):
    """The published/ link of a warehouse home of its own (releases/ lands beside it)."""
    return tmp_path / "published"


def _candidates(l01="785.0299999", l04="7.149989"):
    return [
        {
            "indicator_code": "L01",
            "indicator_name": "各项贷款余额",
            "region_code": "410600",
            "region_name": "全市",
            "value": Decimal(l01),
            "unit": "亿元",
        },
        {
            "indicator_code": "L01",
            "indicator_name": "各项贷款余额",
            "region_code": "410611",
            "region_name": "淇滨区",
            "value": Decimal("300.1234"),
            "unit": "亿元",
        },
        {
            "indicator_code": "L04",
            "indicator_name": "剔除不良贷款处置因素较年初增幅",
            "region_code": "410600",
            "region_name": "全市",
            "value": Decimal(l04),
            "unit": "%",
        },
    ]


def test_first_publication_writes_every_file(published):
    out = publish_period(
        published, "2022-05", _candidates(), run_id="r1", now=datetime(2022, 6, 10, tzinfo=UTC)
    )
    assert (out.version, out.created, out.figure_count) == (1, True, 3)
    current = pq.read_table(published / "official_figures.parquet")
    assert str(current.schema.field("value").type) == "decimal128(20, 4)"
    values = {(r["indicator_code"], r["region_code"]): r["value"] for r in current.to_pylist()}
    assert values[("L01", "410600")] == Decimal("785.0300")
    assert values[("L04", "410600")] == Decimal("7.1500")
    raw = (published / "official_figures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["period"] == "2022-05" and rows[0]["version"] == "1"
    with duckdb.connect(str(published / "finstat_bi.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from official_figures").fetchone()[0] == 3
        assert (
            con.execute("select typeof(value) from official_figures limit 1").fetchone()[0] == "DECIMAL(20,4)"
        )


def test_unchanged_rerun_adds_no_version_and_change_adds_one(published):
    publish_period(published, "2022-05", _candidates())
    again = publish_period(published, "2022-05", _candidates(l01="785.0300001"))  # same once rounded
    assert (again.version, again.created) == (1, False)
    changed = publish_period(published, "2022-05", _candidates(l01="785.10"))
    assert (changed.version, changed.created) == (2, True)
    assert changed.changes == [
        {"indicator_code": "L01", "region_code": "410600", "old": "785.0300", "new": "785.1000"}
    ]
    history = read_history(published).to_pylist()
    assert sorted({r["version"] for r in history}) == [1, 2]
    v1 = {
        r["value"]
        for r in history
        if r["version"] == 1 and r["indicator_code"] == "L01" and r["region_code"] == "410600"
    }
    assert v1 == {Decimal("785.0300")}, "version 1 stays readable and unchanged"
    current = pq.read_table(published / "official_figures.parquet").to_pylist()
    assert {r["version"] for r in current} == {2}
    assert [r["version"] for r in read_publications(published).to_pylist()] == [1, 2]


def test_periods_are_versioned_independently(published):
    publish_period(published, "2022-04", _candidates())
    publish_period(published, "2022-05", _candidates())
    current = pq.read_table(published / "official_figures.parquet").to_pylist()
    assert {(r["period"], r["version"]) for r in current} == {("2022-04", 1), ("2022-05", 1)}


def test_acknowledgements_are_stored_with_the_publication(published):
    acks = [{"rule": 11, "reason": "并购", "acknowledged_by": "officer"}]
    publish_period(published, "2022-05", _candidates(), acknowledgements=acks)
    record = read_publications(published).to_pylist()[0]
    assert '"reason": "并购"' in record["acknowledgements_json"]


def test_float_candidates_are_refused(published):
    bad = _candidates()
    bad[0]["value"] = 785.03
    with pytest.raises(TypeError):
        publish_period(published, "2022-05", bad)
    assert not (published / "official_figures_history.parquet").exists()


def test_a_new_version_flags_the_published_months_that_use_it(published):
    publish_period(published, "2021-12", _candidates())
    publish_period(published, "2022-05", _candidates())
    # 2021-12 corrected: 2022-05 (published) and 2022-06 (not yet) use it as their December.
    out = publish_period(published, "2021-12", _candidates(l01="800.00"), dependents=["2022-05", "2022-06"])
    assert (out.version, out.flagged) == (2, ["2022-05"])
    [flag] = open_flags(published)
    assert (flag["period"], flag["base_period"], flag["base_version"]) == ("2022-05", "2021-12", 2)
    with duckdb.connect(str(published / "finstat_bi.duckdb"), read_only=True) as con:
        assert con.execute("select period, base_period from republication_flags").fetchall() == [
            ("2022-05", "2021-12")
        ]
    # The officer re-runs 2022-05; its figures happen to be the same: no version, flag resolved.
    rerun = publish_period(published, "2022-05", _candidates())
    assert (rerun.version, rerun.created) == (1, False)
    assert [(f["resolution"], f["resolved_version"]) for f in rerun.resolved] == [("unchanged", 1)]
    assert open_flags(published) == []
    # A third version flags it again; this time the re-run changes it and publishes version 2.
    publish_period(published, "2021-12", _candidates(l01="801.00"), dependents=["2022-05"])
    republished = publish_period(published, "2022-05", _candidates(l04="7.30"))
    assert (republished.version, [f["resolution"] for f in republished.resolved]) == (2, ["republished"])
    assert [(f["base_version"], f["resolution"]) for f in read_flags(published)] == [
        (2, "unchanged"),
        (3, "republished"),
    ]


def test_an_unchanged_base_month_flags_nothing(published):
    publish_period(published, "2021-12", _candidates())
    publish_period(published, "2022-05", _candidates())
    again = publish_period(published, "2021-12", _candidates(), dependents=["2022-05"])
    assert (again.created, again.flagged, open_flags(published)) == (False, [], [])
