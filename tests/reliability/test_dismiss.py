"""A rejected file no sender will replace blocks its month until the officer sets it aside, with a reason."""

from __future__ import annotations

import os

import pytest

from finstat.acks import load_dismissals
from ingestion.log import read_log
from orchestration.cli import main
from orchestration.defs.gate.checks import open_file_problems
from tests.reliability.harness import MONTH, folder, make_settings, run_month


@pytest.fixture(autouse=True)
def _restore_locations(monkeypatch):
    """The CLI exports its locations to the environment: put them back after each test."""
    import orchestration.definitions  # noqa: F401 - sets the defaults the Dagster resources read

    for key in ("FINSTAT_LANDING", "FINSTAT_HOME", "FINSTAT_REFERENCE_DIR"):
        monkeypatch.setenv(key, os.environ[key])


def _cli(settings, *args):
    return main(["--landing", str(settings.landing), "--home", str(settings.home), *args])


def test_a_stray_link_blocks_until_dismissed(tmp_path, capsys):
    settings = make_settings(tmp_path)
    stray = folder(settings, "bank_loans") / "stray.csv"
    stray.symlink_to(tmp_path / "elsewhere.csv")
    run_month(settings, "bank_loans", stray)
    [problem] = open_file_problems(settings, MONTH, "bank_loans")
    assert problem["status"] == "rejected" and problem["inst_code"] is None
    # An accepted file cannot be dismissed, nor a path that was never rejected.
    accepted = next(o for o in read_log(settings.lake, "bank_loans") if o.status == "accepted")
    assert _cli(settings, "dismiss", "--month", MONTH, "--file", accepted.file_path, "--reason", "x") == 1
    assert "no rejected file" in capsys.readouterr().err
    path = problem["file_path"]
    assert _cli(settings, "dismiss", "--month", MONTH, "--file", path, "--reason", "  ") == 1
    assert (
        _cli(settings, "dismiss", "--month", MONTH, "--file", path, "--reason", "运维误放的链接，已删除") == 0
    )
    assert open_file_problems(settings, MONTH, "bank_loans") == []
    [dismissal] = load_dismissals(settings.acks_dir, MONTH)
    assert (dismissal["file_path"], dismissal["file_sha256"]) == (path, problem["file_sha256"])
    # The rejection stays in the log; only the gate stops waiting for it.
    assert [o.status for o in read_log(settings.lake, "bank_loans") if o.file_path == path] == ["rejected"]


def test_the_ui_job_records_the_same_dismissal_and_refuses_a_file_that_was_not_rejected(
    tmp_path, monkeypatch
):
    from orchestration.definitions import defs

    settings = make_settings(tmp_path)
    stray = folder(settings, "bank_loans") / "stray.csv"
    stray.symlink_to(tmp_path / "elsewhere.csv")
    outcome = run_month(settings, "bank_loans", stray)
    monkeypatch.setenv("FINSTAT_HOME", str(settings.home))
    monkeypatch.setenv("FINSTAT_LANDING", str(settings.landing))
    monkeypatch.setenv("FINSTAT_REFERENCE_DIR", str(settings.reference_dir))
    job = defs.resolve_job_def("dismiss_rejected_file")

    def launch(file_path):
        config = {
            "month": MONTH,
            "file_path": file_path,
            "reason": "来历不明的链接",
            "dismissed_by": "张科长",
        }
        return job.execute_in_process(
            run_config={"ops": {"record_dismissal_op": {"config": config}}}, raise_on_error=False
        )

    assert not launch("bank_loans/2022-05/never_delivered.csv").success
    assert launch(outcome.file_path).success
    [dismissal] = load_dismissals(settings.acks_dir, MONTH)
    assert (dismissal["file_path"], dismissal["dismissed_by"]) == (outcome.file_path, "张科长")
    assert open_file_problems(settings, MONTH, "bank_loans") == []
