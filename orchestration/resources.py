"""Resources: finstat's paths and PostgreSQL target (from dg.EnvVar) and the dbt CLI."""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path
from typing import IO, Any

import dagster as dg
from dagster_dbt import DbtCliResource
from dbt.version import __version__ as DBT_CORE_VERSION
from packaging import version
from pydantic import PrivateAttr

from finstat.fsio import acquire_run_lock, release_run_lock
from finstat.settings import (
    DEFAULT_POSTGRES_SCHEMA,
    PostgresSettings,
    Settings,
    load_postgres_settings,
    load_settings,
)
from orchestration.outcome_tags import RUNNING_TAGS


class FinstatPaths(dg.ConfigurableResource):
    """Where landing, the warehouse home and the reference data are (FINSTAT_* variables)."""

    landing: str
    home: str
    reference_dir: str

    def settings(self) -> Settings:
        return load_settings(self.landing, self.home, self.reference_dir)


class PostgresTarget(dg.ConfigurableResource):
    """Where the published tables are mirrored (FINSTAT_POSTGRES_DSN, _SCHEMA); an empty DSN is off."""

    dsn: str = ""
    schema_name: str = DEFAULT_POSTGRES_SCHEMA

    def settings(self) -> PostgresSettings | None:
        return load_postgres_settings(self.dsn, self.schema_name)


class WarehouseRunLock(dg.ConfigurableResource):
    """Held for a whole run (in-process executor: set up once per run) by every step that writes.

    Two runs of one month, a UI run during a CLI run, or a UI backfill of many months are done one
    after the other instead of sharing the single-writer working database.
    """

    home: str
    _handle: IO[str] | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        def waiting(message: str) -> None:
            # Said on the process's own stderr too: `finstat run` sends the run's console to its
            # log file, and the officer must see why nothing happens.
            print(f"finstat: {message}", file=sys.__stderr__, flush=True)
            if context.log:
                context.log.warning(message)

        self._handle = acquire_run_lock(Path(self.home), f"run {context.run_id}", on_wait=waiting)
        if context.instance is not None and context.run_id:
            # A re-execution copies its parent's tags, outcome included: until this run records
            # its own, it says it is running (the lock is the start of every writing run).
            context.instance.add_run_tags(context.run_id, RUNNING_TAGS)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._handle is not None:
            release_run_lock(self._handle)
            self._handle = None


class GateReader(dg.ConfigurableResource):
    """One read-only connection to the working database for a run's gate checks, closed at its end.

    Opening the file costs far more than a rule's query (136 ms against 34 ms measured under load,
    its catalogue is read each time), and a month has 27 rule checks. It is opened by the first
    check, after dbt's process has written and closed the file, and closed when the run ends
    (in-process executor: once per run), before the next month's dbt opens the file for writing.
    """

    _con: Any = PrivateAttr(default=None)
    _path: str | None = PrivateAttr(default=None)

    def connection(self, db_path: Path):
        import duckdb

        if self._con is None or self._path != str(db_path):
            self.close()
            self._con = duckdb.connect(str(db_path), read_only=True)
            self._path = str(db_path)
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con, self._path = None, None

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self.close()


class FinstatDbtCli(DbtCliResource):
    """The dbt CLI resource without two start-up costs paid on every monthly build.

    dagster-dbt 0.29 runs `dbt --version` in a subprocess and loads a dbt adapter in-process before
    each command (about 7 s per month here). dbt-core is installed in this environment at a pinned
    version, so its version is known, and the adapter only serves column-metadata fetching, which
    finstat does not use. Both are private hooks: re-check them when dagster-dbt is upgraded.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(DBT_CORE_VERSION)

    def _initialize_dbt_core_adapter(self, args):
        return None
