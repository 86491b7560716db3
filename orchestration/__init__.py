"""Dagster orchestration of finstat: monthly-partitioned assets, blocking gate checks, the CLI."""
