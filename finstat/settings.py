"""Paths and switches read from the environment in one place (FINSTAT_LANDING, FINSTAT_HOME, ...)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SHIPPED_REFERENCE_DIR = Path(__file__).resolve().parent.parent / "demo" / "reference"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

# Telemetry off by design: finstat runs on an intranet with no internet.
OFFLINE_ENV = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "False",
    "DAGSTER_DISABLE_TELEMETRY": "1",
}


def apply_offline_env() -> None:
    """Switch off dbt, GX and Dagster usage telemetry for this process and its children."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class Settings:
    """Resolved locations of landing, warehouse home and reference data."""

    landing: Path
    home: Path
    reference_dir: Path

    @property
    def lake(self) -> Path:
        return self.home / "lake"

    @property
    def work_db(self) -> Path:
        return self.home / "work" / "finstat.duckdb"

    @property
    def published(self) -> Path:
        return self.home / "published"

    @property
    def acks_dir(self) -> Path:
        return self.home / "acks"

    @property
    def secrets_dir(self) -> Path:
        return self.home / "secrets"


def load_settings(
    landing: str | os.PathLike | None = None,
    home: str | os.PathLike | None = None,
    reference_dir: str | os.PathLike | None = None,
) -> Settings:
    """Build Settings from explicit values, else the FINSTAT_* environment, else the defaults."""
    return Settings(
        landing=Path(landing or os.environ.get("FINSTAT_LANDING") or "data/landing").resolve(),
        home=Path(home or os.environ.get("FINSTAT_HOME") or "data/warehouse").resolve(),
        reference_dir=Path(
            reference_dir or os.environ.get("FINSTAT_REFERENCE_DIR") or SHIPPED_REFERENCE_DIR
        ).resolve(),
    )
