"""A tiny lake of the central bank branch's figures for 2022-05: values chosen around the tiny banks."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.pbc import SCHEMA, TABLE

PERIOD = "2022-05"
YI = Decimal(100_000_000)
# (item_code, balance 亿元 or ratio %, 比年初增减 亿元, 同比增长 %); the ratio row has a ratio only.
ROWS = [
    ("PBC_LOANS", Decimal("0.50"), Decimal("0.10"), Decimal("12.34")),
    ("PBC_HOUSEHOLD", Decimal("0.11"), None, None),
    ("PBC_ENTERPRISE", Decimal("0.35"), Decimal("0.02"), None),
    ("PBC_NPL", Decimal("0.02"), None, None),
    ("PBC_NPL_RATIO", Decimal("4.50"), None, None),
]


def write_lake(home: Path) -> None:
    """The zero-row schema file and one workbook's rows for PERIOD."""
    folder = home / "lake" / TABLE
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(SCHEMA.empty_table(), folder / "_schema.parquet")
    rows = [
        {
            "period": PERIOD,
            "item_code": code,
            "item_name": code,
            "balance_yuan": None if code == "PBC_NPL_RATIO" else value * YI,
            "ytd_change_yuan": None if ytd is None else ytd * YI,
            "yoy_pct": yoy,
            "ratio_pct": value if code == "PBC_NPL_RATIO" else None,
            "sheet": "金融统计",
            "row_number": index + 4,
            "source_file": f"pbc/{PERIOD}/金融统计_202205.xlsx",
            "file_sha256": hashlib.sha256(b"tiny pbc").hexdigest(),
            "revision": 1,
            "ingested_at": datetime(2022, 6, 10, 9, 0, 0),
        }
        for index, (code, value, ytd, yoy) in enumerate(ROWS)
    ]
    target = folder / f"period={PERIOD}" / "PBC__tiny.parquet"
    target.parent.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), target)
