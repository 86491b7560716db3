"""Acknowledging a warning from the UI: the acknowledge_warning job records what `finstat ack` records."""

from __future__ import annotations

import pytest

from finstat.acks import load_acks
from finstat.settings import load_settings


@pytest.fixture(scope="module")
def defs():
    from orchestration.definitions import defs

    return defs


def _run(defs, monkeypatch, tmp_path, **config):
    monkeypatch.setenv("FINSTAT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FINSTAT_LANDING", str(tmp_path / "landing"))
    job = defs.resolve_job_def("acknowledge_warning")
    return job.execute_in_process(
        run_config={"ops": {"record_acknowledgement": {"config": config}}}, raise_on_error=False
    )


def test_launchpad_config_records_the_acknowledgement(defs, monkeypatch, tmp_path):
    result = _run(
        defs,
        monkeypatch,
        tmp_path,
        month="2022-05",
        rule=20,
        reason="平台补录历史数据，已核实",
        acknowledged_by="张科长",
    )
    assert result.success
    settings = load_settings(tmp_path / "landing", tmp_path / "home")
    ack = load_acks(settings.acks_dir, "2022-05")[20]
    assert (ack["reason"], ack["acknowledged_by"]) == ("平台补录历史数据，已核实", "张科长")


@pytest.mark.parametrize(
    ("month", "rule", "reason"),
    [("2022-05", 7, "错误规则不能确认"), ("2022-13", 11, "月份无效"), ("2022-05", 11, "  ")],
)
def test_errors_and_bad_input_are_refused(defs, monkeypatch, tmp_path, month, rule, reason):
    result = _run(defs, monkeypatch, tmp_path, month=month, rule=rule, reason=reason)
    assert not result.success
    assert not (tmp_path / "home" / "acks").exists() or not list((tmp_path / "home" / "acks").iterdir())
