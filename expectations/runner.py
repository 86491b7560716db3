"""Validate one rule's rows for a month with GX and return a plain result (no Dagster here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from expectations.rules import RuleSpec
from finstat.settings import Settings
from finstat.warehouse import duckdb_query, query, sorted_rows

if TYPE_CHECKING:
    import duckdb


@dataclass
class RuleResult:
    """Outcome of one rule for one month, with the rows a person needs to act on."""

    rule: int
    severity: str
    title: str
    passed: bool
    checked_rows: int
    failing_rows: list[dict] = field(default_factory=list)
    failed_expectations: list[str] = field(default_factory=list)


def load_rule_rows(
    warehouse: Settings | Path, model: str, period: str, con: duckdb.DuckDBPyConnection | None = None
) -> pd.DataFrame:
    """The month's rows of an audit model, every column ascending; DECIMAL stays Decimal (via Arrow).

    `warehouse` is the job's settings (the engine's warehouse, FINSTAT_ENGINE) or a DuckDB file;
    `con`, on DuckDB, an open read-only connection to it (the gate's, held for a run's checks).
    """
    sql = f"select * from audit.{model} where period = ?"
    if con is not None:
        table = con.sql(sql, params=[period]).to_arrow_table()
    elif isinstance(warehouse, Settings):
        table = query(warehouse, sql, [period])
    else:
        table = duckdb_query(warehouse, sql, [period])
    table = sorted_rows(table)
    # Arrow -> pandas keeps decimal128 as Python Decimal objects: money never becomes float.
    return table.to_pandas()


def run_rule(spec: RuleSpec, frame: pd.DataFrame) -> RuleResult:
    """Run the rule's suite on its rows; failing rows are those any expectation flagged."""
    from expectations.context import batch_definition  # imports GX (~5 s): only when a rule runs

    frame = frame.reset_index(drop=True)
    batch = batch_definition(spec.model).get_batch(batch_parameters={"dataframe": frame})
    validation = batch.validate(spec.build_suite(), result_format="COMPLETE")
    bad_index: set[int] = set()
    failed: list[str] = []
    for result in validation.results:
        if result.success:
            continue
        config = result.expectation_config
        failed.append(
            f"{config.type} {config.kwargs.get('column') or config.kwargs.get('column_A') or ''}".strip()
        )
        bad_index.update(result.result.get("unexpected_index_list") or [])
    failing = frame.loc[sorted(bad_index)] if bad_index else frame.iloc[0:0]
    # pandas shows a missing text as NaN; the rows leave here as plain values, missing = None.
    failing = failing.astype(object).where(failing.notna(), None)
    return RuleResult(
        rule=spec.rule,
        severity=spec.severity,
        title=spec.title,
        passed=bool(validation.success),
        checked_rows=len(frame),
        failing_rows=failing.to_dict(orient="records"),
        failed_expectations=failed,
    )
