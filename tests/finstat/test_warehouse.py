"""The engine switch and the one reader of dbt's output (the DuckDB side; tests/spark runs Spark's)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pytest

from finstat.settings import PROJECT_ROOT, load_engine, load_settings, load_spark_settings
from finstat.warehouse import _arrow_type, _convert, main_schema, query, sorted_rows
from orchestration.cli import main


@pytest.fixture
def settings(tmp_path):
    settings = load_settings(landing=tmp_path / "landing", home=tmp_path / "home")
    settings.work_db.parent.mkdir(parents=True)
    with duckdb.connect(str(settings.work_db)) as con:
        con.execute("create schema audit")
        con.execute("create table audit.rows (period varchar, code varchar, value decimal(20, 4))")
        con.execute(
            "insert into audit.rows values ('2022-05', 'B', 2.5), ('2022-05', null, 1.25),"
            " ('2022-05', 'A', null), ('2022-04', 'A', 9)"
        )
        con.execute("create table main.marts (n integer)")
        con.execute("insert into main.marts values (7)")
    return settings


def test_duckdb_query_keeps_decimal_scale_and_binds_parameters(settings):
    table = query(settings, "select value from audit.rows where period = ? and code = ?", ["2022-05", "B"])
    assert table.schema.field("value").type == pa.decimal128(20, 4)
    assert table.column("value").to_pylist() == [Decimal("2.5000")]


def test_main_names_the_marts_schema_of_each_engine(settings):
    assert query(settings, "select n from {main}.marts").column("n").to_pylist() == [7]
    assert (main_schema("duckdb"), main_schema("spark")) == ("main", "finstat")


def test_sorted_rows_orders_every_column_with_nulls_last(settings):
    rows = sorted_rows(query(settings, "select code, value from audit.rows where period = ?", ["2022-05"]))
    assert rows.to_pylist() == [
        {"code": "A", "value": None},
        {"code": "B", "value": Decimal("2.5000")},
        {"code": None, "value": Decimal("1.2500")},
    ]


def test_the_engine_defaults_to_duckdb_and_refuses_anything_else(monkeypatch):
    monkeypatch.delenv("FINSTAT_ENGINE", raising=False)
    assert load_engine() == "duckdb"
    assert load_engine(" Spark ") == "spark"
    with pytest.raises(ValueError, match="duckdb, spark"):
        load_engine("postgres")


def test_spark_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("FINSTAT_SPARK_HOST", "thrift.intranet")
    monkeypatch.setenv("FINSTAT_SPARK_PORT", "10001")
    monkeypatch.delenv("FINSTAT_SPARK_USER", raising=False)
    spark = load_spark_settings()
    assert (spark.host, spark.port, spark.user) == ("thrift.intranet", 10001, "finstat")
    monkeypatch.setenv("FINSTAT_SPARK_PORT", "ten")
    with pytest.raises(ValueError, match="FINSTAT_SPARK_PORT"):
        load_spark_settings()


def test_the_lake_follows_finstat_lake_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("FINSTAT_LAKE_DIR", raising=False)
    assert load_settings(home=tmp_path / "home").lake == tmp_path / "home" / "lake"
    monkeypatch.setenv("FINSTAT_LAKE_DIR", str(tmp_path / "shared" / "lake"))
    assert load_settings(home=tmp_path / "home").lake == tmp_path / "shared" / "lake"


def test_a_mistyped_engine_is_exit_1_with_a_message_not_a_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("FINSTAT_ENGINE", "sparkk")
    assert main(["--home", str(tmp_path), "status"]) == 1
    err = capsys.readouterr().err
    assert "FINSTAT_ENGINE='sparkk'" in err and "Traceback" not in err


def test_spark_decimals_dates_and_timestamps_arrive_typed():
    def qualifier(value):
        return SimpleNamespace(i32Value=value)

    money = _arrow_type("DECIMAL_TYPE", {"precision": qualifier(38), "scale": qualifier(10)})
    assert money == pa.decimal128(38, 10)
    assert _convert("12.3400000000", money) == Decimal("12.34")
    assert str(_convert("2022-05-31", _arrow_type("DATE_TYPE", {}))) == "2022-05-31"
    assert _convert(None, money) is None
    with pytest.raises(TypeError, match="MAP_TYPE"):
        _arrow_type("MAP_TYPE", {})


def test_the_duckdb_path_never_imports_pyhive(settings):
    code = (
        "import sys; from finstat.settings import load_settings; from finstat.warehouse import query;"
        "import orchestration.defs.publication.assets, reports.build, expectations.runner;"
        f"query(load_settings(home={str(settings.home)!r}), 'select 1');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyhive', 'thrift', 'TCLIService')))"
    )
    env_free = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert env_free.stdout.strip() == "[]"
