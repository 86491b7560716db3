"""Deterministic demo of the bureau's own ledgers (局内台账) calibrated to the May 2022 report.

Three workbooks a month (银企对接台账, 上市后备企业台账, 监管文书台账), each a full snapshot as the
officers export it on the 2nd to 5th of the next month: every row since the ledger began (2021-01;
the pipeline's older enterprises copied over with their 入库日期), so the file of M already holds
rows dated in the first days of M+1. Rows are completed later (放款 filled in, 签约 confirmed, a
new 阶段, 出库) but never deleted or moved back. One month (MISSING_PERIOD) has no files.

The enterprises are the platform's (same USCC, same name), the banks the register's, the places the
city's, so another city gets the same ledgers under its own codes and names. May 2022 gives, with
spec/indicators.md: M01 53, M02 943, M03 278, M04 6, M05 455.32, M06 124.08, M08 77.79, M09 10,
M10 20, M11 39.46, M12 10, S01 39, S04 164, S05 29, S06 14, G01 14 (calibration.py). Which file has
which layout variation: base.py.
"""

# The package's public API; the modules below it import each other directly, never this file.
from demo.ledgers.base import (
    ALL_VARIATIONS,
    FIRST_PERIOD,
    LEDGERS,
    MISSING_PERIOD,
    SHEETS,
    SOURCE,
    export_date,
)
from demo.ledgers.build import build_ledgers
from demo.ledgers.files import file_variations, relpath, write_ledgers
from demo.ledgers.records import Entry, LedgerData
from demo.ledgers.xlsx import render_ledger

__all__ = [
    "ALL_VARIATIONS",
    "FIRST_PERIOD",
    "LEDGERS",
    "MISSING_PERIOD",
    "SHEETS",
    "SOURCE",
    "Entry",
    "LedgerData",
    "build_ledgers",
    "export_date",
    "file_variations",
    "relpath",
    "render_ledger",
    "write_ledgers",
]
