"""Plain-text views for the CLI: month status and the published figures table."""

from __future__ import annotations

import duckdb

from finstat.clock import beijing_text
from finstat.gate_record import outcome_summary, read_gate_records
from finstat.money import publication_places
from finstat.publication.flags import open_flags
from finstat.publication.publish import latest_versions, read_history, read_publications
from finstat.reference import ReferenceError, ReferenceSummary, check_reference, load_city
from finstat.settings import Settings


def _log_counts(settings: Settings) -> dict[str, dict[str, int]]:
    log_dir = settings.lake / "ingestion_log"
    if not any(log_dir.glob("*/*.parquet")):
        return {}
    rows = duckdb.execute(
        "select folder_period, status, count(*) from read_parquet(?, union_by_name=true) group by all order by all",
        [str(log_dir / "*" / "*.parquet")],
    ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for period, status, count in rows:
        out.setdefault(period, {})[status] = count
    return out


def month_status(settings: Settings) -> list[str]:
    """One line per known month: files by outcome, the outcome the job recorded, published versions."""
    counts = _log_counts(settings)
    records = read_gate_records(settings.home)
    versions: dict[str, int] = {}
    for row in read_publications(settings.published).to_pylist():
        versions[row["period"]] = max(versions.get(row["period"], 0), row["version"])
    flagged: dict[str, list[str]] = {}
    for flag in open_flags(settings.published):
        flagged.setdefault(flag["period"], []).append(f"{flag['base_period']} v{flag['base_version']}")
    months = sorted(set(counts) | set(records) | set(versions))
    lines = [f"{'month':8} {'files':34} {'published':9} {'last run (北京时间)':22} outcome"]
    for period in months:
        files = ", ".join(f"{n} {status}" for status, n in sorted(counts.get(period, {}).items())) or "-"
        version = f"v{versions[period]}" if period in versions else "-"
        record = records.get(period)
        if record is None:
            when, outcome = "-", "not run yet 未运行"
        else:
            when = beijing_text(record.get("finished_at")).removesuffix(" 北京时间")
            outcome = outcome_summary(record)
        stale = f"  needs republication: base {', '.join(flagged[period])}" if period in flagged else ""
        lines.append(f"{period:8} {files:34} {version:9} {when:22} {outcome}{stale}")
    return lines if months else ["no months yet: nothing in landing has been ingested"]


def figures_table(settings: Settings, period: str | None, all_regions: bool = False) -> str:
    """The latest published version of a month, formatted like the bureau's report table."""
    current = latest_versions(read_history(settings.published)).to_pylist()
    if not current:
        return "nothing published yet"
    period = period or max(r["period"] for r in current)
    city = load_city(settings.reference_dir)
    rows = [r for r in current if r["period"] == period and (all_regions or city.is_city(r["region_code"]))]
    if not rows:
        return f"{period}: not published"
    lines = [
        f"{period} 正式发布数据 (version {rows[0]['version']}, published {beijing_text(rows[0]['published_at'])})"
    ]
    for r in rows:
        region = "" if city.is_city(r["region_code"]) else f" [{r['region_name']}]"
        value = f"{r['value']:.{publication_places(r['unit'])}f}"
        lines.append(f"  {r['indicator_code']} {r['indicator_name']}{region}: {value} {r['unit']}")
    return "\n".join(lines)


def reference_lines(settings: Settings) -> tuple[bool, list[str]]:
    """The reference folder checked: (usable?, the city it names with its counties and register, or what is wrong)."""
    try:
        found = check_reference(settings.reference_dir)
    except ReferenceError as exc:
        return False, [f"reference {settings.reference_dir}: NOT USABLE 参考数据有误 — {exc}"]
    regions = found.regions
    counties = "、".join(f"{regions.names[c]} {c}" for c in regions.counties)
    return True, [
        f"reference {settings.reference_dir}: OK",
        f"  city 本市: {regions.city.name} {regions.city.code} (the regions.csv row ending in 00)",
        f"  districts and counties 县区 ({len(regions.counties)}): {counties}",
        f"  institutions 机构名录: {len(found.institutions)}, "
        f"{sum(1 for r in found.institutions if r['region_code'] == regions.city.code)} booked at city level",
        _poverty_line(found),
    ]


def _poverty_line(found: ReferenceSummary) -> str:
    """poverty_households.csv: each year with its counties, or the problem (the V figures only)."""
    if found.poverty is None:
        return (
            f"  poverty households 脱贫户数: PROBLEM, the poverty-credit rates (V) cannot be published "
            f"until it is fixed; the other figures are not affected — {found.poverty_problem}"
        )
    counties = found.regions.counties
    years = "; ".join(
        f"{year} ({len(found.poverty.counties_of(year))} of {len(counties)} counties"
        + "".join(
            f", missing {found.regions.names[c]} {c}"
            for c in counties
            if c not in found.poverty.counties_of(year)
        )
        + ")"
        for year in found.poverty.years
    )
    return f"  poverty households 脱贫户数: years {years}"
