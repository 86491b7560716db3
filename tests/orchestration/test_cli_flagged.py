"""`finstat run --flagged` runs exactly the months with open republication flags, oldest first."""

from __future__ import annotations

from types import SimpleNamespace

import orchestration.runner as runner
from finstat.publication.publish import publish_period
from orchestration.cli import main
from tests.finstat.test_publish import _candidates


def test_nothing_flagged_runs_nothing(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "run", "--flagged"]) == 0
    assert "no month is flagged" in capsys.readouterr().out


def test_flagged_months_are_run_in_order(tmp_path, monkeypatch):
    published = tmp_path / "published"
    for period in ("2021-12", "2022-03", "2022-05"):
        publish_period(published, period, _candidates())
    publish_period(published, "2021-12", _candidates(l01="800"), dependents=["2022-05", "2022-03"])
    ran = []

    def fake_run_month(period, settings, instance=None, built=False):
        assert not built  # flagged months each run the whole job
        ran.append(period)
        return SimpleNamespace(
            period=period,
            code=0,
            run_id=f"run-{period}",
            status="published",
            published_version=1,
            failed_checks=[],
            warnings=[],
            errors=[],
            log_path=None,
            summary="已发布 v1",
            withheld=[],
        )

    monkeypatch.setattr(runner, "run_month", fake_run_month)
    monkeypatch.setattr(runner, "dagster_instance", lambda settings: None)
    assert main(["--home", str(tmp_path), "run", "--flagged"]) == 0
    assert ran == ["2022-03", "2022-05"]
