"""The publication gate as blocking, month-partitioned Dagster checks (GX on the audit models)."""
# No `from __future__ import annotations` here: Dagster validates the context annotations at runtime.

import dataclasses
import json

import dagster as dg

from expectations.rules import GATE_RULES, RuleSpec
from expectations.runner import load_rule_rows, run_rule
from finstat.acks import load_acks, load_dismissals
from finstat.faults import fault_point
from finstat.settings import load_engine
from ingestion.file_status import unresolved_rejections
from ingestion.log import DUPLICATE, SUPERSEDED, UNCHANGED, read_log
from orchestration.defs.gate.outcome import DETAIL_COLUMNS, check_result
from orchestration.defs.gate.summary import SUMMARY_COLUMNS, loan_warning_summary
from orchestration.defs.ingestion.assets import SOURCES, SourceAssets
from orchestration.metadata import markdown_table
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths, GateReader

# How a rejected file stops blocking: the sender's good file, the edited file put back, or the
# officer setting it aside.
DISMISS_HINT = (
    "报送机构重新报送正确文件即可（已入库文件被原地改动的：改动有误则放回原文件，否则以 _v2 或“更正”文件名报送更正版本）；"
    "无人会重报的文件（来历不明、符号链接、非法文件名）由数据管理员说明后搁置："
    "finstat dismiss --month <YYYY-MM> --file '<file_path>' --reason '...'（或 UI 作业 dismiss_rejected_file），"
    "再重新运行该月 finstat_monthly；"
    "各文件状态：finstat files --month <YYYY-MM>"
)
# Deliveries that changed nothing: shown with the check, never blocking, never acknowledged.
NOTICES = (UNCHANGED, SUPERSEDED, DUPLICATE)
FILE_RULE_COLUMNS = ["file_path", "status", "rule", "severity", "inst_code", "period", "reason"]


def _extra_metadata(result) -> dict:
    extra = {"failed_expectations": ", ".join(result.failed_expectations) or "none"}
    summary = loan_warning_summary(result.failing_rows)
    if summary:
        extra["by_institution"] = dg.MetadataValue.md(markdown_table(summary, SUMMARY_COLUMNS))
        extra["by_institution_json"] = dg.MetadataValue.json(json.loads(json.dumps(summary, default=str)))
    return extra


def _rule_check(spec: RuleSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(spec.model),
        name=spec.check_name,
        blocking=spec.blocks_publication,
        partitions_def=monthly_partitions,
        description=(
            f"规则{spec.rule}（{'错误' if spec.severity == 'error' else '警告'}"
            f"{'' if spec.blocks_publication else '，仅报告不阻止发布'}）：{spec.title}"
        ),
    )
    def _check(
        context: dg.AssetCheckExecutionContext, finstat: FinstatPaths, gate_reader: GateReader
    ) -> dg.AssetCheckResult:
        settings = finstat.settings()
        period = context.partition_key
        # DuckDB: the run's one read-only connection (GateReader); Spark: the Thrift server.
        con = gate_reader.connection(settings.work_db) if load_engine() == "duckdb" else None
        result = run_rule(spec, load_rule_rows(settings, spec.model, period, con))
        fault_point("gate-checking")
        return check_result(
            rule=spec.rule,
            severity=spec.severity,
            title=spec.title,
            passed=result.passed,
            checked=result.checked_rows,
            failing_rows=result.failing_rows,
            columns=[*DETAIL_COLUMNS, *spec.record_columns],
            ack=load_acks(settings.acks_dir, period).get(spec.rule),
            extra=_extra_metadata(result),
            blocks_publication=spec.blocks_publication,
        )

    return _check


rule_checks = [_rule_check(spec) for spec in GATE_RULES]


def unresolved_file_problems(settings, period: str, source: str) -> list[dict]:
    """Rejections of the month's folder of one source no later delivery resolved (rules 1-5).

    A rejection is resolved when its path holds other bytes since (replaced, or an edit put back),
    or when the same institution delivered the same kind of report for the month since, accepted
    or unchanged (ingestion/file_status.py); one whose institution is unknown stays open. A
    delivery that changed nothing (unchanged, superseded, an older log's duplicate) is no problem.
    """
    log = read_log(settings.lake, source, folder_period=period)
    return [dataclasses.asdict(o) for o in unresolved_rejections(log, source)]


def open_file_problems(settings, period: str, source: str) -> list[dict]:
    """The month's file problems still needing the officer: unresolved and not set aside.

    A rejection the officer set aside (`finstat dismiss`, these exact bytes) no longer blocks; it
    stays in the log and the file in landing.
    """
    problems = unresolved_file_problems(settings, period, source)
    if not problems:
        return []
    dismissed = {(d["file_path"], d["file_sha256"]) for d in load_dismissals(settings.acks_dir, period)}
    return [p for p in problems if (p["file_path"], p["file_sha256"]) not in dismissed]


def file_notices(settings, period: str, source: str) -> list[dict]:
    """The month's deliveries that changed nothing, for information (no acknowledgement)."""
    log = read_log(settings.lake, source, folder_period=period)
    return [dataclasses.asdict(o) for o in log if o.status in NOTICES]


def _file_level_check(spec: SourceAssets) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(spec.log_key),
        name="rules_01_05_file_level",
        blocking=spec.blocks_publication,
        partitions_def=monthly_partitions,
        description=f"规则1-5（文件级，{spec.title}）：文件可读、月份一致、机构在册、无重复报送、金额有效。被拒文件未重报则阻止发布。",
    )
    def _check(context: dg.AssetCheckExecutionContext, finstat: FinstatPaths) -> dg.AssetCheckResult:
        """Block the month while a rejected file is unresolved; a delivery that changed nothing is shown only."""
        settings = finstat.settings()
        period = context.partition_key
        problems = open_file_problems(settings, period, spec.source)
        notices = file_notices(settings, period, spec.source)
        extra = {"how_to_release": DISMISS_HINT} if spec.blocks_publication else {}
        if notices:
            extra["unchanged_deliveries"] = dg.MetadataValue.md(markdown_table(notices, FILE_RULE_COLUMNS))
        if problems:
            return check_result(
                rule=problems[0]["rule"] or 1,
                severity="error",
                title="文件级规则：存在未处理的被拒文件",
                passed=False,
                checked=len(problems),
                failing_rows=problems,
                columns=FILE_RULE_COLUMNS,
                ack=None,
                extra=extra,
                blocks_publication=spec.blocks_publication,
            )
        return check_result(
            rule=1,
            severity="error",
            title="文件级规则：无未处理的被拒文件"
            + (f"（{len(notices)} 个重复或未采用的报送，无需处理）" if notices else ""),
            passed=True,
            checked=len(notices),
            failing_rows=[],
            columns=FILE_RULE_COLUMNS,
            ack=None,
            extra={k: v for k, v in extra.items() if k != "how_to_release"},
            blocks_publication=spec.blocks_publication,
        )

    return _check


file_level_checks = [_file_level_check(spec) for spec in SOURCES]
