"""The officer's acknowledgement from the UI: a small job whose run config records a warning's reason."""

import dagster as dg

from expectations.rules import RULES_BY_NUMBER
from finstat.acks import record_ack
from finstat.periods import check_period
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
