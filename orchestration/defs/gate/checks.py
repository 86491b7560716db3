"""The publication gate as blocking, month-partitioned Dagster checks (GX on the audit models)."""
# No `from __future__ import annotations` here: Dagster validates the context annotations at runtime.

import json

import dagster as dg
import duckdb

from expectations.rules import GATE_RULES, RuleSpec
from expectations.runner import load_rule_rows, run_rule
from finstat.acks import load_acks, load_dismissals
from finstat.faults import fault_point
from ingestion.run import FILE_KINDS
from orchestration.defs.gate.outcome import DETAIL_COLUMNS, check_result
from orchestration.defs.gate.summary import SUMMARY_COLUMNS, loan_warning_summary
from orchestration.defs.ingestion.assets import SOURCES, SourceAssets
from orchestration.metadata import markdown_table
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths

# The kinds of report one sender delivers side by side (rural credit: 贷款明细/不良处置; platform:
# 入驻企业/金融产品/融资需求): a rejection is resolved only by an accepted file of its own kind.
KIND_PATTERN = f"({'|'.join(FILE_KINDS)})"
# How a rejected file stops blocking: the sender's good file, or the officer setting it aside.
DISMISS_HINT = (
    "报送机构重新报送正确文件即可；无人会重报的文件（来历不明、符号链接、非法文件名）由数据管理员说明后搁置："
    "finstat dismiss --month <YYYY-MM> --file '<file_path>' --reason '...'"
)
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
    def _check(context: dg.AssetCheckExecutionContext, finstat: FinstatPaths) -> dg.AssetCheckResult:
        settings = finstat.settings()
        period = context.partition_key
        result = run_rule(spec, load_rule_rows(settings.work_db, spec.model, period))
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


def unresolved_file_problems(log_glob: str, period: str, source: str) -> list[dict]:
    """Log rows of the month's folder of one source still needing action (rules 1-5).

    A rejection is resolved when the same institution has an accepted file of the same kind for
    the month logged after it (the sender re-sent a good file; see KIND_PATTERN); one whose
    institution is unknown stays open. A duplicate (rule 4 warn) is returned
    too and needs an acknowledgement.
    """
    con = duckdb.connect()
    try:
        return (
            con.sql(
                """
            with log as (
                select *, regexp_extract(file_path, ?, 1) as file_kind
                from read_parquet(?, union_by_name = true)
                where source = ?
            )
            select * exclude (file_kind) from log r
            where r.folder_period = ?
              and (r.status = 'duplicate'
                   or (r.status = 'rejected' and not exists (
                        select 1 from log a
                        where a.status = 'accepted' and a.inst_code = r.inst_code
                          and a.file_kind = r.file_kind
                          and a.period = coalesce(r.period, r.folder_period)
                          and a.logged_at > r.logged_at)))
            order by r.file_path
            """,
                params=[KIND_PATTERN, log_glob, source, period],
            )
            .to_arrow_table()
            .to_pylist()
        )
    finally:
        con.close()


def open_file_problems(settings, period: str, source: str) -> list[dict]:
    """The month's file problems still needing the officer: unresolved and not set aside.

    A rejection the officer set aside (`finstat dismiss`, these exact bytes) no longer blocks; it
    stays in the log and the file in landing.
    """
    log_dir = settings.lake / "ingestion_log" / period
    if not any(log_dir.glob("*.parquet")):
        return []
    problems = unresolved_file_problems(str(log_dir / "*.parquet"), period, source)
    dismissed = {(d["file_path"], d["file_sha256"]) for d in load_dismissals(settings.acks_dir, period)}
    return [p for p in problems if (p["file_path"], p["file_sha256"]) not in dismissed]


def _file_level_check(spec: SourceAssets) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(spec.log_key),
        name="rules_01_05_file_level",
        blocking=spec.blocks_publication,
        partitions_def=monthly_partitions,
        description=f"规则1-5（文件级，{spec.title}）：文件可读、月份一致、机构在册、无重复报送、金额有效。被拒文件未重报则阻止发布。",
    )
    def _check(context: dg.AssetCheckExecutionContext, finstat: FinstatPaths) -> dg.AssetCheckResult:
        """Block the month while a rejected file is unresolved; an identical duplicate is a warning."""
        settings = finstat.settings()
        period = context.partition_key
        problems = open_file_problems(settings, period, spec.source)
        errors = [p for p in problems if p["status"] == "rejected"]
        duplicates = [p for p in problems if p["status"] == "duplicate"]
        if errors:
            return check_result(
                rule=errors[0]["rule"] or 1,
                severity="error",
                title="文件级规则：存在未处理的被拒文件",
                passed=False,
                checked=len(problems),
                failing_rows=problems,
                columns=FILE_RULE_COLUMNS,
                ack=None,
                extra={"how_to_release": DISMISS_HINT} if spec.blocks_publication else None,
                blocks_publication=spec.blocks_publication,
            )
        return check_result(
            rule=4,
            severity="warn",
            title="同一文件重复报送（已只入库一次）",
            passed=not duplicates,
            checked=len(problems),
            failing_rows=duplicates,
            columns=FILE_RULE_COLUMNS,
            ack=load_acks(settings.acks_dir, period).get(4),
            blocks_publication=spec.blocks_publication,
        )

    return _check


file_level_checks = [_file_level_check(spec) for spec in SOURCES]
