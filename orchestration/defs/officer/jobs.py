"""The officer's decisions from the UI: small jobs whose run config records an acknowledgement or a dismissal."""

import dagster as dg

from expectations.rules import RULES_BY_NUMBER
from finstat.acks import record_ack, record_dismissal
from finstat.periods import check_period
from ingestion.log import latest_rejection
from orchestration.resources import FinstatPaths

# Rule 4 (an identical file delivered twice) is the file-level warning; the others are gate rules.
ACKNOWLEDGEABLE = sorted({4} | {spec.rule for spec in RULES_BY_NUMBER.values() if spec.severity == "warn"})


class AcknowledgementConfig(dg.Config):
    """What `finstat ack` takes, filled in the Launchpad: the month, the warning rule and why."""

    month: str
    rule: int
    reason: str
    acknowledged_by: str = ""


@dg.op(description="记录数据管理员对警告规则的确认（月份、规则、理由），随下一次发布一并保存。")
def record_acknowledgement(
    context: dg.OpExecutionContext, config: AcknowledgementConfig, finstat: FinstatPaths
):
    """Validate and append the acknowledgement; the month's next run publishes with it."""
    period = check_period(config.month)
    if config.rule not in ACKNOWLEDGEABLE:
        raise dg.Failure(f"规则 {config.rule} 不是可确认的警告规则（可确认：{ACKNOWLEDGEABLE}）")
    row = record_ack(
        finstat.settings().acks_dir, period, config.rule, config.reason, by=config.acknowledged_by or None
    )
    context.add_output_metadata({"period": period, "rule": row["rule"], "reason": row["reason"]})
    context.log.info(f"acknowledged rule {row['rule']} for {period}: rerun {period} to publish")
    return row["rule"]


@dg.job(
    description=(
        "确认警告：在 Launchpad 填写 month、rule、reason 后运行，再重新运行该月的 finstat_monthly。"
        "Acknowledge a warning from the UI (the same record `finstat ack` writes), then rerun the month."
    )
)
def acknowledge_warning():
    record_acknowledgement()


class DismissalConfig(dg.Config):
    """What `finstat dismiss` takes: the month, the rejected file's path as the log shows it, and why."""

    month: str
    file_path: str
    reason: str
    dismissed_by: str = ""


@dg.op(
    description="搁置无人会重报的被拒文件（月份、文件路径、理由）：拒收记录与落地文件保留，该月不再因其阻止发布。"
)
def record_dismissal_op(context: dg.OpExecutionContext, config: DismissalConfig, finstat: FinstatPaths):
    """Validate that the file was rejected that month and record the officer's reason."""
    settings = finstat.settings()
    period = check_period(config.month)
    try:
        outcome = latest_rejection(settings.lake, period, config.file_path)
    except ValueError as exc:
        raise dg.Failure(str(exc)) from None
    row = record_dismissal(
        settings.acks_dir,
        period,
        outcome.file_path,
        outcome.file_sha256,
        config.reason,
        by=config.dismissed_by or None,
    )
    context.log.info(f"set aside {row['file_path']} for {period}: rerun {period} to publish")
    return row["file_path"]


@dg.job(
    description=(
        "搁置被拒文件：在 Launchpad 填写 month、file_path、reason 后运行，再重新运行该月的 finstat_monthly。"
        "Set aside a rejected file nobody will replace (the same record `finstat dismiss` writes), then rerun."
    )
)
def dismiss_rejected_file():
    record_dismissal_op()
