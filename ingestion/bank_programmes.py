"""Source bank_programmes: 金融支持重点领域专项统计月报 (Excel template or long CSV) -> one lake row per reported cell."""

from __future__ import annotations

import pyarrow as pa

from ingestion.bank_programmes_csv import ProgrammeCsvReport
from ingestion.bank_programmes_excel import ProgrammeExcelReport
from ingestion.landing_files import LandedFile
from ingestion.source import LakeTable, ReadContext, Source, report_rows_table

# Column order and types are the contract in docs/architecture.md ("Lake table bank_programmes").
# Timestamps are stored without a zone and always hold UTC, matching DuckDB's plain TIMESTAMP.
LAKE_SCHEMA = pa.schema(
    [
        ("period", pa.string()),
        ("inst_code", pa.string()),
        ("county_code", pa.string()),
        ("item_code", pa.string()),
        ("quantity", pa.string()),
        ("value", pa.decimal128(20, 2)),
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
    "period", "inst_code", "county_code", "item_code", "quantity", "value", "unit", "sheet",
    "row_number", "column_ref",
)])  # fmt: skip
READERS = {".xlsx": ProgrammeExcelReport, ".csv": ProgrammeCsvReport}


def open_report(landed: LandedFile, context: ReadContext) -> ProgrammeExcelReport | ProgrammeCsvReport:
    reader = READERS[landed.path.suffix.lower()]
    return reader(landed.path, landed.file_path, context.reference)


def body(report: ProgrammeExcelReport | ProgrammeCsvReport) -> pa.Table:
    """The report's cells as lake rows (both formats give the same rows, but 合计 only from Excel)."""
    return report_rows_table(_BODY, report.period, report.inst_code, report.cells())


SOURCE = Source(
    name="bank_programmes",
    title="金融支持重点领域专项统计月报 bank programme reports (poverty credit and relief)",
    suffixes=tuple(READERS),
    tables=(LakeTable("bank_programmes", LAKE_SCHEMA),),
    open=open_report,
    read_body=body,
)
