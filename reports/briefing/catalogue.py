"""The indicator codes a template may name: the catalogue seed's (what dbt publishes)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from finstat.settings import DBT_PROJECT_DIR

CATALOGUE_SEED = DBT_PROJECT_DIR / "seeds" / "indicators.csv"


@dataclass(frozen=True)
class Indicator:
    """One code a template may name: its name, unit, whether it is published by county."""

    code: str
    name: str
    unit: str
    by_county: bool


@cache
def _read(path: Path) -> tuple[Indicator, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(
            Indicator(row["indicator_code"], row["indicator_name"], row["unit"], row["by_county"] == "true")
            for row in csv.DictReader(handle)
        )


def catalogue_codes(path: Path = CATALOGUE_SEED) -> frozenset[str]:
    """The codes of the catalogue seed (what dbt publishes)."""
    return frozenset(i.code for i in _read(path))


def known_indicators(path: Path = CATALOGUE_SEED) -> dict[str, Indicator]:
    """Every code a template may name: the catalogue's."""
    return {i.code: i for i in _read(path)}
