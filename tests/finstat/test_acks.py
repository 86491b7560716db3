"""Tests for warning acknowledgements: what may be acknowledged, the rows it binds to, who gave it."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations.rules import GATE_RULES
from finstat.acks import ACK_SCHEMA, ACKNOWLEDGEABLE, ack_covers, load_acks, record_ack
from finstat.gate_record import rows_fingerprint, write_gate_record
from finstat.settings import load_settings

MAY, APRIL = "2022-05", "2022-04"
ROWS = [
    {"inst_code": "B0001", "found": "140", "expected": "100"},
    {"inst_code": "B0002", "found": "90", "expected": "60"},
]
FINGERPRINT = rows_fingerprint(ROWS)


def _check(rule: int, passed: bool, fingerprint: str | None = FINGERPRINT, severity: str = "warn") -> dict:
    """One check entry of a gate record, as the monthly job writes it."""
    return {
        "check": f"rule_{rule:02d}",
        "asset": "qr",
        "rule": rule,
        "rule_severity": severity,
        "passed": passed,
        "blocking": not passed,
        "failing_row_count": 0 if passed else len(ROWS),
        "fingerprint": fingerprint,
        "acknowledged": False,
    }


@pytest.fixture
def settings(tmp_path):
    return load_settings(tmp_path / "landing", tmp_path / "home")


def _ran(settings, period: str, *checks: dict, outcome: str = "blocked") -> None:
    write_gate_record(settings.home, {"period": period, "outcome": outcome, "checks": list(checks)})


def _files(settings) -> list:
    return sorted(settings.acks_dir.glob("*.parquet")) if settings.acks_dir.exists() else []


def test_latest_ack_per_rule(settings):
    _ran(settings, MAY, _check(11, passed=False))
    _ran(settings, APRIL, _check(11, passed=False))
    record_ack(settings, MAY, 11, "first", by="a")
    record_ack(settings, MAY, 11, "second", by="b")
    record_ack(settings, APRIL, 11, "other month", by="a")
    acks = load_acks(settings.acks_dir, MAY)
    assert list(acks) == [11]
    assert (acks[11]["reason"], acks[11]["acknowledged_by"]) == ("second", "b")
    assert len(_files(settings)) == 3, "acknowledgements are appended, never rewritten"


@pytest.mark.parametrize(("period", "reason"), [("2022-5", "x"), (MAY, "  ")])
def test_ack_needs_month_and_reason(settings, period, reason):
    _ran(settings, MAY, _check(11, passed=False))
    with pytest.raises(ValueError):
        record_ack(settings, period, 11, reason)
    assert _files(settings) == []


def test_only_the_gates_warning_rules_are_acknowledgeable():
    # Rule 4's identical re-delivery is ingested once and needs no acknowledgement any more.
    assert ACKNOWLEDGEABLE == (11, 15, 16, 17, 20, 21, 22, 28, 31, 32)  # the warn rules of quality-rules.md


@pytest.mark.parametrize(
    ("rule", "checks", "message"),
    [
        (7, [_check(7, passed=False, severity="error")], "rule 7 is an error rule"),
        (99, [], "rule 99 is not a warning rule"),
        (4, [], "rule 4 is not a warning rule"),
        (11, [_check(11, passed=True)], "rule 11 is not failing in the latest run of 2022-05"),
        (11, [_check(15, passed=False)], "2022-05 has no result for rule 11"),
        (22, [_check(22, passed=True)], "rule 22 is not failing in the latest run of 2022-05"),
        (11, [_check(11, passed=False, fingerprint=None)], "recorded no fingerprint"),
    ],
)
def test_refusals_write_nothing_and_say_why_in_both_languages(settings, rule, checks, message):
    _ran(settings, MAY, *checks)
    with pytest.raises(ValueError) as refused:
        record_ack(settings, MAY, rule, "已核实", by="officer")
    text = str(refused.value)
    assert message in text and any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    assert "\n" not in text, "the CLI prints the refusal as one line"
    assert _files(settings) == []


@pytest.mark.parametrize("rule", [spec.rule for spec in GATE_RULES if spec.severity == "error"])
def test_no_error_rule_is_acknowledged_even_while_it_fails(settings, rule):
    _ran(settings, MAY, _check(rule, passed=False, severity="error"))
    with pytest.raises(ValueError, match=f"rule {rule} is an error rule"):
        record_ack(settings, MAY, rule, "已核实，同意发布", by="officer")
    assert _files(settings) == []


def test_a_month_that_never_ran_has_nothing_to_acknowledge(settings):
    with pytest.raises(ValueError, match="never run"):
        record_ack(settings, MAY, 11, "已核实")
    assert _files(settings) == []


def test_the_ack_binds_to_the_fingerprint_of_the_failing_check(settings):
    _ran(settings, MAY, _check(11, passed=True), _check(15, passed=False, fingerprint="f" * 64))
    row = record_ack(settings, MAY, 15, "逾期贷款已催收", by="officer")
    assert row["fingerprint"] == "f" * 64
    assert load_acks(settings.acks_dir, MAY)[15]["fingerprint"] == "f" * 64


def test_rule_22_may_be_explained_before_the_month_runs(settings):
    """The demo explains the branch's known difference before the month's first run."""
    row = record_ack(settings, "2022-03", 22, "票据贴现口径差异")
    assert row["fingerprint"] is None
    assert ack_covers(load_acks(settings.acks_dir, "2022-03")[22], FINGERPRINT)
    # Once the month has run, the explanation binds to the rows like any other.
    _ran(settings, "2022-03", _check(22, passed=False), outcome="published")
    assert record_ack(settings, "2022-03", 22, "票据贴现口径差异")["fingerprint"] == FINGERPRINT


def test_covers_only_the_same_failing_rows(settings):
    _ran(settings, MAY, _check(11, passed=False))
    ack = record_ack(settings, MAY, 11, "已核实")
    assert ack_covers(ack, rows_fingerprint(list(reversed(ROWS)))), "the order of the rows does not matter"
    assert not ack_covers(ack, rows_fingerprint(ROWS[:1])), "a row gone"
    assert not ack_covers(ack, rows_fingerprint([*ROWS, {"inst_code": "B0003"}])), "a row more"
    assert not ack_covers(ack, rows_fingerprint([ROWS[0], {**ROWS[1], "found": "95"}])), "a row changed"
    assert not ack_covers(None, FINGERPRINT)


def test_an_ack_file_from_before_fingerprints_loads_and_covers_no_blocking_rule(settings):
    """The safe reading of an old file: it releases no blocking warning; the officer acknowledges again."""
    old_schema = pa.schema([f for f in ACK_SCHEMA if f.name != "fingerprint"])
    at = datetime(2022, 6, 1, tzinfo=UTC)
    settings.acks_dir.mkdir(parents=True)
    for rule in (11, 22):
        row = {"period": MAY, "rule": rule, "reason": "旧确认", "acknowledged_by": "a", "acknowledged_at": at}
        pq.write_table(
            pa.Table.from_pylist([row], schema=old_schema),
            settings.acks_dir / f"{MAY}__rule{rule}__old.parquet",
        )
    acks = load_acks(settings.acks_dir, MAY)
    assert acks[11]["fingerprint"] is None and acks[11]["reason"] == "旧确认"
    assert not ack_covers(acks[11], FINGERPRINT)
    assert ack_covers(acks[22], FINGERPRINT), "rule 22 never blocks: its old explanation is still shown"


def test_by_defaults_to_the_os_user(settings, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "os-user")
    _ran(settings, MAY, _check(11, passed=False))
    assert record_ack(settings, MAY, 11, "已核实")["acknowledged_by"] == "os-user"
    assert record_ack(settings, MAY, 11, "已核实", by="  ")["acknowledged_by"] == "os-user"
    assert record_ack(settings, MAY, 11, "已核实", by="张科长")["acknowledged_by"] == "张科长"


def _cli(settings, monkeypatch, *args: str) -> int:
    from orchestration.cli import main

    # main() exports the locations for Dagster; monkeypatch puts the session's values back.
    monkeypatch.setenv("FINSTAT_LANDING", str(settings.landing))
    monkeypatch.setenv("FINSTAT_HOME", str(settings.home))
    monkeypatch.setenv("FINSTAT_REFERENCE_DIR", str(settings.reference_dir))
    return main(["--landing", str(settings.landing), "--home", str(settings.home), "ack", *args])


def test_cli_records_by_and_refuses_with_one_line_and_exit_1(settings, monkeypatch, capsys):
    monkeypatch.setattr(getpass, "getuser", lambda: "os-user")
    _ran(settings, MAY, _check(11, passed=False), _check(7, passed=False, severity="error"))
    month = ["--month", MAY, "--reason", "机构并购，已核实"]
    assert _cli(settings, monkeypatch, *month, "--rule", "11", "--by", "张科长") == 0
    assert load_acks(settings.acks_dir, MAY)[11]["acknowledged_by"] == "张科长"
    assert _cli(settings, monkeypatch, *month, "--rule", "11") == 0
    ack = load_acks(settings.acks_dir, MAY)[11]
    assert (ack["acknowledged_by"], ack["fingerprint"]) == ("os-user", FINGERPRINT)
    capsys.readouterr()
    for rule in ("7", "99", "15"):
        assert _cli(settings, monkeypatch, *month, "--rule", rule) == 1, rule
        err = capsys.readouterr().err
        assert err.startswith("finstat: ") and err.count("\n") == 1, err
    assert len(_files(settings)) == 2


def _gate(rows: list[dict], ack: dict | None, rule: int = 11, blocks: bool = True):
    """The month's check of a warning rule with these failing rows, as the gate builds it."""
    from orchestration.defs.gate.outcome import BLOCKS_MONTH, check_result

    result = check_result(
        rule=rule,
        severity="warn",
        title="t",
        passed=not rows,
        checked=300,
        failing_rows=rows,
        columns=["inst_code"],
        ack=ack,
        blocks_publication=blocks,
    )
    meta = {k: getattr(v, "value", v) for k, v in result.metadata.items()}
    return meta[BLOCKS_MONTH], meta


def test_the_gate_releases_a_warning_only_for_the_rows_acknowledged(settings):
    many = [{"inst_code": f"B{i:04d}", "found": str(i)} for i in range(250)]
    blocks, meta = _gate(many, None)
    assert blocks and "acknowledgement_stale" not in meta
    # The fingerprint is over every failing row, not only the 200 the metadata shows.
    assert meta["failing_rows_fingerprint"] == rows_fingerprint(many) != rows_fingerprint(many[:200])
    _ran(settings, MAY, _check(11, passed=False, fingerprint=meta["failing_rows_fingerprint"]))
    ack = record_ack(settings, MAY, 11, "已核实", by="张科长")

    blocks, meta = _gate(many, ack)
    assert not blocks
    assert (meta["acknowledged_by"], meta["acknowledgement_reason"]) == ("张科长", "已核实")
    assert "how_to_release" not in meta

    changed = [*many[:230], {**many[230], "found": "-1"}, *many[231:]]
    blocks, meta = _gate(changed, ack)
    assert blocks, "a change beyond the 200 rows shown voids the acknowledgement"
    assert "acknowledged_by" not in meta
    stale = meta["acknowledgement_stale"]
    assert (
        stale.startswith("确认已失效：失败行已变化，需重新确认 / acknowledgement no longer covers")
        and "张科长" in stale
    )
    assert "finstat ack" in meta["how_to_release"]


def test_an_old_ack_without_fingerprint_does_not_release_a_blocking_warning():
    old = {"rule": 11, "reason": "旧确认", "acknowledged_by": "a", "acknowledged_at": datetime.now(UTC)}
    blocks, meta = _gate(ROWS, {**old, "fingerprint": None})
    assert blocks and "acknowledgement_stale" in meta
    blocks, meta = _gate(ROWS, {**old, "rule": 22, "fingerprint": None}, rule=22, blocks=False)
    assert not blocks and meta["acknowledgement_reason"] == "旧确认"
