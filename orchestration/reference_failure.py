"""The one way a Dagster step reports reference files it cannot use (finstat.reference.ReferenceError)."""

import dagster as dg

from finstat.reference import ReferenceError


def reference_failure(exc: ReferenceError, consequence: str) -> dg.Failure:
    """A step failure naming the file, row and column to fix; no retry (the folder must be corrected)."""
    return dg.Failure(
        description=f"参考数据有误，{consequence} reference data not usable: {exc} (finstat check-reference)",
        allow_retries=False,
    )
