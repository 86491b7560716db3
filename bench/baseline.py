"""Baseline process: decode one month's GB18030 files with pyarrow, then run bench/baseline.sql in DuckDB.

Run: .venv/bin/python -m bench.baseline --landing DIR --bank-totals FILE --month YYYY-MM --out DIR
"""

from __future__ import annotations

import argparse
import secrets
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from demo.rural_credit import DISPOSAL_HEADER, ENCODING, LOAN_HEADER, SOURCE
from finstat.periods import month_range, previous_december
from finstat.reference import read_regions
from finstat.settings import SHIPPED_REFERENCE_DIR

SQL = Path(__file__).with_name("baseline.sql")
_AMOUNTS = {"发放金额", "贷款余额", "处置本金", "处置利息"}


def _read(paths: list[Path], header: tuple[str, ...], landing: Path) -> pa.Table:
    """The files' rows as one Arrow table (text as text, amounts as decimal) + source_file, row_number."""
    types = {c: pa.decimal128(20, 2) if c in _AMOUNTS else pa.string() for c in header}
    empty = pa.table({c: pa.array([], t) for c, t in types.items()})
    tables = []
    for path in sorted(paths):
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=ENCODING, block_size=16 << 20),
            convert_options=pacsv.ConvertOptions(column_types=types, include_columns=list(header)),
        )
        rel = str(path.relative_to(landing))
        table = table.append_column("source_file", pa.array([rel] * len(table), pa.string()))
        tables.append(table.append_column("row_number", pa.array(range(2, len(table) + 2), pa.int64())))
    if not tables:
        tables = [
            empty.append_column("source_file", pa.array([], pa.string())).append_column(
                "row_number", pa.array([], pa.int64())
            )
        ]
    return pa.concat_tables(tables)


def _files(landing: Path, period: str, kind: str) -> list[Path]:
    return sorted((landing / SOURCE / period).glob(f"*_{period.replace('-', '')}_{kind}.csv"))


def run(
    landing: Path, bank_totals: Path, period: str, out_root: Path, reference_dir: Path = SHIPPED_REFERENCE_DIR
) -> dict:
    """Compute the month into out_root/<period>/; return the step timings."""
    out = out_root / period
    out.mkdir(parents=True, exist_ok=True)
    key_file = out_root / "pseudonym.key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
    timings, started = {}, time.perf_counter()
    con = duckdb.connect()
    con.register("loans_csv", _read(_files(landing, period, "贷款明细"), LOAN_HEADER, landing))
    dec = previous_december(period)
    stored = out_root / dec / "npl_by_county.parquet"
    dec_files = [] if stored.exists() else _files(landing, dec, "贷款明细")
    con.register("dec_loans_csv", _read(dec_files, LOAN_HEADER, landing))
    if stored.exists():  # this baseline already did the December: reuse its aggregates, as finstat does
        con.execute(
            f"create view dec_npl_stored as select period, county_code, balance_yuan, npl_yuan from '{stored}'"
        )
    else:
        con.execute(
            "create table dec_npl_stored (period varchar, county_code varchar, balance_yuan decimal(38, 2), npl_yuan decimal(38, 2))"
        )
    ytd = [p for p in month_range(f"{period[:4]}-01", period)]
    disposals = [f for p in ytd for f in _files(landing, p, "不良处置")]
    con.register("disposals_csv", _read(disposals, DISPOSAL_HEADER, landing))
    con.execute(
        f"create table bank_totals as select * from read_csv('{bank_totals}', header = true, all_varchar = true)"
    )
    timings["read_s"] = round(time.perf_counter() - started, 2)
    con.execute("set variable period = ?", [period])
    con.execute("set variable prior_dec = ?", [dec])
    con.execute("set variable pseudonym_key = ?", [key_file.read_text().strip()])
    regions = read_regions(reference_dir)
    con.execute("set variable city_code = ?", [regions.city.code])
    con.execute("set variable county_codes = ?", [regions.counties])
    con.execute(SQL.read_text(encoding="utf-8").replace("@OUT@", str(out)))
    timings["total_s"] = round(time.perf_counter() - started, 2)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--bank-totals", type=Path, required=True)
    parser.add_argument("--month", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(run(args.landing, args.bank_totals, args.month, args.out))


if __name__ == "__main__":
    main()
