"""The platform's landing files: three UTF-8 (BOM) CSV snapshots a month."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from demo.platform.base import SOURCE, _rng
from demo.platform.records import Enterprise, PlatformData, PlatformSnapshot, Product, Request

ENCODING = "utf-8-sig"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

ENTERPRISE_HEADER = (
    "企业ID",
    "统一社会信用代码",
    "企业名称",
    "县区代码",
    "行业代码",
    "企业规模",
    "注册时间",
    "状态",
)
PRODUCT_HEADER = (
    "产品ID",
    "产品名称",
    "机构代码",
    "担保方式",
    "额度上限(万元)",
    "上架时间",
    "下架时间",
    "状态",
)
REQUEST_HEADER = (
    "需求ID",
    "企业ID",
    "产品ID",
    "机构代码",
    "申请金额(万元)",
    "申请时间",
    "状态",
    "授信金额(万元)",
    "授信时间",
    "放款金额(万元)",
    "放款时间",
)


def _time_text(value: dt.datetime | None) -> str:
    """YYYY-MM-DD HH:MM:SS, empty when the event has not happened."""
    return "" if value is None else value.strftime(TIME_FORMAT)


@functools.cache
def _two_decimals(record_id: str) -> bool:
    """Whether a record's amounts are written with 2 decimals (cached: asked once per file and month)."""
    return _rng("amount-style", record_id).random() < 0.15


def _amount_text(value: Decimal | None, record_id: str) -> str:
    """万元 as plain decimal text: mostly shortest (500, 120.5), some records with 2 decimals (35.00)."""
    if value is None:
        return ""
    text = f"{value:.2f}"
    return text if _two_decimals(record_id) else text.rstrip("0").rstrip(".")


def _render(header: Sequence[str], rows: list[Sequence[str]]) -> bytes:
    """A UTF-8 (with BOM) comma-separated file with CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(ENCODING)


def _enterprise_cells(e: Enterprise) -> tuple[str, ...]:
    """The cells of one 入驻企业 row."""
    return (
        e.enterprise_id,
        e.uscc,
        e.name,
        e.county_code,
        e.industry_code,
        e.size,
        _time_text(e.registered_at),
        e.status,
    )


def _product_cells(p: Product) -> tuple[str, ...]:
    """The cells of one 金融产品 row."""
    return (
        p.product_id,
        p.name,
        p.inst_code,
        p.guarantee,
        _amount_text(p.limit, p.product_id),
        _time_text(p.listed_at),
        _time_text(p.delisted_at),
        p.status,
    )


def _request_cells(r: Request) -> tuple[str, ...]:
    """The cells of one 融资需求 row."""
    return (
        r.request_id,
        r.enterprise_id,
        r.product_id,
        r.inst_code,
        _amount_text(r.amount_applied, r.request_id),
        _time_text(r.applied_at),
        r.status,
        _amount_text(r.amount_granted, r.request_id),
        _time_text(r.granted_at),
        _amount_text(r.amount_disbursed, r.request_id),
        _time_text(r.disbursed_at),
    )


def render_enterprises(snapshot: PlatformSnapshot) -> bytes:
    """入驻企业_<YYYYMM>.csv of a snapshot."""
    return _render(ENTERPRISE_HEADER, [_enterprise_cells(e) for e in snapshot.enterprises])


def render_products(snapshot: PlatformSnapshot) -> bytes:
    """金融产品_<YYYYMM>.csv of a snapshot."""
    return _render(PRODUCT_HEADER, [_product_cells(p) for p in snapshot.products])


def render_requests(snapshot: PlatformSnapshot) -> bytes:
    """融资需求_<YYYYMM>.csv of a snapshot."""
    return _render(REQUEST_HEADER, [_request_cells(r) for r in snapshot.requests])


def file_names(period: str) -> tuple[str, str, str]:
    """(enterprises, products, requests) file names of a month."""
    yyyymm = period.replace("-", "")
    return f"入驻企业_{yyyymm}.csv", f"金融产品_{yyyymm}.csv", f"融资需求_{yyyymm}.csv"


def write_platform(data: PlatformData, landing: Path) -> list[Path]:
    """Write landing/platform/<YYYY-MM>/ with the three files of every month; return the paths."""
    written = []
    for period in data.periods:
        folder = Path(landing) / SOURCE / period
        folder.mkdir(parents=True, exist_ok=True)
        snapshot = data.snapshot(period)
        renders = (render_enterprises, render_products, render_requests)
        for name, render in zip(file_names(period), renders, strict=True):
            (folder / name).write_bytes(render(snapshot))
            written.append(folder / name)
    return written
