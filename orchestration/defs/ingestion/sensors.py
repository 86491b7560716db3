"""Sensor on landing/: a new or changed file starts the monthly run for exactly its month."""

import hashlib
import json
import re

import dagster as dg

from ingestion.run import is_delivery
from orchestration.defs.jobs import monthly_job
from orchestration.resources import FinstatPaths

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def landing_fingerprints(landing) -> dict[str, str]:
    """A digest per landing month of its files' names, sizes and modification times.

    Sizes and mtimes are enough to notice a delivery without reading every file on each tick;
    ingestion itself hashes the bytes.
    """
    months: dict[str, list[str]] = {}
    if not landing.exists():
        return {}
    for source_dir in sorted(p for p in landing.iterdir() if p.is_dir()):
        months_here = (p for p in source_dir.iterdir() if p.is_dir() and not p.is_symlink())
        for month_dir in sorted(p for p in months_here if _MONTH.match(p.name)):
            for path in sorted(month_dir.iterdir()):
                if is_delivery(path):
                    stat = path.lstat()  # a link is a delivery of its own (refused), even a dangling one
                    months.setdefault(month_dir.name, []).append(
                        f"{source_dir.name}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
                    )
    return {
        # surrogateescape: a file name that is not UTF-8 is still a delivery (ingestion refuses it).
        month: hashlib.sha256("\n".join(items).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        for month, items in months.items()
    }


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
