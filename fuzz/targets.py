"""One fuzz target per registered source and file type: how inputs are made, how ingestion reads a file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
from hypothesis import strategies as st

from finstat.items import AMOUNT_QUANTITY, PROGRAMME_QUANTITIES
from fuzz import strategies
from fuzz.reference import KEY, reference
from ingestion import ledgers, pbc
from ingestion.landing_files import LandedFile
from ingestion.numbers import UNIT_FACTORS
from ingestion.registry import SOURCES, source_named
from ingestion.source import ReadContext

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


def _amounts(table: pa.Table) -> None:
    for row in table.to_pylist():
        amount = row["amount_yuan"]
        _require(isinstance(amount, Decimal), f"amount {amount!r} is not a Decimal")
        _require(amount.is_finite() and amount >= 0, f"amount {amount} negative or not finite")
        _require(amount.as_tuple().exponent == _CENT_EXPONENT, f"amount {amount} not in fen")
        _require(amount < Decimal(10) ** 18, f"amount {amount} does not fit DECIMAL(20,2)")
        _require(row["unit"] in UNIT_FACTORS, f"unit {row['unit']!r}")


def _programme_cells(table: pa.Table) -> None:
    for row in table.to_pylist():
        value = row["value"]
        _require(isinstance(value, Decimal), f"value {value!r} is not a Decimal")
        _require(value.is_finite() and value >= 0, f"value {value} negative or not finite")
        _require(value.as_tuple().exponent == _CENT_EXPONENT, f"value {value} not in hundredths")
        _require(value < Decimal(10) ** 18, f"value {value} does not fit DECIMAL(20,2)")
        _require(row["quantity"] in PROGRAMME_QUANTITIES, f"quantity {row['quantity']!r}")
        if row["quantity"] == AMOUNT_QUANTITY:
            _require(row["unit"] in UNIT_FACTORS, f"amount unit {row['unit']!r}")


def _pbc_rows(table: pa.Table) -> None:
    _require(table.num_rows == len(pbc.ITEMS), f"{table.num_rows} rows, expected {len(pbc.ITEMS)}")


def _ledger_rows(table: pa.Table) -> None:
    """Money in 元 to the 分, counts whole and not negative, every row from a sheet of the workbook."""
    sheets = {spec.name for specs in ledgers.SHEETS.values() for spec in specs}
    money = [f.name for f in table.schema if pa.types.is_decimal(f.type)]
    counts = [f.name for f in table.schema if f.type == pa.int32() and f.name != "row_number"]
    for row in table.to_pylist():
        _require(row["sheet"] in sheets and row["inst_code"] == ledgers.SENDER, f"sheet {row['sheet']!r}")
        for name in money:
            value = row[name]
            if value is not None:
                _require(value.is_finite() and value >= 0, f"{name} {value} negative or not finite")
                _require(value.as_tuple().exponent == _CENT_EXPONENT, f"{name} {value} not in fen")
        for name in counts:
            _require(row[name] is None or row[name] >= 0, f"{name} {row[name]} negative")
        for name in ("uscc_key", "name_key"):
            key = row.get(name)
            _require(key is None or len(key) == 64, f"{name} is not a key")


def _table(table) -> None:
    _require(isinstance(table, pa.Table), f"body is {type(table).__name__}, not an Arrow table")
    table.validate(full=True)
    # The lake is read back into Python (reports, tests): a value Python cannot hold (a date in
    # year 0, which Arrow allows) would fail there, long after the file was accepted.
    try:
        table.to_pylist()
    except (ValueError, OverflowError) as exc:
        raise InvariantBroken(f"accepted rows Python cannot read back: {exc}") from exc


def _read(source: str, path: Path, file_ref: str) -> pa.Table:
    """Open, check_header and read_body exactly as the ingestion loop does for the source."""
    # The source's open_file: a check it makes before the reader, such as the zip limits, is
    # fuzzed along with the reader.
    declared = source_named(source)
    landed = LandedFile(
        path=path, file_path=file_ref, folder_period=FOLDER_PERIOD, sha256="", size=path.stat().st_size
    )
    report = declared.open_file(landed, ReadContext(reference=reference(), key=KEY))
    _header(report)
    if declared.check_header is not None:
        declared.check_header(report)
    return declared.read_body(report)


# What a source's accepted rows must hold beyond a valid Arrow table Python can read back.
INVARIANTS: dict[str, Callable[[pa.Table], None]] = {
    "bank_loans": _amounts,
    "pbc": _pbc_rows,
    "bank_programmes": _programme_cells,
    "ledgers": _ledger_rows,
}
# How the inputs of each target (<source><file type>) are made: every registered source's file
# types need one (tests/fuzz checks it).
INPUTS: dict[str, Callable[[], st.SearchStrategy[strategies.FuzzInput]]] = {
    "bank_loans.xlsx": strategies.bank_xlsx,
    "bank_loans.csv": strategies.bank_csv,
    "rural_credit.csv": strategies.rural_csv,
    "platform.csv": strategies.platform_csv,
    "pbc.xlsx": strategies.pbc_xlsx,
    "bank_programmes.xlsx": strategies.programme_xlsx,
    "bank_programmes.csv": strategies.programme_csv,
    "ledgers.xlsx": strategies.ledger_xlsx,
}


@dataclass(frozen=True)
class Target:
    name: str
    source: str  # the landing folder, so file references look like the log's
    inputs: Callable[[], st.SearchStrategy[strategies.FuzzInput]]

    def read(self, path: Path, file_ref: str) -> None:
        """Read as ingestion does; raises FileRejected, or anything else (a finding)."""
        table = _read(self.source, path, file_ref)
        _table(table)
        INVARIANTS.get(self.source, lambda _: None)(table)


def _targets() -> dict[str, Target]:
    """One target per registered source and file type it accepts that has inputs, in registry order."""
    targets = {}
    for source in SOURCES:
        for suffix in source.suffixes:
            name = f"{source.name}{suffix}"
            if name in INPUTS:
                targets[name] = Target(name, source.name, INPUTS[name])
    return targets


TARGETS = _targets()
