"""Small platform snapshots (UTF-8 with BOM 入驻企业 / 金融产品 / 融资需求 CSVs) for ingestion tests."""

from __future__ import annotations

from pathlib import Path

from finstat.identifiers import uscc_check_char
from finstat.settings import Settings
from ingestion.platform import COLUMNS, ENTERPRISES, PRODUCTS, REQUESTS
from tests.ingestion.builders import BANK
from tests.ingestion.rural_builders import csv_bytes

MONTH = "2022-05"
USCC = "92410611MA44TPQ03" + uscc_check_char("92410611MA44TPQ03")
OWNER_NAME = "淇滨区王小二便利店"


def enterprise_row(**overrides: str) -> dict[str, str]:
    row = {
        "企业ID": "QY000001",
        "统一社会信用代码": USCC,
        "企业名称": OWNER_NAME,
        "县区代码": "410611",
        "行业代码": "F52",
        "企业规模": "微型",
        "注册时间": "2021-03-04 10:00:00",
        "状态": "正常",
    }
    return {**row, **overrides}


def product_row(**overrides: str) -> dict[str, str]:
    row = {
        "产品ID": "CP0001",
        "产品名称": "小微快贷",
        "机构代码": BANK,
        "担保方式": "信用",
        "额度上限(万元)": "1,000",
        "上架时间": "2021-01-01 00:00:00",
        "下架时间": "",
        "状态": "上架",
    }
    return {**row, **overrides}


def request_row(**overrides: str) -> dict[str, str]:
    row = {
        "需求ID": "XQ00000001",
        "企业ID": "QY000001",
        "产品ID": "CP0001",
        "机构代码": BANK,
        "申请金额(万元)": "100",
        "申请时间": "2022-05-01 09:00:00",
        "状态": "已放款",
        "授信金额(万元)": "80.5",
        "授信时间": "2022-05-03 10:00:00",
        "放款金额(万元)": "80.123456",
        "放款时间": "2022-05-04 10:30:00",
    }
    return {**row, **overrides}


def snapshot_name(kind: str, month: str = MONTH, suffix: str = "") -> str:
    return f"{kind}_{month.replace('-', '')}{suffix}.csv"


def platform_bytes(kind: str, rows: list[dict[str, str]], bom: bool = True, encoding: str = "utf-8") -> bytes:
    body = csv_bytes(COLUMNS[kind], rows, encoding=encoding)
    return (b"\xef\xbb\xbf" if bom and encoding == "utf-8" else b"") + body


def write_snapshot_file(
    settings: Settings, kind: str, rows, name: str | None = None, folder: str = MONTH, **kw
) -> Path:
    path = settings.landing / "platform" / folder / (name or snapshot_name(kind, folder))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(platform_bytes(kind, rows, **kw))
    return path


def write_snapshot(settings: Settings, folder: str = MONTH) -> list[Path]:
    """A consistent three-file snapshot: one enterprise, one product, one disbursed request."""
    return [
        write_snapshot_file(settings, ENTERPRISES, [enterprise_row()], folder=folder),
        write_snapshot_file(settings, PRODUCTS, [product_row()], folder=folder),
        write_snapshot_file(settings, REQUESTS, [request_row()], folder=folder),
    ]
