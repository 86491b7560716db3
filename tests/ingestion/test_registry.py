"""The registry is the one list of sources, and each declaration is complete: landing, lake, dbt."""

from __future__ import annotations

import ast

import pyarrow as pa
import pytest
import yaml

from finstat.settings import DBT_PROJECT_DIR
from ingestion.lake import LINEAGE
from ingestion.registry import FILE_KINDS, SOURCES, source_named
from ingestion.source import Source
from tests.import_graph import source_modules

# Packages whose code must take the sources from the registry (tests may name a source they test).
CODE = ("bench", "demo", "expectations", "finstat", "fuzz", "ingestion", "orchestration", "reports")


def _dbt_source(source: Source) -> dict:
    """The dbt source of the same name, read from the yml files of the source's staging folder."""
    folder = DBT_PROJECT_DIR / source.dbt_staging
    declared = [
        entry
        for path in sorted(folder.glob("*.yml"))
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("sources", [])
    ]
    assert [entry["name"] for entry in declared] == [source.name], folder
    return declared[0]


def test_names_and_lake_tables_are_unique():
    assert len({s.name for s in SOURCES}) == len(SOURCES)
    tables = [table.name for s in SOURCES for table in s.tables]
    assert len(set(tables)) == len(tables), tables
    assert "ingestion_log" not in tables  # the log's own folder in the lake


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_a_declaration_is_complete(source: Source):
    assert source.name.isidentifier() and source.name.islower()
    assert source.title.strip() and source.suffixes
    assert all(s.startswith(".") and s == s.lower() for s in source.suffixes)
    assert source.tables
    for table in source.tables:
        # Every lake file says which landing file, line and revision each row came from.
        assert {name for name, _ in LINEAGE} <= set(table.schema.names), table.name
    # Either one table for every file, or one per kind the file names give.
    if source.kinds:
        assert source.name_pattern is not None and "kind" in source.name_pattern.groupindex
        assert len(set(source.kinds)) == len(source.tables)
    else:
        assert len(source.tables) == 1 and source.tables[0].kind == ""


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_dbt_reads_every_lake_table_from_the_source_s_staging_folder(source: Source):
    folder = DBT_PROJECT_DIR / source.dbt_staging
    assert sorted(p.name for p in folder.glob(f"stg_{source.name}__*.sql")), f"no staging model in {folder}"
    declared = {table["name"]: table for table in _dbt_source(source)["tables"]}
    assert set(declared) == {table.name for table in source.tables}
    for table in source.tables:
        meta = declared[table.name]["config"]["meta"]
        assert f"/{table.name}/**/*.parquet" in meta["external_location"], table.name
        assert meta["spark_location"].rstrip().endswith(f"/{table.name}"), table.name
        # Spark's schema for the table (macros/spark.sql), so a table with no data file yet builds:
        # every column of the lake, in its order, with the type Spark reads it as.
        columns = [(c["name"], c.get("data_type")) for c in declared[table.name].get("columns", [])]
        assert columns == [(field.name, _spark_type(field.type)) for field in table.schema], table.name


def _spark_type(arrow: pa.DataType) -> str:
    """The Spark SQL type that reads a lake column of this Arrow type."""
    if pa.types.is_decimal(arrow):
        return f"decimal({arrow.precision},{arrow.scale})"
    if pa.types.is_timestamp(arrow):
        assert arrow.tz is None  # the lake's timestamps are zone-less UTC
        return "timestamp_ntz"
    simple = {
        pa.string(): "string",
        pa.int32(): "int",
        pa.int64(): "bigint",
        pa.bool_(): "boolean",
        pa.date32(): "date",  # the ledgers' dates
    }
    return simple[arrow]


def test_kinds_come_from_the_file_names():
    assert FILE_KINDS == tuple(kind for s in SOURCES for kind in s.kinds)
    rural = source_named("rural_credit")
    assert rural.kind_of("rural_credit/2022-05/B1280H41061121_202205_不良处置_v2.csv") == "不良处置"
    assert rural.table_for("不良处置").name == "rural_credit_disposals"
    assert rural.kind_of("rural_credit/2022-05/notes.csv") == ""
    assert source_named("bank_loans").kind_of("bank_loans/2022-05/x_不良处置.csv") == ""


def test_an_unknown_source_is_named_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown source 'ledger'; known: bank_loans, rural_credit"):
        source_named("ledger")


def _literals_naming_every_source(tree: ast.AST, names: set[str]) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            found = {i.value for i in items if isinstance(i, ast.Constant) and i.value in names}
            if found == names:
                lines.append(node.lineno)
    return lines


def test_no_code_lists_the_sources_but_the_registry():
    names = {s.name for s in SOURCES}
    found = {
        module: lines
        for module, path in source_modules(*CODE).items()
        if (lines := _literals_naming_every_source(ast.parse(path.read_text(encoding="utf-8")), names))
    }
    assert found == {}
    # The check itself finds such a list.
    assert _literals_naming_every_source(ast.parse(repr(tuple(sorted(names)))), names) == [1]
