"""The report-month partitioning shared by every finstat asset and check: first month with data to the last closed month."""

import os
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from finstat.periods import add_months, check_period
from ingestion.landing import landing_months
from ingestion.registry import SOURCE_NAMES


def last_closed_month(now: datetime | None = None) -> str:
    """The month before the current one (UTC, as Dagster's partitions count): the latest that has ended."""
    return add_months(f"{now or datetime.now(UTC):%Y-%m}", -1)


def first_partition_month(landing: Path, configured: str | None = None) -> str:
    """FINSTAT_FIRST_MONTH when set, else the first landing month holding a delivery.

    With an empty landing the partitions start at the last closed month; reload the code location
    in the UI after the first delivery of an earlier month.
    """
    if configured:
        return check_period(configured)
    months = landing_months(landing, SOURCE_NAMES)
    return min(months[0], last_closed_month()) if months else last_closed_month()


# Keys are `YYYY-MM`, the period spelling used everywhere else in finstat. The end is Dagster's
# default: the last month that has ended, so no partition lies in the future.
FIRST_MONTH = first_partition_month(
    Path(os.environ.get("FINSTAT_LANDING", "data/landing")), os.environ.get("FINSTAT_FIRST_MONTH")
)
monthly_partitions = dg.MonthlyPartitionsDefinition(start_date=FIRST_MONTH, fmt="%Y-%m")
