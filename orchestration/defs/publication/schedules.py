"""Monthly schedule: on the 10th (reports are due by the 8th) run the month just closed."""

import dagster as dg

from orchestration.defs.jobs import monthly_job

monthly_schedule = dg.build_schedule_from_partitioned_job(
    monthly_job,
    day_of_month=10,
    hour_of_day=6,
    description="每月10日6时运行上月（报表于次月8日前报送）。Runs the previous month on the 10th at 06:00.",
)
