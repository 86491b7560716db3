"""The one monthly job behind the UI, the schedule and the `finstat` command line."""

import dagster as dg

# In-process: the steps share one DuckDB writer and GX context; a process per step would only
# add start-up time and contend for the single-writer database.
monthly_job = dg.define_asset_job(
    name="finstat_monthly",
    selection=dg.AssetSelection.all()
    - dg.AssetSelection.assets("reference_institutions", "reference_regions"),
    executor_def=dg.in_process_executor,
    description="银行贷款月报、农信明细、普惠平台快照：入湖 → dbt 建模 → 质量闸门 → 发布（按月分区）。",
)
