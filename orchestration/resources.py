"""Resources: finstat's paths (from dg.EnvVar) and the dbt CLI."""

from __future__ import annotations

import dagster as dg

from finstat.settings import Settings, load_settings


class FinstatPaths(dg.ConfigurableResource):
    """Where landing, the warehouse home and the reference data are (FINSTAT_* variables)."""

    landing: str
    home: str
    reference_dir: str

    def settings(self) -> Settings:
        return load_settings(self.landing, self.home, self.reference_dir)
