"""Republication flags: published months whose figures use a base month that was published again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from finstat.publication import schema

REPUBLISHED, UNCHANGED = "republished", "unchanged"


def read_flags(published: Path) -> list[dict]:
    """Every flag ever raised, open and resolved (empty before the first one)."""
    path = published / schema.FLAGS_FILE
    return pq.read_table(path, schema=schema.REPUBLICATION_FLAGS).to_pylist() if path.exists() else []


def open_flags(published: Path) -> list[dict]:
    """Flags not yet resolved by a run of their month, oldest month first."""
    return sorted((f for f in read_flags(published) if f["resolved_at"] is None), key=lambda f: f["period"])


def resolve(flags: list[dict], period: str, version: int, created: bool, now: datetime) -> list[dict]:
    """Close the period's open flags: it was just rebuilt from the current base months."""
    resolved = []
    for flag in flags:
        if flag["period"] == period and flag["resolved_at"] is None:
            flag.update(
                resolved_at=now, resolved_version=version, resolution=REPUBLISHED if created else UNCHANGED
            )
            resolved.append(flag)
    return resolved


def raise_for(
    flags: list[dict],
    base_period: str,
    base_version: int,
    dependents: Iterable[str],
    published_periods: set[str],
    now: datetime,
) -> list[dict]:
    """Flag every published dependent of the base month's new version (once per base version)."""
    known = {(f["period"], f["base_period"], f["base_version"]) for f in flags}
    raised = [
        {
            "period": period,
            "base_period": base_period,
            "base_version": base_version,
            "flagged_at": now,
            "resolved_at": None,
            "resolved_version": None,
            "resolution": None,
        }
        for period in sorted(set(dependents) & published_periods - {base_period})
        if (period, base_period, base_version) not in known
    ]
    flags.extend(raised)
    return raised


def to_table(flags: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(flags, schema=schema.REPUBLICATION_FLAGS)
