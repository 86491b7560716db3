"""The benchmark's generator and baseline on a small month: sums agree with the bank report, R01 with the rows."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from decimal import Decimal

import duckdb
import pytest

from bench.baseline import run as run_baseline
from bench.landing import build_landing
from bench.loan_file import allocate_rows, split_cents
from demo.rural_credit import CLASS_ITEMS, CLASS_NAMES, ENCODING, LOAN_HEADER
from finstat.identifiers import check_identifier

MONTH = "2022-05"
ROWS = 2_000


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    return build_landing(root, [MONTH], ROWS, all_sources=False), root


def _rows(bench):
    out = []
    for path in sorted((bench.landing / "rural_credit" / MONTH).glob("*_贷款明细.csv")):
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode(ENCODING))))
        assert tuple(rows[0]) == LOAN_HEADER
        out += rows[1:]
    return out


def _cents(text: str) -> int:
    whole, frac = text.split(".")
    return int(whole) * 100 + int(frac)


def test_generated_month_agrees_with_the_bank_report(bench):
    bench, _root = bench
    rows = _rows(bench)
    assert len(rows) == ROWS
    sums: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in rows:
        sums[(r[1], r[8], CLASS_ITEMS[CLASS_NAMES.index(r[15])])] += _cents(r[13])
    wanted = {k[1:]: v for k, v in bench.targets.items() if k[0] == MONTH and v}
    assert dict(sums) == wanted  # every county and class to the cent, so rule 14 passes
    assert max(Counter((r[1], r[2]) for r in rows).values()) == 1  # rule 13
    assert all(check_identifier(r[5], r[6]) for r in rows)  # rule 16
    assert not any(int(r[14]) > 90 and r[15] in ("正常", "关注") for r in rows)  # rule 15
    assert all(_cents(r[12]) >= _cents(r[13]) > 0 for r in rows)


def test_baseline_figures_and_rules(bench):
    bench, root = bench
    run_baseline(bench.landing, bench.bank_totals, MONTH, root / "out")
    out = root / "out" / MONTH
    con = duckdb.connect()
    r01 = con.execute(
        f"select value from '{out}/figures.parquet' where indicator_code = 'R01' and region_code = '410600'"
    ).fetchone()[0]
    assert r01 == Decimal(sum(_cents(r[13]) for r in _rows(bench))) / 10**10
    rule_14 = f"select bool_and(passed), count(*) from '{out}/rule_14.parquet'"
    assert con.execute(rule_14).fetchone() == (True, 33)  # 3 institutions x (A01, C03-C05, D01-D07)
    assert con.execute(f"select count(*) from '{out}/rule_13.parquet'").fetchone() == (0,)


def test_integer_splits():
    import numpy as np

    cents = split_cents(10**12 + 7, 1_000, np.random.default_rng(1))
    assert int(cents.sum()) == 10**12 + 7 and cents.min() > 0
    assert allocate_rows(10, [0, 5, 1_000_000]) == [0, 1, 9]
