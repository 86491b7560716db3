"""Sensor on landing/: a new or changed file starts the monthly run for exactly its month."""

import hashlib
import json

import dagster as dg

from ingestion.landing import deliveries_by_month
from ingestion.registry import SOURCE_NAMES
from orchestration.defs.jobs import monthly_job
from orchestration.resources import FinstatPaths


def landing_fingerprints(landing) -> dict[str, str]:
    """A digest per landing month of its files' names, sizes and modification times.

    Sizes and mtimes are enough to notice a delivery without reading every file on each tick;
    ingestion itself hashes the bytes.
    """
    digests = {}
    for month, deliveries in deliveries_by_month(landing, SOURCE_NAMES).items():
        items = []
        for source, path in deliveries:
            stat = path.lstat()  # a link is a delivery of its own (refused), even a dangling one
            items.append(f"{source}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
        # surrogateescape: a file name that is not UTF-8 is still a delivery (ingestion refuses it).
        digests[month] = hashlib.sha256("\n".join(items).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return digests


@dg.sensor(
    job=monthly_job,
    minimum_interval_seconds=60,
    description="落地区有新文件或文件变更时，启动该月的月度作业。Starts the month's run when its landing files change.",
)
def landing_sensor(context: dg.SensorEvaluationContext, finstat: FinstatPaths):
    """Compare each month's fingerprint with the cursor and request a run per changed month."""
    previous = json.loads(context.cursor) if context.cursor else {}
    current = landing_fingerprints(finstat.settings().landing)
    changed = sorted(month for month, digest in current.items() if previous.get(month) != digest)
    for month in changed:
        yield dg.RunRequest(partition_key=month, run_key=f"{month}:{current[month]}")
    context.update_cursor(json.dumps(current, sort_keys=True))
    if not changed:
        yield dg.SkipReason("no new or changed files in landing")
