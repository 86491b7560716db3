"""Turn a rule's result and the month's acknowledgements into a Dagster check result."""

from __future__ import annotations

import json

import dagster as dg

from finstat.acks import ack_covers
from finstat.clock import beijing_text
from finstat.gate_record import rows_fingerprint
from orchestration.metadata import markdown_table

STALE = "确认已失效：失败行已变化，需重新确认 / acknowledgement no longer covers the failing rows: acknowledge again"

# The check metadata key saying whether this failure holds the month's publication now.
BLOCKS_MONTH = "blocks_month"

DETAIL_COLUMNS = [
    "inst_code",
    "county_code",
    "item_code",
    "measure",
    "expected",
    "found",
    "diff",
    "tolerance",
    "detail",
    "source_file",
    "row_number",
]


def check_result(
    *,
    rule: int,
    severity: str,
    title: str,
    passed: bool,
    checked: int,
    failing_rows: list[dict],
    columns: list[str],
    ack: dict | None,
    extra: dict | None = None,
    blocks_publication: bool = True,
) -> dg.AssetCheckResult:
    """error rules fail with ERROR (blocking); warn rules block until acknowledged, then only warn.

    An acknowledgement covers the failing rows it was given for (their fingerprint): when the rows
    change, the rule blocks again until the officer acknowledges what it finds now. A rule that is
    only reported (rule 22) always fails as WARN; its acknowledgement is the officer's explanation,
    printed in the reconciliation report.
    """
    # Over every failing row, not the 200 shown: a change beyond the shown rows must void the ack.
    fingerprint = rows_fingerprint(failing_rows)
    covered = ack_covers(ack, fingerprint)
    if passed or not blocks_publication:
        blocking = False
    elif severity == "warn":
        blocking = not covered
    else:
        blocking = True
    metadata = {
        "rule": rule,
        "rule_severity": severity,
        "title": title,
        "checked_rows": checked,
        "failing_row_count": len(failing_rows),
        "failing_rows_fingerprint": fingerprint,
        "failing_rows": dg.MetadataValue.md(markdown_table(failing_rows, columns)),
        "failing_rows_json": dg.MetadataValue.json(
            json.loads(json.dumps(failing_rows[:200], ensure_ascii=False, default=str))
        ),
        **(extra or {}),
    }
    if covered:
        metadata["acknowledged_by"] = ack["acknowledged_by"]
        metadata["acknowledgement_reason"] = ack["reason"]
    stale = ack is not None and not covered and not passed
    if stale:
        metadata["acknowledgement_stale"] = (
            f"{STALE}（原确认：{ack['acknowledged_by']}，{beijing_text(ack['acknowledged_at'])}，"
            f"{ack['reason']}）"
        )
    command = (
        f"finstat ack --month <YYYY-MM> --rule {rule} --reason '...'"
        f"（或在 UI 中运行作业 acknowledge_warning：month、rule={rule}、reason）"
    )
    if not passed and not blocks_publication:
        metadata["how_to_explain"] = f"{command}（说明将印在对账表中，不影响发布）"
    elif not passed and severity == "warn" and not covered:
        metadata["how_to_release"] = (
            f"{command}，再重新运行该月 finstat_monthly (警告需经数据管理员确认后方可发布)"
        )
    return dg.AssetCheckResult(
        passed=passed,
        # A failing rule is reported with WARN: Dagster turns a failed blocking check of ERROR
        # severity into a step failure with a Python traceback, and a gate block is an outcome,
        # not a crash. Whether it holds the month is `blocks_month`; published_figures reads it
        # and records the block (its own check `publication_gate` fails with ERROR then).
        severity=dg.AssetCheckSeverity.WARN,
        metadata={**metadata, BLOCKS_MONTH: blocking, "阻止发布": "是" if blocking else "否"},
    )
