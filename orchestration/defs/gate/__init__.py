"""Dagster definitions of the gate area."""
