"""The command line's contract: exit 2 only for a gate block, usage errors in one line, bilingual help."""

from __future__ import annotations

import subprocess
import sys

import pytest

from finstat.settings import PROJECT_ROOT
from orchestration.cli import main


@pytest.fixture
def landing(tmp_path):
    """A landing with one delivery in 2022-05 (never read: every case stops before a run)."""
    folder = tmp_path / "landing" / "bank_loans" / "2022-05"
    folder.mkdir(parents=True)
    (folder / "B0001_202205.csv").write_text("not read\n", encoding="utf-8")
    return tmp_path / "landing"


def _run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own exit
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run"], "one of the arguments --month --from --flagged is required"),
        (["run", "--month", "2022-05", "--to", "2022-06"], "--to goes with --from"),
        (["run", "--from", "2022-05"], "--from needs --to"),
        (["ack", "--month", "2022-05"], "the following arguments are required"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_a_usage_error_exits_1_not_2(capsys, tmp_path, argv, message):
    """Exit 2 means "blocked by the gate": a scheduler must never read a typo as a blocked month."""
    code, _out, err = _run(capsys, "--home", str(tmp_path / "w"), *argv)
    assert code == 1
    assert message in err and "Traceback" not in err


def test_a_month_without_any_landing_file_is_refused_up_front(capsys, tmp_path, landing):
    home = tmp_path / "w"
    code, _out, err = _run(
        capsys, "--landing", str(landing), "--home", str(home), "run", "--month", "2022-06"
    )
    assert code == 1
    assert err.strip() == "finstat: 2022-06: no file in landing for this month, nothing to run"
    assert not (home / "gate").exists() and not (home / "dagster").exists(), "nothing ran, nothing recorded"


@pytest.mark.parametrize("month", ["2018-05", "2099-01"])
def test_a_month_outside_the_partitions_is_one_line(capsys, tmp_path, landing, month):
    code, _out, err = _run(
        capsys, "--landing", str(landing), "--home", str(tmp_path / "w"), "run", "--month", month
    )
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "not a month of the job (partitions " in err, err
    assert "Traceback" not in err


def test_a_range_of_only_empty_months_is_refused(capsys, tmp_path, landing):
    argv = [
        "--landing",
        str(landing),
        "--home",
        str(tmp_path / "w"),
        "run",
        "--from",
        "2022-06",
        "--to",
        "2022-07",
    ]
    code, _out, err = _run(capsys, *argv)
    assert code == 1 and "2022-06..2022-07: no file in landing" in err


def test_help_is_bilingual_and_lists_the_exit_codes():
    """`finstat --help` in a process of its own, as the officer types it."""
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    for needed in ("退出码 exit codes", "被质量闸门阻止", "blocked by the gate", "用法错误", "usage error"):
        assert needed in done.stdout, needed
    run_help = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "入湖、建模、闸门检查并发布" in run_help.stdout and "exit codes" in run_help.stdout


def test_an_unexplained_reported_rule_is_not_said_to_be_acknowledged_by_none(capsys):
    """Rule 22 failing with no explanation: printed as reported, never "acknowledged by None: None"."""
    from orchestration.cli import _print_outcome
    from orchestration.runner import MonthOutcome

    rule_22 = {
        "check": "rule_22_pbc_reconciliation",
        "asset": "qr_22_pbc_reconciliation",
        "passed": False,
        "blocking": False,
        "metadata": {
            "rule": 22,
            "title": "与人民银行市分行金融统计核对",
            "how_to_explain": "finstat ack --month <YYYY-MM> --rule 22 --reason '...'",
        },
    }
    _print_outcome(
        MonthOutcome("2022-03", 0, "r1", warnings=[rule_22], published_version=1, summary="已发布 v1")
    )
    out = capsys.readouterr().out
    assert "None" not in out
    assert "warning rule 22 (与人民银行市分行金融统计核对): reported, not blocking, not explained" in out
    assert "finstat ack --month 2022-03 --rule 22" in out


def test_a_published_month_says_which_indicators_it_withheld_and_why(capsys):
    """As the release note: a month without programme reports lists V and H with its own month missing."""
    from orchestration.cli import _print_outcome
    from orchestration.runner import MonthOutcome

    withheld = [
        {"indicator_code": "V01", "missing_period": "2021-02"},
        {"indicator_code": "H06", "missing_period": "2021-02"},
        {"indicator_code": "L02", "missing_period": "2020-12"},
    ]
    _print_outcome(
        MonthOutcome("2021-02", 0, "r1", published_version=1, summary="已发布 v1", withheld=withheld)
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "  withheld L02: base months not ingested (2020-12) — 暂不发布：基期数据（2020-12）尚未入库",
        "  withheld H06, V01: the month's own data not ingested (2021-02) — 暂不发布：本月数据（2021-02）尚未入库",
    ]


def test_status_into_a_closed_pipe_ends_without_a_traceback(tmp_path):
    # `finstat status | head -1`: the reader has left by the time finstat writes. Its stdout is a
    # pipe whose read end is closed, so every write fails (EPIPE) however short the output.
    import subprocess
    import sys

    argv = ["--landing", str(tmp_path / "landing"), "--home", str(tmp_path / "home"), "status"]
    script = (
        "import os, sys\n"
        "read_end, write_end = os.pipe()\n"
        "os.close(read_end)\n"
        "os.dup2(write_end, sys.stdout.fileno())\n"
        "from orchestration.cli import main\n"
        f"sys.exit(main({argv!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 141


def test_the_program_freezes_its_objects_before_exiting_and_a_caller_keeps_its_collector(
    capsys, tmp_path, monkeypatch
):
    """`finstat` skips the interpreter's last collection (seconds after a run); main(argv) never does."""
    import gc

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    argv = ["--home", str(tmp_path / "w"), "check-reference"]
    assert main(argv) == 0
    assert frozen == []
    monkeypatch.setattr(sys, "argv", ["finstat", *argv])
    assert main() == 0
    assert frozen == [True]
    capsys.readouterr()
