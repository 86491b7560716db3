"""Reports asset: the reconciliation workbook and page, and the release note, of each published version."""

import dagster as dg

from finstat.publication.publish import read_publications
from finstat.publication.release import open_release
from finstat.reference import load_city
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths, WarehouseRunLock
from reports.build import build_report, report_paths, write_reports
from reports.release_note import note_path, write_release_note


@dg.asset(
    key="reconciliation_report",
    group_name="publication",
    partitions_def=monthly_partitions,
    deps=["published_figures", "qr_22_pbc_reconciliation"],
    pool="finstat_warehouse",
    kinds={"excel", "html"},
    description=(
        "人民银行市分行对账表（规则22）：本局数与人行数、差额、是否在容差内及说明；机构明细；本月质量检查；"
        "13个月贷款余额与不良率走势。每个发布版本一份 .xlsx、一页 .html 和一份发布说明（.md），写入 published/reports/。\n\n"
        "The reconciliation workbook and one-page HTML for the central bank branch, and the release "
        "note (figures, changes since the last version, acknowledged warnings), per published version."
    ),
)
def reconciliation_report(
    context: dg.AssetExecutionContext, finstat: FinstatPaths, run_lock: WarehouseRunLock
) -> dg.MaterializeResult:
    """Write the workbook and page of the month's latest published version (same version: same bytes)."""
    settings = finstat.settings()
    period = context.partition_key
    records = [r for r in read_publications(settings.published).to_pylist() if r["period"] == period]
    latest = max(records, key=lambda r: r["version"])
    city = load_city(settings.reference_dir)
    report = build_report(settings, period, latest["version"], latest["published_at"], city)
    # Written into a new release like the figures: a crash never leaves half a report in published/.
    with open_release(settings.published) as release:
        write_reports(release, report)
        write_release_note(release, period, latest["version"], city)
    xlsx, page = report_paths(settings.published, period, latest["version"])
    note = note_path(settings.published, period, latest["version"])
    outside = [line for line in report.lines if line.within is False]
    return dg.MaterializeResult(
        metadata={
            "version": latest["version"],
            "lines_compared": len(report.lines),
            "lines_outside_tolerance": len(outside),
            "unexplained": sum(1 for line in outside if not line.explanation),
            "workbook": dg.MetadataValue.path(str(xlsx)),
            "page": dg.MetadataValue.path(str(page)),
            "release_note": dg.MetadataValue.path(str(note)),
            "release_note_preview": dg.MetadataValue.md(note.read_text(encoding="utf-8")),
        }
    )
