"""Source platform: the three snapshot files, file rules 1-5 with their messages, lake contract, PII."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from ingestion.platform import (
    ENTERPRISES,
    ENTERPRISES_SCHEMA,
    PRODUCTS,
    PRODUCTS_SCHEMA,
    REQUESTS,
    REQUESTS_SCHEMA,
    kind_of,
)
from ingestion.run import ingest_landing
from tests.ingestion.builders import make_settings
from tests.ingestion.platform_builders import (
    MONTH,
    OWNER_NAME,
    USCC,
    enterprise_row,
    product_row,
    request_row,
    snapshot_name,
    write_snapshot,
    write_snapshot_file,
)


def ingest(settings, month=MONTH):
    return ingest_landing(settings, up_to_period=month, source="platform")


def rows_of(settings, table):
    files = sorted((settings.lake / table).glob("period=*/*.parquet"))
    return [row for f in files for row in pq.read_table(f).to_pylist()]


def only(report):
    assert len(report.outcomes) == 1
    return report.outcomes[0]


def test_schema_files_exist_before_any_file(tmp_path):
    settings = make_settings(tmp_path)
    assert ingest(settings).outcomes == []
    for table, schema in (
        ("platform_enterprises", ENTERPRISES_SCHEMA),
        ("platform_products", PRODUCTS_SCHEMA),
        ("platform_requests", REQUESTS_SCHEMA),
    ):
        written = pq.read_table(settings.lake / table / "_schema.parquet")
        assert written.num_rows == 0 and written.schema == schema


def test_a_snapshot_lands_in_three_tables_in_yuan_with_lineage(tmp_path):
    settings = make_settings(tmp_path)
    write_snapshot(settings)
    report = ingest(settings)
    assert [(o.status, o.inst_code, o.period, o.row_count) for o in report.outcomes] == [
        ("accepted", "PLATFORM", MONTH, 1)
    ] * 3
    (request,) = rows_of(settings, "platform_requests")
    assert request["applied_yuan"] == Decimal("1000000.00")
    assert request["granted_yuan"] == Decimal("805000.00")
    # 80.123456 万元 is 801,234.56 元: six decimals of 万元 are whole 分, kept exactly.
    assert request["disbursed_yuan"] == Decimal("801234.56")
    assert request["granted_at"] == dt.datetime(2022, 5, 3, 10, 0, 0)
    assert request["source_file"] == f"platform/{MONTH}/融资需求_202205.csv"
    assert request["row_number"] == 2 and request["revision"] == 1
    (product,) = rows_of(settings, "platform_products")
    assert product["limit_yuan"] == Decimal("10000000.00") and product["delisted_at"] is None
    (enterprise,) = rows_of(settings, "platform_enterprises")
    assert enterprise["uscc_check_ok"] is True
    assert len(enterprise["uscc_key"]) == 64 and len(enterprise["name_key"]) == 64


def test_enterprise_name_and_code_never_reach_the_lake(tmp_path):
    settings = make_settings(tmp_path)
    write_snapshot(settings)
    ingest(settings)
    for path in settings.lake.rglob("*.parquet"):
        raw = path.read_bytes()
        assert USCC.encode() not in raw and OWNER_NAME.encode() not in raw, path


def test_a_file_without_bom_is_read_too(tmp_path):
    settings = make_settings(tmp_path)
    write_snapshot_file(settings, PRODUCTS, [product_row()], bom=False)
    assert only(ingest(settings)).status == "accepted"


def test_a_failing_check_digit_is_kept_as_a_verdict_not_a_rejection(tmp_path):
    settings = make_settings(tmp_path)
    bad = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    write_snapshot_file(settings, ENTERPRISES, [enterprise_row(统一社会信用代码=bad)])
    assert only(ingest(settings)).status == "accepted"
    assert rows_of(settings, "platform_enterprises")[0]["uscc_check_ok"] is False


@pytest.mark.parametrize(
    ("kind", "row", "rule", "message"),
    [
        (
            REQUESTS,
            request_row(状态="已完成"),
            1,
            '行, 列 状态: 状态 "已完成" 不是 待受理、已受理、已授信、已放款、已拒绝、已撤回 之一',
        ),
        (
            REQUESTS,
            request_row(申请时间="2022/05/01 09:00"),
            1,
            '申请时间 "2022/05/01 09:00" 不是有效时间（YYYY-MM-DD HH:MM:SS）',
        ),
        (
            REQUESTS,
            request_row(授信时间="2022-02-30 10:00:00"),
            1,
            '授信时间 "2022-02-30 10:00:00" 不是有效时间',
        ),
        # Found by `make fuzz`: year 0 was accepted, and no Python reader of the lake can hold it.
        (
            PRODUCTS,
            product_row(上架时间="0000-01-01 00:00:00"),
            1,
            '上架时间 "0000-01-01 00:00:00" 不是有效时间',
        ),
        (REQUESTS, request_row(**{"申请金额(万元)": "-5"}), 5, '申请金额(万元) "-5" 为负数'),
        (
            REQUESTS,
            request_row(**{"放款金额(万元)": "1e308"}),
            5,
            '放款金额(万元) "1e308" 不是金额（万元，最多六位小数）',
        ),
        (REQUESTS, request_row(**{"放款金额(万元)": "NaN"}), 5, '放款金额(万元) "NaN" 不是金额'),
        (REQUESTS, request_row(授信时间=""), 1, '授信金额(万元) "80.5" 与 授信时间 应同时填写或同时为空'),
        (REQUESTS, request_row(企业ID=""), 1, "企业ID 为空"),
        (PRODUCTS, product_row(状态="在售"), 1, '状态 "在售" 不是 上架、下架 之一'),
        (PRODUCTS, product_row(**{"额度上限(万元)": "1,00"}), 5, '额度上限(万元) "1,00" 不是金额'),
        (ENTERPRISES, enterprise_row(县区代码="410600"), 1, '县区代码 "410600" 不是本市的县区代码'),
        (
            ENTERPRISES,
            enterprise_row(企业规模="超大型"),
            1,
            '企业规模 "超大型" 不是 大型、中型、小型、微型 之一',
        ),
        (ENTERPRISES, enterprise_row(统一社会信用代码=""), 1, "统一社会信用代码 为空"),
    ],
)
def test_a_bad_cell_rejects_the_file_naming_row_and_column(tmp_path, kind, row, rule, message):
    settings = make_settings(tmp_path)
    good = {REQUESTS: request_row, PRODUCTS: product_row, ENTERPRISES: enterprise_row}[kind]
    # The bad row is the third line: the message must point at it, not at the good row before it.
    second = {REQUESTS: "需求ID", PRODUCTS: "产品ID", ENTERPRISES: "企业ID"}[kind]
    write_snapshot_file(settings, kind, [good(**{second: "FIRST"}), row])
    outcome = only(ingest(settings))
    assert (outcome.status, outcome.rule) == ("rejected", rule), outcome.reason
    assert f"文件 platform/{MONTH}/{snapshot_name(kind)}, 第 3 行" in outcome.reason
    assert message.split(": ")[-1] in outcome.reason
    assert rows_of(settings, {REQUESTS: "platform_requests", PRODUCTS: "platform_products",
                              ENTERPRISES: "platform_enterprises"}[kind]) == []  # fmt: skip


def test_personal_data_is_not_quoted_in_a_rejection(tmp_path):
    settings = make_settings(tmp_path)
    write_snapshot_file(settings, ENTERPRISES, [enterprise_row(), enterprise_row(企业规模="巨型")])
    outcome = only(ingest(settings))
    assert outcome.status == "rejected" and "第 3 行" in outcome.reason
    assert USCC not in outcome.reason and OWNER_NAME not in outcome.reason


@pytest.mark.parametrize(
    ("kind", "key"), [(REQUESTS, "需求ID"), (PRODUCTS, "产品ID"), (ENTERPRISES, "企业ID")]
)
def test_a_repeated_record_key_rejects_the_snapshot_file(tmp_path, kind, key):
    settings = make_settings(tmp_path)
    good = {REQUESTS: request_row, PRODUCTS: product_row, ENTERPRISES: enterprise_row}[kind]
    write_snapshot_file(settings, kind, [good(), good(**{key: "OTHER"}), good()])
    outcome = only(ingest(settings))
    assert outcome.rule == 1
    assert f"第 4 行, 列 {key}" in outcome.reason and "重复出现" in outcome.reason


def test_a_missing_column_is_rule_1(tmp_path):
    settings = make_settings(tmp_path)
    path = write_snapshot_file(settings, REQUESTS, [request_row()])
    text = path.read_bytes().decode("utf-8-sig").replace("放款时间", "放款日期")
    path.write_bytes(text.encode("utf-8-sig"))
    outcome = only(ingest(settings))
    assert outcome.rule == 1 and "缺少列 放款时间" in outcome.reason and "第 1 行" in outcome.reason


def test_a_gb18030_file_is_named_as_the_wrong_encoding(tmp_path):
    settings = make_settings(tmp_path)
    write_snapshot_file(settings, ENTERPRISES, [enterprise_row()], bom=False, encoding="gb18030")
    outcome = only(ingest(settings))
    assert outcome.rule == 1 and "文件编码应为 UTF-8，实际为 GB18030" in outcome.reason


@pytest.mark.parametrize("name", ["企业名单_202205.csv", "入驻企业_2022-05.csv", "入驻企业_202205.xlsx"])
def test_a_file_name_outside_the_contract_is_rule_1(tmp_path, name):
    settings = make_settings(tmp_path)
    write_snapshot_file(settings, ENTERPRISES, [enterprise_row()], name=name)
    outcome = only(ingest(settings))
    assert outcome.status == "rejected" and outcome.rule == 1 and outcome.inst_code is None


def test_the_month_in_the_name_must_match_the_folder(tmp_path):
    settings = make_settings(tmp_path)
    write_snapshot_file(settings, REQUESTS, [request_row()], name=snapshot_name(REQUESTS, "2022-04"))
    outcome = only(ingest(settings))
    assert outcome.rule == 2 and "文件内报表期 2022-04 与落地目录月份 2022-05 不一致" in outcome.reason


def test_a_second_snapshot_needs_a_resubmission_marker_and_becomes_revision_2(tmp_path):
    settings = make_settings(tmp_path)
    write_snapshot(settings)
    ingest(settings)
    changed = [request_row(**{"状态": "已授信", "放款金额(万元)": "", "放款时间": ""})]
    write_snapshot_file(settings, REQUESTS, changed, name="融资需求_202205_重发.csv")
    refused = only(ingest(settings))
    assert (
        refused.rule == 4 and "平台 2022-05 已有报表 platform/2022-05/融资需求_202205.csv" in refused.reason
    )
    write_snapshot_file(settings, REQUESTS, changed, name="融资需求_202205_v2.csv")
    revised = only(ingest(settings))
    assert (revised.status, revised.revision) == ("accepted", 2)
    assert "取代 platform/2022-05/融资需求_202205.csv" in revised.reason
    # Both revisions stay in the lake; the warehouse reads the latest of each kind.
    assert sorted(r["revision"] for r in rows_of(settings, "platform_requests")) == [1, 2]


def test_an_identical_snapshot_file_is_ingested_once(tmp_path):
    settings = make_settings(tmp_path)
    (path, *_) = write_snapshot(settings)
    ingest(settings)
    (settings.landing / "platform" / MONTH / "入驻企业_202205_副本.csv").write_bytes(path.read_bytes())
    outcome = only(ingest(settings))
    # Rule 4's identical file: ingested once, information that needs no acknowledgement.
    assert (outcome.status, outcome.rule, outcome.severity) == ("unchanged", 4, "info")
    assert "与当前版本内容相同，无需处理" in outcome.reason


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("platform/2022-05/入驻企业_202205.csv", ENTERPRISES),
        ("platform/2022-05/金融产品_202205_v2.csv", PRODUCTS),
        ("platform/2022-05/融资需求_202205更正.csv", REQUESTS),
        ("platform/2022-05/readme.txt", ""),
    ],
)
def test_kind_of(path, kind):
    assert kind_of(path) == kind
