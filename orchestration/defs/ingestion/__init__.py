"""Dagster definitions of the ingestion area."""
