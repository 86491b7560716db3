"""Acknowledging a warning from the UI: the acknowledge_warning job records and refuses what `finstat ack` does."""

from __future__ import annotations

import pytest

from expectations.rules import GATE_RULES
from finstat.acks import load_acks
from finstat.gate_record import write_gate_record
from finstat.settings import load_settings

MAY = "2022-05"


@pytest.fixture(scope="module")
def defs():
    from orchestration.definitions import defs

    return defs


def _settings(tmp_path):
    return load_settings(tmp_path / "landing", tmp_path / "home")


def _ran(tmp_path, *failing: int, passing: tuple[int, ...] = ()) -> None:
    """May's gate record: the failing rules with a fingerprint each, the passing ones without rows."""
    checks = [
        {"check": f"rule_{r:02d}", "asset": "qr", "rule": r, "passed": False, "fingerprint": f"{r:064d}"}
        for r in failing
    ] + [
        {"check": f"rule_{r:02d}", "asset": "qr", "rule": r, "passed": True, "fingerprint": ""}
        for r in passing
    ]
    write_gate_record(_settings(tmp_path).home, {"period": MAY, "outcome": "blocked", "checks": checks})


def _run(defs, monkeypatch, tmp_path, **config):
    monkeypatch.setenv("FINSTAT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FINSTAT_LANDING", str(tmp_path / "landing"))
    job = defs.resolve_job_def("acknowledge_warning")
    return job.execute_in_process(
        run_config={"ops": {"record_acknowledgement": {"config": config}}}, raise_on_error=False
    )


def _refusal(result) -> str:
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    return failure.event_specific_data.user_failure_data.description


def _cli_ack(monkeypatch, tmp_path, month: str, rule: int, reason: str) -> int:
    """`finstat ack` on the same home as the job."""
    from orchestration.cli import main

    # main() exports the reference folder for Dagster: monkeypatch puts the session's value back.
    monkeypatch.setenv("FINSTAT_REFERENCE_DIR", str(_settings(tmp_path).reference_dir))
    return main(
        [
            *("--landing", str(tmp_path / "landing"), "--home", str(tmp_path / "home"), "ack"),
            *("--month", month, "--rule", str(rule), "--reason", reason),
        ]
    )


def test_launchpad_config_records_the_acknowledgement(defs, monkeypatch, tmp_path):
    _ran(tmp_path, 20)
    result = _run(
        defs,
        monkeypatch,
        tmp_path,
        month=MAY,
        rule=20,
        reason="平台补录历史数据，已核实",
        acknowledged_by="张科长",
    )
    assert result.success
    ack = load_acks(_settings(tmp_path).acks_dir, MAY)[20]
    assert (ack["reason"], ack["acknowledged_by"], ack["fingerprint"]) == (
        "平台补录历史数据，已核实",
        "张科长",
        f"{20:064d}",
    )


@pytest.mark.parametrize(
    ("month", "rule", "reason"),
    [
        (MAY, 7, "错误规则不能确认"),
        (MAY, 99, "没有这条规则"),
        (MAY, 4, "重复文件无需确认"),
        (MAY, 15, "本月未失败"),
        (MAY, 11, "本月已通过"),
        ("2022-04", 11, "该月未运行"),
        ("2022-13", 11, "月份无效"),
        (MAY, 20, "  "),
    ],
)
def test_the_ui_refuses_what_the_cli_refuses_with_the_same_message(
    defs, monkeypatch, tmp_path, capsys, month, rule, reason
):
    _ran(tmp_path, 7, 20, passing=(11,))
    result = _run(defs, monkeypatch, tmp_path, month=month, rule=rule, reason=reason)
    assert not result.success
    capsys.readouterr()
    assert _cli_ack(monkeypatch, tmp_path, month, rule, reason) == 1
    assert capsys.readouterr().err == f"finstat: {_refusal(result)}\n"
    assert not list(_settings(tmp_path).acks_dir.glob("*"))


@pytest.mark.parametrize("rule", [spec.rule for spec in GATE_RULES if not spec.acknowledgeable])
def test_an_error_rule_failing_in_the_month_is_refused_by_the_ui_and_the_cli(
    defs, monkeypatch, tmp_path, capsys, rule
):
    """Both call finstat.acks.record_ack: an error is corrected at the source, never acknowledged."""
    _ran(tmp_path, rule)
    result = _run(defs, monkeypatch, tmp_path, month=MAY, rule=rule, reason="已核实，同意发布")
    assert not result.success
    assert f"rule {rule} is an error rule" in _refusal(result)
    capsys.readouterr()
    assert _cli_ack(monkeypatch, tmp_path, MAY, rule, "已核实，同意发布") == 1
    assert capsys.readouterr().err == f"finstat: {_refusal(result)}\n"
    assert not list(_settings(tmp_path).acks_dir.glob("*"))
