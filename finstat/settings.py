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
    # FINSTAT_LAKE_DIR: where ingestion writes the lake and dbt reads it (a cluster's mount); None
    # is the default, <home>/lake.
    lake_dir: Path | None = None

    @property
    def lake(self) -> Path:
        return self.lake_dir or self.home / "lake"

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
    lake_dir = os.environ.get("FINSTAT_LAKE_DIR", "").strip()
    return Settings(
        landing=Path(landing or os.environ.get("FINSTAT_LANDING") or "data/landing").resolve(),
        home=Path(home or os.environ.get("FINSTAT_HOME") or "data/warehouse").resolve(),
        reference_dir=Path(
            reference_dir or os.environ.get("FINSTAT_REFERENCE_DIR") or SHIPPED_REFERENCE_DIR
        ).resolve(),
        lake_dir=Path(lake_dir).resolve() if lake_dir else None,
    )


ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"


def load_engine(value: str | None = None) -> str:
    """FINSTAT_ENGINE: where dbt builds and the gate and publication read (duckdb, the default, or spark).

    Raises ValueError naming the accepted values: the CLI turns it into exit 1 and its message.
    """
    engine = (os.environ.get("FINSTAT_ENGINE", "") if value is None else value).strip().lower()
    engine = engine or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ValueError(
            f"FINSTAT_ENGINE={engine!r} 无效，可选 {' / '.join(ENGINES)}"
            f" (FINSTAT_ENGINE must be one of {', '.join(ENGINES)}; unset means {DEFAULT_ENGINE})"
        )
    return engine


@dataclass(frozen=True)
class SparkSettings:
    """The Spark Thrift server that dbt's `thrift` target and finstat's readers address."""

    host: str = "127.0.0.1"
    port: int = 10000
    user: str = "finstat"


def load_spark_settings() -> SparkSettings:
    """FINSTAT_SPARK_HOST / _PORT / _USER, else the defaults (a server on this machine)."""
    defaults = SparkSettings()
    port = os.environ.get("FINSTAT_SPARK_PORT", "").strip() or str(defaults.port)
    if not port.isdigit():
        raise ValueError(f"FINSTAT_SPARK_PORT={port!r} is not a port number")
    return SparkSettings(
        host=os.environ.get("FINSTAT_SPARK_HOST", "").strip() or defaults.host,
        port=int(port),
        user=os.environ.get("FINSTAT_SPARK_USER", "").strip() or defaults.user,
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
