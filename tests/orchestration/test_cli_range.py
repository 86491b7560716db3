"""When `finstat run --from A --to B` builds its months in one run, and when each month runs alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from finstat.settings import load_settings
from orchestration import cli, runner, unchanged


@pytest.fixture
def builds(tmp_path, monkeypatch):
    """A fake build_range recording the ranges it was asked for; settings on an empty home."""
    asked = []

    def fake_build_range(first, last, settings, instance):
        asked.append((first, last))
        return runner.RangeBuild(first, last, "run-build", [], Path("build.log"))

    monkeypatch.setattr(runner, "build_range", fake_build_range)
    monkeypatch.setattr(runner, "dagster_instance", lambda settings: "instance")
    monkeypatch.delenv("FINSTAT_ENGINE", raising=False)
    return asked, load_settings(tmp_path / "landing", tmp_path / "home")


def test_two_months_needing_the_job_are_built_once_with_their_fingerprints(builds, capsys):
    asked, settings = builds
    instance, before = cli._build_range(["2022-03", "2022-04", "2022-05"], settings, force=False)
    assert asked == [("2022-03", "2022-05")]
    assert instance == "instance" and sorted(before) == ["2022-03", "2022-04", "2022-05"]
    assert before["2022-04"] == unchanged.fingerprint(settings, "2022-04")
    assert capsys.readouterr().out.startswith("2022-03..2022-05: ingested and built in one run (3 months")


def test_unchanged_months_are_left_out_of_the_build(builds, monkeypatch):
    asked, settings = builds
    monkeypatch.setattr(
        unchanged, "unchanged_since", lambda s, m: {"run_id": "r"} if m != "2022-04" else None
    )
    assert cli._build_range(["2022-03", "2022-04", "2022-05"], settings, force=False) == (None, {})
    assert asked == []  # one month needs the job: it runs whole
    cli._build_range(["2022-03", "2022-04", "2022-05"], settings, force=True)
    assert asked == [("2022-03", "2022-05")]  # --force runs them all


def test_a_failed_build_gives_no_month_a_gate_only_run(builds, monkeypatch, capsys):
    _, settings = builds
    failed = runner.RangeBuild("2022-04", "2022-05", "run-build", ["finstat_dbt_models: boom"], Path("b.log"))
    monkeypatch.setattr(runner, "build_range", lambda *args: failed)
    assert cli._build_range(["2022-04", "2022-05"], settings, force=True) == ("instance", {})
    out = capsys.readouterr().out
    assert "the one build of the range failed (finstat_dbt_models: boom); each month runs on its own" in out


def test_on_spark_a_range_runs_month_by_month(builds, monkeypatch):
    asked, settings = builds
    monkeypatch.setenv("FINSTAT_ENGINE", "spark")
    assert cli._build_range(["2022-04", "2022-05"], settings, force=True) == (None, {})
    assert asked == []
