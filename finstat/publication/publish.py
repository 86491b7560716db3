"""Publish one month's gated candidate figures as a new version; derive every published file."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from finstat.fsio import replace_atomically
from finstat.money import round_for_publication
from finstat.publication import schema
from finstat.publication.flags import raise_for, read_flags, resolve
from finstat.publication.flags import to_table as flags_table
from finstat.publication.release import open_release
from finstat.textcells import safe_text

_KEY = ("indicator_code", "region_code")


@dataclass
class PublishOutcome:
    """What a publication did: the version it wrote (or found unchanged) and what changed."""

    period: str
    version: int
    created: bool
    changes: list[dict] = field(default_factory=list)
    figure_count: int = 0
    flagged: list[str] = field(default_factory=list)  # published months now flagged for republication
    resolved: list[dict] = field(default_factory=list)  # this period's flags closed by this run


def _read(path: Path, arrow_schema: pa.Schema) -> pa.Table:
    return pq.read_table(path, schema=arrow_schema) if path.exists() else arrow_schema.empty_table()


def read_history(published: Path) -> pa.Table:
    """Every version ever published (empty table before the first publication)."""
    return _read(published / schema.HISTORY_FILE, schema.FIGURES)


def read_publications(published: Path) -> pa.Table:
    """The publication record, one row per version."""
    return _read(published / schema.PUBLICATIONS_FILE, schema.PUBLICATIONS)


def _rounded(candidates: list[dict]) -> dict[tuple[str, str], dict]:
    out = {}
    for row in candidates:
        value = row["value"]
        if not isinstance(value, Decimal):
            raise TypeError(f"candidate {row['indicator_code']} value is {type(value).__name__}, not Decimal")
        out[(row["indicator_code"], row["region_code"])] = {
            **{k: row[k] for k in ("indicator_code", "indicator_name", "region_code", "region_name", "unit")},
            "value": round_for_publication(value, row["unit"]),
        }
    return out


def _latest_version(history: pa.Table, period: str) -> tuple[int, dict[tuple[str, str], Decimal]]:
    rows = [r for r in history.to_pylist() if r["period"] == period]
    if not rows:
        return 0, {}
    version = max(r["version"] for r in rows)
    return version, {
        (r["indicator_code"], r["region_code"]): r["value"] for r in rows if r["version"] == version
    }


def _changes(previous: dict, new: dict) -> list[dict]:
    changes = []
    for key in sorted(set(previous) | set(new)):
        old_value, new_value = previous.get(key), new[key]["value"] if key in new else None
        if old_value != new_value:
            changes.append(
                {
                    "indicator_code": key[0],
                    "region_code": key[1],
                    "old": None if old_value is None else str(old_value),
                    "new": None if new_value is None else str(new_value),
                }
            )
    return changes


def publish_period(
    published: Path,
    period: str,
    candidates: list[dict],
    acknowledgements: list[dict] | None = None,
    missing_base_periods: list[dict] | None = None,
    dependents: Iterable[str] = (),
    run_id: str | None = None,
    now: datetime | None = None,
) -> PublishOutcome:
    """Add a version for the period when its rounded figures differ from the latest one.

    Identical figures publish nothing new (a re-run is not a republication). Everything is written
    into a new release that replaces published/ in one switch, so a crash leaves the old one whole.
    A new version flags the published `dependents` (months whose figures use this one); running
    the period resolves its own flags.
    """
    if not candidates:
        raise ValueError(f"no candidate figures for {period}: nothing to publish")
    new = _rounded(candidates)
    stamp = now or datetime.now(UTC)
    with open_release(published) as release:
        history = read_history(release)
        publications = read_publications(release)
        flags = read_flags(release)
        last_version, previous = _latest_version(history, period)
        changes = _changes(previous, new)
        created = bool(changes)
        version = last_version + 1 if created else last_version
        resolved = resolve(flags, period, version, created, stamp)
        raised: list[dict] = []
        if created:
            rows = [
                {"period": period, **new[key], "version": version, "published_at": stamp}
                for key in sorted(new)
            ]
            history = pa.concat_tables([history, pa.Table.from_pylist(rows, schema=schema.FIGURES)])
            record = {
                "period": period,
                "version": version,
                "published_at": stamp,
                "run_id": run_id,
                "figure_count": len(rows),
                "changes_json": json.dumps(changes if last_version else [], ensure_ascii=False),
                "acknowledgements_json": json.dumps(acknowledgements or [], ensure_ascii=False, default=str),
                "missing_base_periods_json": json.dumps(missing_base_periods or [], ensure_ascii=False),
            }
            publications = pa.concat_tables(
                [publications, pa.Table.from_pylist([record], schema=schema.PUBLICATIONS)]
            )
            published_periods = set(history.column("period").to_pylist())
            raised = raise_for(flags, period, version, dependents, published_periods, stamp)
            replace_atomically(release / schema.HISTORY_FILE, lambda p: pq.write_table(history, p))
            replace_atomically(release / schema.PUBLICATIONS_FILE, lambda p: pq.write_table(publications, p))
        if created or resolved:
            flag_rows = flags_table(flags)
            replace_atomically(release / schema.FLAGS_FILE, lambda p: pq.write_table(flag_rows, p))
            write_derived(release, history, publications, flag_rows)
    return PublishOutcome(
        period=period,
        version=version,
        created=created,
        changes=changes if last_version else [],
        figure_count=len(new),
        flagged=[f["period"] for f in raised],
        resolved=resolved,
    )


def latest_versions(history: pa.Table) -> pa.Table:
    """The latest published version of every period, ordered for readers."""
    con = duckdb.connect()
    try:
        con.register("history", history)
        return (
            con.sql(
                """
            select * from history
            qualify version = max(version) over (partition by period)
            order by period, indicator_code, region_code
            """
            )
            .to_arrow_table()
            .cast(schema.FIGURES)
        )
    finally:
        con.close()


def _write_csv(table: pa.Table, path: Path) -> None:
    def cell(value: object) -> object:
        if isinstance(value, datetime):
            return value.isoformat()
        # Only text is quote-prefixed (a region or indicator name could start with "=" and run as
        # a formula in Excel); a Decimal value, negative or not, stays a number.
        return safe_text(value) if isinstance(value, str) else value

    # UTF-8 with BOM so Excel on the officers' desktops opens the Chinese text correctly.
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.column_names)
        for row in table.to_pylist():
            writer.writerow([cell(row[c]) for c in table.column_names])


def _write_bi_database(path: Path, tables: dict[str, pa.Table]) -> None:
    con = duckdb.connect(str(path))
    try:
        for name, table in tables.items():
            con.register(f"arrow_{name}", table)
            con.execute(f"create table {name} as select * from arrow_{name}")
            con.unregister(f"arrow_{name}")
        con.execute("checkpoint")
    finally:
        con.close()


def write_derived(release: Path, history: pa.Table, publications: pa.Table, flags: pa.Table) -> None:
    """Rewrite official_figures (Parquet, CSV) and the BI database of a release from its history."""
    current = latest_versions(history)
    replace_atomically(release / schema.CURRENT_FILE, lambda p: pq.write_table(current, p))
    replace_atomically(release / schema.CURRENT_CSV, lambda p: _write_csv(current, p))
    tables = {
        "official_figures": current,
        "official_figures_history": history,
        "publications": publications,
        "republication_flags": flags,
    }
    replace_atomically(release / schema.BI_DATABASE, lambda p: _write_bi_database(p, tables))
