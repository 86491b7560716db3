"""The job's months run from the first month with landing data to the last month that has ended."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import dagster as dg

from finstat.periods import add_months
from finstat.settings import PROJECT_ROOT
from orchestration.defs.jobs import monthly_selection
from orchestration.partitions import first_partition_month, last_closed_month

PROBE = """
import json
from orchestration.definitions import defs
job = defs.resolve_job_def("finstat_monthly")
keys = job.partitions_def.get_partition_keys()
print(json.dumps({"first": keys[0], "last": keys[-1], "count": len(keys),
                  "postgres": "postgres_tables" in {n.name for n in job.graph.node_defs}}))
"""


def _landing(root, *months):
    for month in months:
        folder = root / "platform" / month
        folder.mkdir(parents=True)
        (folder / "x.csv").write_text("-", encoding="utf-8")
    (root / "bank_loans" / "notes").mkdir(parents=True)  # not a month folder: ignored
    return root


def test_the_first_month_is_the_first_with_a_delivery(tmp_path):
    landing = _landing(tmp_path / "landing", "2021-03", "2021-05")
    (landing / "bank_loans" / "2020-11").mkdir()  # an empty month folder is no data
    assert first_partition_month(landing) == "2021-03"
    assert first_partition_month(landing, configured="2019-01") == "2019-01"
    assert first_partition_month(tmp_path / "nothing") == last_closed_month()


def test_the_last_month_is_the_last_that_has_ended():
    assert last_closed_month(datetime(2026, 12, 2, tzinfo=UTC)) == "2026-11"
    assert last_closed_month(datetime(2027, 1, 1, tzinfo=UTC)) == "2026-12"


def test_the_loaded_job_has_no_month_before_the_data_and_none_in_the_future(tmp_path):
    """Definitions loaded as `make ui` loads them: no FINSTAT_FIRST_MONTH, no PostgreSQL."""
    landing = _landing(tmp_path / "landing", "2021-03")
    env = {k: v for k, v in os.environ.items() if k not in ("FINSTAT_FIRST_MONTH", "FINSTAT_POSTGRES_DSN")}
    env["FINSTAT_LANDING"] = str(landing)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    last = add_months(f"{datetime.now(UTC):%Y-%m}", -1)
    assert (found["first"], found["last"]) == ("2021-03", last)
    assert found["postgres"] is False, "postgres_tables is never materialized without a server"


def test_the_postgres_copy_is_in_the_job_only_where_a_server_is_configured():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    without = monthly_selection(postgres_configured=False).resolve(graph)
    with_server = monthly_selection(postgres_configured=True).resolve(graph)
    assert dg.AssetKey("postgres_tables") not in without
    assert with_server - without == {dg.AssetKey("postgres_tables")}
    assert dg.AssetKey("published_figures") in without
