"""finstat's Dagster Definitions: everything under orchestration/defs plus the resources."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import dagster as dg

from finstat.settings import DEFAULT_POSTGRES_SCHEMA, SHIPPED_REFERENCE_DIR, apply_offline_env
from orchestration import defs as defs_package
from orchestration.dbt import dbt_project
from orchestration.event_log import enable_event_batches
from orchestration.resources import (
    FinstatDbtCli,
    FinstatPaths,
    GateReader,
    PostgresTarget,
    WarehouseRunLock,
)
from orchestration.run_shard import write_run_shards_without_fsync

apply_offline_env()
# Every process that runs the job loads these definitions: the CLI, the UI's run workers.
write_run_shards_without_fsync()
# A batch of asset events in one transaction where the instance's storage takes it (event_log.py).
enable_event_batches()
# Defaults of the FINSTAT_* variables (DESIGN.md), so `dg.EnvVar` always resolves.
os.environ.setdefault("FINSTAT_LANDING", os.path.abspath("data/landing"))
os.environ.setdefault("FINSTAT_HOME", os.path.abspath("data/warehouse"))
os.environ.setdefault("FINSTAT_REFERENCE_DIR", str(SHIPPED_REFERENCE_DIR))
# Empty DSN: the PostgreSQL copy of the published tables is off (docs/scale-out.md).
os.environ.setdefault("FINSTAT_POSTGRES_DSN", "")
os.environ.setdefault("FINSTAT_POSTGRES_SCHEMA", DEFAULT_POSTGRES_SCHEMA)

# Loading every module under orchestration/defs is a Dagster "preview" API; its behaviour is pinned
# with dagster==1.13.27, and the definitions test guards what it must find.
warnings.filterwarnings("ignore", message=".*load_definitions_from.*preview", category=Warning)
# Partitioned asset checks (the gate is checked month by month) are a preview too, pinned likewise.
warnings.filterwarnings(
    "ignore", message="Specifying a partitions_def on an AssetCheckSpec", category=Warning
)
# The dbt asset builds one month per run (BackfillPolicy.multi_run(1)); the others have no policy,
# and Dagster picks the strictest for the job, which is the one finstat means.
warnings.filterwarnings(
    "ignore", message="Asset job finstat_monthly materializes assets with varying BackfillPolicies"
)
defs = dg.load_definitions_from_package_module(
    defs_package,
    resources={
        "finstat": FinstatPaths(
            landing=dg.EnvVar("FINSTAT_LANDING"),
            home=dg.EnvVar("FINSTAT_HOME"),
            reference_dir=dg.EnvVar("FINSTAT_REFERENCE_DIR"),
        ),
        "run_lock": WarehouseRunLock(home=dg.EnvVar("FINSTAT_HOME")),
        "gate_reader": GateReader(),
        "postgres": PostgresTarget(
            dsn=dg.EnvVar("FINSTAT_POSTGRES_DSN"), schema_name=dg.EnvVar("FINSTAT_POSTGRES_SCHEMA")
        ),
        # The dbt of this interpreter's environment, so the CLI works without an activated venv.
        "dbt": FinstatDbtCli(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            dbt_executable=str(Path(sys.executable).with_name("dbt")),
        ),
    },
)
