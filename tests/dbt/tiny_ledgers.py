"""A tiny ledger lake: 2021-12 (listing only), 2022-03 (clean), 2022-04 (no 监管文书台账), 2022-05 (defects).

The three lake tables follow the ingestion contract of issue 19 (sheet columns as a sparse union,
money in 元, dates as DATE). Each month's rows are a full snapshot: records dated after the end of
the month are in it and must not count. 2022-05 plants one defect per check of rules 30-32; the
earlier months pass every rule. EXPECTED holds the figures computed by hand from the rows below.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.ledger_tables import DOCUMENTS_SCHEMA, LISTING_SCHEMA, MATCHMAKING_SCHEMA
from tests.dbt.tiny_lake import B1, B2, B3

UNKNOWN_BANK = "UNKNOWN0000009"  # rule 30: a 签约 row of an institution outside the register

# The lake's own declaration: the tiny lake is written with the schemas ingestion writes.
SCHEMAS = {
    "ledger_matchmaking": MATCHMAKING_SCHEMA,
    "ledger_listing": LISTING_SCHEMA,
    "ledger_documents": DOCUMENTS_SCHEMA,
}
LEDGER_OF = {
    "ledger_matchmaking": "银企对接台账",
    "ledger_listing": "上市后备企业台账",
    "ledger_documents": "监管文书台账",
}


def d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def wan(text: str | None) -> Decimal | None:
    return Decimal(text) * 10000 if text is not None else None


def key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# ---- 银企对接台账 -------------------------------------------------------------------------------
# 对接活动: (活动编号, 活动日期)
_ACTIVITIES_MARCH = [("A0", "2021-11-10"), ("A1", "2022-01-15"), ("A2", "2022-02-20"), ("A3", "2022-03-28")]
_ACTIVITIES_APRIL = [*_ACTIVITIES_MARCH, ("A4", "2022-04-12"), ("A5", "2022-04-20")]
DELETED_ACTIVITY = "A5"  # rule 31: in April's ledger, deleted from May's (M01 falls from 5 to 4)
ACTIVITIES = {
    "2022-03": _ACTIVITIES_MARCH,
    "2022-04": _ACTIVITIES_APRIL,
    # A7 is dated after the end of May (in the export, not counted); A4 repeated (rule 30).
    "2022-05": [a for a in _ACTIVITIES_APRIL if a[0] != DELETED_ACTIVITY]
    + [("A7", "2022-06-02"), ("A4", "2022-04-13")],
}
# 走访企业: (走访编号, 走访日期, enterprise, 已解决问题数)
_VISITS_MARCH = [("V0", "2021-12-20", "U3", 1), ("V1", "2022-01-10", "U1", 2), ("V2", "2022-02-11", "U2", 1),
                 ("V3", "2022-03-05", "U1", 2)]  # fmt: skip
_VISITS_APRIL = [*_VISITS_MARCH, ("V4", "2022-04-08", "U3", 1)]
VISITS = {"2022-03": _VISITS_MARCH, "2022-04": _VISITS_APRIL, "2022-05": _VISITS_APRIL}
# 推介项目: (项目编号, 批次, 推介日期, 融资需求 万元)
_PROJECTS_MARCH = [("P0", "2021-4", "2021-10-01", "300"), ("P1", "1", "2022-01-20", "1000"),
                   ("P2", "1", "2022-01-20", "500"), ("P3", "第二批", "2022-03-10", "2000")]  # fmt: skip
_PROJECTS_APRIL = [*_PROJECTS_MARCH, ("P4", "第二批", "2022-04-15", "100")]
PROJECTS = {
    "2022-03": _PROJECTS_MARCH,
    "2022-04": _PROJECTS_APRIL,
    "2022-05": [*_PROJECTS_APRIL, ("P5", "3", "2022-05-10", "100")],
}
# 授信跟踪: (项目编号, 机构代码, 授信 万元, 授信日期, 放款 万元, 放款日期)
_CREDIT_MARCH = [
    ("P0", B1, "200", "2021-11-01", "200", "2021-11-20"),  # a project of last year: not counted
    ("P1", B1, "800", "2022-02-01", "500", "2022-02-15"),
    ("P2", B2, "400", "2022-03-20", None, None),  # disbursed later: empty until May's ledger
    ("P3", B1, "1000", "2022-04-02", None, None),  # granted after the end of March
]
CREDIT = {
    "2022-03": _CREDIT_MARCH,
    "2022-04": _CREDIT_MARCH,
    "2022-05": [
        *[c if c[0] != "P2" else ("P2", B2, "400", "2022-03-20", "300", "2022-05-06") for c in _CREDIT_MARCH],
        ("P4", B3, "50", "2022-05-05", "80", "2022-05-20"),  # rule 30: 放款 80 万元 > 授信 50 万元
        ("P5", B1, "100", "2022-05-28", "100", "2022-06-01"),  # disbursed after the end of May
        ("P9", B1, "10", "2022-05-01", None, None),  # rule 30: P9 is no 推介项目
        ("P1", B1, "900", "2022-02-01", "600", "2022-02-15"),  # rule 30: (P1, B1) repeated; first row kept
    ],
}
# 签约: (活动编号, 项目编号, 机构代码, 意向 万元, 是否签约, 签约 万元, 签约日期)
_SIGNINGS_MARCH = [
    ("A0", "P0", B1, "300", True, "200", "2021-11-15"),  # an activity of last year: not counted
    ("A1", "P1", B1, "900", True, "800", "2022-01-25"),
    ("A1", "P2", B2, "500", True, "400", "2022-04-01"),  # signed after the end of March
    ("A2", "P3", B1, "1500", False, None, None),
]
SIGNINGS = {
    "2022-03": _SIGNINGS_MARCH,
    "2022-04": _SIGNINGS_MARCH,
    "2022-05": [
        *_SIGNINGS_MARCH,
        ("A9", "P4", B3, "30", False, None, None),  # rule 30: A9 is no 对接活动
        ("A4", "P4", UNKNOWN_BANK, "20", False, None, None),  # rule 30: 机构代码 not in the register
        ("A4", "P5", B1, "60", True, "50", None),  # rule 30: 是 without 签约日期
        ("A3", "P4", B2, "10", False, "10", None),  # rule 30: 否 with 签约金额
    ],
}

# ---- 上市后备企业台账 ----------------------------------------------------------------------------
# 后备企业: (企业编号, 重点, 入库日期, 出库日期, 阶段, 阶段日期)
_E1 = ("E1", True, "2020-05-01", None)
_E2 = ("E2", False, "2021-03-01", None)
_E3 = ("E3", True, "2022-01-05", None)
_E4 = ("E4", True, "2021-01-01", "2022-02-28")  # leaves the pipeline properly
_E5 = ("E5", True, "2022-04-03", None)  # entered after the end of March (in March's export)
_E6 = ("E6", True, "2022-03-15", None)
GONE_KEY_ENTERPRISE = "E6"  # rule 32: a 重点 enterprise gone from May's ledger without 出库日期
STAGE_BACK = "E2"  # rule 32: 股改完成 in April, 培育 in May
PIPELINE = {
    "2021-12": [(*_E1, "培育", "2020-05-01"), (*_E2, "股改完成", "2021-09-01")],
    "2022-03": [(*_E1, "股改完成", "2022-02-10"), (*_E2, "股改完成", "2021-09-01"),
                (*_E3, "辅导备案", "2022-03-01"), (*_E4, "培育", "2021-01-01"), (*_E5, "培育", "2022-04-03")],
    "2022-04": [(*_E1, "辅导备案", "2022-04-15"), (*_E2, "股改完成", "2021-09-01"), (*_E3, "已申报", "2022-04-20"),
                (*_E4, "培育", "2021-01-01"), (*_E5, "培育", "2022-04-03"), (*_E6, "培育", "2022-03-15")],
    # E4 (with its 出库日期) and E6 (without) are gone; E5 repeated (rule 30); E7 new.
    "2022-05": [(*_E1, "辅导备案", "2022-04-15"), (*_E2, "培育", "2022-05-10"), (*_E3, "已申报", "2022-04-20"),
                (*_E5, "培育", "2022-04-03"), ("E7", True, "2022-05-06", None, "培育", "2022-05-06"),
                ("E5", False, "2022-04-03", None, "已上市", "2022-05-01")],
}  # fmt: skip
# 服务记录: (日期, 企业编号, 类型, 户次, 解决问题数)
_SERVICES_2021 = [("2021-11-05", "E1", "培训", 3, 0), ("2021-12-10", "E2", "走访", 1, 1)]
_SERVICES_MARCH = [*_SERVICES_2021, ("2022-01-10", "E1", "培训", 5, 0), ("2022-02-15", "E3", "走访", 2, 1),
                   ("2022-03-20", "E2", "协调解决问题", 1, 2)]  # fmt: skip
_SERVICES_APRIL = [*_SERVICES_MARCH, ("2022-04-10", "E5", "培训", 4, 1), ("2022-05-03", "E1", "走访", 1, 0)]
SERVICES = {
    "2021-12": _SERVICES_2021,
    "2022-03": _SERVICES_MARCH,
    "2022-04": _SERVICES_APRIL,
    "2022-05": [*_SERVICES_APRIL, ("2022-05-20", "E9", "培训", 2, 0)],  # rule 30: E9 is no 后备企业
}

# ---- 监管文书台账 (none for 2022-04) --------------------------------------------------------------
# 文书: (文号, 下发日期, 文书类型)
_DOCUMENTS_MARCH = [("D0", "2021-12-01", "整改通知书"), ("D1", "2022-01-05", "整改通知书"),
                    ("D2", "2022-02-10", "风险提示函"), ("D3", "2022-03-01", "其他")]  # fmt: skip
DOCUMENTS = {
    "2022-03": _DOCUMENTS_MARCH,
    "2022-05": [*_DOCUMENTS_MARCH, ("D4", "2022-05-10", "风险提示函"), ("D5", "2022-06-01", "整改通知书"),
                ("D4", "2022-05-11", "整改通知书")],  # D5 after the end of May; D4 repeated (rule 30)
}  # fmt: skip

# Hand-computed (indicators.md; amounts in 亿元): a workbook missing for a month has no figures.
_M_MARCH = {"M01": 3, "M02": 2, "M03": 5, "M04": 2, "M05": "0.35", "M06": "0.12", "M07": "0.05", "M08": "0.29",
            "M09": 2, "M10": 3, "M11": "0.08", "M12": 1, "M13": "62.5"}  # fmt: skip
EXPECTED = {
    "2021-12": {"S01": 1, "S02": 2, "S03": 0, "S04": 3, "S05": 1, "S06": 1},
    "2022-03": {**_M_MARCH, "S01": 2, "S02": 3, "S03": 1, "S04": 5, "S05": 2, "S06": 3, "G01": 2},
    "2022-04": {"M01": 5, "M02": 3, "M03": 6, "M04": 2, "M05": "0.36", "M06": "0.22", "M07": "0.05", "M08": "0.29",
                "M09": 2, "M10": 3, "M11": "0.12", "M12": 2, "M13": "41.6666666666",
                "S01": 4, "S02": 5, "S03": 2, "S04": 9, "S05": 2, "S06": 4},
    "2022-05": {"M01": 4, "M02": 3, "M03": 6, "M04": 3, "M05": "0.37", "M06": "0.235", "M07": "0.088",
                "M08": "0.299", "M09": 3, "M10": 5, "M11": "0.12", "M12": 2, "M13": "66.6666666666",
                "S01": 4, "S02": 5, "S03": 2, "S04": 11, "S05": 3, "S06": 4, "G01": 3},
}  # fmt: skip
# The months each workbook was delivered for.
DELIVERED = {
    "ledger_matchmaking": ("2022-03", "2022-04", "2022-05"),
    "ledger_listing": ("2021-12", "2022-03", "2022-04", "2022-05"),
    "ledger_documents": ("2022-03", "2022-05"),
}


def _sheet_rows(table: str, period: str) -> list[tuple[str, dict]]:
    """(sheet, columns) of one workbook's records in Excel order, sheet by sheet."""
    if table == "ledger_matchmaking":
        return [
            *[("对接活动", {"activity_id": a, "activity_date": d(on), "activity_name": f"对接活动{a}",
                         "activity_form": "线下", "activity_category": "融资对接会", "inst_count": 5,
                         "enterprise_count": 20}) for a, on in ACTIVITIES[period]],
            *[("走访企业", {"visit_id": v, "visit_date": d(on), "uscc_key": key(f"uscc{u}"), "uscc_check_ok": True,
                         "name_key": key(f"name{u}"), "county_code": "410611", "problems_reported": solved + 1,
                         "problems_solved": solved}) for v, on, u, solved in VISITS[period]],
            *[("推介项目", {"project_id": p, "batch": batch, "recommended_date": d(on), "project_name": f"项目{p}",
                         "uscc_key": key(f"uscc{p}"), "uscc_check_ok": True, "county_code": "410621",
                         "demand_yuan": wan(demand), "project_category": "制造业"})
              for p, batch, on, demand in PROJECTS[period]],
            *[("授信跟踪", {"project_id": p, "inst_code_ref": inst, "credit_yuan": wan(credit), "credit_date": d(c_on),
                         "disbursed_yuan": wan(paid), "disbursed_date": d(p_on)})
              for p, inst, credit, c_on, paid, p_on in CREDIT[period]],
            *[("签约", {"activity_id": a, "project_id": p, "inst_code_ref": inst, "intent_yuan": wan(intent),
                      "signed": signed, "signed_yuan": wan(amount), "signed_date": d(on)})
              for a, p, inst, intent, signed, amount, on in SIGNINGS[period]],
        ]  # fmt: skip
    if table == "ledger_listing":
        return [
            *[("后备企业", {"enterprise_id": e, "name_key": key(f"name{e}"), "uscc_key": key(f"uscc{e}"),
                         "uscc_check_ok": True, "county_code": "410611", "is_key": is_key, "entered_date": d(entered),
                         "exited_date": d(exited), "stage": stage, "stage_date": d(on), "target_board": "深交所主板"})
              for e, is_key, entered, exited, stage, on in PIPELINE[period]],
            *[("服务记录", {"service_date": d(on), "enterprise_id": e, "service_type": kind, "attendances": n,
                         "problems_solved": solved}) for on, e, kind, n, solved in SERVICES[period]],
        ]  # fmt: skip
    return [
        (
            "文书",
            {
                "doc_no": no,
                "issued_date": d(on),
                "target_name": f"某小额贷款公司{no}",
                "target_type": "小额贷款公司",
                "doc_type": kind,
            },
        )
        for no, on, kind in DOCUMENTS[period]
    ]


def table_rows(table: str, period: str) -> list[dict]:
    """The lake rows of one month's workbook: every column present, NULL outside the row's sheet."""
    schema = SCHEMAS[table]
    source_file = f"ledgers/{period}/{LEDGER_OF[table]}_{period.replace('-', '')}.xlsx"
    rows, excel_row = [], {}
    for sheet, values in _sheet_rows(table, period):
        excel_row[sheet] = excel_row.get(sheet, 1) + 1  # row 1 is the header
        row = dict.fromkeys(schema.names)
        row.update(period=period, inst_code="BUREAU", sheet=sheet, **values)
        row.update(source_file=source_file, row_number=excel_row[sheet],
                   file_sha256=hashlib.sha256(source_file.encode()).hexdigest(), revision=1,
                   ingested_at=datetime(2022, 6, 3, 8, 0, 0))  # fmt: skip
        rows.append(row)
    return rows


def write_lake(home: Path) -> None:
    """One Parquet file per workbook and month delivered, plus each table's zero-row schema file."""
    for table, schema in SCHEMAS.items():
        folder = home / "lake" / table
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(schema.empty_table(), folder / "_schema.parquet")
        for period in DELIVERED[table]:
            target = folder / f"period={period}" / "BUREAU__tiny.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist(table_rows(table, period), schema=schema), target)
