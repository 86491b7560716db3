"""Resources: finstat's paths (from dg.EnvVar) and the dbt CLI."""

from __future__ import annotations

from functools import cached_property

import dagster as dg
from dagster_dbt import DbtCliResource
from dbt.version import __version__ as DBT_CORE_VERSION
from packaging import version

from finstat.settings import Settings, load_settings


class FinstatPaths(dg.ConfigurableResource):
    """Where landing, the warehouse home and the reference data are (FINSTAT_* variables)."""

    landing: str
    home: str
    reference_dir: str

    def settings(self) -> Settings:
        return load_settings(self.landing, self.home, self.reference_dir)


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
