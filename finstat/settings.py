"""Paths and switches read from the environment in one place (FINSTAT_LANDING, FINSTAT_HOME, ...)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
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


DEFAULT_POSTGRES_SCHEMA = "finstat"


@dataclass(frozen=True)
class PostgresSettings:
    """Where the published tables are mirrored: a libpq connection string and a schema."""

    # The password belongs in PGPASSWORD or ~/.pgpass, not the DSN (docs/scale-out.md); repr hides
    # the DSN all the same.
    dsn: str = field(repr=False)
    schema: str = DEFAULT_POSTGRES_SCHEMA


def load_postgres_settings(dsn: str | None = None, schema: str | None = None) -> PostgresSettings | None:
    """Explicit values, else FINSTAT_POSTGRES_DSN / _SCHEMA; None when the DSN is empty (mirroring off).

    An explicit empty DSN means off even when the variable is set (the Dagster resource passes its
    own resolved value).
    """
    dsn = (os.environ.get("FINSTAT_POSTGRES_DSN", "") if dsn is None else dsn).strip()
    if not dsn:
        return None
    schema = (schema or os.environ.get("FINSTAT_POSTGRES_SCHEMA") or DEFAULT_POSTGRES_SCHEMA).strip()
    return PostgresSettings(dsn=dsn, schema=schema)
