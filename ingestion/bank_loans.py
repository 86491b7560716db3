"""Source bank_loans: 金融机构贷款月报 (Excel template or long CSV) -> one lake row per reported amount."""

from __future__ import annotations

import pyarrow as pa

from ingestion.bank_loans_csv import CsvReport
from ingestion.bank_loans_excel import ExcelReport
from ingestion.landing_files import LandedFile
from ingestion.records import BankLoanReport
from ingestion.source import LakeTable, ReadContext, Source, report_rows_table

# Column order and types are the contract in docs/architecture.md ("Lake table bank_loans").
# Timestamps are stored without a zone and always hold UTC, matching DuckDB's plain TIMESTAMP.
LAKE_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("inst_code", pa.string()),
        ("county_code", pa.string()),
        ("item_code", pa.string()),
        ("measure", pa.string()),
        ("amount_yuan", pa.decimal128(20, 2)),
        ("unit", pa.string()),
        ("source_file", pa.string()),
        ("sheet", pa.string()),
        ("row_number", pa.int32()),
        ("column_ref", pa.string()),
        ("file_sha256", pa.string()),
        ("revision", pa.int32()),
        ("ingested_at", pa.timestamp("us")),
    ]
)
# What a report's body fills in: the rest are the lineage constants the lake writer adds.
_BODY = pa.schema([LAKE_SCHEMA.field(name) for name in (
    "period", "inst_code", "county_code", "item_code", "measure", "amount_yuan", "unit", "sheet",
    "row_number", "column_ref",
)])  # fmt: skip
READERS = {".xlsx": ExcelReport, ".csv": CsvReport}


def open_report(landed: LandedFile, context: ReadContext) -> BankLoanReport:
    reader = READERS[landed.path.suffix.lower()]
    return reader(landed.path, landed.file_path, context.reference)


def body(report: BankLoanReport) -> pa.Table:
    """The report's amounts as lake rows (both formats give the same rows)."""
    return report_rows_table(_BODY, report.period, report.inst_code, report.amounts())


SOURCE = Source(
    name="bank_loans",
    title="银行贷款月报 bank loan reports",
    suffixes=tuple(READERS),
    tables=(LakeTable("bank_loans", LAKE_SCHEMA),),
    open=open_report,
    read_body=body,
)
