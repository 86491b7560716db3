"""Dagster definitions of the warehouse area."""
