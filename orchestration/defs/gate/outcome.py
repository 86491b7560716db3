"""Turn a rule's result and the month's acknowledgements into a Dagster check result."""

from __future__ import annotations

import json

import dagster as dg

from orchestration.metadata import markdown_table

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

    A rule that is only reported (rule 22) always fails as WARN; its acknowledgement is the
    officer's explanation, printed in the reconciliation report.
    """
    if passed or not blocks_publication:
        blocking = False
    elif severity == "warn":
        blocking = ack is None
    else:
        blocking = True
    metadata = {
        "rule": rule,
        "rule_severity": severity,
        "title": title,
        "checked_rows": checked,
        "failing_row_count": len(failing_rows),
        "failing_rows": dg.MetadataValue.md(markdown_table(failing_rows, columns)),
        "failing_rows_json": dg.MetadataValue.json(
            json.loads(json.dumps(failing_rows[:200], ensure_ascii=False, default=str))
        ),
        **(extra or {}),
    }
    if ack is not None:
        metadata["acknowledged_by"] = ack["acknowledged_by"]
        metadata["acknowledgement_reason"] = ack["reason"]
    if not passed and not blocks_publication:
        metadata["how_to_explain"] = (
            f"finstat ack --month <YYYY-MM> --rule {rule} --reason '...'（说明将印在对账表中，不影响发布）"
        )
    elif not passed and severity == "warn" and ack is None:
        metadata["how_to_release"] = (
            f"finstat ack --month <YYYY-MM> --rule {rule} --reason '...' (警告需经数据管理员确认后方可发布)"
        )
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        metadata=metadata,
    )
