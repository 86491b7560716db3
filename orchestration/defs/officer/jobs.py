"""The officer's decisions from the UI: small jobs whose run config records an acknowledgement or a dismissal."""

import dagster as dg
from pydantic import Field

from finstat.acks import record_ack, record_dismissal
from finstat.periods import check_period
from ingestion.log import latest_rejection
from orchestration.resources import FinstatPaths


class AcknowledgementConfig(dg.Config):
    """What `finstat ack` takes, filled in the Launchpad: the month, the warning rule and why."""

    month: str = Field(description="月份 YYYY-MM：该月最近一次运行中失败的警告规则 the month, e.g. 2022-05")
    rule: int = Field(description="警告规则编号（如 11、15、22）the warning rule's number")
    reason: str = Field(description="确认理由，随发布保存并印在发布说明中 why (stored with the publication)")
    acknowledged_by: str = Field(default="", description="确认人（留空为运行用户）who acknowledges")


@dg.op(
    description=(
        "记录数据管理员对警告规则的确认（月份、规则、理由、确认人），仅对该月最近一次运行的失败行有效，"
        "随下一次发布一并保存。"
    )
)
def record_acknowledgement(
    context: dg.OpExecutionContext, config: AcknowledgementConfig, finstat: FinstatPaths
):
    """Append the acknowledgement (record_ack refuses what `finstat ack` refuses); the next run publishes."""
    try:
        period = check_period(config.month)
        row = record_ack(
            finstat.settings(), period, config.rule, config.reason, by=config.acknowledged_by or None
        )
    except ValueError as exc:
        raise dg.Failure(str(exc)) from None
    context.add_output_metadata(
        {
            "period": period,
            "rule": row["rule"],
            "reason": row["reason"],
            "acknowledged_by": row["acknowledged_by"],
            "fingerprint": row["fingerprint"] or "",
        }
    )
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

    month: str = Field(description="月份 YYYY-MM the month of the rejected file")
    file_path: str = Field(
        description="被拒文件在入湖日志中的路径（finstat files --month 可查）the path as the ingestion log shows it"
    )
    reason: str = Field(description="搁置理由 why nobody will re-send it")
    dismissed_by: str = Field(default="", description="操作人（留空为运行用户）who sets it aside")


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
