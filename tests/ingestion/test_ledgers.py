"""Source ledgers: the three workbooks through the ingestion loop, every accepted variation, the lake contract, PII."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingestion.ledger_tables import (
    DOCUMENTS,
    DOCUMENTS_SCHEMA,
    LISTING,
    LISTING_SCHEMA,
    MATCHMAKING,
    MATCHMAKING_SCHEMA,
)
from ingestion.ledgers import SOURCE, kind_of
from ingestion.pseudonym import borrower_keys, load_key, name_keys
from ingestion.run import ingest_landing
from tests.ingestion.builders import BANK, make_settings
from tests.ingestion.ledger_builders import (
    ENTERPRISE_NAME,
    MONTH,
    PROJECT_NAME,
    USCC,
    sheets_of,
    write_ledger,
)

TABLES = {
    MATCHMAKING: ("ledger_matchmaking", MATCHMAKING_SCHEMA),
    LISTING: ("ledger_listing", LISTING_SCHEMA),
    DOCUMENTS: ("ledger_documents", DOCUMENTS_SCHEMA),
}


def ingest(settings, month=MONTH):
    return ingest_landing(settings, up_to_period=month, source="ledgers")


def rows_of(settings, kind, sheet=None):
    files = sorted((settings.lake / TABLES[kind][0]).glob("period=*/*.parquet"))
    rows = [row for f in files for row in pq.read_table(f).to_pylist()]
    return [row for row in rows if sheet is None or row["sheet"] == sheet]


def only(report):
    assert len(report.outcomes) == 1, report.outcomes
    return report.outcomes[0]


def accepted_rows(tmp_path, kind, sheets=None, sheet=None, **kw):
    """Ingest one workbook of the kind, insist it is accepted, return the lake rows (of one sheet)."""
    settings = make_settings(tmp_path)
    write_ledger(settings, kind, sheets, **kw)
    outcome = only(ingest(settings))
    assert outcome.status == "accepted", outcome.reason
    return rows_of(settings, kind, sheet)


def test_schema_files_exist_before_any_file(tmp_path):
    settings = make_settings(tmp_path)
    assert ingest(settings).outcomes == []
    for table, schema in TABLES.values():
        written = pq.read_table(settings.lake / table / "_schema.parquet")
        assert written.num_rows == 0 and written.schema == schema


def test_the_declaration_names_the_three_workbooks_as_kinds():
    assert SOURCE.kinds == (MATCHMAKING, LISTING, DOCUMENTS)
    assert kind_of("ledgers/2022-05/上市后备企业台账_202205_v2.xlsx") == LISTING
    assert SOURCE.table_for(DOCUMENTS).name == "ledger_documents"
    # Schemas start with period, inst_code, sheet and end with the lineage columns, as the contract says.
    for _, schema in TABLES.values():
        assert schema.names[:3] == ["period", "inst_code", "sheet"]
        assert schema.names[-5:] == ["source_file", "row_number", "file_sha256", "revision", "ingested_at"]


def test_three_workbooks_land_in_three_tables_with_types_and_lineage(tmp_path):
    settings = make_settings(tmp_path)
    for kind in TABLES:
        write_ledger(settings, kind)
    report = ingest(settings)
    assert sorted((o.status, o.inst_code, o.period, o.row_count) for o in report.outcomes) == [
        ("accepted", "BUREAU", MONTH, 1),
        ("accepted", "BUREAU", MONTH, 2),
        ("accepted", "BUREAU", MONTH, 5),
    ]
    lake = pq.read_table(
        next((settings.lake / "ledger_matchmaking" / f"period={MONTH}").glob("BUREAU__*.parquet"))
    )
    assert lake.schema == MATCHMAKING_SCHEMA
    by_sheet = {row["sheet"]: row for row in lake.to_pylist()}
    assert list(by_sheet) == ["对接活动", "走访企业", "推介项目", "授信跟踪", "签约"]
    activity = by_sheet["对接活动"]
    assert activity["activity_date"] == dt.date(2022, 5, 24) and activity["activity_form"] == "线下"
    assert activity["inst_count"] == 10 and activity["enterprise_count"] == 35
    # Only the row's own sheet's columns are filled.
    assert activity["visit_id"] is None and activity["project_id"] is None and activity["uscc_key"] is None
    project = by_sheet["推介项目"]
    # 12,345.678901 万元 (text with a separator, six decimals) is 123,456,789.01 元 exactly.
    assert project["demand_yuan"] == Decimal("123456789.01")
    assert project["batch"] == "1"  # a number cell 1 is kept as the text 1
    assert project["recommended_date"] == dt.date(2022, 5, 6) and project["project_name"] == PROJECT_NAME
    assert project["uscc_check_ok"] is True and project["name_key"] is None
    credit = by_sheet["授信跟踪"]
    assert credit["inst_code_ref"] == BANK  # typed in lower case
    assert credit["credit_yuan"] == Decimal("50000000.00") and credit["credit_date"] == dt.date(2022, 5, 20)
    assert credit["disbursed_yuan"] is None and credit["disbursed_date"] is None  # not disbursed yet
    signing = by_sheet["签约"]
    assert signing["signed"] is True and signing["intent_yuan"] == Decimal("77795000.00")
    assert signing["signed_date"] == dt.date(2022, 5, 24)  # a datetime cell at midnight
    assert signing["source_file"] == f"ledgers/{MONTH}/银企对接台账_202205.xlsx"
    assert signing["row_number"] == 2 and signing["revision"] == 1 and signing["inst_code"] == "BUREAU"
    enterprise, service = rows_of(settings, LISTING)
    assert enterprise["is_key"] is True and enterprise["stage"] == "辅导备案"
    assert enterprise["exited_date"] is None and enterprise["entered_date"] == dt.date(2021, 3, 1)
    assert (
        service["service_type"] == "培训" and service["attendances"] == 40 and service["problems_solved"] == 0
    )
    (document,) = rows_of(settings, DOCUMENTS)
    assert document["doc_type"] == "整改通知书" and document["issued_date"] == dt.date(2022, 5, 18)


def test_names_and_codes_become_the_platform_s_keys_and_never_reach_the_lake(tmp_path):
    settings = make_settings(tmp_path)
    for kind in TABLES:
        write_ledger(settings, kind)
    ingest(settings)
    for path in settings.lake.rglob("*.parquet"):
        raw = path.read_bytes()
        assert USCC.encode() not in raw and ENTERPRISE_NAME.encode() not in raw, path
    key = load_key(settings)
    uscc_key = borrower_keys(key, pa.array(["统一社会信用代码"]), pa.array([USCC]))[0][0].as_py()
    name_key = name_keys(key, pa.array([ENTERPRISE_NAME]))[0].as_py()
    visit = rows_of(settings, MATCHMAKING, "走访企业")[0]
    enterprise = rows_of(settings, LISTING, "后备企业")[0]
    for row in (visit, enterprise):
        assert (row["uscc_key"], row["name_key"]) == (uscc_key, name_key)
    # Project names are the officer's working data: kept in clear (never published, a later test's job).
    assert rows_of(settings, MATCHMAKING, "推介项目")[0]["project_name"] == PROJECT_NAME


def test_a_failing_check_digit_is_a_verdict_and_an_empty_code_no_key(tmp_path):
    sheets = sheets_of(MATCHMAKING)
    _header, rows = sheets["走访企业"]
    rows.append(
        ["ZF002", "2022-05-11", USCC[:-1] + ("0" if USCC[-1] != "0" else "1"), "另一企业", "410611", None, 0]
    )
    visits = accepted_rows(tmp_path / "visits", MATCHMAKING, sheets, sheet="走访企业")
    assert [v["uscc_check_ok"] for v in visits] == [True, False]
    assert visits[1]["problems_reported"] is None  # an empty count is NULL, not 0
    # A recommended project may name no enterprise (a visit may not: M02 counts its code).
    sheets = sheets_of(MATCHMAKING)
    sheets["推介项目"][1].append(["XM002", 1, "2022/5/7", "另一项目", None, "410611", 100, "其他"])
    projects = accepted_rows(tmp_path / "projects", MATCHMAKING, sheets, sheet="推介项目")
    assert [p["uscc_check_ok"] for p in projects] == [True, None]
    assert projects[1]["uscc_key"] is None


@pytest.mark.parametrize(("titles", "blank"), [(0, 0), (1, 0), (2, 1), (3, 2)])
def test_zero_to_three_title_rows_and_blank_rows_above_the_header(tmp_path, titles, blank):
    rows = accepted_rows(tmp_path, DOCUMENTS, titles=titles, blank_before_header=blank)
    assert [r["doc_no"] for r in rows] == ["鹤金监〔2022〕12号"]
    assert rows[0]["row_number"] == titles + blank + 2  # the Excel row of the record


def test_extra_columns_blank_rows_and_sheets_are_ignored(tmp_path):
    sheets = sheets_of(LISTING)
    header, rows = sheets["服务记录"]
    header.insert(2, "备注")
    header.append("经办人")
    rows[0][2:2] = ["已通知"]
    rows[0].append("张三")
    rows += [[], [None, None, "只有备注的行"], ["2022-05-20", "QY001", None, "走访", 2, 1, None]]
    sheets["填表说明"] = (["说明"], [["本表由上市办维护"]])
    services = accepted_rows(tmp_path, LISTING, sheets, sheet="服务记录")
    assert [(s["row_number"], s["service_type"], s["attendances"]) for s in services] == [
        (2, "培训", 40),
        (5, "走访", 2),
    ]


def test_columns_in_any_order_and_headers_as_officers_type_them(tmp_path):
    sheets = sheets_of(MATCHMAKING)
    header, rows = sheets["签约"]
    # Surrounding and inner spaces, full-width brackets, the spec's note after the name.
    spelled = {
        "意向金额(万元)": " 意向金额（万元） ",
        "是否签约": "是否签约（是/否）",
        "机构代码": "\u3000机构代码",
    }
    header[:] = [spelled.get(h, h) for h in header]
    order = list(reversed(range(len(header))))
    sheets["签约"] = ([header[i] for i in order], [[row[i] for i in order] for row in rows])
    header, rows = sheets["对接活动"]
    header[header.index("形式")] = "形式 (线上/线下)"
    (signing,) = accepted_rows(tmp_path, MATCHMAKING, sheets, sheet="签约")
    assert signing["intent_yuan"] == Decimal("77795000.00") and signing["inst_code_ref"] == BANK
    assert signing["signed"] is True and signing["row_number"] == 2


@pytest.mark.parametrize(
    "cell",
    [
        dt.date(2022, 5, 6),
        dt.datetime(2022, 5, 6, 0, 0),
        "2022-05-06",
        "2022-5-6",
        "2022/5/6",
        "2022/05/06",
        "2022年5月6日",
        " 2022年05月06日\u3000",
    ],
)
def test_the_four_date_forms(tmp_path, cell):
    sheets = sheets_of(DOCUMENTS)
    sheets["文书"][1][0][1] = cell
    (document,) = accepted_rows(tmp_path, DOCUMENTS, sheets)
    assert document["issued_date"] == dt.date(2022, 5, 6)


@pytest.mark.parametrize(
    ("cell", "yuan"),
    [
        (1234.5, Decimal("12345000.00")),
        ("1,234.5", Decimal("12345000.00")),
        (" 1234.500000 ", Decimal("12345000.00")),
        (0.000001, Decimal("0.01")),
        (0.1 + 0.2, Decimal("3000.00")),  # a formula's float: Excel's 15 digits are 0.3
        ("-", None),
        (None, None),
        (0, Decimal("0.00")),
    ],
)
def test_amounts_as_numbers_or_text_in_wan_become_yuan(tmp_path, cell, yuan):
    sheets = sheets_of(MATCHMAKING)
    sheets["授信跟踪"][1][0][4] = cell  # 放款金额(万元)
    sheets["授信跟踪"][1][0][5] = "2022-05-25"
    (credit,) = accepted_rows(tmp_path, MATCHMAKING, sheets, sheet="授信跟踪")
    assert credit["disbursed_yuan"] == yuan


@pytest.mark.parametrize(
    ("cell", "flag"),
    [("是", True), ("否", False), ("Y", True), ("N", False), ("y", True), (" n ", False), (None, None)],
)
def test_yes_no_in_both_spellings(tmp_path, cell, flag):
    sheets = sheets_of(LISTING)
    sheets["后备企业"][1][0][4] = cell
    (enterprise,) = accepted_rows(tmp_path, LISTING, sheets, sheet="后备企业")
    assert enterprise["is_key"] is flag


def test_codes_typed_as_numbers_are_kept_as_their_digits(tmp_path):
    sheets = sheets_of(MATCHMAKING)
    _header, rows = sheets["走访企业"]
    rows[0][0], rows[0][4] = 17, 410611.0
    (visit,) = accepted_rows(tmp_path, MATCHMAKING, sheets, sheet="走访企业")
    assert (visit["visit_id"], visit["county_code"]) == ("17", "410611")


def test_rows_dated_after_month_end_are_kept(tmp_path):
    """The export is taken days after month end: later records are the figures' to leave out."""
    sheets = sheets_of(MATCHMAKING)
    _header, rows = sheets["对接活动"]
    rows.append(["HD002", "2022-06-03", "6月对接会", "线上", "专题", 5, 12])
    activities = accepted_rows(tmp_path, MATCHMAKING, sheets, sheet="对接活动")
    assert [a["activity_date"] for a in activities] == [dt.date(2022, 5, 24), dt.date(2022, 6, 3)]
    assert {a["period"] for a in activities} == {MONTH}


def test_an_empty_sheet_is_accepted_with_no_rows(tmp_path):
    sheets = sheets_of(MATCHMAKING)
    sheets["签约"] = (sheets["签约"][0], [])
    rows = accepted_rows(tmp_path, MATCHMAKING, sheets)
    assert "签约" not in {r["sheet"] for r in rows} and len(rows) == 4
