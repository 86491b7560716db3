"""Dagster definitions of the publication area."""
