"""The dbt project on Spark (dbt-spark, local pyspark) gives DuckDB's figures, figure for figure."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

from finstat.money import round_for_publication
from finstat.settings import PROJECT_ROOT, load_settings
from tests.dbt.conftest import run_dbt
from tests.spark.marks import spark_only

DEMO_LAST = "2022-05"

pytestmark = spark_only("dbt.adapters.spark")


def build(root: Path, home: Path, reference: Path, target: str, period: str) -> float:
    """One `dbt build` of the month on the target; its seconds. Fails the test if dbt fails."""
    run = run_dbt(root, home, reference, "build", period=period, target=target, timeout=1800)
    print(f"dbt build --target {target}: {run.seconds:.0f} s", file=sys.stderr)
    return run.seconds


def duckdb_tables(home: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every model table of the DuckDB build (schema.table -> its columns, its rows)."""
    with duckdb.connect(str(home / "work" / "finstat.duckdb"), read_only=True) as con:
        names = con.sql(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_name <> 'lake_build_ledger'"
        ).fetchall()
        tables = {}
        for s, t in names:
            relation = con.sql(f'select * from "{s}"."{t}"')
            tables[f"{s}.{t}"] = (relation.columns, relation.fetchall())
        return tables


def spark_rows(home: Path, schema: str, table: str, columns: list[str] | None = None) -> list[tuple]:
    """A Spark model table, read from its Parquet files in the warehouse (no second Spark session).

    The incremental-by-month tables are partitioned: their files sit in period=YYYY-MM folders
    without the column, which Spark stores last; `columns` puts them in DuckDB's order."""
    folder = home / "work" / "spark-warehouse" / f"{schema}.db" / table
    assert folder.is_dir(), f"Spark built no table {schema}.{table}"
    files = sorted(str(p) for p in folder.rglob("*.parquet"))
    if not files:
        return []
    partitioned = any(Path(f).parent != folder for f in files)
    options = ", hive_partitioning = true, hive_types = {'period': varchar}" if partitioned else ""
    select = ", ".join(f'"{c}"' for c in columns) if columns else "*"
    with duckdb.connect() as con:
        return con.sql(f"select {select} from read_parquet(?{options})", params=[files]).fetchall()


def ordered(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda row: tuple((v is None, str(v)) for v in row))


def published(rows: list[tuple]) -> dict[tuple[str, str, str], Decimal]:
    """candidate_figures rows (period, code, name, region, region name, value, unit) as publication rounds them."""
    return {(r[0], r[1], r[3]): round_for_publication(r[5], r[6]) for r in rows}


def assert_same_build(home_duckdb: Path, home_spark: Path) -> None:
    duck = duckdb_tables(home_duckdb)
    assert "audit.candidate_figures" in duck
    figures_duck = published(duck["audit.candidate_figures"][1])
    figures_spark = published(spark_rows(home_spark, "audit", "candidate_figures"))
    assert figures_duck, "no figures to compare"
    assert figures_spark.keys() == figures_duck.keys()
    differing = {
        k: (figures_duck[k], figures_spark[k]) for k in figures_duck if figures_duck[k] != figures_spark[k]
    }
    assert not differing, differing
    # Every other table too, row for row: the gate's rule rows (qr_*), the facts and dims.
    mismatched = []
    for name, (columns, rows) in sorted(duck.items()):
        schema, table = name.split(".")
        spark = ordered(spark_rows(home_spark, "finstat" if schema == "main" else schema, table, columns))
        if spark != ordered(rows):
            only_duck = [r for r in ordered(rows) if r not in spark][:3]
            only_spark = [r for r in spark if r not in rows][:3]
            mismatched.append(f"{name}: duckdb-only {only_duck} spark-only {only_spark}")
    assert not mismatched, "\n".join(mismatched)


def test_demo_months_publish_the_same_figures_on_spark(tmp_path):
    """The deterministic demo (2021-01..2022-05) ingested once, built on DuckDB and on Spark."""
    from ingestion.registry import SOURCES
    from ingestion.run import ingest_landing

    landing, home = tmp_path / "landing", tmp_path / "home"
    subprocess.run(
        [sys.executable, "-m", "demo", "generate", "--landing", str(landing), "--last-period", DEMO_LAST],
        check=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
    )
    settings = load_settings(landing=landing, home=home)
    for source in SOURCES:
        ingest_landing(settings, up_to_period=DEMO_LAST, source=source.name)
    (home / "work").mkdir(exist_ok=True)
    build(tmp_path, home, settings.reference_dir, "dev", DEMO_LAST)
    build(tmp_path, home, settings.reference_dir, "spark", DEMO_LAST)
    assert_same_build(home, home)
