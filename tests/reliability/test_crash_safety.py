"""A corrected report through the real job, killed at each stage, then run twice at once while BI reads.

Cases 1-3 of docs/reliability.md: a killed run leaves published/ byte for byte as it was and the
next run completes; runs of one month started together wait for each other; the correction becomes
version 2 with its changes recorded, and the published month that uses March is flagged.
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from decimal import Decimal

import duckdb
import pyarrow.parquet as pq
import pytest

from finstat.publication.flags import read_flags
from finstat.status import month_status
from ingestion.log import read_log
from orchestration.cli import main
from tests.demo_warehouse import demo_copy
from tests.reliability.runs import corrected_bank_report, fingerprint, finish, start, wait_for_lock

pytestmark = pytest.mark.e2e

MARCH, MAY = "2022-03", "2022-05"
BANK, COUNTY, CITY = "B0007H41060008", "410611", "410600"  # not rural credit: rule 14 is unaffected
DELTA = Decimal("100000000")  # 1 亿元 more loans: L01 of March moves by exactly 1.00
# Through the real job; the publication's own points are killed around publish_period itself.
KILL_POINTS = ("ingestion-lake-written", "dbt-running", "gate-checking")


class Reader(threading.Thread):
    """A BI user re-reading published/ (Parquet and the DuckDB file) while the runs publish."""

    def __init__(self, published):
        super().__init__(daemon=True)
        self.published, self.stop, self.reads, self.errors, self.versions = published, False, 0, [], set()

    def run(self) -> None:
        while not self.stop:
            try:
                release = self.published.resolve()  # one release: its files belong together
                current = pq.read_table(release / "official_figures.parquet").to_pylist()
                with duckdb.connect(str(release / "finstat_bi.duckdb"), read_only=True) as con:
                    bi = con.execute(
                        "select max(version) from official_figures where period = ?", [MARCH]
                    ).fetchone()[0]
                parquet = max(r["version"] for r in current if r["period"] == MARCH)
                if bi != parquet:
                    self.errors.append(f"release {release.name}: BI v{bi} but Parquet v{parquet}")
                self.versions.add(parquet)
                self.reads += 1
            except Exception as exc:  # any failure to read is what this reader exists to catch
                self.errors.append(repr(exc))
            time.sleep(0.05)


def _history(published, period):
    return [
        r
        for r in pq.read_table(published / "official_figures_history.parquet").to_pylist()
        if r["period"] == period
    ]


def _run_until_all_exit(world, processes, published) -> dict:
    """Wait for every process; fingerprint published/ the moment each one exits."""
    exits = {}
    while len(exits) < len(processes):
        for point, process in processes.items():
            if point not in exits and process.poll() is not None:
                exits[point] = {"published": fingerprint(published)}
                exits[point]["code"], exits[point]["output"] = finish(process)
        time.sleep(0.2)
    return exits


@pytest.fixture(scope="module")
def scenario(demo_run, demo_dataset, tmp_path_factory):
    """Plant March's `_v2`; runs of March killed at each stage, then one that completes while BI reads.

    The killed runs overlap on purpose: two are started while another holds the run lock, so the
    same runs also show that writers wait for each other and that a killed holder releases the lock.
    """
    with demo_copy(demo_run, tmp_path_factory.mktemp("crash")) as world:
        published = world["settings"].published
        before = fingerprint(published)
        march_v1 = _history(published, MARCH)
        name, data = corrected_bank_report(demo_dataset, MARCH, BANK, COUNTY, DELTA)
        (world["landing"] / name).write_bytes(data)
        # Three runs at once: ingestion's dies after the lake write, then dbt's and the gate's.
        first = start(world, "run", "--month", MARCH, fault=KILL_POINTS[0])
        wait_for_lock(world, first)
        killed = {KILL_POINTS[0]: first}
        killed |= {point: start(world, "run", "--month", MARCH, fault=point) for point in KILL_POINTS[1:3]}
        exits = _run_until_all_exit(world, killed, published)
        # Then a run that completes, in this process, with a BI reader on published/ all along.
        # (Kills inside publication itself, before and after the switch: test_publication_kill.py.)
        reader = Reader(published)
        reader.start()
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = main(["run", "--month", MARCH])
        exits["clean"] = {"code": code, "output": output.getvalue()}
        reader.stop = True
        reader.join()
        yield {
            "world": world,
            "published": published,
            "before": before,
            "march_v1": march_v1,
            "file": name,
            "exits": exits,
            "reader": reader,
            "status": "\n".join(month_status(world["settings"])),
        }


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_killed_run_leaves_published_exactly_as_it_was(scenario, point):
    run = scenario["exits"][point]
    assert run["code"] == -9, run["output"][-2000:]  # SIGKILL: it died at the point, not before or after
    assert run["published"] == scenario["before"]


def test_the_next_runs_complete_and_publish_the_correction_once(scenario):
    clean = scenario["exits"]["clean"]
    assert clean["code"] == 0, clean["output"][-3000:]
    assert f"{MARCH}: published (version 2)" in clean["output"]
    published = scenario["published"]
    march = _history(published, MARCH)
    assert sorted({r["version"] for r in march}) == [1, 2]
    v1 = [r for r in march if r["version"] == 1]
    assert v1 == scenario["march_v1"], "version 1 is kept exactly as first published"
    old = {(r["indicator_code"], r["region_code"]): r["value"] for r in v1}
    new = {(r["indicator_code"], r["region_code"]): r["value"] for r in march if r["version"] == 2}
    for key in (("L01", CITY), ("L01", COUNTY), ("L02", CITY), ("L03", CITY), ("L05", CITY)):
        assert new[key] - old[key] == Decimal("1.00"), key
    assert new[("L07", CITY)] == old[("L07", CITY)], "A11 is not an enterprise loan"
    [record] = [
        r
        for r in pq.read_table(published / "publications.parquet").to_pylist()
        if r["period"] == MARCH and r["version"] == 2
    ]
    recorded = {
        (c["indicator_code"], c["region_code"]): (c["old"], c["new"])
        for c in json.loads(record["changes_json"])
    }
    assert recorded == {k: (str(old[k]), str(new[k])) for k in new if new[k] != old[k]}


def test_runs_at_once_waited_for_the_run_lock(scenario):
    exits = scenario["exits"]
    waited = {point for point, run in exits.items() if "waiting for the warehouse run lock" in run["output"]}
    # The ingestion run dies within seconds of taking the lock; the dbt and gate runs, started
    # beside it, take the lock one after the other: whichever comes second waits, and is told who
    # holds it.
    assert waited in ({KILL_POINTS[1]}, {KILL_POINTS[2]}), {p: r["output"][-500:] for p, r in exits.items()}
    assert "held by: run " in next(exits[p]["output"] for p in waited)


def test_a_reader_of_published_never_saw_a_broken_or_mixed_state(scenario):
    reader = scenario["reader"]
    assert reader.errors == []
    assert reader.reads > 20 and reader.versions == {1, 2}


def test_the_resubmission_is_a_new_revision_and_the_original_is_kept(scenario):
    world = scenario["world"]
    log = [
        o for o in read_log(world["settings"].lake, "bank_loans") if o.period == MARCH and o.inst_code == BANK
    ]
    by_file = {o.file_path: o for o in log}
    assert len(log) == 2 == len(by_file), [(o.file_path, o.status) for o in log]  # nothing logged twice
    corrected = by_file[scenario["file"]]
    assert (corrected.status, corrected.revision) == ("accepted", 2)
    assert "更正报送（第 2 版）" in corrected.reason
    [original] = [o for o in log if o.file_path != scenario["file"]]
    assert (original.status, original.revision) == ("accepted", 1)
    assert (world["landing"] / original.file_path).exists() and (world["landing"] / scenario["file"]).exists()


def test_the_published_month_using_the_corrected_one_is_flagged(scenario):
    # May's R07 adds up the rural disposals of January..May, March's among them.
    assert f"{MAY}" in scenario["status"] and f"needs republication: base {MARCH} v2" in scenario["status"]
    [flag] = read_flags(scenario["published"])
    assert (flag["period"], flag["base_period"], flag["base_version"], flag["resolved_at"]) == (
        MAY,
        MARCH,
        2,
        None,
    )
