"""Acknowledgements of warning rules by month: append-only records bound to the rows they were given for."""

from __future__ import annotations

import getpass
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from expectations.rules import RULES_BY_NUMBER, Release
from finstat.fsio import replace_atomically
from finstat.gate_record import failing_check, read_gate_record
from finstat.periods import check_period
from finstat.settings import Settings

# Only a gate rule's `warn` can be acknowledged (its declared release); an error is corrected at
# the source. Rule 4's identical re-delivery is not here: it is ingested once and needs nobody's
# acknowledgement.
ACKNOWLEDGEABLE = tuple(sorted(spec.rule for spec in RULES_BY_NUMBER.values() if spec.acknowledgeable))
# Rules that are reported but never hold a month back (rule 22): their acknowledgement is the
# officer's explanation, which may be given before the month has any result for the rule (the
# demo explains the central bank branch's known difference before its first run). Such an
# explanation binds to no rows; since the rule never blocks, it releases nothing.
EXPLAINABLE_BEFORE_RUN = tuple(
    sorted(spec.rule for spec in RULES_BY_NUMBER.values() if spec.release is Release.REPORT)
)

ACK_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("rule", pa.int32()),
        ("reason", pa.string()),
        ("acknowledged_by", pa.string()),
        ("acknowledged_at", pa.timestamp("us", tz="UTC")),
        # rows_fingerprint of the failing rows acknowledged (the gate record's); files written
        # before this column read it as null, which covers no rows of a blocking rule.
        ("fingerprint", pa.string()),
    ]
)


def record_ack(settings: Settings, period: str, rule: int, reason: str, by: str | None = None) -> dict:
    """Validate and store one acknowledgement as its own file, bound to the rule's failing rows.

    Refused (ValueError): a month or reason missing, a rule that is not a gate `warn` rule, and a
    rule that is not failing in the month's latest run (except an explanation of a reported-only
    rule given before the month has a result for it). `finstat ack` and the UI job
    acknowledge_warning both call this, so they refuse the same rules with the same message.
    """
    check_period(period)
    if not reason or not reason.strip():
        raise ValueError("确认需要填写理由 / an acknowledgement needs a reason")
    rule = int(rule)
    fingerprint = _failing_fingerprint(settings.home, period, rule)
    row = {
        "period": period,
        "rule": rule,
        "reason": reason.strip(),
        "acknowledged_by": (by or "").strip() or getpass.getuser(),
        "acknowledged_at": datetime.now(UTC),
        "fingerprint": fingerprint,
    }
    return _append(settings.acks_dir, f"{period}__rule{rule:02d}", row, ACK_SCHEMA)


def _failing_fingerprint(home: Path, period: str, rule: int) -> str | None:
    """The fingerprint of the rule's failing rows in the month's latest run, or why there is none."""
    spec = RULES_BY_NUMBER.get(rule)
    allowed = f"可确认的警告规则 / acknowledgeable warning rules: {', '.join(map(str, ACKNOWLEDGEABLE))}"
    if spec is None:
        raise ValueError(
            f"规则 {rule} 不是可确认的警告规则 / rule {rule} is not a warning rule of the gate; {allowed}"
        )
    if not spec.acknowledgeable:
        raise ValueError(
            f"规则 {rule} 是错误规则，不能确认，须由报送机构更正数据 / "
            f"rule {rule} is an error rule: it cannot be acknowledged, the data must be corrected; {allowed}"
        )
    record = read_gate_record(home, period)
    check = failing_check(record, rule)
    if check is None:
        evaluated = any(c.get("rule") == rule for c in (record or {}).get("checks", []))
        if rule in EXPLAINABLE_BEFORE_RUN and not evaluated:
            return None
        if not evaluated:
            raise ValueError(
                f"{period} 尚无规则 {rule} 的检查结果（未运行，或运行在检查前失败），请先运行 "
                f"finstat run --month {period} / {period} has no result for rule {rule} "
                "(never run, or its run failed before the gate): run it first"
            )
        raise ValueError(
            f"规则 {rule} 在 {period} 最近一次运行中未失败，无需确认 / "
            f"rule {rule} is not failing in the latest run of {period}: nothing to acknowledge"
        )
    if not check.get("fingerprint"):
        # A record written before acknowledgements were bound to rows: an ack would bind to nothing.
        raise ValueError(
            f"{period} 的检查结果缺少失败行指纹，请重新运行该月后再确认 / "
            f"the latest run of {period} recorded no fingerprint of the failing rows: rerun the month, then acknowledge"
        )
    return check["fingerprint"]


def ack_covers(ack: dict | None, fingerprint: str) -> bool:
    """Whether an acknowledgement was given for exactly these failing rows."""
    if ack is None:
        return False
    if ack.get("fingerprint") is None:
        # An explanation given in advance (or a file from before fingerprints) covers only a
        # rule that never blocks; for a blocking rule the safe reading is "covers nothing".
        return ack["rule"] in EXPLAINABLE_BEFORE_RUN
    return ack["fingerprint"] == fingerprint


def acks_in_force(acks_dir: Path, period: str, checks: list[dict]) -> dict[int, dict]:
    """The latest acknowledgement of each rule that covers that rule's failing rows in `checks`.

    `checks` are the month's gate record entries: an acknowledgement that no longer covers (the rows
    changed) or whose rule passed is not published and not printed in the reports.
    """
    latest = load_acks(acks_dir, period)
    return {
        c["rule"]: latest[c["rule"]]
        for c in checks
        if not c["passed"] and c["rule"] in latest and ack_covers(latest[c["rule"]], c.get("fingerprint"))
    }


def _append(acks_dir: Path, prefix: str, row: dict, schema: pa.Schema) -> dict:
    """Write one decision as a file of its own (unique name, atomic): nothing is ever rewritten."""
    name = f"{prefix}__{datetime.now(UTC):%Y%m%dT%H%M%S%f}_{uuid.uuid4().hex[:6]}.parquet"
    table = pa.Table.from_pylist([row], schema=schema)
    replace_atomically(acks_dir / name, lambda p: pq.write_table(table, p))
    return row


def load_acks(acks_dir: Path, period: str) -> dict[int, dict]:
    """The latest acknowledgement per rule for a month."""
    latest: dict[int, dict] = {}
    if not acks_dir.exists():
        return latest
    for path in sorted(acks_dir.glob(f"{check_period(period)}__rule*.parquet")):
        for row in pq.read_table(path, schema=ACK_SCHEMA).to_pylist():
            if row["rule"] not in latest or row["acknowledged_at"] >= latest[row["rule"]]["acknowledged_at"]:
                latest[row["rule"]] = row
    return latest


# A rejected file nobody can replace (a stray file, a link, a name no sender would use: it has no
# institution, so no later file resolves it) is set aside by the officer with a reason. The
# rejection stays in the ingestion log and the file in landing; only the gate stops waiting for it.
DISMISSAL_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("file_path", pa.string()),
        ("file_sha256", pa.string()),
        ("reason", pa.string()),
        ("dismissed_by", pa.string()),
        ("dismissed_at", pa.timestamp("us", tz="UTC")),
    ]
)


def record_dismissal(
    acks_dir: Path, period: str, file_path: str, file_sha256: str, reason: str, by: str | None = None
) -> dict:
    """Store the officer's decision that a rejected file (these exact bytes) no longer blocks the month."""
    check_period(period)
    if not reason or not reason.strip():
        raise ValueError("setting a rejected file aside needs a reason")
    row = {
        "period": period,
        "file_path": file_path,
        "file_sha256": file_sha256,
        "reason": reason.strip(),
        "dismissed_by": by or getpass.getuser(),
        "dismissed_at": datetime.now(UTC),
    }
    return _append(acks_dir, f"{period}__file__{file_sha256[:12]}", row, DISMISSAL_SCHEMA)


def load_dismissals(acks_dir: Path, period: str) -> list[dict]:
    """The month's dismissed rejected files, oldest first."""
    if not acks_dir.exists():
        return []
    rows = [
        row
        for path in sorted(acks_dir.glob(f"{check_period(period)}__file__*.parquet"))
        for row in pq.read_table(path, schema=DISMISSAL_SCHEMA).to_pylist()
    ]
    return sorted(rows, key=lambda r: r["dismissed_at"])
