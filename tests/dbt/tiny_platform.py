"""A tiny platform lake: a partial snapshot (2022-03), a clean one (2022-04) and a defective one (2022-05)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.platform import ENTERPRISES_SCHEMA, PRODUCTS_SCHEMA, REQUESTS_SCHEMA
from tests.dbt.tiny_lake import B1, B2

UNKNOWN_BANK = "UNKNOWN0000001"  # rule 19: a product of an institution outside the register


def t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def wan(text: str) -> Decimal:
    return Decimal(text) * 10000


# (企业ID, county, status, registered_at, uscc_check_ok) per snapshot month.
_APRIL_ENTERPRISES = [
    ("E1", "410611", "正常", "2021-01-05 09:00:00", True),
    ("E2", "410621", "正常", "2021-06-01 10:00:00", True),
    ("E3", "410621", "注销", "2021-07-01 10:00:00", True),
]
ENTERPRISES = {
    "2022-03": _APRIL_ENTERPRISES[:2],
    "2022-04": _APRIL_ENTERPRISES,
    # E4 registered after the end of May (in the export) and fails its check character (rule 21).
    "2022-05": [*_APRIL_ENTERPRISES, ("E4", "410622", "正常", "2022-06-01 08:00:00", False)],
}
# (产品ID, 机构代码, status, listed_at, delisted_at)
_APRIL_PRODUCTS = [
    ("P1", B1, "上架", "2021-01-01 00:00:00", None),
    ("P2", B2, "上架", "2021-02-01 00:00:00", None),
    ("P3", B1, "下架", "2021-03-01 00:00:00", "2022-04-10 12:00:00"),
]
PRODUCTS = {
    "2022-04": _APRIL_PRODUCTS,
    # P2 is delisted in June, before the export: still listed at the end of May.
    "2022-05": [
        _APRIL_PRODUCTS[0],
        ("P2", B2, "下架", "2021-02-01 00:00:00", "2022-06-01 09:00:00"),
        _APRIL_PRODUCTS[2],
        ("P4", UNKNOWN_BANK, "上架", "2022-05-02 00:00:00", None),
    ],
}
# (需求ID, 企业ID, 产品ID, 机构代码, status, applied_at, granted 万元, granted_at, disbursed 万元, disbursed_at)
_R1 = (
    "R1",
    "E1",
    "P1",
    B1,
    "已放款",
    "2022-02-20 09:00:00",
    "100",
    "2022-03-01 10:00:00",
    "80",
    "2022-03-05 10:00:00",
)
REQUESTS = {
    "2022-04": [
        _R1,
        ("R2", "E2", "P2", B2, "已授信", "2022-04-01 09:00:00", "50", "2022-04-20 10:00:00", None, None),
        ("R3", "E1", "P1", B1, "待受理", "2022-04-28 09:00:00", None, None, None, None),
    ],
    "2022-05": [
        _R1,
        # R2's grant is gone from May's snapshot: P04 falls below April's (rule 20), E2 leaves P06.
        ("R2", "E2", "P2", B2, "已撤回", "2022-04-01 09:00:00", None, None, None, None),
        ("R3", "E1", "P1", B1, "已受理", "2022-04-28 09:00:00", None, None, None, None),
        # Rule 18: 放款 40 万元 above 授信 30 万元.
        (
            "R5",
            "E1",
            "P1",
            B1,
            "已放款",
            "2022-05-02 09:00:00",
            "30",
            "2022-05-10 10:00:00",
            "40",
            "2022-05-12 10:00:00",
        ),
        # Rule 18: granted before it was applied for.
        ("R6", "E1", "P1", B1, "已授信", "2022-05-15 09:00:00", "5", "2022-05-14 10:00:00", None, None),
        # Rule 19: neither the enterprise nor the product is in May's snapshot.
        ("R7", "E9", "P9", B1, "待受理", "2022-05-20 09:00:00", None, None, None, None),
        # Granted in the last second of May (counts), disbursed in June (does not).
        (
            "R8",
            "E1",
            "P1",
            B1,
            "已放款",
            "2022-05-30 09:00:00",
            "10",
            "2022-05-31 23:59:59",
            "10",
            "2022-06-02 10:00:00",
        ),
    ],
}

# Hand-computed from the rows above (indicators.md definitions, end of M = its last second).
EXPECTED = {
    "2022-04": {"P01": {"410600": 2, "410611": 1, "410621": 1}, "P02": 2, "P03": 2,
                "P04": Decimal("0.015"), "P05": Decimal("0.008"), "P06": 2},
    "2022-05": {"P01": {"410600": 2, "410611": 1, "410621": 1}, "P02": 3, "P03": 3,
                "P04": Decimal("0.0145"), "P05": Decimal("0.012"), "P06": 1},
}  # fmt: skip


def _lineage(table: str, period: str, index: int) -> dict:
    return {
        "source_file": f"platform/{period}/{table}_{period.replace('-', '')}.csv",
        "row_number": index + 2,
        "file_sha256": hashlib.sha256(f"{table}{period}".encode()).hexdigest(),
        "revision": 1,
        "ingested_at": datetime(2022, 6, 3, 8, 0, 0),
    }


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _rows(period: str) -> dict[str, list[dict]]:
    enterprises = [
        {"period": period, "enterprise_id": e, "uscc_key": _key(f"uscc{e}"), "uscc_check_ok": ok,
         "name_key": _key(f"name{e}"), "county_code": county, "industry_code": "C13", "size_class": "小型",
         "registered_at": t(at), "status": status, **_lineage("入驻企业", period, i)}
        for i, (e, county, status, at, ok) in enumerate(ENTERPRISES.get(period, []))
    ]  # fmt: skip
    products = [
        {"period": period, "product_id": p, "product_name": f"产品{p}", "inst_code": inst,
         "guarantee_type": "信用", "limit_yuan": wan("500"), "listed_at": t(listed),
         "delisted_at": t(delisted) if delisted else None, "status": status, **_lineage("金融产品", period, i)}
        for i, (p, inst, status, listed, delisted) in enumerate(PRODUCTS.get(period, []))
    ]  # fmt: skip
    requests = [
        {"period": period, "request_id": r, "enterprise_id": e, "product_id": p, "inst_code": inst,
         "applied_yuan": wan("100"), "applied_at": t(applied), "status": status,
         "granted_yuan": wan(g) if g else None, "granted_at": t(g_at) if g_at else None,
         "disbursed_yuan": wan(d) if d else None, "disbursed_at": t(d_at) if d_at else None,
         **_lineage("融资需求", period, i)}
        for i, (r, e, p, inst, status, applied, g, g_at, d, d_at) in enumerate(REQUESTS.get(period, []))
    ]  # fmt: skip
    return {"platform_enterprises": enterprises, "platform_products": products, "platform_requests": requests}


def write_lake(home: Path) -> None:
    """One Parquet file per table and month with rows, plus the zero-row schema file of each table."""
    schemas = {
        "platform_enterprises": ENTERPRISES_SCHEMA,
        "platform_products": PRODUCTS_SCHEMA,
        "platform_requests": REQUESTS_SCHEMA,
    }
    for table, schema in schemas.items():
        folder = home / "lake" / table
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), folder / "_schema.parquet")
    for period in ("2022-03", "2022-04", "2022-05"):
        for table, rows in _rows(period).items():
            if rows:
                target = home / "lake" / table / f"period={period}" / "PLATFORM__tiny.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(pa.Table.from_pylist(rows, schema=schemas[table]), target)
