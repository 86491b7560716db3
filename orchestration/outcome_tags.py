"""The month's outcome as run tags: what the Dagster UI shows on the run and filters by."""

from __future__ import annotations

from finstat.gate_record import outcome_summary

OUTCOME_TAG = "finstat/outcome"  # published | blocked | no_data | failed: filterable in the UI
SUMMARY_TAG = "finstat/summary"  # the officer's words (outcome_summary): 已发布 v3 / 被阻止：规则 7、11 / …
# What a run says before its outcome is recorded (a re-execution starts with its parent's tags).
RUNNING_TAGS = {OUTCOME_TAG: "running", SUMMARY_TAG: "运行中 running"}
_TAG_LIMIT = 240  # a tag is a label, not a report: the checks hold the rows


def outcome_tags(record: dict) -> dict[str, str]:
    """The two run tags of a month's outcome."""
    return {OUTCOME_TAG: record["outcome"], SUMMARY_TAG: outcome_summary(record)[:_TAG_LIMIT]}
