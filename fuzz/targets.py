"""One fuzz target per parser: how its inputs are made, and how a file is read exactly as ingestion.run reads it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
from hypothesis import strategies as st

from fuzz import strategies
from fuzz.reference import KEY, reference
from ingestion import pbc
from ingestion.numbers import UNIT_FACTORS
from ingestion.run import SOURCES, _Context, _Landed

# Landing folder month of every input: pbc falls back to it when the title states no month.
FOLDER_PERIOD = "2022-05"
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CENT_EXPONENT = -2


class InvariantBroken(AssertionError):
    """An accepted file produced something ingestion must never hand on (checked after parsing)."""


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise InvariantBroken(what)


def _header(report) -> None:
    """What run.py relies on before reading the body: a month to compare and a sender to look up."""
    _require(
        isinstance(report.period, str) and bool(_PERIOD.match(report.period)), f"period {report.period!r}"
    )
    _require(isinstance(report.inst_code, str), f"inst_code {report.inst_code!r}")
    for where in (report.inst_at, report.period_at):
        _require(isinstance(where, tuple) and len(where) == 3, f"location {where!r}")


def _amounts(rows) -> None:
    for row in rows:
        amount = row.amount_yuan
        _require(isinstance(amount, Decimal), f"amount {amount!r} is not a Decimal")
        _require(amount.is_finite() and amount >= 0, f"amount {amount} negative or not finite")
        _require(amount.as_tuple().exponent == _CENT_EXPONENT, f"amount {amount} not in fen")
        _require(amount < Decimal(10) ** 18, f"amount {amount} does not fit DECIMAL(20,2)")
        _require(row.unit in UNIT_FACTORS, f"unit {row.unit!r}")


def _table(table) -> None:
    _require(isinstance(table, pa.Table), f"body is {type(table).__name__}, not an Arrow table")
    table.validate(full=True)
    # The lake is read back into Python (reports, tests): a value Python cannot hold (a date in
    # year 0, which Arrow allows) would fail there, long after the file was accepted.
    try:
        table.to_pylist()
    except (ValueError, OverflowError) as exc:
        raise InvariantBroken(f"accepted rows Python cannot read back: {exc}") from exc


def _read(source: str, path: Path, file_ref: str) -> object:
    """Open, check_header and read_body exactly as ingestion.run does for the source."""
    # run.py's own open functions (private, hence _Landed and _Context): a check it adds before a
    # reader, such as the zip limits, is fuzzed along with the reader.
    spec = SOURCES[source]
    landed = _Landed(
        path=path, file_path=file_ref, folder_period=FOLDER_PERIOD, sha256="", size=path.stat().st_size
    )
    report = spec.open(landed, _Context(reference=reference(), key=KEY))
    _header(report)
    if spec.check_header is not None:
        spec.check_header(report)
    return spec.read_body(report)


def read_bank_loans(path: Path, file_ref: str) -> None:
    _amounts(_read("bank_loans", path, file_ref))


def read_rural(path: Path, file_ref: str) -> None:
    _table(_read("rural_credit", path, file_ref))


def read_platform(path: Path, file_ref: str) -> None:
    _table(_read("platform", path, file_ref))


def read_pbc(path: Path, file_ref: str) -> None:
    table = _read("pbc", path, file_ref)
    _table(table)
    _require(table.num_rows == len(pbc.ITEMS), f"{table.num_rows} rows, expected {len(pbc.ITEMS)}")


@dataclass(frozen=True)
class Target:
    name: str
    source: str  # the landing folder, so file references look like the log's
    inputs: Callable[[], st.SearchStrategy[strategies.FuzzInput]]
    read: Callable[[Path, str], None]  # raises FileRejected, or anything else (a finding)


TARGETS = {
    t.name: t
    for t in (
        Target("bank_loans.xlsx", "bank_loans", strategies.bank_xlsx, read_bank_loans),
        Target("bank_loans.csv", "bank_loans", strategies.bank_csv, read_bank_loans),
        Target("rural_credit.csv", "rural_credit", strategies.rural_csv, read_rural),
        Target("platform.csv", "platform", strategies.platform_csv, read_platform),
        Target("pbc.xlsx", "pbc", strategies.pbc_xlsx, read_pbc),
    )
}
