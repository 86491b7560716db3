"""Run a SELECT on the engine's warehouse (DuckDB working database or Spark Thrift) into an Arrow table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from finstat.settings import Settings, SparkSettings, load_engine, load_spark_settings

# dbt's schema for models without a custom one: DuckDB's default `main`, Spark's profile `schema`
# (profiles.yml); custom schemas (`audit`) are the same on both (generate_schema_name.sql).
MAIN_SCHEMA = {"duckdb": "main", "spark": "finstat"}


def main_schema(engine: str | None = None) -> str:
    """Where the marts live on this engine (`main` on DuckDB, `finstat` on Spark)."""
    return MAIN_SCHEMA[engine or load_engine()]


def query(settings: Settings, sql: str, params: Sequence[Any] = (), engine: str | None = None) -> pa.Table:
    """The rows of `sql` (`?` parameters, `{main}` for the marts' schema); DECIMAL stays decimal.

    Queries that order by a nullable column say `nulls first`/`nulls last`: the engines' defaults
    differ.
    """
    engine = engine or load_engine()
    sql = sql.replace("{main}", MAIN_SCHEMA[engine])
    if engine == "spark":
        return _spark_query(load_spark_settings(), sql, params)
    return duckdb_query(settings.work_db, sql, params)


def duckdb_query(db_path: Path, sql: str, params: Sequence[Any] = ()) -> pa.Table:
    """The rows of `sql` from a DuckDB database file, opened read-only (dbt is its only writer)."""
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(sql.replace("{main}", MAIN_SCHEMA["duckdb"]), params=list(params)).to_arrow_table()


def sorted_rows(table: pa.Table) -> pa.Table:
    """Every column ascending, NULLs last (DuckDB's `order by all`, spelt the same on both engines)."""
    keys = [(field.name, "ascending", "at_end") for field in table.schema if not pa.types.is_null(field.type)]
    return table.sort_by(keys) if keys else table


def _spark_query(spark: SparkSettings, sql: str, params: Sequence[Any]) -> pa.Table:
    # PyHive only here: the DuckDB path never imports it (nor thrift).
    from pyhive import hive

    # PyHive's paramstyle is pyformat and it quotes the values itself (and only then reads `%`).
    operation = sql.replace("%", "%%").replace("?", "%s") if params else sql
    with hive.connect(host=spark.host, port=spark.port, username=spark.user) as con:
        cursor = con.cursor()
        try:
            cursor.execute(operation, tuple(params) if params else None)
            schema = _result_schema(cursor)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.table(
        [
            pa.array([_convert(value, field.type) for value in column], type=field.type)
            for column, field in zip(columns, schema, strict=True)
        ],
        schema=schema,
    )


def _result_schema(cursor) -> pa.Schema:
    """The result's Arrow schema from the server's metadata (PyHive's description has no DECIMAL scale)."""
    from TCLIService import ttypes

    request = ttypes.TGetResultSetMetadataReq(cursor._operationHandle)
    response = cursor._connection.client.GetResultSetMetadata(request)
    if response.status.statusCode not in (
        ttypes.TStatusCode.SUCCESS_STATUS,
        ttypes.TStatusCode.SUCCESS_WITH_INFO_STATUS,
    ):
        raise RuntimeError(f"Spark result metadata: {response.status.errorMessage}")
    fields = []
    for column in response.schema.columns:
        entry = column.typeDesc.types[0].primitiveEntry
        type_name = ttypes.TTypeId._VALUES_TO_NAMES[entry.type]
        qualifiers = entry.typeQualifiers.qualifiers if entry.typeQualifiers else {}
        fields.append(pa.field(column.columnName, _arrow_type(type_name, qualifiers)))
    return pa.schema(fields)


_SIMPLE_TYPES = {
    "BOOLEAN_TYPE": pa.bool_(),
    "TINYINT_TYPE": pa.int8(),
    "SMALLINT_TYPE": pa.int16(),
    "INT_TYPE": pa.int32(),
    "BIGINT_TYPE": pa.int64(),
    "FLOAT_TYPE": pa.float32(),
    "DOUBLE_TYPE": pa.float64(),
    "STRING_TYPE": pa.string(),
    "VARCHAR_TYPE": pa.string(),
    "CHAR_TYPE": pa.string(),
    "DATE_TYPE": pa.date32(),
    "TIMESTAMP_TYPE": pa.timestamp("us"),
    "NULL_TYPE": pa.null(),
}


def _arrow_type(type_name: str, qualifiers: dict) -> pa.DataType:
    if type_name == "DECIMAL_TYPE":
        return pa.decimal128(qualifiers["precision"].i32Value, qualifiers["scale"].i32Value)
    if type_name in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[type_name]
    raise TypeError(f"finstat reads no Spark column of type {type_name}")


def _convert(value: Any, type_: pa.DataType) -> Any:
    """A Thrift value as Arrow takes it: DECIMAL, DATE and TIMESTAMP come over the wire as text."""
    if value is None:
        return None
    if pa.types.is_decimal(type_):
        return Decimal(value)
    if pa.types.is_date(type_) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if pa.types.is_timestamp(type_) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value
