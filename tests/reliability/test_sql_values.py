"""Names with quotes, semicolons and backslashes are data: stored verbatim (or keyed), never spliced into SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from finstat.settings import PROJECT_ROOT
from ingestion.platform import ENTERPRISES, PRODUCTS, REQUESTS
from ingestion.pseudonym import load_key, name_keys
from ingestion.run import ingest_landing
from tests.ingestion.builders import write_workbook
from tests.ingestion.platform_builders import enterprise_row, product_row, request_row, write_snapshot_file
from tests.ingestion.rural_builders import loan_row, write_loans
from tests.reliability.harness import MONTH, folder, make_settings

HOSTILE = [
    "O'Brien; DROP TABLE x; --",
    'He said "hi"; select 1',
    "C:\\temp\\x\\\\y \\' \\\" %s %(x)s {0} $1 ?",
    "');DELETE FROM official_figures;--",
]
PACKAGES = ("ingestion", "finstat", "orchestration", "reports", "expectations")
# psycopg's composition (sql.SQL(...).format(sql.Identifier(...))): it quotes identifiers itself.
_PSYCOPG = "sql.SQL(...).format"
# The only SQL built with interpolation: identifiers from the code itself, never a value.
# (file, interpolated expression) -> where the identifier comes from
ALLOWED = {
    ("finstat/publication/publish.py", "name"): "the fixed BI table names",
    ("reports/build.py", "spec.model"): "GATE_RULES, a constant of expectations/rules.py",
    ("expectations/runner.py", "model"): "RuleSpec.model, a constant of expectations/rules.py",
    ("finstat/publication/postgres.py", _PSYCOPG): "psycopg quotes sql.Identifier; values go as parameters",
}


def _is_psycopg_sql(node: ast.AST) -> bool:
    """`sql.SQL(...)`: psycopg's composable, whose .format() quotes each sql.Identifier it is given."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "SQL"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "sql"
    )


def _sql_interpolations() -> set[tuple[str, str]]:
    """(file, expression) for every execute/sql/query call whose SQL text is an f-string, % or .format."""
    found = set()
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(source)):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                if node.func.attr not in ("execute", "sql", "query", "executemany") or not node.args:
                    continue
                text = node.args[0]
                relative = path.relative_to(PROJECT_ROOT).as_posix()
                if isinstance(text, ast.JoinedStr):
                    for value in text.values:
                        if isinstance(value, ast.FormattedValue):
                            found.add((relative, ast.unparse(value.value)))
                elif isinstance(text, ast.BinOp) and isinstance(text.op, ast.Mod):
                    found.add((relative, ast.unparse(text.right)))
                elif isinstance(text, ast.Call) and getattr(text.func, "attr", "") == "format":
                    found.add((relative, _PSYCOPG if _is_psycopg_sql(text.func.value) else ast.unparse(text)))
    return found


def test_no_sql_is_built_from_values():
    found = _sql_interpolations()
    assert found <= set(ALLOWED), sorted(found - set(ALLOWED))
    assert found  # the scan does see the known identifier interpolations


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_product_name_round_trips_through_parquet_and_duckdb(tmp_path, name):
    settings = make_settings(tmp_path)
    write_snapshot_file(settings, ENTERPRISES, [enterprise_row()])
    write_snapshot_file(settings, PRODUCTS, [product_row(产品名称=name), product_row(产品ID="CP0002")])
    write_snapshot_file(settings, REQUESTS, [request_row()])
    outcomes = ingest_landing(settings, MONTH, source="platform").outcomes
    assert {o.status for o in outcomes} == {"accepted"}
    (lake,) = (settings.lake / "platform_products").glob("period=*/*.parquet")
    assert pq.read_table(lake).column("product_name").to_pylist() == [name, "小微快贷"]
    with duckdb.connect() as con:
        rows = con.execute(
            "select product_id from read_parquet(?) where product_name = ?", [str(lake), name]
        ).fetchall()
        assert rows == [("CP0001",)]
        assert con.execute("select count(*) from read_parquet(?)", [str(lake)]).fetchone() == (2,)


def test_hostile_file_name_is_lineage_data(tmp_path):
    """An accepted file's name, quotes and all, is stored as source_file and found by parameter."""
    settings = make_settings(tmp_path)
    name = 'O\'Brien; DROP TABLE x; --"报表" %s.xlsx'
    write_workbook(folder(settings, "bank_loans") / name)
    (outcome,) = ingest_landing(settings, MONTH).outcomes
    assert outcome.status == "accepted", outcome.reason
    file_path = f"bank_loans/{MONTH}/{name}"
    with duckdb.connect() as con:
        lake = str(settings.lake / "bank_loans" / "period=*" / "*.parquet")
        (count,) = con.execute(
            "select count(*) from read_parquet(?) where source_file = ?", [lake, file_path]
        ).fetchone()
        assert count == outcome.row_count > 0
        log = str(settings.lake / "ingestion_log" / "*" / "*.parquet")
        assert con.execute(
            "select status from read_parquet(?) where file_path = ?", [log, file_path]
        ).fetchall() == [("accepted",)]


def test_hostile_customer_name_is_keyed_not_stored(tmp_path):
    settings = make_settings(tmp_path)
    write_loans(settings, [loan_row(借据号=f"J{i}", 客户名称=name) for i, name in enumerate(HOSTILE)])
    (outcome,) = ingest_landing(settings, MONTH, source="rural_credit").outcomes
    assert outcome.status == "accepted", outcome.reason
    (lake,) = (settings.lake / "rural_credit_loans").glob("period=*/*.parquet")
    table = pq.read_table(lake)
    expected = name_keys(load_key(settings), pa.array(HOSTILE)).to_pylist()
    assert table.column("name_key").to_pylist() == expected
    assert not any(name.encode() in Path(lake).read_bytes() for name in HOSTILE)
