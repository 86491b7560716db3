"""A warehouse whose first months are April and May: R07 (the year's disposals) is withheld, not understated."""

from __future__ import annotations

import json
import shutil

import pytest

from demo.generator import write_landing
from finstat.publication.publish import latest_versions, read_history, read_publications
from reports.release_note import note_path
from tests.demo_warehouse import use_locations

pytestmark = pytest.mark.e2e

KEPT = ("2022-04", "2022-05")
CITY = "410600"


@pytest.fixture(scope="module")
def two_months(tmp_path_factory, demo_dataset):
    """The demo landing with only April and May 2022 of every source, run once through the job."""
    from orchestration.cli import main

    root = tmp_path_factory.mktemp("ytd")
    landing, home = root / "landing", root / "warehouse"
    write_landing(demo_dataset, landing)
    for source in landing.iterdir():
        for month in source.iterdir():
            if month.name not in KEPT:
                shutil.rmtree(month)
    assert sorted({m.name for s in landing.iterdir() for m in s.iterdir()}) == list(KEPT)
    use_locations(landing, home)
    code = main(["--landing", str(landing), "--home", str(home), "run", "--from", KEPT[0], "--to", KEPT[1]])
    return {"code": code, "published": home / "published"}


def test_both_months_are_published(two_months):
    assert two_months["code"] == 0
    periods = {r["period"] for r in read_publications(two_months["published"]).to_pylist()}
    assert periods == set(KEPT)


def test_may_publishes_no_r07_and_records_the_missing_months(two_months):
    current = latest_versions(read_history(two_months["published"])).to_pylist()
    may = {r["indicator_code"] for r in current if r["period"] == "2022-05" and r["region_code"] == CITY}
    # The month is published (its own-month figures are there), R07 is not: the disposals of
    # April and May alone are not the year's.
    assert {"R01", "R02", "R03", "R08", "R09"} <= may
    assert "R07" not in may
    [record] = [r for r in read_publications(two_months["published"]).to_pylist() if r["period"] == "2022-05"]
    missing = json.loads(record["missing_base_periods_json"])
    r07 = sorted(m["missing_period"] for m in missing if m["indicator_code"] == "R07")
    assert r07 == ["2022-01", "2022-02", "2022-03"]


def test_the_release_note_says_which_months_r07_lacks(two_months):
    note = note_path(two_months["published"], "2022-05", 1).read_text(encoding="utf-8")
    assert "R07：基期数据（2022-01、2022-02、2022-03）尚未入库。" in note.split("## 暂不发布的指标")[1]
