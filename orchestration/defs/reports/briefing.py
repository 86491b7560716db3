"""Briefing asset: the monthly 金融运行简报 (.docx and .html) of each published version, its text in the UI."""

import dagster as dg

from finstat.publication.release import open_release
from finstat.reference import read_regions
from orchestration.partitions import monthly_partitions
from orchestration.resources import FinstatPaths, WarehouseRunLock


@dg.asset(
    key="monthly_briefing",
    group_name="publication",
    partitions_def=monthly_partitions,
    deps=["published_figures"],
    pool="finstat_warehouse",
    kinds={"word", "html"},
    description=(
        "金融运行简报：按 Word 模板（docxtpl，$FINSTAT_TEMPLATE_DIR 可替换）用本月已发布数据写成的段落、各县区表和图表；"
        "每个发布版本一份 .docx 和一页 .html，写入 published/reports/。\n\n"
        "The monthly briefing written from the published figures with the officer's Word template: "
        "one .docx and one self-contained .html per published version (docs/briefing.md)."
    ),
)
def monthly_briefing(
    context: dg.AssetExecutionContext, finstat: FinstatPaths, run_lock: WarehouseRunLock
) -> dg.MaterializeResult:
    """Render the month's latest published version, then write both files in one release switch."""
    # Imported here, not at module level: docxtpl and matplotlib take about a second to import, and
    # every process that loads the definitions (each CLI run, the UI, each run's workers) would pay it.
    from reports.briefing.build import (
        briefing_paths,
        latest_published_version,
        render_briefing,
        template_path,
        write_briefing,
    )

    settings = finstat.settings()
    period = context.partition_key
    version = latest_published_version(settings.published, period)
    regions = read_regions(settings.reference_dir)
    # Rendered in memory first: a template problem stops the step before anything is written.
    briefing = render_briefing(settings.published, period, version, regions, template_path())
    with open_release(settings.published) as release:
        write_briefing(release, briefing)
    docx_path, html_path = briefing_paths(settings.published, period, version)
    return dg.MaterializeResult(
        metadata={
            "version": version,
            "template": dg.MetadataValue.path(str(template_path())),
            "docx": dg.MetadataValue.path(str(docx_path)),
            "html": dg.MetadataValue.path(str(html_path)),
            "withheld_indicators": len(briefing.context.withheld),
            "text": dg.MetadataValue.md(briefing.markdown),
        }
    )
