"""The report-month partitioning shared by every finstat asset and check."""

import dagster as dg

# Keys are `YYYY-MM`, the period spelling used everywhere else in finstat.
monthly_partitions = dg.MonthlyPartitionsDefinition(start_date="2020-01", fmt="%Y-%m")
