"""Re-delivery through the real job (issue 15): an undone edit releases the month; x_v5 = x brings x back."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pyarrow.parquet as pq
import pytest

from ingestion.files_view import month_files
from tests.demo_warehouse import demo_copy
from tests.reliability.runs import corrected_bank_report

pytestmark = pytest.mark.e2e

MARCH, MAY = "2022-03", "2022-05"
BANK, COUNTY, CITY = "B0007H41060008", "410611", "410600"  # not rural credit: rule 14 is unaffected
DELTA = Decimal("100000000")  # 1 亿元 more loans: L01 moves by exactly 1.00


def _figures(home, period, version):
    rows = pq.read_table(home / "published" / "official_figures_history.parquet").to_pylist()
    return {
        (r["indicator_code"], r["region_code"]): r["value"]
        for r in rows
        if r["period"] == period and r["version"] == version
    }


def _versions(home, period):
    rows = pq.read_table(home / "published" / "official_figures_history.parquet").to_pylist()
    return {r["version"] for r in rows if r["period"] == period}


def _staged_revision(settings, period):
    """The revision and file of the bank's month in the working database (what the figures used)."""
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        return con.execute(
            "select distinct revision, source_file from stg_bank_loans__balances where inst_code = ? and period = ?",
            [BANK, period],
        ).fetchall()


def _listed(settings, period, relpath):
    """The `finstat files` lines of one landing file (its path is the first word holding a slash)."""
    lines = month_files(settings, period)[1:]
    return [line for line in lines if next(w for w in line.split() if "/" in w) == relpath]


def _run(settings, period):
    from orchestration.runner import dagster_instance, run_month

    return run_month(period, settings, dagster_instance(settings))


def _bank_file(world, demo_dataset, period):
    plan = next(p for p in demo_dataset.files if p.period == period and p.inst_code == BANK)
    return world["landing"] / plan.relpath


def test_an_edit_in_place_put_back_releases_the_month(demo_run, demo_dataset, tmp_path):
    """(a) March's report edited in place blocks March (rule 4); the original bytes put back publish it."""
    with demo_copy(demo_run, tmp_path) as world:
        settings, home = world["settings"], world["home"]
        path = _bank_file(world, demo_dataset, MARCH)
        original = path.read_bytes()
        version_1 = _figures(home, MARCH, 1)
        assert version_1 and _versions(home, MARCH) == {1}
        path.write_bytes(corrected_bank_report(demo_dataset, MARCH, BANK, COUNTY, DELTA)[1])

        # The edit is ingested as the job's first step does, and holds March as the job's file-level
        # check would (the same function): a job run here would only repeat the ingestion tests.
        from ingestion.run import ingest_landing
        from orchestration.defs.gate.checks import open_file_problems

        ingest_landing(settings, MARCH)
        [problem] = open_file_problems(settings, MARCH, "bank_loans")
        assert (problem["status"], problem["rule"]) == ("rejected", 4) and "放回原文件" in problem["reason"]

        path.write_bytes(original)
        undone = _run(settings, MARCH)
        assert undone.status == "published", (undone.failed_checks, undone.errors)
        assert undone.failed_checks == []
        # Nothing changed: March keeps version 1, built from revision 1 of the original file.
        assert _versions(home, MARCH) == {1} and _figures(home, MARCH, 1) == version_1
        relpath = path.relative_to(world["landing"]).as_posix()
        assert _staged_revision(settings, MARCH) == [(1, relpath)]
        lines = _listed(settings, MARCH, relpath)
        assert [line[:1] for line in lines] == ["*", " ", " "], lines
        assert "resolved by" in lines[1] and "改动已撤销" in lines[2]


def test_a_v5_equal_to_the_original_after_a_wrong_v4_publishes_the_original_figures(
    demo_run, demo_dataset, tmp_path
):
    """(c) May's wrong _v4 publishes version 2; a _v5 with the original bytes publishes them as version 3."""
    with demo_copy(demo_run, tmp_path) as world:
        settings, home = world["settings"], world["home"]
        path = _bank_file(world, demo_dataset, MAY)
        version_1 = _figures(home, MAY, 1)
        assert version_1 and _versions(home, MAY) == {1}
        wrong = corrected_bank_report(demo_dataset, MAY, BANK, COUNTY, DELTA)[1]
        path.with_name(f"{path.stem}_v4{path.suffix}").write_bytes(wrong)
        broken = _run(settings, MAY)
        assert broken.status == "published", (broken.failed_checks, broken.errors)
        version_2 = _figures(home, MAY, 2)
        assert version_2[("L01", CITY)] - version_1[("L01", CITY)] == Decimal("1.00")

        v5 = path.with_name(f"{path.stem}_v5{path.suffix}")
        v5.write_bytes(path.read_bytes())
        undone = _run(settings, MAY)
        assert undone.status == "published", (undone.failed_checks, undone.errors)
        assert undone.failed_checks == []  # no acknowledgement asked for
        assert _versions(home, MAY) == {1, 2, 3}
        assert _figures(home, MAY, 3) == version_1
        relpath = v5.relative_to(world["landing"]).as_posix()
        assert _staged_revision(settings, MAY) == [(3, relpath)]
        [current] = _listed(settings, MAY, relpath)
        assert current.startswith("* ") and "rev 3" in current
        [original] = _listed(settings, MAY, path.relative_to(world["landing"]).as_posix())
        assert original.startswith("  ") and f"superseded by {relpath} (revision 3)" in original
