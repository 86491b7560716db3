"""Source platform: 普惠金融共享平台 monthly snapshots (入驻企业, 金融产品, 融资需求) -> validated Arrow tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.column_checks import Check, ColumnChecks
from ingestion.csv_table import UTF8, read_csv_table
from ingestion.errors import FileRejected
from ingestion.lake import LINEAGE
from ingestion.landing_files import LandedFile
from ingestion.pseudonym import borrower_keys, name_keys
from ingestion.register import Reference
from ingestion.source import LakeTable, ReadContext, Senders, Source

# The platform operator sends the snapshot, not an institution: this stands in the log and lake paths
# where other sources have the institution code.
SENDER = "PLATFORM"
ENTERPRISES, PRODUCTS, REQUESTS = "入驻企业", "金融产品", "融资需求"
KINDS = (ENTERPRISES, PRODUCTS, REQUESTS)

# <kind>_<YYYYMM>, then anything (a resubmission marker such as _v2 or 更正), then .csv.
_FILE_NAME = re.compile(
    r"^(?P<kind>入驻企业|金融产品|融资需求)_(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])(?P<rest>[^.]*)\.csv$",
    re.IGNORECASE,
)
NAME_HINT = "文件名应为 入驻企业_<YYYYMM>.csv、金融产品_<YYYYMM>.csv 或 融资需求_<YYYYMM>.csv（更正报送可加 _v2 或 更正）"

ENTERPRISE_ID, USCC, ENTERPRISE_NAME, COUNTY, INDUSTRY, SIZE, REGISTERED_AT, STATUS = (
    "企业ID", "统一社会信用代码", "企业名称", "县区代码", "行业代码", "企业规模", "注册时间", "状态",
)  # fmt: skip
PRODUCT_ID, PRODUCT_NAME, INST, GUARANTEE, LIMIT, LISTED_AT, DELISTED_AT = (
    "产品ID", "产品名称", "机构代码", "担保方式", "额度上限(万元)", "上架时间", "下架时间",
)  # fmt: skip
REQUEST_ID, APPLIED, APPLIED_AT, GRANTED, GRANTED_AT, DISBURSED, DISBURSED_AT = (
    "需求ID", "申请金额(万元)", "申请时间", "授信金额(万元)", "授信时间", "放款金额(万元)", "放款时间",
)  # fmt: skip

COLUMNS = {
    ENTERPRISES: (ENTERPRISE_ID, USCC, ENTERPRISE_NAME, COUNTY, INDUSTRY, SIZE, REGISTERED_AT, STATUS),
    PRODUCTS: (PRODUCT_ID, PRODUCT_NAME, INST, GUARANTEE, LIMIT, LISTED_AT, DELISTED_AT, STATUS),
    REQUESTS: (
        REQUEST_ID, ENTERPRISE_ID, PRODUCT_ID, INST, APPLIED, APPLIED_AT, STATUS,
        GRANTED, GRANTED_AT, DISBURSED, DISBURSED_AT,
    ),
}  # fmt: skip
# An enterprise's name may be a person's (个体工商户 trade under the owner's name), and its code
# identifies it: both become keys here, like the rural-credit borrower data.
PII_COLUMNS = frozenset({ENTERPRISE_NAME, USCC})

SIZES = ("大型", "中型", "小型", "微型")
ENTERPRISE_STATUSES = ("正常", "注销")
PRODUCT_STATUSES = ("上架", "下架")
REQUEST_STATUSES = ("待受理", "已受理", "已授信", "已放款", "已拒绝", "已撤回")

MONEY = pa.decimal128(20, 2)
# Microseconds like DuckDB's TIMESTAMP (Parquet has no seconds unit and would coerce).
TIME = pa.timestamp("us")
# Column order and types: docs/architecture.md ("Lake tables platform_*").
ENTERPRISES_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("enterprise_id", pa.string()),
        ("uscc_key", pa.string()),
        ("uscc_check_ok", pa.bool_()),
        ("name_key", pa.string()),
        ("county_code", pa.string()),
        ("industry_code", pa.string()),
        ("size_class", pa.string()),
        ("registered_at", TIME),
        ("status", pa.string()),
        *LINEAGE,
    ]
)
PRODUCTS_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("product_id", pa.string()),
        ("product_name", pa.string()),
        ("inst_code", pa.string()),
        ("guarantee_type", pa.string()),
        ("limit_yuan", MONEY),
        ("listed_at", TIME),
        ("delisted_at", TIME),
        ("status", pa.string()),
        *LINEAGE,
    ]
)
REQUESTS_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("request_id", pa.string()),
        ("enterprise_id", pa.string()),
        ("product_id", pa.string()),
        ("inst_code", pa.string()),
        ("applied_yuan", MONEY),
        ("applied_at", TIME),
        ("status", pa.string()),
        ("granted_yuan", MONEY),
        ("granted_at", TIME),
        ("disbursed_yuan", MONEY),
        ("disbursed_at", TIME),
        *LINEAGE,
    ]
)
LAKE_TABLES = {
    ENTERPRISES: ("platform_enterprises", ENTERPRISES_SCHEMA),
    PRODUCTS: ("platform_products", PRODUCTS_SCHEMA),
    REQUESTS: ("platform_requests", REQUESTS_SCHEMA),
}

_TIME_FORM = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
# 万元 with at most six decimals (= whole 分 in 元) and groups of three when separated.
_WAN_FORM = r"^[+-]?(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,14})(?:\.\d{1,6})?$"
_WAN = pa.decimal128(24, 6)


@dataclass(frozen=True)
class FileName:
    kind: str
    period: str


def parse_file_name(name: str) -> FileName | None:
    match = _FILE_NAME.match(PurePosixPath(name).name)
    if match is None:
        return None
    return FileName(match["kind"], f"{match['year']}-{match['month']}")


def _parse_times(text: pa.Array) -> pa.Array:
    """TIMESTAMP per row for YYYY-MM-DD HH:MM:SS, NULL when empty or not a real time."""
    parsed = pc.strptime(text, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    # strptime rolls 2022-02-30 over to March: a round trip keeps only real times.
    real = pc.and_kleene(
        pc.match_substring_regex(text, _TIME_FORM),
        pc.equal(pc.strftime(parsed, format="%Y-%m-%d %H:%M:%S"), text),
    )
    # Year 0 is no calendar year: Arrow takes it, Python's datetime (every reader of the lake) cannot.
    real = pc.and_kleene(real, pc.invert(pc.starts_with(text, "0000")))
    return pc.if_else(pc.fill_null(real, False), pc.cast(parsed, TIME), pa.scalar(None, TIME))


class PlatformFile(ColumnChecks):
    """One snapshot file: read whole on open; body() validates every row and returns the lake rows."""

    pii_columns = PII_COLUMNS

    def __init__(self, path: Path, file_ref: str, reference: Reference, key: bytes) -> None:
        self._file = file_ref
        self._reference = reference
        self._key = key
        name = parse_file_name(path.name)
        if name is None:
            raise FileRejected(1, NAME_HINT, file_ref)
        self.kind = name.kind
        # A snapshot states its month only in its name; rule 2 compares it with the folder.
        self.inst_code, self.period = SENDER, name.period
        self.inst_at = self.period_at = (None, None, None)
        read = read_csv_table(path, file_ref, COLUMNS[name.kind], UTF8)
        self._table, self._rows = read.table, read.row_numbers

    def _time(self, column: str, checks: list[Check], required: bool) -> pa.Array:
        text = self._col(column)
        times = _parse_times(text)
        empty = pc.equal(pc.utf8_length(text), 0)
        bad = pc.and_(pc.is_null(times), pc.invert(empty)) if not required else pc.is_null(times)
        checks.append(Check(column, bad, 1, lambda v: f"{column} {v} 不是有效时间（YYYY-MM-DD HH:MM:SS）"))
        return times

    def _wan(self, column: str, checks: list[Check], required: bool) -> pa.Array:
        """An amount in 万元 as 元 DECIMAL(20,2); empty is NULL where the column is optional."""
        text = self._col(column)
        empty = pc.equal(pc.utf8_length(text), 0)
        form = pc.match_substring_regex(text, _WAN_FORM)
        usable = pc.if_else(form, pc.replace_substring(text, ",", ""), "0")
        wan = pc.cast(usable, _WAN)
        bad_form = pc.invert(form) if required else pc.and_(pc.invert(form), pc.invert(empty))
        checks.append(Check(column, bad_form, 5, lambda v: f"{column} {v} 不是金额（万元，最多六位小数）"))
        checks.append(Check(column, pc.less(wan, pa.scalar(0, _WAN)), 5, lambda v: f"{column} {v} 为负数"))
        yuan = pc.cast(pc.multiply(pc.abs(wan), pa.scalar(10000, pa.decimal128(5, 0))), MONEY)
        return yuan if required else pc.if_else(empty, pa.scalar(None, MONEY), yuan)

    def _pair(self, amount: str, time: str, checks: list[Check]) -> None:
        """An amount and its time come together: one without the other leaves the figure undefined."""
        has_amount = pc.greater(pc.utf8_length(self._col(amount)), 0)
        has_time = pc.greater(pc.utf8_length(self._col(time)), 0)
        checks.append(
            Check(
                amount,
                pc.not_equal(has_amount, has_time),
                1,
                lambda v: f"{amount} {v} 与 {time} 应同时填写或同时为空",
            )
        )

    def body(self) -> pa.Table:
        """The lake rows (lineage except row_number left to the writer); raise FileRejected (rules 1, 5)."""
        if self._table.num_rows == 0:
            # The snapshot holds every record since the platform opened: an empty one is a failed
            # export, and taking it would zero the month's platform figures.
            raise FileRejected(1, "快照只有表头、没有数据行（快照应含平台开通以来的全部记录）", self._file)
        checks: list[Check] = []
        build = {ENTERPRISES: self._enterprises, PRODUCTS: self._products, REQUESTS: self._requests}[
            self.kind
        ](checks)
        self.raise_first(checks, COLUMNS[self.kind])
        rows = {"period": pa.repeat(pa.scalar(self.period), self._table.num_rows), **build()}
        rows["row_number"] = pa.array(self._rows, pa.int32())
        schema = LAKE_TABLES[self.kind][1]
        names = [f.name for f in schema if f.name in rows]
        self._table = self._table.drop_columns([c for c in PII_COLUMNS if c in self._table.column_names])
        return pa.table({k: rows[k] for k in names}, schema=pa.schema([schema.field(k) for k in names]))

    def _enterprises(self, checks: list[Check]) -> Callable[[], dict[str, pa.Array]]:
        self._required(ENTERPRISE_ID, checks)
        self._unique(ENTERPRISE_ID, checks, "企业")
        self._required(USCC, checks)
        self._required(ENTERPRISE_NAME, checks)
        county = self._col(COUNTY)
        regions = pa.array(sorted(c for c in self._reference.region_names if c != self._reference.city_code))
        checks.append(
            Check(
                COUNTY,
                pc.invert(pc.is_in(county, value_set=regions)),
                1,
                lambda v: f"县区代码 {v} 不是本市的县区代码",
            )
        )
        size = self._enum(SIZE, SIZES, checks)
        registered = self._time(REGISTERED_AT, checks, required=True)
        status = self._enum(STATUS, ENTERPRISE_STATUSES, checks)

        def build() -> dict[str, pa.Array]:
            n = self._table.num_rows
            uscc_key, uscc_ok = borrower_keys(
                self._key, pa.repeat(pa.scalar("统一社会信用代码"), n), self._col(USCC)
            )
            return {
                "enterprise_id": self._col(ENTERPRISE_ID),
                "uscc_key": uscc_key,
                "uscc_check_ok": uscc_ok,
                "name_key": name_keys(self._key, self._col(ENTERPRISE_NAME)),
                "county_code": county,
                "industry_code": self._col(INDUSTRY),
                "size_class": pc.take(pa.array(SIZES), size),
                "registered_at": registered,
                "status": pc.take(pa.array(ENTERPRISE_STATUSES), status),
            }

        return build

    def _products(self, checks: list[Check]) -> Callable[[], dict[str, pa.Array]]:
        self._required(PRODUCT_ID, checks)
        self._unique(PRODUCT_ID, checks, "产品")
        self._required(PRODUCT_NAME, checks)
        # Whether the code is in the register is rule 19, checked in the gate with the 产品ID named.
        self._required(INST, checks)
        limit = self._wan(LIMIT, checks, required=False)
        listed = self._time(LISTED_AT, checks, required=True)
        delisted = self._time(DELISTED_AT, checks, required=False)
        status = self._enum(STATUS, PRODUCT_STATUSES, checks)

        def build() -> dict[str, pa.Array]:
            return {
                "product_id": self._col(PRODUCT_ID),
                "product_name": self._col(PRODUCT_NAME),
                "inst_code": pc.utf8_upper(self._col(INST)),
                "guarantee_type": self._col(GUARANTEE),
                "limit_yuan": limit,
                "listed_at": listed,
                "delisted_at": delisted,
                "status": pc.take(pa.array(PRODUCT_STATUSES), status),
            }

        return build

    def _requests(self, checks: list[Check]) -> Callable[[], dict[str, pa.Array]]:
        self._required(REQUEST_ID, checks)
        self._unique(REQUEST_ID, checks, "融资需求")
        self._required(ENTERPRISE_ID, checks)
        self._required(PRODUCT_ID, checks)
        self._required(INST, checks)
        applied = self._wan(APPLIED, checks, required=True)
        applied_at = self._time(APPLIED_AT, checks, required=True)
        status = self._enum(STATUS, REQUEST_STATUSES, checks)
        granted = self._wan(GRANTED, checks, required=False)
        granted_at = self._time(GRANTED_AT, checks, required=False)
        disbursed = self._wan(DISBURSED, checks, required=False)
        disbursed_at = self._time(DISBURSED_AT, checks, required=False)
        self._pair(GRANTED, GRANTED_AT, checks)
        self._pair(DISBURSED, DISBURSED_AT, checks)

        def build() -> dict[str, pa.Array]:
            return {
                "request_id": self._col(REQUEST_ID),
                "enterprise_id": self._col(ENTERPRISE_ID),
                "product_id": self._col(PRODUCT_ID),
                "inst_code": pc.utf8_upper(self._col(INST)),
                "applied_yuan": applied,
                "applied_at": applied_at,
                "status": pc.take(pa.array(REQUEST_STATUSES), status),
                "granted_yuan": granted,
                "granted_at": granted_at,
                "disbursed_yuan": disbursed,
                "disbursed_at": disbursed_at,
            }

        return build


def _open(landed: LandedFile, context: ReadContext) -> PlatformFile:
    assert context.key is not None
    return PlatformFile(landed.path, landed.file_path, context.reference, context.key)


SOURCE = Source(
    name="platform",
    title="普惠金融共享平台快照 inclusive-finance platform snapshots",
    suffixes=(".csv",),
    tables=tuple(LakeTable(name, schema, kind) for kind, (name, schema) in LAKE_TABLES.items()),
    open=_open,
    read_body=PlatformFile.body,
    name_pattern=_FILE_NAME,
    senders=Senders.OUTSIDE,
    personal_data=True,
)
# 入驻企业, 金融产品 or 融资需求 (the three files of one month's snapshot), else ''.
kind_of = SOURCE.kind_of
