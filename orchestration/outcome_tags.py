"""The month's outcome as run tags: what the Dagster UI shows on the run and filters by."""

from __future__ import annotations

from finstat.gate_record import outcome_summary

OUTCOME_TAG = "finstat/outcome"  # published | blocked | no_data | failed: filterable in the UI
SUMMARY_TAG = "finstat/summary"  # the officer's words (outcome_summary): 已发布 v3 / 被阻止：规则 7、11 / …
# What a run says before its outcome is recorded (a re-execution starts with its parent's tags).
RUNNING_TAGS = {OUTCOME_TAG: "running", SUMMARY_TAG: "运行中 running"}
_TAG_LIMIT = 240  # a tag is a label, not a report: the checks hold the rows
# Dagster's tags of a run over a range of partitions: a range's build run (`finstat run --from A --to B`).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def outcome_tags(record: dict) -> dict[str, str]:
    """The two run tags of a month's outcome."""
    return {OUTCOME_TAG: record["outcome"], SUMMARY_TAG: outcome_summary(record)[:_TAG_LIMIT]}


def range_tags(run_tags: dict[str, str], built: bool) -> dict[str, str]:
    """The two outcome tags of a range's build run (ingestion and dbt for its months, no gate)."""
    first, last = run_tags[RANGE_START_TAG], run_tags[RANGE_END_TAG]
    if built:
        summary = (
            f"已建模 {first}..{last}：各月的闸门与发布见各月的运行 built; each month's gate runs on its own"
        )
        return {OUTCOME_TAG: "built", SUMMARY_TAG: summary[:_TAG_LIMIT]}
    # `finstat run` then runs each month on its own; a re-execution from the UI publishes nothing.
    summary = (
        f"建模失败 {first}..{last}：本次运行未发布任何月份 build failed; no month was published by this run"
    )
    return {OUTCOME_TAG: "build_failed", SUMMARY_TAG: summary[:_TAG_LIMIT]}
