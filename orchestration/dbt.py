"""The dbt project as Dagster sees it; its manifest is prepared at build time, not at run time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from finstat.settings import DBT_PROJECT_DIR, apply_offline_env

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_manifest(force: bool = False) -> Path:
    """Run `dbt parse` once so definitions can load (make does this; a fresh clone may not have)."""
    manifest = dbt_project.manifest_path
    if force or not manifest.exists():
        apply_offline_env()
        env = {**os.environ}
        env.setdefault("FINSTAT_HOME", str(Path("data/warehouse").resolve()))
        dbt = Path(sys.executable).with_name("dbt")
        subprocess.run(
            [
                str(dbt),
                "parse",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--quiet",
            ],
            check=True,
            env=env,
        )
    return manifest
