"""The ledgers' lake tables: one per workbook, a sparse union of its sheets (docs/architecture.md)."""

from __future__ import annotations

import pyarrow as pa

from ingestion.lake import LINEAGE

MATCHMAKING, LISTING, DOCUMENTS = "银企对接台账", "上市后备企业台账", "监管文书台账"
KINDS = (MATCHMAKING, LISTING, DOCUMENTS)

MONEY = pa.decimal128(20, 2)
DATE = pa.date32()
COUNT = pa.int32()
TEXT = pa.string()
FLAG = pa.bool_()

# Every table starts so; `sheet` says which sheet a row came from, and only that sheet's columns
# are non-NULL in it.
_HEAD = [("period", TEXT), ("inst_code", TEXT), ("sheet", TEXT)]

MATCHMAKING_SCHEMA = pa.schema(
    [
        *_HEAD,
        ("activity_id", TEXT),
        ("activity_date", DATE),
        ("activity_name", TEXT),
        ("activity_form", TEXT),
        ("activity_category", TEXT),
        ("inst_count", COUNT),
        ("enterprise_count", COUNT),
        ("visit_id", TEXT),
        ("visit_date", DATE),
        ("uscc_key", TEXT),
        ("uscc_check_ok", FLAG),
        ("name_key", TEXT),
        ("county_code", TEXT),
        ("problems_reported", COUNT),
        ("problems_solved", COUNT),
        ("project_id", TEXT),
        ("batch", TEXT),
        ("recommended_date", DATE),
        ("project_name", TEXT),
        ("demand_yuan", MONEY),
        ("project_category", TEXT),
        ("inst_code_ref", TEXT),
        ("credit_yuan", MONEY),
        ("credit_date", DATE),
        ("disbursed_yuan", MONEY),
        ("disbursed_date", DATE),
        ("intent_yuan", MONEY),
        ("signed", FLAG),
        ("signed_yuan", MONEY),
        ("signed_date", DATE),
        *LINEAGE,
    ]
)
LISTING_SCHEMA = pa.schema(
    [
        *_HEAD,
        ("enterprise_id", TEXT),
        ("name_key", TEXT),
        ("uscc_key", TEXT),
        ("uscc_check_ok", FLAG),
        ("county_code", TEXT),
        ("is_key", FLAG),
        ("entered_date", DATE),
        ("exited_date", DATE),
        ("stage", TEXT),
        ("stage_date", DATE),
        ("target_board", TEXT),
        ("service_date", DATE),
        ("service_type", TEXT),
        ("attendances", COUNT),
        ("problems_solved", COUNT),
        *LINEAGE,
    ]
)
DOCUMENTS_SCHEMA = pa.schema(
    [
        *_HEAD,
        ("doc_no", TEXT),
        ("issued_date", DATE),
        ("target_name", TEXT),
        ("target_type", TEXT),
        ("doc_type", TEXT),
        *LINEAGE,
    ]
)
# Workbook (the kind its file name gives) -> (lake table, schema).
LAKE_TABLES = {
    MATCHMAKING: ("ledger_matchmaking", MATCHMAKING_SCHEMA),
    LISTING: ("ledger_listing", LISTING_SCHEMA),
    DOCUMENTS: ("ledger_documents", DOCUMENTS_SCHEMA),
}
