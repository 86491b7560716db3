"""The ledgers' landing files: three workbooks a month under ledgers/<YYYY-MM>/, and the variations each shows."""

from __future__ import annotations

from pathlib import Path

from demo.city import DemoCity
from demo.ledgers.base import AMOUNT_COLUMNS, BOOL_COLUMNS, SOURCE, style_of
from demo.ledgers.records import LedgerData
from demo.ledgers.xlsx import render_ledger


def relpath(ledger: str, period: str) -> str:
    """ledgers/2022-05/银企对接台账_202205.xlsx."""
    return f"{SOURCE}/{period}/{ledger}_{period.replace('-', '')}.xlsx"


def file_variations(data: LedgerData, ledger: str, period: str) -> tuple[str, ...]:
    """The spec variations the ledger's file of `period` shows: its style, where it has such cells."""
    style = style_of(ledger, period)
    filled = {
        name
        for rows in data.snapshot(ledger, period).values()
        for _e, row in rows
        for name, v in row.items()
        if v is not None
    }
    out = [f"title_rows_{style['title']}", f"columns_{'spec_order' if style['order'] == 'spec' else 'moved'}"]
    out += [f"date_{form}" for form in style["dates"]]
    if style["remark"]:
        out.append("remark_column")
    if style["blank"]:
        out.append("blank_rows")
    if filled & BOOL_COLUMNS:
        out.append(f"bool_{style['bools']}")
    if filled & AMOUNT_COLUMNS:
        out += [f"amount_{form}" for form in style["amounts"]]
    if "批次" in filled:
        out.append(f"batch_{style['batch']}")
    return tuple(sorted(out))


def write_ledgers(data: LedgerData, city: DemoCity, landing: Path) -> list[Path]:
    """Write landing/ledgers/<YYYY-MM>/<ledger>_<YYYYMM>.xlsx for every month with files; return the paths."""
    written = []
    for period, ledger in data.files:
        path = Path(landing) / relpath(ledger, period)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_ledger(data, ledger, period, city))
        written.append(path)
    return written
